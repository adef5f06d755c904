"""The conversation mixer behind benchmarks/interruptions.py tells the truth, and our detector finds what it placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.conversation_mix import GRACE_MS, MixedCall, Span, build_call, interruptions_in
from reviewer.audio.vad import voice_activity
from reviewer.detect.turns import speech_from_activity, turn_taking
from reviewer.domain.parties import ChannelLayout

# Seed 2 pairs a voice that pauses mid-turn with an interrupter: the hard case for the detector, kept on purpose.
SEEDS = (1, 2)
TOLERANCE_MS = 500
LAYOUT = ChannelLayout.AGENT_LEFT


@pytest.fixture(scope="module")
def calls(corpus_dir: Path) -> list[MixedCall]:
    return [build_call(seed, corpus=corpus_dir) for seed in SEEDS]


def _containing(spans: tuple[Span, ...], moment: int) -> Span | None:
    return next((span for span in spans if span[0] < moment < span[1]), None)


def test_the_calls_are_stereo_8khz_int16_of_their_duration(calls: list[MixedCall]) -> None:
    for call in calls:
        assert call.samples.dtype.name == "int16" and call.samples.shape[1] == 2 and call.sample_rate == 8000
        assert call.samples.shape[0] == call.duration_ms * 8
        assert call.voices[0] != call.voices[1]


def test_each_interruption_starts_inside_the_other_party_and_overlaps_past_the_grace(calls: list[MixedCall]) -> None:
    for call in calls:
        assert call.interruptions
        for channel, start in call.interruptions:
            other = _containing(call.speech[1 - channel], start)
            own = next(span for span in call.speech[channel] if span[0] == start)
            assert other is not None, (channel, start)
            assert min(own[1], other[1]) - start > GRACE_MS


def test_the_truth_is_exactly_what_the_definition_finds_in_the_speech(calls: list[MixedCall]) -> None:
    for call in calls:
        assert interruptions_in(call.speech) == call.interruptions


def test_backchannels_are_short_and_inside_the_other_party(calls: list[MixedCall]) -> None:
    for call in calls:
        assert len(call.backchannel_spans) == call.backchannels > 0
        for channel, start, end in call.backchannel_spans:
            other = _containing(call.speech[1 - channel], start)
            assert end - start < GRACE_MS
            assert other is not None and end < other[1]
            assert (channel, start) not in call.interruptions


def _found(predicted: list[tuple[int, int]], truth: tuple[tuple[int, int], ...]) -> int:
    free, hits = list(predicted), 0
    for channel, start in truth:
        near = [p for p in free if p[0] == channel and abs(p[1] - start) <= TOLERANCE_MS]
        if near:
            free.remove(min(near, key=lambda p: abs(p[1] - start)))
            hits += 1
    return hits


def test_our_detector_finds_at_least_80_percent_of_the_truth_interruptions(calls: list[MixedCall]) -> None:
    hits = total = 0
    for call in calls:
        speech = speech_from_activity(voice_activity(call.samples, call.sample_rate), LAYOUT)
        found = [(LAYOUT.channel_of(i.interrupter) or 0, i.start_ms) for i in turn_taking(speech).interruptions]
        hits += _found(found, call.interruptions)
        total += len(call.interruptions)
    assert hits >= 0.8 * total, f"found {hits} of {total}"
