"""Frame times of the review timeline on a one-hour stereo call with 2,000 utterances and 5,000 tags.

Builds an 8 kHz stereo peaks pyramid chunk by chunk (noise shaped into speech-like turns, never the whole hour of
samples at once), shows a TimelineWidget offscreen at 1600x500 and times full repaints (``repaint()``, which paints
the whole widget synchronously through the backing store):

* fit: the whole call in view; it cannot pan, so each frame moves the playhead and the time selection;
* 10 s: a ten-second window panned across the whole call in 200 steps (every frame needs new waveform tiles);
* 5 min: for information, a five-minute window panned the same way (about as many items as are drawn one by one);
* fit after an edit: for information, the whole call with the tags replaced before each frame (set_tags, untimed),
  so the cached rasters of tags and the overview are rebuilt in the timed paint.

Baseline: filling a QImage of the same size with one fillRect, in this process. Target: p95 <= 16 ms per frame.
Prints; never fails.

    .venv/bin/python benchmarks/timeline_paint.py [--frames 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from reviewer.audio.peaks import COARSE, FINE, PeaksPyramid, build_peaks
from reviewer.domain.parties import Actor, Party
from reviewer.domain.tags import DEFAULT_KINDS, Tag
from reviewer.domain.transcript import Utterance, Word
from reviewer.ui.timeline import TimelineWidget

RATE = 8000
HOUR_MS = 3_600_000
TARGET_MS = 16.0
CHUNK = COARSE * 32  # frames per chunk: a multiple of both levels, so chunk pyramids join exactly


def synthetic_peaks(seconds: int, seed: int = 7) -> PeaksPyramid:
    """A stereo pyramid of noise in alternating turns (each party speaks in bursts), built one chunk at a time."""
    rng = np.random.default_rng(seed)
    total = seconds * RATE
    parts: dict[int, list[np.ndarray]] = {FINE: [], COARSE: []}
    for start in range(0, total, CHUNK):
        t = np.arange(start, min(total, start + CHUNK)) / RATE
        turn = (t // 4).astype(np.int64) % 2  # four-second turns
        syllables = 0.35 + 0.65 * np.abs(np.sin(t * 9.0))
        columns = [(turn == c) * syllables * rng.normal(0, 5000, t.size) for c in (0, 1)]
        samples = np.clip(np.stack(columns, axis=1), -32767, 32767).astype(np.int16)
        peaks = build_peaks(samples, RATE)
        for level, chunks in parts.items():
            chunks.append(peaks.levels[level])
    return PeaksPyramid(RATE, total, {level: np.concatenate(chunks, axis=1) for level, chunks in parts.items()})


def synthetic_transcript(count: int, duration_ms: int) -> list[Utterance]:
    """Utterances in alternating turns, five timed words each."""
    step = duration_ms // count
    out = []
    for i in range(count):
        start, party = i * step, Party.AGENT if i % 2 == 0 else Party.CUSTOMER
        words = tuple(Word(f"w{j}", start + j * step // 6, start + (j + 1) * step // 6 - 40) for j in range(5))
        out.append(Utterance(party, party.value, start, start + step * 5 // 6, f"utterance {i} " + "words " * 8, words))
    return out


def synthetic_tags(count: int, duration_ms: int, seed: int = 11) -> list[Tag]:
    """Tags of every default kind on their default lane, 0.5-10 s long (points stay points), randomly placed."""
    rng = np.random.default_rng(seed)
    tags = []
    for i in range(count):
        kind = DEFAULT_KINDS[i % len(DEFAULT_KINDS)]
        start = int(rng.integers(0, duration_ms - 10_000))
        length = 0 if kind.point else int(rng.integers(500, 10_000))
        tags.append(Tag(kind.name, kind.default_actor, start, start + length, id=i + 1))
    return tags


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in ms."""
    values = np.array(samples) * 1000
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def time_frames(app: QApplication, frames: int, step: Callable[[int], None], paint: Callable[[], None]) -> list[float]:
    """Seconds per frame: change the view (not timed), then paint (timed; it also takes any pending update)."""
    out = []
    for i in range(frames):
        app.processEvents()  # before the change: afterwards it would paint the frame outside the timing
        step(i)
        started = time.perf_counter()
        paint()
        out.append(time.perf_counter() - started)
    return out


def baseline(frames: int, width: int, height: int) -> list[float]:
    """One fillRect into a QImage of the widget's size."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    out = []
    for i in range(frames):
        started = time.perf_counter()
        painter = QPainter(image)
        painter.fillRect(image.rect(), Qt.GlobalColor.white if i % 2 else Qt.GlobalColor.lightGray)
        painter.end()
        out.append(time.perf_counter() - started)
    return out


def report(name: str, samples: list[float], base_p50: float) -> None:
    """One line: p50, p95, max, against the target and the baseline."""
    p50, p95 = percentiles(samples)
    verdict = "PASS" if p95 <= TARGET_MS else "MISS"
    print(
        f"{name:<28} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  max {max(samples) * 1000:6.2f} ms  "
        f"(p50 {p50 / base_p50:5.1f}x baseline)  target p95 <= {TARGET_MS:.0f} ms: {verdict}"
    )


def main() -> None:
    """Build the call, show the widget, time the scenarios and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    started = time.perf_counter()
    peaks = synthetic_peaks(HOUR_MS // 1000)
    utterances = synthetic_transcript(2000, HOUR_MS)
    tags = synthetic_tags(5000, HOUR_MS)
    print(f"built a one-hour stereo pyramid, 2,000 utterances, 5,000 tags in {time.perf_counter() - started:.1f} s")
    widget = TimelineWidget()
    widget.resize(1600, 500)
    widget.set_call(HOUR_MS, peaks, 0, 1, utterances, tags)
    widget.show()
    app.processEvents()
    frames = args.frames

    def fit_step(i: int) -> None:
        widget.set_playhead(i * HOUR_MS // frames)
        widget.set_selection(Actor.AGENT, i * 10_000, i * 10_000 + 60_000)

    def pan_step(span_ms: int) -> Callable[[int], None]:
        def step(i: int) -> None:
            widget.scale.set_start(i * (HOUR_MS - span_ms) / frames)

        return step

    base = baseline(frames, widget.width(), widget.height())
    base_p50 = percentiles(base)[0]
    widget.zoom_fit()
    fit = time_frames(app, frames, fit_step, widget.repaint)
    widget.scale.zoom_to(0, 10_000)
    ten = time_frames(app, frames, pan_step(10_000), widget.repaint)
    widget.scale.zoom_to(0, 300_000)
    five = time_frames(app, frames, pan_step(300_000), widget.repaint)
    widget.zoom_fit()
    edited = time_frames(app, frames, lambda i: widget.set_tags(tags), widget.repaint)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"{python}, {os.cpu_count()} CPUs, widget 1600x500, {frames} frames per scenario")
    print(f"{'baseline (one fillRect)':<28} p50 {base_p50:6.3f} ms  p95 {percentiles(base)[1]:6.3f} ms")
    report("fit to window (playhead)", fit, base_p50)
    report("10 s window, panning", ten, base_p50)
    report("5 min window, panning (info)", five, base_p50)
    report("fit after an edit (info)", edited, base_p50)
    widget.close()


if __name__ == "__main__":
    main()
