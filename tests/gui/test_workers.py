"""Background jobs: results, progress and failures arrive on the GUI thread; cancelling stops between steps."""

from __future__ import annotations

import threading
from collections.abc import Generator

from pytestqt.qtbot import QtBot

from reviewer.domain.progress import Progress
from reviewer.ui import workers


def _counting(n: int, seen_threads: list[int]) -> Generator[Progress, None, int]:
    for i in range(n):
        seen_threads.append(threading.get_ident())
        yield Progress(i, n, f"step {i}")
    return n * 10


def test_a_job_reports_progress_and_its_result_on_the_gui_thread(qtbot: QtBot) -> None:
    worker_threads: list[int] = []
    delivered: list[tuple[str, object, int]] = []
    job = workers.start(lambda: _counting(3, worker_threads))
    job.progressed.connect(lambda p: delivered.append(("progress", p.done, threading.get_ident())))
    with qtbot.waitSignal(job.finished, timeout=5000) as result:
        pass
    assert result.args == [30]
    gui = threading.get_ident()
    assert worker_threads and all(t != gui for t in worker_threads)
    assert [d[1] for d in delivered] == [0, 1, 2] and all(d[2] == gui for d in delivered)


def _failing() -> Generator[Progress, None, None]:
    yield Progress(0, 1)
    raise ValueError("broken input")


def test_a_failure_reaches_the_gui(qtbot: QtBot) -> None:
    job = workers.start(_failing)
    with qtbot.waitSignal(job.failed, timeout=5000) as failure:
        pass
    assert isinstance(failure.args[0], ValueError) and "broken input" in str(failure.args[0])


def test_cancel_stops_between_steps(qtbot: QtBot) -> None:
    gate = threading.Event()
    steps_run: list[int] = []

    def slow() -> Generator[Progress, None, str]:
        for i in range(1000):
            steps_run.append(i)
            gate.wait(5)
            yield Progress(i, 1000)
        return "never"

    job = workers.start(slow)
    job.cancel()
    gate.set()
    with qtbot.waitSignal(job.failed, timeout=5000) as failure:
        pass
    assert isinstance(failure.args[0], workers.CancelledError)
    assert len(steps_run) < 1000
