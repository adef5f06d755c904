"""The Trends tab: a measure's rate per week or month, for an agent against the team (or a team against its own
past), with the control chart's flags; hover a point for its numbers, click it for the calls behind it.

Whatever reads the database runs on a worker, and the latest request wins: the facts are brought up to date when
the tab is shown, a query follows each pause in the filter changes, and a clicked point's calls are listed.
Changing the agent, the rate or a built-in measure only redraws from the rows already fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QShowEvent
from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QListWidgetItem, QMessageBox, QToolTip, QWidget

from reviewer.domain.problems import StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.trends import Grain, Measure, Period, PointCall, Rate, TrendQuery, Trends, TrendSeries
from reviewer.services.context import Services
from reviewer.services.trends import TrendFacets, trend_series
from reviewer.text.trends import flag_line, is_share, measure_label
from reviewer.ui import workers
from reviewer.ui.trend_charts import (
    Plotted,
    draw_message,
    draw_series,
    mark_period,
    nearest_point,
    point_text,
    save_figure,
)
from reviewer.ui.trends_models import (
    agent_figures,
    default_window,
    extra_count,
    hit,
    listing,
    measure_choices,
    querying,
    reading,
    writing,
)
from reviewer.ui.trends_view import TrendsView

DEBOUNCE_MS = 150  # one query per pause in the filter changes, not one per click on a date's arrows
HOVER_PX = 10  # how near the pointer must come to a point for its tooltip (and for a click to pick it)
EMPTY = (
    "No reviewed calls in this window. Mark calls Done in the review window, or tick 'Include calls not marked done'."
)
EMPTY_ANY = "No checked calls in this window."
NO_POINT = "Click a point of the chart to list the calls behind it."
_PERIOD = Qt.ItemDataRole.UserRole + 1
_FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)", ".pdf": "PDF document (*.pdf)"}
_REPORTS = {".pdf": "PDF document (*.pdf)", ".html": "Web page (*.html)"}


class TrendsPage(TrendsView):
    """Filters, the chart and its flags, the agents in scope and the calls behind a point."""

    open_requested = Signal(int)  # call id
    message = Signal(str)  # a sentence for the status bar
    drawn = Signal()  # the chart shows the trends of the current filters (screenshots and tests wait for it)
    calls_listed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.facets = TrendFacets()
        self.trends: Trends | None = None
        self.series: TrendSeries | None = None
        self.plotted: Plotted | None = None  # what the chart shows; None while it shows a message instead
        self.listed: tuple[tuple[object, ...], Period] | None = None  # whose point's calls the table lists
        self._auto_dates = True  # the window follows the library's last day until the user picks dates
        self._jobs: dict[str, workers.Job] = {}
        self._again: dict[str, Callable[[], None]] = {}  # asked again while its job ran: the latest wins
        self._marker: Any = None
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._set_dates(*default_window(date.today(), Grain.WEEK))
        self._fill_measures()
        self.report_button.setEnabled(False)
        draw_message(self.figure, "Reading the trends…")
        self._connect()

    def _connect(self) -> None:
        self._debounce.timeout.connect(self._query)
        self.team.currentIndexChanged.connect(self._on_team_changed)
        self.grain.currentIndexChanged.connect(self._on_grain_changed)
        for combo in (self.agent, self.measure, self.rate):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.include_open.toggled.connect(self._on_filter_changed)
        for edit in (self.from_date, self.to_date):
            edit.dateChanged.connect(self._on_date_changed)
        self.canvas.mpl_connect("motion_notify_event", self._on_canvas_motion)
        self.canvas.mpl_connect("button_press_event", self._on_canvas_press)
        self.agents_table.selectionModel().currentRowChanged.connect(self._on_agents_row_changed)
        self.calls_table.activated.connect(self._on_calls_table_activated)
        self.flags.itemClicked.connect(self._on_flags_item_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)

    # --- reading ------------------------------------------------------------------------------------------------

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
        self.facets = facets
        _refill(self.team, "All teams", [(t, t) for t in facets.teams])
        self._fill_agents()
        self._fill_measures()
        if self._auto_dates and facets.last is not None:
            self._set_dates(*default_window(facets.last, Grain(self.grain.currentData())))
        self._query()

    def query(self) -> TrendQuery:
        """What the filters ask for: every agent in scope (the agents table lists them), and the chosen counts."""
        kind, rule = extra_count(self.measure_key())
        first, last = _day(self.from_date.date()), _day(self.to_date.date())
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

    # --- drawing ------------------------------------------------------------------------------------------------

    def _redraw(self) -> None:
        if self.trends is None:
            return
        found, key, agent, team = self.trends, self.measure_key(), self.agent.currentData(), self.team.currentData()
        rate = Rate(self.rate.currentData())
        self.series = line = trend_series(found, key, rate, agent, team)
        self._marker, self.plotted = None, None
        if not found.overall:
            draw_message(self.figure, EMPTY if found.query.reviewed_only else EMPTY_ANY)
        elif all(v is None for v in line.values):
            checked = "reviewed" if found.query.reviewed_only else "checked"
            draw_message(self.figure, f"{agent or team} has no {checked} calls in this window.")
        else:
            self.plotted = draw_series(self.figure, line, legend="above")
        self.canvas.draw_idle()
        self.rate.setEnabled(not is_share(key))
        self.report_button.setEnabled(bool(agent) and "report" not in self._jobs)
        self._fill_agents_table(found, key, rate, agent)
        self._fill_flags(found, key, agent, team)
        self._relist()
        self.drawn.emit()

    def _fill_agents_table(self, found: Trends, key: str, rate: Rate, agent: str | None) -> None:
        self.agents_model.set_figures(agent_figures(found, key, rate), key, rate)
        span = f" · {found.periods[0].label} – {found.periods[-1].label}" if found.periods else ""
        self.agents_heading.setText(f"Agents · {measure_label(key)}{span}")
        row = self.agents_model.row_of(agent)
        selection = self.agents_table.selectionModel()
        selection.blockSignals(True)  # showing the chosen agent is not choosing one
        selection.clear()
        if row >= 0:
            index = self.agents_proxy.mapFromSource(self.agents_model.index(row, 0))
            flags = QItemSelectionModel.SelectionFlag
            selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
            self.agents_table.scrollTo(index)
        selection.blockSignals(False)

    def _fill_flags(self, found: Trends, key: str, agent: str | None, team: str | None) -> None:
        whose = (agent, None) if agent else (None, team)
        mine = [f for f in found.flags if f.measure == key and (f.agent, f.team) == whose]
        self.flags.clear()
        for flag in mine:
            item = QListWidgetItem(f"⚑ {flag_line(flag)}")
            item.setData(_PERIOD, flag.period)
            item.setToolTip(f"{flag_line(flag)}. Click to list the calls of {flag.period.label}.")
            self.flags.addItem(item)
        if not mine:
            self.flags.addItem(f"No significant shift for {agent or team or 'everybody'} in this window.")
        self.flags_heading.setText(f"Significant shifts ({len(mine)})" if mine else "Significant shifts")

    def point_text(self, index: int) -> str:
        """What the tooltip over point `index` says (rich text)."""
        assert self.trends is not None and self.series is not None
        return point_text(self.trends, self.series, index)

    def point_at(self, x: float, y: float) -> int | None:
        """The point within HOVER_PX of display position (x, y) on the canvas, the nearest one."""
        if self.plotted is None or self.series is None or not self.figure.axes:
            return None
        reach = HOVER_PX * self.canvas.device_pixel_ratio
        return nearest_point(self.figure.axes[0], self.series.values, x, y, reach)

    def _on_canvas_motion(self, event: Any) -> None:
        index = self.point_at(event.x, event.y) if event.inaxes is not None else None
        if index is None:
            QToolTip.hideText()
            self.canvas.unsetCursor()
        else:
            self.canvas.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(QCursor.pos(), self.point_text(index), self.canvas)

    def _on_canvas_press(self, event: Any) -> None:
        index = self.point_at(event.x, event.y) if event.inaxes is not None and event.button == 1 else None
        if index is not None:
            self.select_point(index)

    # --- the calls behind a point -------------------------------------------------------------------------------

    def select_point(self, index: int) -> None:
        """List the calls behind point `index` of the chart (what a click on it does)."""
        if self.trends is None or self.series is None:
            return
        period, query, key, agent = self.series.periods[index], self.trends.query, self.measure_key(), self._agent()
        self.listed = (self._subject(), period)
        self._mark(index)
        work = lambda: listing(self.services, query, period, agent, key)  # noqa: E731
        self._run("calls", work, lambda calls: self._on_calls_listed(calls, period, key), self._relist)

    def _agent(self) -> str | None:
        return self.agent.currentData()

    def _subject(self) -> tuple[object, ...]:
        return (self._agent(), self.team.currentData(), self.measure_key(), self.query())

    def _relist(self) -> None:
        """After a redraw: list the same point's calls again (their verdicts may have changed), or clear the list."""
        periods = self.series.periods if self.series else ()
        if self.listed is not None and self.listed[0] == self._subject() and self.listed[1] in periods:
            self.select_point(periods.index(self.listed[1]))
            return
        self.listed = None
        self.calls_model.set_calls([], self.measure_key())
        self.calls_heading.setText("Calls behind a point")
        self.calls_hint.setText(NO_POINT)
        self.calls_hint.setEnabled(False)  # greyed: a hint, not content

    def _mark(self, index: int) -> None:
        if self._marker is not None:
            self._marker.remove()
        self._marker = mark_period(self.figure, index) if self.plotted is not None and self.figure.axes else None
        self.canvas.draw_idle()

    def _on_calls_listed(self, calls: list[PointCall], period: Period, key: str) -> None:
        self.calls_proxy.sort(-1)  # the model's order: the calls where it happened first
        self.calls_model.set_calls(calls, key)
        subject = self._agent() or self.team.currentData() or "Everybody"
        self.calls_heading.setText(f"Calls behind {period.label} · {subject}")
        hits = sum(hit(c, key) for c in calls)
        what = measure_label(key).lower()
        self.calls_hint.setText(f"{len(calls)} calls, {hits} with {what}. Enter or double-click opens one.")
        self.calls_hint.setEnabled(True)
        self.calls_listed.emit()

    def _on_calls_table_activated(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.calls_model.row_at(self.calls_proxy.mapToSource(index).row()).call_id)

    def _on_flags_item_clicked(self, item: QListWidgetItem) -> None:
        period = item.data(_PERIOD)
        if isinstance(period, Period) and self.series is not None and period in self.series.periods:
            self.select_point(self.series.periods.index(period))

    # --- filters ------------------------------------------------------------------------------------------------

    def _fill_agents(self) -> None:
        """The agents of the chosen team (all of them for every team), keeping the chosen one while offered."""
        team = self.team.currentData()
        _refill(self.agent, "All agents", [(a, a) for a, t in self.facets.agents if team is None or t == team])

    def _fill_measures(self) -> None:
        chosen = self.measure.currentData() or Measure.AGENT_INTERRUPTION.value
        _refill(self.measure, None, measure_choices(self.facets))
        self.measure.setCurrentIndex(max(self.measure.findData(chosen), 0))

    def _set_dates(self, first: date, last: date) -> None:
        for edit, day in ((self.from_date, first), (self.to_date, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _on_team_changed(self, _index: int) -> None:
        self._fill_agents()
        self._schedule()

    def _on_filter_changed(self, _value: object) -> None:
        self._schedule()

    def _on_grain_changed(self, _index: int) -> None:
        # Weeks show a quarter, months half a year: the window keeps its last day and takes the grain's length.
        grain = Grain(self.grain.currentData())
        self._set_dates(*default_window(_day(self.to_date.date()), grain))
        self.report_button.setText("Weekly report…" if grain is Grain.WEEK else "Monthly report…")
        self._schedule()

    def _on_date_changed(self, _day: QDate) -> None:
        self._auto_dates = False
        self._schedule()

    def _on_agents_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            agent = self.agents_model.row_at(self.agents_proxy.mapToSource(current).row()).agent
            self.agent.setCurrentIndex(max(self.agent.findData(agent), 0))

    # --- export and report --------------------------------------------------------------------------------------

    def export_chart(self, path: Path) -> None:
        """Save the chart as .png (150 dpi), .svg or .pdf; ValueError for any other extension."""
        save_figure(self.figure, path)

    def _on_export_button_clicked(self) -> None:
        name = f"{self._agent() or self.team.currentData() or 'Everybody'} - {measure_label(self.measure_key())}"
        chosen, kind = QFileDialog.getSaveFileName(self, "Export chart", f"{name}.png", ";;".join(_FILTERS.values()))
        if not chosen:
            return
        path = Path(chosen)
        path = path if path.suffix else path.with_suffix(_suffix(_FILTERS, kind))
        try:
            self.export_chart(path)
        except (ValueError, OSError) as error:
            QMessageBox.warning(self, "Export chart", f"The chart was not saved: {error}")
            return
        self.message.emit(f"Chart saved: {path}")

    def _on_report_button_clicked(self) -> None:
        agent = self._agent()
        if not agent or self.series is None or not self.series.periods:
            return
        labels = [p.label for p in reversed(self.series.periods)]  # the last period of the window first
        label, ok = QInputDialog.getItem(self, "Coaching report", f"Report on {agent} for:", labels, 0, False)
        if not ok:
            return
        filters = ";;".join(_REPORTS.values())
        chosen, kind = QFileDialog.getSaveFileName(self, "Save the report", f"{agent} {label}.pdf", filters)
        if not chosen:
            return
        path = Path(chosen)
        path = path if path.suffix.lower() in _REPORTS else path.with_suffix(_suffix(_REPORTS, kind))
        from reviewer.ui import report_render  # noqa: PLC0415 - loaded when a report is asked for, not at start

        self.report_button.setEnabled(False)
        work = lambda: writing(report_render.write_report, self.services, agent, Period.parse(label), path)  # noqa: E731
        self._run("report", work, self._on_report_written, lambda: None)

    def _on_report_written(self, path: Path) -> None:
        self.report_button.setEnabled(bool(self._agent()))
        self.message.emit(f"Report saved: {path}")


def _refill(combo: QComboBox, everything: str | None, items: list[tuple[str, str]]) -> None:
    """Replace a combo's values (after its 'all' entry, if any), keeping the chosen one while it is offered."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if everything:
        combo.addItem(everything, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
    combo.blockSignals(False)


def _day(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _suffix(filters: dict[str, str], chosen: str) -> str:
    return next((suffix for suffix, name in filters.items() if name == chosen), next(iter(filters)))
