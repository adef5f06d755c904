"""Silence (outside holds) and raised voice (against each party's own baseline)."""

from __future__ import annotations

import numpy as np

from reviewer.audio.vad import Activity
from reviewer.detect.silence import Silence, SilenceSettings, silences
from reviewer.detect.turns import Speech
from reviewer.detect.voice import VoiceSettings, raised_voice
from reviewer.domain.parties import ChannelLayout, Party


def test_a_gap_of_five_seconds_is_a_silence_and_fifteen_a_long_one() -> None:
    talk = [(0, 1000), (6000, 7000), (7100, 8000), (23_000, 24_000)]
    assert silences(talk, []) == [Silence(1000, 6000, False), Silence(8000, 23_000, True)]


def test_shorter_gaps_and_the_edges_of_the_call_are_not_silence() -> None:
    assert silences([(10_000, 11_000), (15_000, 16_000)], []) == []


def test_time_on_hold_is_not_silence() -> None:
    talk = [(0, 1000), (30_000, 31_000)]
    assert silences(talk, [(2000, 28_000)]) == []
    assert silences(talk, [(3000, 25_000)]) == [Silence(25_000, 30_000, False)]


def test_thresholds_are_settings() -> None:
    talk = [(0, 1000), (4000, 5000)]
    assert silences(talk, [], SilenceSettings(min_ms=3000, long_ms=3000)) == [Silence(1000, 4000, True)]


def _activity(levels: list[tuple[int, int, float]], channel: int, frames: int = 1000) -> Activity:
    """30 ms frames; (first, last, dB) stretches of speech on one channel of two."""
    level = np.full((2, frames), -90.0)
    speech = np.zeros((2, frames), dtype=bool)
    for first, last, db in levels:
        level[channel, first:last] = db
        speech[channel, first:last] = True
    return Activity(frame_ms=30, speech=speech, level_db=level)


def test_speech_well_above_the_partys_own_baseline_is_raised() -> None:
    activity = _activity([(0, 100, -30.0), (200, 300, -31.0), (400, 500, -24.0)], channel=1)
    segments = [
        Speech(Party.CUSTOMER, 0, 3000),
        Speech(Party.CUSTOMER, 6000, 9000),
        Speech(Party.CUSTOMER, 12_000, 15_000),
    ]
    found = raised_voice(activity, ChannelLayout.AGENT_LEFT, segments)
    assert [(r.speech.start_ms, r.excess_db) for r in found] == [(12_000, 7.0)]


def test_a_caller_who_shouts_most_of_the_call_is_still_caught() -> None:
    # A quarter of the speech is calm: the baseline comes from it, not from the shouting.
    activity = _activity([(0, 100, -30.0), (100, 400, -24.0)], channel=1)
    segments = [Speech(Party.CUSTOMER, 0, 3000), Speech(Party.CUSTOMER, 3000, 12_000)]
    assert len(raised_voice(activity, ChannelLayout.AGENT_LEFT, segments)) == 1


def test_a_loud_party_is_judged_against_itself_not_the_other() -> None:
    # The agent's headset is 10 dB hotter than the customer's line throughout: nobody is raised.
    activity = _activity([(0, 100, -20.0), (200, 300, -20.5)], channel=0)
    activity.level_db[1, 400:500] = -30.0
    activity.speech[1, 400:500] = True
    activity.level_db[1, 600:700] = -30.5
    activity.speech[1, 600:700] = True
    segments = [
        Speech(Party.AGENT, 0, 3000),
        Speech(Party.AGENT, 6000, 9000),
        Speech(Party.CUSTOMER, 12_000, 15_000),
        Speech(Party.CUSTOMER, 18_000, 21_000),
    ]
    assert raised_voice(activity, ChannelLayout.AGENT_LEFT, segments) == []


def test_a_short_burst_or_a_mono_recording_gives_nothing() -> None:
    activity = _activity([(0, 100, -30.0), (200, 210, -10.0)], channel=1)
    segments = [Speech(Party.CUSTOMER, 0, 3000), Speech(Party.CUSTOMER, 6000, 6300)]
    assert raised_voice(activity, ChannelLayout.AGENT_LEFT, segments) == []
    louder = _activity([(0, 100, -30.0), (200, 300, -20.0)], channel=0)
    mono_segments = [Speech(Party.AGENT, 0, 3000), Speech(Party.AGENT, 6000, 9000)]
    assert raised_voice(louder, ChannelLayout.MONO, mono_segments) == []
    assert raised_voice(louder, ChannelLayout.AGENT_LEFT, mono_segments, VoiceSettings(margin_db=12.0)) == []
