"""The plain domain model: channel layouts, actors, tags and the POLICY.md vocabulary."""

from __future__ import annotations

import pytest

from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.tags import DEFAULT_KINDS, KindGroup, Tag, TagError

# POLICY.md section 1, in its order.
POLICY_KINDS = [
    "profanity",
    "insult",
    "yelling",
    "threat",
    "discrimination",
    "sexual_harassment",
    "personal_question",
    "circular_dialogue",
    "supervisor_request",
    "interruption",
    "warning",
    "redirect",
    "options_summary",
    "solution_restated",
    "supervisor_script",
    "transfer",
    "escalation",
    "hold",
    "farewell",
    "hang_up",
    "banned_phrase",
    "agent_rudeness",
    "sales_pitch",
    "empathy",
    "lead_notified",
    "account_noted",
]


def test_layouts_say_which_channel_is_whose() -> None:
    assert ChannelLayout.AGENT_LEFT.channel_of(Party.AGENT) == 0
    assert ChannelLayout.AGENT_RIGHT.channel_of(Party.AGENT) == 1
    assert ChannelLayout.AGENT_RIGHT.party_of_channel(0) is Party.CUSTOMER
    assert ChannelLayout.MONO.channel_of(Party.CUSTOMER) is None
    assert ChannelLayout.AGENT_LEFT.swapped() is ChannelLayout.AGENT_RIGHT
    assert ChannelLayout.MONO.swapped() is ChannelLayout.MONO


def test_actors_and_parties() -> None:
    assert Actor.of(Party.CUSTOMER) is Actor.CUSTOMER and Actor.CALL.party is None
    assert Party.AGENT.other is Party.CUSTOMER


def test_vocabulary_is_policy_md_in_order_with_default_actors() -> None:
    names = [k.name for k in DEFAULT_KINDS if k.group is not KindGroup.MEASURE]
    assert names == POLICY_KINDS
    by_name = {k.name: k for k in DEFAULT_KINDS}
    assert by_name["profanity"].default_actor is Actor.CUSTOMER
    assert by_name["warning"].default_actor is Actor.AGENT
    assert by_name["lead_notified"].default_actor is Actor.CALL
    assert by_name["hang_up"].point


@pytest.mark.parametrize(("kind", "start", "end"), [("", 0, 1), ("warning", 5, 4), ("warning", -1, 2)])
def test_tags_refuse_contradictions(kind: str, start: int, end: int) -> None:
    with pytest.raises(TagError):
        Tag(kind, Actor.AGENT, start, end)


def test_point_tags() -> None:
    tag = Tag("hang_up", Actor.AGENT, 61_000, 61_000)
    assert tag.is_point and tag.duration_ms == 0
