"""The Trends chart's points: the tooltip over one, and the calls behind one (or its flag) listed for review."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QListWidgetItem, QToolTip, QWidget

from reviewer.domain.trends import Period, PointCall, Trends, TrendSeries
from reviewer.services.context import Services
from reviewer.text.trends import flag_line, measure_label
from reviewer.ui.trend_charts import Plotted, mark_period, nearest_point, point_text
from reviewer.ui.trends_jobs import TrendsJobs, listing
from reviewer.ui.trends_models import hit

HOVER_PX = 10  # how near the pointer must come to a point for its tooltip (and for a click to pick it)
NO_POINT = "Click a point of the chart to list the calls behind it."
_PERIOD = Qt.ItemDataRole.UserRole + 1


class PointHandlers(TrendsJobs):
    """What the pointer does on the chart's points and flags, and the table of the calls behind a point."""

    open_requested = Signal(int)  # call id
    calls_listed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.series: TrendSeries | None = None
        self.plotted: Plotted | None = None  # what the chart shows; None while it shows a message instead
        self.listed: tuple[tuple[object, ...], Period] | None = None  # whose point's calls the table lists
        self._marker: Any = None

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
