"""The Trends tab's background work: the service calls it runs on workers, and how the page runs them.

One job of each kind at a time, and the latest request wins: the facts are brought up to date when the tab is shown,
a query follows each pause in the filter changes, and a clicked point's calls are listed (trends_point.py).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer.domain.problems import StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.trends import Grain, Measure, Period, PointCall, TrendQuery, Trends
from reviewer.services.checking import CheckReport
from reviewer.services.context import Services
from reviewer.services.trends import TrendFacets, point_calls, refresh_facts, trend_facets, trends
from reviewer.text.trends import is_share
from reviewer.ui import workers
from reviewer.ui.trend_charts import draw_message
from reviewer.ui.trends_models import extra_count
from reviewer.ui.trends_view import TrendsView

DEBOUNCE_MS = 150  # one query per pause in the filter changes, not one per click on a date's arrows
Writing = Generator[Progress, None, Path]


def reading(services: Services) -> Generator[Progress, None, TrendFacets]:
    """Bring stale facts up to date, then what the filters can offer."""
    yield from refresh_facts(services, CheckReport())
    return trend_facets(services)


def querying(services: Services, query: TrendQuery) -> Generator[Progress, None, Trends]:
    """The trends of a query, as a one-step job."""
    yield Progress(0, 1, "reading the trends")
    return trends(services, query)


def listing(
    services: Services, query: TrendQuery, period: Period, agent: str | None, key: str
) -> Generator[Progress, None, list[PointCall]]:
    """The calls behind one point, with the count of a measure (a share has none: its calls show it)."""
    yield Progress(0, 1, period.label)
    return point_calls(services, query, period, agent, None if is_share(key) else key)


def writing(write: Callable[..., Path], services: Services, agent: str, period: Period, path: Path) -> Writing:
    """Write a report with `write` (ui.report_render's), as a one-step job; returns where it went."""
    yield Progress(0, 1, f"writing {path.name}")
    return write(services, agent, period, path)


def day_of(day: QDate) -> date:
    """A date edit's day as a date."""
    return date(day.year(), day.month(), day.day())


class TrendsJobs(TrendsView):
    """The Trends tab's reading: the facts and the trends the filters ask for, fetched on workers."""

    message = Signal(str)  # a sentence for the status bar

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.facets = TrendFacets()
        self.trends: Trends | None = None
        self._jobs: dict[str, workers.Job] = {}
        self._again: dict[str, Callable[[], None]] = {}  # asked again while its job ran: the latest wins
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # the tab was chosen (or the window came back from a call), not un-minimised
            self.refresh()

    def refresh(self) -> None:
        """The library changed (or the tab was shown): bring stale facts up to date, then query again."""
        self._run("facts", lambda: reading(self.services), self._on_facts_read, self.refresh)

    def stop(self) -> None:
        """Cancel the running jobs and wait for them (the window is closing)."""
        self._debounce.stop()
        jobs, self._jobs, self._again = list(self._jobs.values()), {}, {}
        for job in jobs:
            job.cancel()
            job.done.wait(10)

    def _run(self, name: str, work: workers.Work, done: Callable[[Any], None], again: Callable[[], None]) -> None:
        """One job of each name at a time; asked again meanwhile, its result is stale and `again` runs instead."""
        if name in self._jobs:
            self._again[name] = again
            return
        job = self._jobs[name] = workers.start(work, self)
        if name == "facts":
            job.progressed.connect(self._on_facts_progressed)
        job.finished.connect(lambda result: self._on_job_ended(name, job, lambda: done(result)))
        job.failed.connect(lambda error: self._on_job_ended(name, job, lambda: self._on_job_failed(name, error)))

    def _on_job_ended(self, name: str, job: workers.Job, then: Callable[[], None]) -> None:
        if self._jobs.get(name) is not job:
            return  # stopped: the window is closing
        del self._jobs[name]
        again = self._again.pop(name, None)
        (again or then)()

    def _on_job_failed(self, name: str, error: BaseException) -> None:
        if name == "report" and isinstance(error, Exception):
            self.report_button.setEnabled(bool(self.agent.currentData()))
            QMessageBox.warning(self, "Coaching report", f"The report was not written: {error}")
        elif isinstance(error, StorageError):
            self.message.emit(f"Trends not read: the database failed: {error.detail}")
        elif not isinstance(error, workers.CancelledError):
            raise error  # a bug: let the application's excepthook report it

    def _on_facts_progressed(self, progress: Progress) -> None:
        if self.trends is None and progress.total:
            draw_message(self.figure, f"Checking calls for the trends: {progress.done} of {progress.total}…")
            self.canvas.draw_idle()

    def _on_facts_read(self, facets: TrendFacets) -> None:
        """Offer what the facts hold in the filters, then query (the page does it)."""
        raise NotImplementedError

    def query(self) -> TrendQuery:
        """What the filters ask for: every agent in scope (the agents table lists them), and the chosen counts."""
        kind, rule = extra_count(self.measure_key())
        first, last = day_of(self.from_date.date()), day_of(self.to_date.date())
        reviewed = not self.include_open.isChecked()
        grain = Grain(self.grain.currentData())
        return TrendQuery(grain, self.team.currentData(), None, first, last, kind, rule, reviewed)

    def measure_key(self) -> str:
        """The chosen measure: a Measure value, a share, a tag kind or rule:ID."""
        return self.measure.currentData() or Measure.AGENT_INTERRUPTION.value

    def _schedule(self) -> None:
        if self.trends is not None and self.trends.query == self.query():
            self._debounce.stop()
            self._redraw()  # the rows already fetched answer it
        else:
            self._debounce.start()  # restarts: the query runs once the changes pause

    def _query(self) -> None:
        self._debounce.stop()
        query = self.query()
        self._run("query", lambda: querying(self.services, query), self._on_query_finished, self._query)

    def _on_query_finished(self, found: Trends) -> None:
        if found.query != self.query():
            self._query()  # the filters moved on while it ran
            return
        self.trends = found
        self._redraw()

    def _redraw(self) -> None:
        """Show the trends fetched (the page does it)."""
        raise NotImplementedError
