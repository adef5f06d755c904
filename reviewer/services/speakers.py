"""Put transcript speakers on the right channel of a stereo recording when the transcript itself cannot say.

Plain Whisper output, subtitles without voices and diarized JSON name no channel, and the first-speaker rule
then hands every unlabelled line to the agent. On a recording with one party per channel the audio knows better:
each labelled speaker goes to the channel it is loudest on (summed over their turns), each unlabelled turn to
the channel that is loudest while it lasts.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from reviewer.audio.decode import Decoded
from reviewer.audio.features import span_energy
from reviewer.domain.parties import ChannelLayout
from reviewer.formats.base import RawTranscript, Turn


def _says_nothing_about_channels(raw: RawTranscript) -> bool:
    return bool(raw.turns) and all(t.role is None and t.channel is None for t in raw.turns)


def _by_label(turns: tuple[Turn, ...], share: npt.NDArray[np.float64]) -> list[int]:
    totals: dict[str, npt.NDArray[np.float64]] = {}
    for turn, row in zip(turns, share, strict=True):
        totals[turn.speaker] = totals.get(turn.speaker, 0) + row
    return [int(np.argmax(totals[t.speaker])) for t in turns]


def assign_channels(raw: RawTranscript, decoded: Decoded, layout: ChannelLayout) -> RawTranscript:
    """The transcript with each turn's channel filled in from the audio, when it had none and the call is stereo."""
    if layout is ChannelLayout.MONO or decoded.channels < 2 or not _says_nothing_about_channels(raw):
        return raw
    spans = [(t.start_ms, t.end_ms) for t in raw.turns]
    energy = span_energy(decoded.samples[:, :2], decoded.sample_rate, spans)
    # Each turn's share per channel, so one shouted line does not outvote a speaker's twenty quiet ones.
    share = energy / np.maximum(energy.sum(axis=1, keepdims=True), 1e-9)
    labels = {t.speaker for t in raw.turns}
    labelled = len(labels) > 1 and "" not in labels
    channels = _by_label(raw.turns, share) if labelled else [int(c) for c in np.argmax(share, axis=1)]
    return replace(raw, turns=tuple(replace(t, channel=c) for t, c in zip(raw.turns, channels, strict=True)))
