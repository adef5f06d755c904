"""Who is the agent when neither role nor channel says: the greeting, then the goodbye, then who spoke first."""

from __future__ import annotations

import pytest

from reviewer.domain.parties import ChannelLayout, Party
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.parties import map_parties
from reviewer.formats.phrases import closes_like_agent, opens_like_agent


def _raw(*lines: tuple[str, str]) -> RawTranscript:
    turns = tuple(Turn(speaker, i * 2000, i * 2000 + 1500, text) for i, (speaker, text) in enumerate(lines))
    return RawTranscript("test", "utf-8", turns)


def _parties(raw: RawTranscript, layout: ChannelLayout | None = None) -> dict[str, Party]:
    speakers, _ = map_parties(raw, layout)
    return {s.label: s.party for s in speakers}


@pytest.mark.parametrize(
    ("customer_hello", "agent_greeting"),
    [
        ("Hello?", "Hi, thank you for calling Acme Bank, this is Anna."),
        ("Алло?", "Здравствуйте, меня зовут Ольга, чем могу помочь?"),
        ("喂？", "您好，很高兴为您服务。"),
        ("여보세요?", "안녕하세요, 무엇을 도와드릴까요?"),
        ("Alio?", "Laba diena, kuo galiu padėti?"),
    ],
)
def test_the_greeting_finds_the_agent_even_when_the_customer_speaks_first(
    customer_hello: str, agent_greeting: str
) -> None:
    raw = _raw(("spk_0", customer_hello), ("spk_1", agent_greeting), ("spk_0", "I have a problem with my card."))
    assert _parties(raw) == {"spk_0": Party.CUSTOMER, "spk_1": Party.AGENT}


def test_the_goodbye_decides_when_nobody_greets() -> None:
    raw = _raw(("A", "So it is fixed?"), ("B", "Yes, it is."), ("A", "Great."), ("B", "Всего доброго. До свидания."))
    assert _parties(raw) == {"A": Party.CUSTOMER, "B": Party.AGENT}


def test_two_greeters_fall_back_to_the_first_speaker() -> None:
    raw = _raw(("A", "Thank you for calling!"), ("B", "Haha, thank you for calling too."))
    assert _parties(raw) == {"A": Party.AGENT, "B": Party.CUSTOMER}


def test_a_channel_under_a_stereo_layout_beats_the_greeting() -> None:
    turns = (
        Turn("A", 0, 1000, "Hello?", channel=0),
        Turn("B", 1500, 3000, "Thank you for calling, my name is Bob.", channel=1),
    )
    raw = RawTranscript("test", "utf-8", turns)
    assert _parties(raw, ChannelLayout.AGENT_LEFT) == {"A": Party.AGENT, "B": Party.CUSTOMER}


def test_customers_greetings_are_not_agent_scripts() -> None:
    assert not opens_like_agent("Здравствуйте, у меня проблема с картой")
    assert not opens_like_agent("I am calling about my bill")
    assert opens_like_agent("THANK YOU — for calling!")
    assert closes_like_agent("Geros dienos!") and not closes_like_agent("ok bye")


def test_a_customer_introducing_themselves_does_not_become_the_agent() -> None:
    raw = _raw(
        ("Speaker 1", "Hello?"),
        ("Speaker 2", "Thank you for calling Acme, how can I help you?"),
        ("Speaker 1", "Hi, my name is Jane, меня зовут Jane."),
    )
    assert _parties(raw) == {"Speaker 1": Party.CUSTOMER, "Speaker 2": Party.AGENT}


@pytest.mark.parametrize(
    ("customer", "agent"),
    [("Customer", "Agent"), ("caller 1", "Operator 2"), ("Клиент", "Оператор"), ("客户", "客服"), ("고객", "상담원")],
)
def test_labels_that_name_the_role_decide(customer: str, agent: str) -> None:
    raw = _raw((customer, "Hello?"), (agent, "Hi."))
    assert _parties(raw) == {customer: Party.CUSTOMER, agent: Party.AGENT}
