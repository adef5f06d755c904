"""GUI test guards: nothing may outlive its test (threads, thread-pool jobs, timers, windows)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def _nothing_left_running(qapp: QApplication) -> Iterator[None]:
    threads_before = {t.ident for t in threading.enumerate()}
    yield
    assert QThreadPool.globalInstance().waitForDone(5000), "a worker was still running after the test"
    leftover = [t.name for t in threading.enumerate() if t.ident not in threads_before and t.is_alive()]
    assert not leftover, f"threads left running: {leftover}"
    running = [
        f"{type(widget).__name__}/{timer.objectName() or type(timer.parent()).__name__}"
        for widget in QApplication.topLevelWidgets()
        for timer in widget.findChildren(QTimer)
        # Ours: timers of our own classes (playhead, debounces). Qt's internal ones (a status message) end themselves.
        if timer.isActive() and type(timer.parent()).__module__.startswith("reviewer.")
    ]
    assert not running, f"timers left running: {running}"
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in visible:
        widget.close()
