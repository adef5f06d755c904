"""The Trends tab: a measure's rate per week or month, for an agent against the team (or a team against its own
past), with the control chart's flags; hover a point for its numbers, click it for the calls behind it.

Whatever reads the database runs on a worker (trends_jobs.py); the points' tooltips and calls are trends_point.py's.
Changing the agent, the rate or a built-in measure only redraws from the rows already fetched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QMessageBox, QWidget

from reviewer.domain.trends import Grain, Measure, Period, Rate, Trends
from reviewer.services.context import Services
from reviewer.services.trends import TrendFacets, trend_series
from reviewer.text.trends import is_share, measure_label
from reviewer.ui.trend_charts import draw_message, draw_series, save_figure
from reviewer.ui.trends_jobs import day_of, writing
from reviewer.ui.trends_models import agent_figures, default_window, measure_choices
from reviewer.ui.trends_point import PointHandlers

EMPTY = (
    "No reviewed calls in this window. Mark calls Done in the review window, or tick 'Include calls not marked done'."
)
EMPTY_ANY = "No checked calls in this window."
_FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)", ".pdf": "PDF document (*.pdf)"}
_REPORTS = {".pdf": "PDF document (*.pdf)", ".html": "Web page (*.html)"}


class TrendsPage(PointHandlers):
    """Filters, the chart and its flags, the agents in scope and the calls behind a point."""

    drawn = Signal()  # the chart shows the trends of the current filters (screenshots and tests wait for it)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self._auto_dates = True  # the window follows the library's last day until the user picks dates
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

    def _on_facts_read(self, facets: TrendFacets) -> None:
        self.facets = facets
        _refill(self.team, "All teams", [(t, t) for t in facets.teams])
        self._fill_agents()
        self._fill_measures()
        if self._auto_dates and facets.last is not None:
            self._set_dates(*default_window(facets.last, Grain(self.grain.currentData())))
        self._query()

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
        self._set_dates(*default_window(day_of(self.to_date.date()), grain))
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


def _suffix(filters: dict[str, str], chosen: str) -> str:
    return next((suffix for suffix, name in filters.items() if name == chosen), next(iter(filters)))
