"""Create the QApplication, show the main window, say what the machine lacks, and take screenshots on request."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication, QMessageBox

from reviewer.domain.problems import CallNotFoundError
from reviewer.services.context import Services
from reviewer.services.health import missing_tools
from reviewer.services.library import call_id
from reviewer.ui.main_window import DemoOpener, MainWindow

SETTLE_MS = 150  # after the call is drawn: let pending layout and paint events land before grabbing


@dataclass(frozen=True, slots=True)
class GuiOptions:
    """What `reviewer gui` was asked for."""

    call: str | None = None
    screenshot: Path | None = None
    size: tuple[int, int] = (1280, 800)
    tab: str | None = None  # "trends" opens the Trends tab (for screenshots); None or "calls": the call library


def application() -> QApplication:
    """The one QApplication, with the names QSettings files are stored under."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Call Reviewer")
    app.setOrganizationName("call-reviewer")
    return app


def missing_decoder_notice() -> str | None:
    """Why compressed recordings will fail, when ffmpeg is missing (worth a dialog: imports would fail later)."""
    missing = missing_tools()
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not found: compressed recordings (MP3, M4A, …) cannot be imported or played; "
        "WAV files still work. Install it with: sudo apt-get install ffmpeg"
    )


def missing_audio_notice() -> str | None:
    """No sound card (a server, a remote session): playback still runs, silently; the status bar says so."""
    if QMediaDevices.audioOutputs():
        return None
    return "No audio output device: playback runs silently (the playhead still moves)."


def run_gui(services: Services, options: GuiOptions | None = None, demo_opener: DemoOpener | None = None) -> int:
    """Run the event loop until the window closes (or the screenshot is saved); returns the exit status."""
    options = options or GuiOptions()
    app = application()
    window = MainWindow(services, demo_opener)
    window.resize(*options.size)
    window.show()
    if options.tab == "trends" and options.call is None:
        window.show_trends()
    if options.call is not None:
        try:
            window.open_call(call_id(services, options.call))
        except CallNotFoundError:
            print(f"reviewer gui: no call {options.call!r} in the library", file=sys.stderr)
            return 1
    if options.screenshot is not None:
        _screenshot_when_ready(window, options)
    else:
        _tell_what_is_missing(window)
    status = int(app.exec())
    return status if status else getattr(window, "screenshot_status", 0)


def _tell_what_is_missing(window: MainWindow) -> None:
    audio, decoder = missing_audio_notice(), missing_decoder_notice()
    if audio:
        window.statusBar().showMessage(audio, 15000)
    if decoder:
        QTimer.singleShot(0, lambda: QMessageBox.warning(window, "Call Reviewer", decoder))


def _screenshot_when_ready(window: MainWindow, options: GuiOptions) -> None:
    target = options.screenshot
    assert target is not None

    def grab() -> None:
        saved = window.grab().save(str(target), "PNG")
        print(f"screenshot saved: {target}" if saved else f"reviewer gui: could not write {target}", file=sys.stderr)
        window.screenshot_status = 0 if saved else 1  # type: ignore[attr-defined]
        window.close()

    if options.call is None and options.tab == "trends":
        # The trends are read on workers (facts, then the query): grab once the chart is drawn.
        window.trends.drawn.connect(lambda: QTimer.singleShot(SETTLE_MS, grab), Qt.ConnectionType.SingleShotConnection)
    elif options.call is None:
        QTimer.singleShot(SETTLE_MS, grab)
    else:
        # The call is drawn first and its verdict follows from a worker: wait for both, and grab once.
        pending = {"call", "verdict"}

        def arrived(what: str) -> None:
            if what in pending:
                pending.discard(what)
                if not pending:
                    QTimer.singleShot(SETTLE_MS, grab)

        window.review.call_ready.connect(lambda: arrived("call"))
        window.review.verdict_shown.connect(lambda: arrived("verdict"))
