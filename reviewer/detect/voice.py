"""Raised voice: a party's speech well above that party's own typical loudness in the same call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from reviewer.audio.vad import Activity
from reviewer.detect.turns import Speech
from reviewer.domain.parties import ChannelLayout, Party


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """How far above the party's baseline is raised, and what the baseline is."""

    margin_db: float = 3.0  # above the baseline (AWS: "well above that speaker's own")
    min_ms: int = 1000  # a shout is longer than a stressed word
    baseline_percentile: float = 25.0  # of the party's speech time: an angry caller may shout most of the call

    def as_dict(self) -> dict[str, float]:
        """The settings as a flat mapping (for storing with results)."""
        return {
            "raised_voice_db": self.margin_db,
            "raised_voice_min_ms": self.min_ms,
            "loudness_baseline_percentile": self.baseline_percentile,
        }


class Raised(NamedTuple):
    """A stretch of speech louder than the party's baseline by excess_db."""

    speech: Speech
    excess_db: float


def _level(activity: Activity, channel: int, speech: Speech) -> tuple[float, int] | None:
    first, last = speech.start_ms // activity.frame_ms, -(-speech.end_ms // activity.frame_ms)
    voiced = activity.speech[channel, first:last]
    if not voiced.any():
        return None
    power = np.power(10.0, activity.level_db[channel, first:last][voiced] / 10.0)
    return float(10.0 * np.log10(np.mean(power))), int(voiced.sum())


def _baseline(levels: Sequence[tuple[float, int]], percentile: float) -> float:
    ordered = sorted(levels)
    weights = np.cumsum([frames for _, frames in ordered], dtype=np.float64)
    index = int(np.searchsorted(weights, weights[-1] * percentile / 100.0))
    return ordered[min(index, len(ordered) - 1)][0]


def raised_voice(
    activity: Activity, layout: ChannelLayout, segments: Sequence[Speech], settings: VoiceSettings | None = None
) -> list[Raised]:
    """The segments (utterances, or voice-activity stretches) spoken well above their party's baseline."""
    settings = settings or VoiceSettings()
    found: list[Raised] = []
    for party in Party:
        channel = layout.channel_of(party)
        if channel is None or channel >= activity.channels:
            continue  # a mono recording mixes both voices: nobody's own loudness can be read
        own = [(s, _level(activity, channel, s)) for s in segments if s.party is party]
        measured = [(s, level) for s, level in own if level is not None]
        if len(measured) < 2:
            continue
        baseline = _baseline([level for _, level in measured], settings.baseline_percentile)
        for segment, (db, frames) in measured:
            long_enough = frames * activity.frame_ms >= settings.min_ms
            if long_enough and db - baseline >= settings.margin_db:
                found.append(Raised(segment, round(db - baseline, 1)))
    return found
