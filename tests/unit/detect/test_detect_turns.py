"""Turn-taking: interruptions, backchannels and overlaps by the definitions of FORMATS.md."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reviewer.detect.turns import (
    Interruption,
    Speech,
    TurnSettings,
    bridged,
    speech_from_activity,
    speech_from_transcript,
    turn_taking,
)
from reviewer.domain.parties import ChannelLayout, Party
from reviewer.domain.transcript import Utterance, Word

A, C = Party.AGENT, Party.CUSTOMER


def test_clean_alternation_has_no_events() -> None:
    found = turn_taking([Speech(A, 0, 3000), Speech(C, 3400, 6000), Speech(A, 6300, 9000)])
    assert found.interruptions == () and found.backchannels == () and found.overlaps == ()


def test_talking_over_the_other_past_the_grace_window_is_an_interruption() -> None:
    found = turn_taking([Speech(C, 0, 8000), Speech(A, 7000, 9000)])
    assert found.interruptions == (Interruption(A, 7000, 8000),)
    assert found.overlaps == ((7000, 8000),)


def test_a_short_overlap_inside_the_others_speech_is_a_backchannel() -> None:
    found = turn_taking([Speech(A, 0, 8000), Speech(C, 3000, 3350)])
    assert found.interruptions == ()
    assert found.backchannels == (Speech(C, 3000, 3350),)


def test_a_reply_a_beat_early_is_neither() -> None:
    found = turn_taking([Speech(A, 0, 5000), Speech(C, 4850, 9000)])
    assert found == turn_taking([Speech(A, 0, 5000), Speech(C, 5100, 9000)])
    assert found.overlaps == ()  # 150 ms is the line's delay, not overlap


def test_an_overlap_shorter_than_the_grace_window_is_not_an_interruption() -> None:
    found = turn_taking([Speech(A, 0, 5000), Speech(C, 4600, 9000)])
    assert found.interruptions == ()
    assert found.overlaps == ((4600, 5000),)


def test_the_grace_window_is_a_setting() -> None:
    speech = [Speech(A, 0, 5000), Speech(C, 4600, 9000)]
    assert turn_taking(speech, TurnSettings(grace_ms=300)).interruptions == (Interruption(C, 4600, 5000),)


def test_talking_over_wholly_inside_the_others_turn_still_interrupts() -> None:
    found = turn_taking([Speech(A, 0, 9000), Speech(C, 2000, 4000)])
    assert found.interruptions == (Interruption(C, 2000, 4000),)
    assert found.backchannels == ()


def test_a_short_pause_does_not_free_the_floor() -> None:
    # The agent pauses 200 ms (within the join gap): the customer starting there talks over the agent.
    found = turn_taking([Speech(A, 0, 3000), Speech(A, 3200, 6000), Speech(C, 3100, 5000)])
    assert found.interruptions == (Interruption(C, 3100, 5000),)


def test_continuing_ones_own_speech_is_not_interrupting() -> None:
    # The customer talks over the agent at 500; the agent's own words after a short gap are not an interruption.
    found = turn_taking([Speech(A, 0, 1000), Speech(A, 1100, 3000), Speech(C, 500, 5000)])
    assert found.interruptions == (Interruption(C, 500, 3000),)


def test_both_starting_together_interrupts_nobody() -> None:
    assert turn_taking([Speech(A, 1000, 5000), Speech(C, 1000, 4000)]).interruptions == ()


def test_bridged_merges_close_spans() -> None:
    assert bridged([(500, 900), (0, 400), (1300, 2000)], 100) == [(0, 900), (1300, 2000)]


def test_words_time_the_speech_when_present() -> None:
    words = (Word("hello", 100, 400), Word("there", 2500, 2900))
    utterances = [
        Utterance(A, "A", 100, 2900, "hello there", words),
        Utterance(C, "C", 3000, 4000, "hi"),
    ]
    assert speech_from_transcript(utterances) == [Speech(A, 100, 400), Speech(A, 2500, 2900), Speech(C, 3000, 4000)]


def test_activity_maps_channels_to_parties_by_layout() -> None:
    activity = (((0, 100),), ((200, 300),))
    assert speech_from_activity(activity, ChannelLayout.AGENT_RIGHT) == [Speech(C, 0, 100), Speech(A, 200, 300)]
    assert speech_from_activity(activity, ChannelLayout.MONO) == []


Raw = tuple[Party, int, int]
_spans = st.lists(
    st.tuples(st.sampled_from([A, C]), st.integers(0, 60_000), st.integers(50, 8000)), min_size=0, max_size=30
)


@given(_spans)
def test_every_interruption_starts_inside_the_others_speech_and_outlasts_the_grace(raw: list[Raw]) -> None:
    speech = [Speech(p, start, start + length) for p, start, length in raw]
    settings = TurnSettings()
    found = turn_taking(speech, settings)
    for event in found.interruptions:
        own = ((s.start_ms, s.end_ms) for s in speech if s.party is event.interrupter.other)
        other = bridged(own, settings.join_gap_ms)
        assert any(start < event.start_ms < end for start, end in other)
        assert event.end_ms - event.start_ms > settings.grace_ms


@given(_spans)
def test_swapping_the_parties_swaps_the_interrupters(raw: list[Raw]) -> None:
    speech = [Speech(p, start, start + length) for p, start, length in raw]
    swapped = [Speech(s.party.other, s.start_ms, s.end_ms) for s in speech]
    expected = sorted((i.interrupter.other, i.start_ms, i.end_ms) for i in turn_taking(speech).interruptions)
    assert sorted(tuple(i) for i in turn_taking(swapped).interruptions) == expected
