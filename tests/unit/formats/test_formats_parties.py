"""Speaker-to-party mapping (role, channel, first speaker) and the time checks of a parsed transcript."""

from __future__ import annotations

import pytest

from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Speaker, Word
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.parties import map_parties, validate_times


def _raw(*turns: Turn, events: tuple[Tag, ...] = ()) -> RawTranscript:
    return RawTranscript("test", "utf-8", turns, events)


def _turn(speaker: str, start: int, end: int, channel: int | None = None, role: Party | None = None) -> Turn:
    return Turn(speaker, start, end, f"{speaker} {start}", channel=channel, role=role, where=f"line {start}")


def _problem(raw: RawTranscript, duration_ms: int | None = None) -> tuple[ProblemKind, str, str]:
    with pytest.raises(InputError) as caught:
        validate_times(raw, "call.vtt", duration_ms)
    problem = caught.value.problem
    assert problem.path == "call.vtt"
    return problem.kind, problem.where, problem.detail


def test_first_speaker_is_the_agent_and_utterances_are_sorted() -> None:
    raw = _raw(_turn("B", 3000, 4000), _turn("A", 1000, 2500), _turn("C", 2000, 2200), _turn("A", 1000, 1500))
    speakers, utterances = map_parties(raw, None)
    assert speakers == (
        Speaker("A", Party.AGENT),
        Speaker("C", Party.CUSTOMER),
        Speaker("B", Party.CUSTOMER),
    )
    assert [(u.speaker, u.party, u.start_ms, u.end_ms) for u in utterances] == [
        ("A", Party.AGENT, 1000, 1500),
        ("A", Party.AGENT, 1000, 2500),
        ("C", Party.CUSTOMER, 2000, 2200),
        ("B", Party.CUSTOMER, 3000, 4000),
    ]


def test_a_stated_role_wins_over_who_spoke_first() -> None:
    raw = _raw(_turn("CUSTOMER", 0, 900, role=Party.CUSTOMER), _turn("AGENT", 1000, 2000, role=Party.AGENT))
    speakers, _ = map_parties(raw, ChannelLayout.AGENT_LEFT)
    assert [(s.label, s.party) for s in speakers] == [("CUSTOMER", Party.CUSTOMER), ("AGENT", Party.AGENT)]


def test_unlabelled_speakers_are_customers_once_a_role_names_the_agent() -> None:
    raw = _raw(_turn("x", 0, 500), _turn("AGENT", 600, 900, role=Party.AGENT))
    speakers, _ = map_parties(raw, None)
    assert {s.label: s.party for s in speakers} == {"x": Party.CUSTOMER, "AGENT": Party.AGENT}


@pytest.mark.parametrize(
    ("layout", "ch0", "ch1"),
    [
        (ChannelLayout.AGENT_LEFT, Party.AGENT, Party.CUSTOMER),
        (ChannelLayout.AGENT_RIGHT, Party.CUSTOMER, Party.AGENT),
        # Mono and separate files say nothing about channels: the first speaker (ch_1 here) is the agent.
        (ChannelLayout.MONO, Party.CUSTOMER, Party.AGENT),
        (None, Party.CUSTOMER, Party.AGENT),
    ],
)
def test_channels_follow_a_stereo_layout(layout: ChannelLayout | None, ch0: Party, ch1: Party) -> None:
    raw = _raw(_turn("ch_1", 0, 1000, channel=1), _turn("ch_0", 1500, 2000, channel=0))
    speakers, utterances = map_parties(raw, layout)
    assert {s.label: (s.party, s.channel) for s in speakers} == {"ch_0": (ch0, 0), "ch_1": (ch1, 1)}
    assert [u.party for u in utterances] == [ch1, ch0]


def test_words_are_kept() -> None:
    words = (Word("hi", 0, 400, 0.9),)
    _, utterances = map_parties(_raw(Turn("A", 0, 400, "hi", words)), None)
    assert utterances[0].words == words


def test_valid_times_pass() -> None:
    validate_times(_raw(_turn("A", 0, 1000), _turn("B", 500, 10_900)), "call.vtt", 10_000)


def test_end_before_start_is_refused_with_the_turn_location() -> None:
    assert _problem(_raw(_turn("A", 0, 100), _turn("B", 3000, 1200))) == (
        ProblemKind.END_BEFORE_START,
        "line 3000",
        "ends 00:01.200 before it starts 00:03.000",
    )


def test_word_ending_before_it_starts_is_refused() -> None:
    turn = Turn("A", 0, 1000, "a b", (Word("a", 0, 400), Word("b", 600, 500)), where="segments[0]")
    assert _problem(_raw(turn))[:2] == (ProblemKind.END_BEFORE_START, "segments[0], word 2")


def test_negative_time_is_a_bad_value() -> None:
    assert _problem(_raw(_turn("A", -1000, 100)))[:2] == (ProblemKind.BAD_VALUE, "line -1000")


def test_speech_beyond_the_recording_is_refused() -> None:
    kind, where, detail = _problem(_raw(_turn("A", 0, 1000), _turn("B", 2000, 12_001)), duration_ms=11_000)
    assert (kind, where) == (ProblemKind.BEYOND_RECORDING, "line 2000")
    assert "00:12.001" in detail
    assert "00:11.000" in detail


def test_events_beyond_the_recording_are_refused() -> None:
    event = Tag("non_talk", Actor.CALL, 5000, 90_000, source=TagSource.IMPORTED)
    assert _problem(_raw(_turn("A", 0, 100), events=(event,)), duration_ms=60_000)[:2] == (
        ProblemKind.BEYOND_RECORDING,
        "event 1 (non_talk)",
    )


def test_a_transcript_without_speech_is_accepted() -> None:
    validate_times(_raw(), "silent.json", 60_000)


def test_events_alone_are_enough() -> None:
    validate_times(_raw(events=(Tag("interruption", Actor.AGENT, 10, 20),)), "call.json", None)
