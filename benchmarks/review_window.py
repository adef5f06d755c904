"""Review window: time to open a one-hour call until its first complete paint, and the longest GUI stall while a
one-hour MP3 imports through the window. Prints figures and ratios against baselines run in this process.

    .venv/bin/python benchmarks/review_window.py [--minutes 60]

Open: a one-hour stereo call with 2,000 utterances and 5,000 tags, opened once to fill the peaks and playback
caches, then timed from `open_call()` to `call_ready` (the timeline painted). Baseline: the bare data reads the
open needs (the call with its transcript and tags from SQLite, the peaks from the cache). Target ≤ 300 ms.

Stall: a 10 ms heartbeat QTimer on the GUI thread while the window imports a one-hour MP3 on its worker. The
longest gap between beats, minus the 10 ms period, is the longest stall. Baseline: the same heartbeat with the
window idle for as long. Target ≤ 100 ms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.import_speed import generate, machine
from benchmarks.timeline_paint import synthetic_tags, synthetic_transcript
from reviewer.app.main import open_services
from reviewer.domain.call import AudioInfo, Call
from reviewer.domain.parties import ChannelLayout
from reviewer.domain.tags import Tag
from reviewer.formats.vtt import write as write_vtt
from reviewer.persistence.database import sqlite_url
from reviewer.persistence.tags import TagRepository
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call
from reviewer.services.opening import open_call
from reviewer.ui.application import application
from reviewer.ui.main_window import MainWindow

HEARTBEAT_MS = 10
TARGET_OPEN_MS, TARGET_STALL_MS = 300.0, 100.0


def _transcript(folder: Path, duration_ms: int) -> Path:
    audio = AudioInfo("x.wav", "0" * 64, duration_ms, 8000, 2, ChannelLayout.AGENT_LEFT)
    call = replace(Call("bench", audio), utterances=tuple(synthetic_transcript(2000, duration_ms)))
    path = folder / "call.vtt"
    path.write_text(write_vtt(call), encoding="utf-8")
    return path


def _library(folder: Path, wav: Path, minutes: float) -> tuple[object, int]:
    services = open_services(sqlite_url(folder / "library.sqlite3"))
    duration_ms = int(minutes * 60_000)
    report = ImportReport()
    list(import_calls(services, [ImportRequest(audio=wav, transcript=_transcript(folder, duration_ms))], report))
    assert report.ok and report.imported, report
    call_id = report.imported[0]
    with services.database.session() as session:
        repo = TagRepository(session)
        for tag in synthetic_tags(5000, duration_ms):
            repo.add(call_id, Tag(tag.kind, tag.actor, tag.start_ms, tag.end_ms))
    list(open_call(services, str(call_id)))  # the first open decodes once and fills the caches
    return services, call_id


def time_open(app: QApplication, services: object, call_id: int, repeat: int = 5) -> list[float]:
    """Milliseconds from open_call() to call_ready, cached peaks and playback files."""
    window = MainWindow(services)  # type: ignore[arg-type]
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    times = []
    for _ in range(repeat):
        done: list[float] = []
        window.review.call_ready.connect(partial(_stamp, done))
        start = time.perf_counter()
        window.open_call(call_id)
        while not done:
            app.processEvents()
        times.append((done[0] - start) * 1000)
        window.review.call_ready.disconnect()
        window.show_library()
    window.close()
    return times


def _stamp(into: list[float]) -> None:
    into.append(time.perf_counter())


def time_reads(services: object, call_id: int, repeat: int = 5) -> list[float]:
    """Baseline: the data an open needs, read directly (no widgets, no thread hop)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call = get_call(services, str(call_id))  # type: ignore[arg-type]
        services.peaks.load(call.audio.sha256)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return times


def heartbeat(app: QApplication, busy: bool, window: MainWindow, mp3: Path, idle_s: float) -> tuple[float, float]:
    """(longest gap beyond the period in ms, seconds observed) while importing (busy) or idle."""
    clock = QElapsedTimer()
    gaps: list[float] = []
    timer = QTimer(interval=HEARTBEAT_MS)

    def beat() -> None:
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    timer.timeout.connect(beat)
    clock.start()
    timer.start()
    start = time.perf_counter()
    if busy:
        run = window.import_paths([mp3])
        finished: list[object] = []
        run.done.connect(finished.append)
        while not finished:
            app.processEvents()
        box = getattr(window, "last_report_box", None)
        if box is not None:
            box.close()
    else:
        while time.perf_counter() - start < idle_s:
            app.processEvents()
    timer.stop()
    return max(gaps[1:], default=0.0) - HEARTBEAT_MS, time.perf_counter() - start


def main() -> None:
    minutes = float(sys.argv[sys.argv.index("--minutes") + 1]) if "--minutes" in sys.argv else 60.0
    app = application()
    with tempfile.TemporaryDirectory(prefix="review-bench-") as tmp:
        folder = Path(tmp)
        inputs = generate(folder, minutes)
        services, call_id = _library(folder, inputs.wav, minutes)
        opens, reads = time_open(app, services, call_id), time_reads(services, call_id)
        best_open, best_read = min(opens), min(reads)
        print(f"machine: {machine()}")
        print(f"input: {minutes:g} min stereo 8 kHz call, 2000 utterances, 5000 tags; window 1600x900 offscreen")
        print(
            f"open until first paint: best {best_open:.0f} ms, median {sorted(opens)[len(opens) // 2]:.0f} ms "
            f"(target <= {TARGET_OPEN_MS:.0f} ms: {'met' if best_open <= TARGET_OPEN_MS else 'MISSED'})"
        )
        print(f"  baseline, the bare reads: {best_read:.0f} ms; ratio {best_open / best_read:.2f}x")
        window = MainWindow(services)  # type: ignore[arg-type]
        window.show()
        mp3 = folder / "import" / "hour.mp3"
        mp3.parent.mkdir()
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(inputs.mp3), "-af", "volume=0.9", str(mp3)], check=True
        )  # a different recording (hash) from the one already imported
        stall, seconds = heartbeat(app, True, window, mp3, 0)
        idle, _ = heartbeat(app, False, window, mp3, seconds)
        print(
            f"GUI stall while a {mp3.stat().st_size / 1e6:.1f} MB MP3 imports ({seconds:.1f} s): longest "
            f"{stall:.0f} ms (target <= {TARGET_STALL_MS:.0f} ms: {'met' if stall <= TARGET_STALL_MS else 'MISSED'})"
        )
        print(f"  baseline, idle window for as long: longest {idle:.0f} ms")
        window.close()
        services.database.dispose()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
