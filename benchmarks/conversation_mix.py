"""Synthetic two-party stereo calls with a known truth, mixed from single-speaker stretches of real recordings.

The voices come from the shared corpus: the stretches of ``audio/sample.wav`` and ``audio/dev00.wav`` where their
RTTM references say exactly one speaker talks for at least 0.8 s, and each channel of ``audio/stereo_diarization.wav``
with its silence trimmed. ``build_call`` lays them out turn by turn on two channels (party A left, party B right)
with gaps, early replies (a 0.05-0.35 s overlap, no interruption), interruptions (0.8-3.0 s over the other's end)
and short backchannels inside the other's turn, then adds line noise and, in some calls, faint crosstalk. The truth
is what was placed: each piece's reference extent is its speech, and the interruptions are the turns placed over
the other's end. ``corpus_stereo`` gives the real stereo file with a truth from an energy threshold instead.
"""

from __future__ import annotations

import functools
import itertools
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

RATE = 8000
GRACE_MS = 500  # overlap allowed before talking over the other counts as an interruption (FORMATS.md anchors)
MIN_SOLO_S = 0.8
SOURCES = (
    ("audio/sample.wav", "diarization/pyannote/sample.rttm", "sample"),
    ("audio/dev00.wav", "diarization/pyannote/debug.development.rttm", "dev00"),
)
STEREO = "audio/stereo_diarization.wav"

FRAME = RATE // 50  # 20 ms energy frames
TARGET_PEAK_DBFS = -16.0  # each recording's loud speech (95th percentile frame) is brought to this level
NOISE_DBFS = -55.0
SPEECH_FLOOR_DBFS = -50.0
EDGE_DB = 30.0  # digitally silent channels have no noise floor to measure from
CROSSTALK_DB = -30.0
CROSSTALK_SHARE = 0.3
LEAD_MS = 600
# A party's own turns (and its backchannels) stay this far apart, so each is clearly a turn of its own, and nobody
# cuts in during the first SETTLE_MS of the other's turn.
OWN_GAP_MS = 1000
SETTLE_MS = 300
KINDS = ("gap", "early", "interruption")
KIND_ODDS = (0.5, 0.2, 0.3)
BACKCHANNEL_ODDS = 0.35
FADE = RATE // 200  # 5 ms ramps, so cut edges do not click

Span = tuple[int, int]
Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Snippet:
    """One speaker alone, 8 kHz float samples at a common level; all of it is speech by its reference."""

    speaker: str
    samples: Floats

    @property
    def duration_ms(self) -> int:
        """Length in milliseconds."""
        return len(self.samples) * 1000 // RATE


@dataclass(frozen=True)
class MixedCall:
    """A stereo call and its truth: speech spans per channel and interruptions as (interrupter channel, start)."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    speech: tuple[tuple[Span, ...], ...]
    interruptions: tuple[tuple[int, int], ...]
    backchannels: int
    duration_ms: int
    voices: tuple[str, str] = ("", "")
    crosstalk: bool = False
    backchannel_spans: tuple[tuple[int, int, int], ...] = ()  # (listener channel, start_ms, end_ms)


@dataclass(frozen=True)
class _Turn:
    """One placed turn."""

    channel: int
    start_ms: int
    snippet: Snippet

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.snippet.duration_ms


# ---------------------------------------------------------------------------------------------------------------
# Source material.


def decode(path: Path, channels: int = 1) -> npt.NDArray[np.int16]:
    """Any recording as 8 kHz int16 frames (frames x channels), through ffmpeg."""
    command = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-ac", str(channels), "-ar", str(RATE)]
    pcm = subprocess.run([*command, "-f", "s16le", "-acodec", "pcm_s16le", "-"], capture_output=True, check=True)
    return np.frombuffer(pcm.stdout, dtype="<i2").reshape(-1, channels).astype(np.int16)


def read_rttm(path: Path, uri: str) -> list[tuple[str, float, float]]:
    """(speaker, start_s, end_s) of the SPEAKER lines of one recording."""
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    picked = [row for row in rows if len(row) >= 8 and row[0] == "SPEAKER" and row[1] == uri]
    return [(row[7], float(row[3]), float(row[3]) + float(row[4])) for row in picked]


def solo_stretches(
    turns: Sequence[tuple[str, float, float]], min_s: float = MIN_SOLO_S
) -> list[tuple[str, float, float]]:
    """Where exactly one speaker is active, for at least ``min_s`` seconds."""
    edges = sorted({t for _, start, end in turns for t in (start, end)})
    found: list[tuple[str, float, float]] = []
    for left, right in itertools.pairwise(edges):
        active = {name for name, start, end in turns if start <= left and right <= end}
        if len(active) != 1:
            continue
        name = active.pop()
        if found and found[-1][0] == name and abs(found[-1][2] - left) < 1e-9:
            found[-1] = (name, found[-1][1], right)
        else:
            found.append((name, left, right))
    return [stretch for stretch in found if stretch[2] - stretch[1] >= min_s]


def frame_dbfs(channel: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    """Level of each 20 ms frame in dBFS."""
    frames = channel[: len(channel) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    levels: npt.NDArray[np.float64] = 10.0 * np.log10(np.mean(frames * frames, axis=1) / 32768.0**2 + 1e-12)
    return levels


def _level_gain(channel: npt.NDArray[np.int16]) -> float:
    """Gain that brings a recording's loud speech to the common level."""
    return float(10.0 ** ((TARGET_PEAK_DBFS - np.percentile(frame_dbfs(channel), 95)) / 20.0))


def energy_spans(channel: npt.NDArray[np.int16], above_floor_db: float = 10.0, bridge_ms: int = 300) -> list[Span]:
    """Speech by energy: frames well over the noise floor (and -50 dBFS), pauses under ``bridge_ms`` bridged."""
    levels = frame_dbfs(channel)
    active = levels > max(float(np.percentile(levels, 10)) + above_floor_db, SPEECH_FLOOR_DBFS)
    spans: list[Span] = []
    for index in np.flatnonzero(active):
        start = int(index) * 20
        if spans and start - spans[-1][1] < bridge_ms:
            spans[-1] = (spans[-1][0], start + 20)
        else:
            spans.append((start, start + 20))
    return spans


def trimmed(samples: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    """A stretch without its silent edges: frames more than 30 dB under its loud speech (95th percentile)."""
    levels = frame_dbfs(samples)
    loud = np.flatnonzero(levels >= np.percentile(levels, 95) - EDGE_DB)
    return samples[int(loud[0]) * FRAME : (int(loud[-1]) + 1) * FRAME]


def _snippet(speaker: str, samples: npt.NDArray[np.int16], gain: float) -> Snippet:
    return Snippet(speaker, (trimmed(samples) * gain).astype(np.float32))


def _rttm_snippets(corpus: Path, audio: str, rttm: str, uri: str) -> list[Snippet]:
    samples = decode(corpus / audio)[:, 0]
    gain = _level_gain(samples)
    stretches = solo_stretches(read_rttm(corpus / rttm, uri))
    cut = [(name, samples[round(start * RATE) : round(end * RATE)]) for name, start, end in stretches]
    return [_snippet(f"{uri}:{name}", part, gain) for name, part in cut]


def _stereo_snippets(corpus: Path) -> list[Snippet]:
    samples = decode(corpus / STEREO, channels=2)
    snippets = []
    for channel, side in enumerate(("left", "right")):
        spans = energy_spans(samples[:, channel])
        part = samples[spans[0][0] * RATE // 1000 : spans[-1][1] * RATE // 1000, channel]
        snippets.append(_snippet(f"stereo:{side}", part, _level_gain(samples[:, channel])))
    return snippets


@functools.cache
def load_snippets(corpus: Path) -> tuple[Snippet, ...]:
    """Every single-speaker snippet of the corpus recordings, with its speaker."""
    found = [s for audio, rttm, uri in SOURCES for s in _rttm_snippets(corpus, audio, rttm, uri)]
    return (*found, *_stereo_snippets(corpus))


def voices(snippets: Sequence[Snippet]) -> dict[str, list[Snippet]]:
    """Snippets grouped by speaker."""
    grouped: dict[str, list[Snippet]] = {}
    for snippet in snippets:
        grouped.setdefault(snippet.speaker, []).append(snippet)
    return grouped


# ---------------------------------------------------------------------------------------------------------------
# Laying out a call.


def _uniform(rng: np.random.Generator, low: float, high: float) -> int:
    return round(float(rng.uniform(low, high)))


def _next_turn(rng: np.random.Generator, pool: list[Snippet], turns: list[_Turn]) -> tuple[_Turn, bool]:
    """The next party's turn after the last one, and whether it interrupts."""
    channel, previous = 1 - turns[-1].channel, turns[-1]
    own_end = max((t.end_ms for t in turns if t.channel == channel), default=0)
    earliest = max(own_end + OWN_GAP_MS, previous.start_ms + SETTLE_MS)  # the other must already be speaking
    kind = str(rng.choice(KINDS, p=KIND_ODDS))
    if kind == "interruption":
        longest = min(3000, previous.end_ms - earliest, max(s.duration_ms for s in pool) - GRACE_MS)
        if longest >= 800:
            overlap = _uniform(rng, 800, longest)
            fits = [s for s in pool if s.duration_ms >= overlap + GRACE_MS]  # it goes on past the other's end
            snippet = fits[int(rng.integers(len(fits)))]
            return _Turn(channel, previous.end_ms - overlap, snippet), True
    snippet = pool[int(rng.integers(len(pool)))]
    start = previous.end_ms - _uniform(rng, 50, 350)
    if kind == "gap" or start < earliest:
        start = max(previous.end_ms + _uniform(rng, 200, 2000), own_end + OWN_GAP_MS)
    return _Turn(channel, start, snippet), False


def _backchannel(rng: np.random.Generator, pool: list[Snippet], length_ms: int) -> Snippet:
    """A short cut of a listener's speech, taken where it is loud (so it is speech, not a pause)."""
    source = pool[int(rng.integers(len(pool)))]
    size = length_ms * RATE // 1000
    energy = np.concatenate([[0.0], np.cumsum(source.samples.astype(np.float64) ** 2)])
    power = (energy[size:] - energy[:-size])[::FRAME]
    loud = np.flatnonzero(power >= np.percentile(power, 75))
    first = int(loud[int(rng.integers(len(loud)))]) * FRAME
    return Snippet(source.speaker, source.samples[first : first + size])


def _backchannels(rng: np.random.Generator, pools: Sequence[list[Snippet]], turns: list[_Turn]) -> list[_Turn]:
    """Listener snippets of 0.2-0.45 s well inside some turns, clear of the listener's own speech."""
    placed = []
    for index, turn in enumerate(turns):
        if rng.random() >= BACKCHANNEL_ODDS:
            continue
        length = _uniform(rng, 200, 450)
        listener = [t for t in turns[max(0, index - 1) : index + 2] if t.channel != turn.channel]
        low = max([turn.start_ms + SETTLE_MS, *(t.end_ms + OWN_GAP_MS for t in listener if t.start_ms < turn.start_ms)])
        high = min(
            [turn.end_ms - SETTLE_MS, *(t.start_ms - OWN_GAP_MS for t in listener if t.start_ms > turn.start_ms)]
        )
        if high - length > low:
            snippet = _backchannel(rng, pools[1 - turn.channel], length)
            placed.append(_Turn(1 - turn.channel, _uniform(rng, low, high - length), snippet))
    return placed


def _pick_voices(rng: np.random.Generator, grouped: dict[str, list[Snippet]]) -> tuple[str, str]:
    """Two different speakers, each with enough material to hold an interruption."""
    names = sorted(name for name, pool in grouped.items() if max(s.duration_ms for s in pool) >= 2000)
    first, second = rng.choice(len(names), size=2, replace=len(names) < 2)
    return names[int(first)], names[int(second)]


def _layout(rng: np.random.Generator, pools: Sequence[list[Snippet]], turns: int) -> tuple[list[_Turn], list[int]]:
    """The turns of a call and the start times of the interruptions among them."""
    placed = [_Turn(0, LEAD_MS, pools[0][int(rng.integers(len(pools[0])))])]
    interruptions = []
    for _ in range(turns - 1):
        turn, interrupts = _next_turn(rng, pools[1 - placed[-1].channel], placed)
        placed.append(turn)
        if interrupts:
            interruptions.append(len(placed) - 1)
    return placed, interruptions


def _render(rng: np.random.Generator, pieces: Sequence[_Turn], length_ms: int, crosstalk: bool) -> Floats:
    """The two channels, each at its own level, with line noise and optional crosstalk."""
    mix = np.zeros((length_ms * RATE // 1000, 2), dtype=np.float32)
    gains = 10.0 ** (rng.uniform(-4.0, 4.0, size=2) / 20.0)
    ramp = np.linspace(0.0, 1.0, FADE, dtype=np.float32)
    for piece in pieces:
        samples = piece.snippet.samples.copy()
        samples[:FADE] *= ramp
        samples[-FADE:] *= ramp[::-1]
        first = piece.start_ms * RATE // 1000
        mix[first : first + len(samples), piece.channel] += samples * np.float32(gains[piece.channel])
    if crosstalk:
        mix += mix[:, ::-1] * np.float32(10.0 ** (CROSSTALK_DB / 20.0))
    noise = rng.normal(0.0, 32768.0 * 10.0 ** (NOISE_DBFS / 20.0), size=mix.shape)
    return (mix + noise).astype(np.float32)


def _merged(spans: Sequence[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def build_call(seed: int, turns: int = 30, corpus: Path | None = None) -> MixedCall:
    """A seeded two-party stereo call of ``turns`` alternating turns, with its truth."""
    rng = np.random.default_rng(seed)
    grouped = voices(load_snippets(corpus or default_corpus()))
    names = _pick_voices(rng, grouped)
    pools = [grouped[names[0]], grouped[names[1]]]
    placed, interrupting = _layout(rng, pools, turns)
    short = _backchannels(rng, pools, placed)
    duration_ms = max(t.end_ms for t in placed) + LEAD_MS
    crosstalk = bool(rng.random() < CROSSTALK_SHARE)
    pieces = [*placed, *short]
    mix = _render(rng, pieces, duration_ms, crosstalk)
    speech = tuple(_merged([(p.start_ms, p.end_ms) for p in pieces if p.channel == c]) for c in range(2))
    events = tuple((placed[i].channel, placed[i].start_ms) for i in interrupting)
    samples = np.clip(np.round(mix), -32768, 32767).astype(np.int16)
    spans = tuple((p.channel, p.start_ms, p.end_ms) for p in short)
    return MixedCall(samples, RATE, speech, events, len(short), duration_ms, names, crosstalk, spans)


# ---------------------------------------------------------------------------------------------------------------
# The real stereo file, and the definition both truths obey.


def interruptions_in(speech: Sequence[Sequence[Span]], grace_ms: int = GRACE_MS) -> tuple[tuple[int, int], ...]:
    """(channel, start) of every span that starts inside the other channel's speech and overlaps it > grace."""
    events = []
    for channel, spans in enumerate(speech):
        for start, end in spans:
            for other_start, other_end in speech[1 - channel]:
                if other_start < start < other_end and min(end, other_end) - start > grace_ms:
                    events.append((channel, start))
    return tuple(sorted(events, key=lambda event: event[1]))


def corpus_stereo(corpus: Path | None = None) -> MixedCall:
    """``stereo_diarization.wav`` at 8 kHz, its truth from an energy threshold on each channel."""
    samples = decode((corpus or default_corpus()) / STEREO, channels=2)
    speech = tuple(tuple(energy_spans(samples[:, channel])) for channel in range(2))
    duration_ms = len(samples) * 1000 // RATE
    return MixedCall(samples, RATE, speech, interruptions_in(speech), 0, duration_ms, ("stereo:left", "stereo:right"))


def default_corpus() -> Path:
    """$REVIEWER_CORPUS, or ../shared/corpus next to the project."""
    root = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("REVIEWER_CORPUS", root.parent / "shared" / "corpus"))
