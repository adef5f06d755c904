"""Voice activity per channel: webrtcvad's decision per frame, gated by the channel's own noise floor.

webrtcvad alone calls line noise and the other party's leak "speech" often enough to invent overlaps, so a frame
counts only when webrtcvad says speech, the frame stands clear of the channel's noise floor, and it is not a much
quieter copy of what the other channel carries at the same moment (crosstalk). Levels per frame are kept: the
raised-voice detector reads them instead of measuring the audio a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import webrtcvad

# Vad.is_speech only checks the length and calls this; called directly, a third of the pass is saved
# (benchmarks/detect_speed.py). A release that renames it falls back to the public method.
try:
    from _webrtcvad import process as _process
except ImportError:
    _process = None

# webrtcvad accepts only these rates; anything else is brought to 16 kHz first (speech lives below 4 kHz).
VAD_RATES = (8000, 16000, 32000, 48000)
_FALLBACK_RATE = 16000
_SILENT_DB = -100.0
_FULL_SCALE = 32768.0
_BLOCK_FRAMES = 2000  # frames measured at once (a minute of 30 ms frames)


@dataclass(frozen=True, slots=True)
class VadSettings:
    """Every threshold voice activity depends on; stored with the suggestions it produced."""

    aggressiveness: int = 2  # webrtcvad's 0 (keeps most) .. 3 (drops most)
    frame_ms: int = 30  # webrtcvad takes 10, 20 or 30 ms frames
    min_speech_ms: int = 120  # shorter bursts are clicks and line noise
    bridge_ms: int = 150  # gaps this short inside a word are closed
    floor_margin_db: float = 8.0  # speech stands at least this far above the channel's noise floor
    leak_margin_db: float = 24.0  # a frame this much quieter than the other channel is the other party's leak

    def as_dict(self) -> dict[str, float]:
        """The settings as a flat mapping (for storing with results)."""
        return {
            "vad_aggressiveness": self.aggressiveness,
            "vad_frame_ms": self.frame_ms,
            "vad_min_speech_ms": self.min_speech_ms,
            "vad_bridge_ms": self.bridge_ms,
            "vad_floor_margin_db": self.floor_margin_db,
            "vad_leak_margin_db": self.leak_margin_db,
        }


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Activity:
    """Per channel and frame: speech or not, and the frame's level in dBFS."""

    frame_ms: int
    speech: npt.NDArray[np.bool_]  # (channels, frames)
    level_db: npt.NDArray[np.float64]  # (channels, frames)

    @property
    def channels(self) -> int:
        """Number of channels analysed."""
        return int(self.speech.shape[0])

    def spans(self, channel: int) -> tuple[Span, ...]:
        """The channel's speech as (start_ms, end_ms) spans."""
        return tuple((start * self.frame_ms, stop * self.frame_ms) for start, stop in runs(self.speech[channel]))


def runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, stop) index pairs of every run of True in a 1-D mask."""
    if mask.size == 0:
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return [(int(edges[i]), int(edges[i + 1])) for i in range(0, edges.size, 2)]


def at_vad_rate(samples: npt.NDArray[np.int16], rate: int) -> tuple[npt.NDArray[np.int16], int]:
    """The samples at a rate webrtcvad takes (16 kHz when theirs is not one), a minute at a time to bound memory.

    Linear interpolation without a low-pass filter: some aliasing, which speech detection shrugs off; levels and
    decisions are then measured on this one grid, so their frames line up.
    """
    if rate in VAD_RATES:
        return samples, rate
    count = samples.shape[0] * _FALLBACK_RATE // rate
    out = np.empty((count, samples.shape[1]), dtype=np.int16)
    for first in range(0, count, _FALLBACK_RATE * 60):
        positions = np.arange(first, min(count, first + _FALLBACK_RATE * 60)) * (rate / _FALLBACK_RATE)
        low, high = int(positions[0]), min(samples.shape[0], int(positions[-1]) + 2)
        for channel in range(samples.shape[1]):
            part = samples[low:high, channel]
            out[first : first + positions.size, channel] = np.interp(positions, np.arange(low, high), part)
    return out, _FALLBACK_RATE


def _vad_frames(channel: npt.NDArray[np.int16], rate: int, settings: VadSettings) -> npt.NDArray[np.bool_]:
    data, vad_rate = np.ascontiguousarray(channel), rate  # one channel of interleaved frames: a copy is needed
    step = vad_rate * settings.frame_ms // 1000
    count = data.shape[0] // step
    vad = webrtcvad.Vad(settings.aggressiveness)
    view = data.data.cast("B")  # the samples' own bytes: no copy of an hour of audio
    width = 2 * step
    if _process is None:
        decisions = [vad.is_speech(view[i * width : (i + 1) * width], vad_rate) for i in range(count)]
    else:
        handle = vad._vad
        decisions = [_process(handle, vad_rate, view[i * width : (i + 1) * width], step) for i in range(count)]
    return np.array(decisions, dtype=np.bool_)


def frame_levels(samples: npt.NDArray[np.int16], sample_rate: int, frame_ms: int) -> npt.NDArray[np.float64]:
    """Mean power of each frame in dBFS, shape (channels, frames); digital silence clamps to -100 dB."""
    step = sample_rate * frame_ms // 1000
    count = samples.shape[0] // step
    power = np.empty((samples.shape[1], count), dtype=np.float64)
    # A block at a time: a float copy of a whole hour would add hundreds of megabytes for a few frames of work.
    for first in range(0, count, _BLOCK_FRAMES):
        last = min(count, first + _BLOCK_FRAMES)
        block = samples[first * step : last * step].astype(np.float32).reshape(last - first, step, -1)
        power[:, first:last] = np.einsum("fsc,fsc->cf", block, block) / (step * _FULL_SCALE**2)
    with np.errstate(divide="ignore"):
        levels = 10.0 * np.log10(power)
    clamped: npt.NDArray[np.float64] = np.maximum(levels, _SILENT_DB)
    return clamped


def _close_gaps(mask: npt.NDArray[np.bool_], frames: int) -> None:
    for start, stop in runs(~mask):
        if start > 0 and stop < mask.size and stop - start <= frames:
            mask[start:stop] = True


def _drop_short(mask: npt.NDArray[np.bool_], frames: int) -> None:
    for start, stop in runs(mask):
        if stop - start < frames:
            mask[start:stop] = False


def _gate(vad: npt.NDArray[np.bool_], levels: npt.NDArray[np.float64], settings: VadSettings) -> None:
    """Drop frames near each channel's noise floor and frames that are the other channel's leak, in place."""
    for channel in range(levels.shape[0]):
        audible = levels[channel][levels[channel] > _SILENT_DB]
        floor = float(np.percentile(audible, 10)) if audible.size else _SILENT_DB
        vad[channel] &= levels[channel] > floor + settings.floor_margin_db
    if levels.shape[0] == 2:
        leak = np.abs(levels[0] - levels[1]) > settings.leak_margin_db
        vad[0] &= ~(leak & (levels[0] < levels[1]))
        vad[1] &= ~(leak & (levels[1] < levels[0]))


def analyse_activity(samples: npt.NDArray[np.int16], sample_rate: int, settings: VadSettings | None = None) -> Activity:
    """Voice activity and frame levels of every channel of a decoded recording."""
    settings = settings or VadSettings()
    samples, sample_rate = at_vad_rate(samples, sample_rate)
    levels = frame_levels(samples, sample_rate, settings.frame_ms)
    decisions = [_vad_frames(samples[:, channel], sample_rate, settings) for channel in range(samples.shape[1])]
    count = min(levels.shape[1], *(d.shape[0] for d in decisions))
    speech = np.stack([d[:count] for d in decisions])
    levels = levels[:, :count]
    _gate(speech, levels, settings)
    for channel in range(speech.shape[0]):
        _close_gaps(speech[channel], settings.bridge_ms // settings.frame_ms)
        _drop_short(speech[channel], -(-settings.min_speech_ms // settings.frame_ms))
    return Activity(frame_ms=settings.frame_ms, speech=speech, level_db=levels)


def voice_activity(
    samples: npt.NDArray[np.int16], sample_rate: int, settings: VadSettings | None = None
) -> tuple[tuple[Span, ...], ...]:
    """Per channel, the speech as (start_ms, end_ms) spans."""
    activity = analyse_activity(samples, sample_rate, settings)
    return tuple(activity.spans(channel) for channel in range(activity.channels))
