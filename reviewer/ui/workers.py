"""The one place that knows about threads: run a service generator on the thread pool, report on the GUI thread.

A service's long use case is a generator yielding Progress and returning its result. A Job runs it on a
QThreadPool thread and emits `progressed`, then `finished(result)` or `failed(exception)`; the signals are queued to
the receivers' (GUI) thread. Jobs never touch widgets; each opens its own database sessions inside the service.
Cancelling sets a flag checked between two yields.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from reviewer.domain.progress import Progress

Work = Callable[[], Generator[Progress, None, Any]]


class CancelledError(Exception):
    """The user cancelled the job between two steps."""


class Job(QObject):
    """One background run of a generator, with its signals (always delivered on the thread that made the job)."""

    progressed = Signal(object)  # Progress
    finished = Signal(object)  # the generator's return value
    failed = Signal(object)  # the exception (CancelledError when cancelled)

    # Emitted on the pool thread. They reach the job's own slots queued (the job lives on the GUI thread), which
    # re-emit the public signals there: so even a lambda connected to `finished` runs on the GUI thread.
    _progressed_raw = Signal(object)
    _finished_raw = Signal(object)
    _failed_raw = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.done = threading.Event()
        queued = Qt.ConnectionType.QueuedConnection
        self._progressed_raw.connect(self._on_raw_progressed, queued)
        self._finished_raw.connect(self._on_raw_finished, queued)
        self._failed_raw.connect(self._on_raw_failed, queued)

    def _on_raw_progressed(self, progress: Progress) -> None:
        self.progressed.emit(progress)

    def _on_raw_finished(self, result: object) -> None:
        self.finished.emit(result)

    def _on_raw_failed(self, error: BaseException) -> None:
        self.failed.emit(error)

    def cancel(self) -> None:
        """Stop at the next step; `failed(CancelledError())` follows."""
        self._cancel.set()

    def run(self) -> None:
        """Run to the end on the calling thread (the pool's)."""
        try:
            steps = self._work()
            while True:
                if self._cancel.is_set():
                    steps.close()
                    raise CancelledError
                try:
                    self._progressed_raw.emit(next(steps))
                except StopIteration as stop:
                    self._finished_raw.emit(stop.value)
                    return
        except BaseException as error:
            self._failed_raw.emit(error)
        finally:
            self.done.set()


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job

    def run(self) -> None:
        self._job.run()


_running: set[Job] = set()  # a started job lives until it ends, even if its starter forgets it


def start(work: Work, parent: QObject | None = None, pool: QThreadPool | None = None) -> Job:
    """Run `work` on the (global) thread pool; connect to the returned job's signals before control returns."""
    job = Job(work, parent)
    _running.add(job)
    job.finished.connect(lambda _result: _running.discard(job))
    job.failed.connect(lambda _error: _running.discard(job))
    (pool or QThreadPool.globalInstance()).start(_Runnable(job))
    return job
