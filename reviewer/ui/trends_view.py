"""The Trends tab's layout: filters on top, the chart with its flags, then the agents and the calls behind a point.

No behaviour here."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain.trends import Grain, Rate
from reviewer.text.trends import RATE_LABELS
from reviewer.ui.library_model import SORT_ROLE
from reviewer.ui.trends_models import AgentsModel, PointCallsModel

_DATE_FORMAT = "yyyy-MM-dd"


class TrendsView(QWidget):
    """Builds the Trends tab's widgets; TrendsPage adds the behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_filters()
        self._build_chart()
        self._build_tables()
        self._lay_out()

    def _build_filters(self) -> None:
        self.team = _combo("Team", [("All teams", None)])
        self.agent = _combo("Agent", [("All agents", None)])
        self.grain = _combo("By", [("Week", Grain.WEEK), ("Month", Grain.MONTH)])
        self.from_date = _date_edit("First day of the window")
        self.to_date = _date_edit("Last day of the window (inclusive)")
        self.measure = _combo("Measure", [])
        self.measure.setMinimumContentsLength(24)
        self.measure.setMaxVisibleItems(20)
        self.rate = _combo("Rate", [(RATE_LABELS[r], r) for r in Rate])
        self.include_open = QCheckBox("Include calls not marked done")
        self.include_open.setToolTip("Rate over every checked call, not only those a supervisor marked Done")
        self.export_button = QPushButton("Export chart…")
        self.export_button.setToolTip("Save the chart as PNG, SVG or PDF")
        self.report_button = QPushButton("Weekly report…")
        self.report_button.setToolTip("The coaching report of the chosen agent for one period (PDF or HTML)")

    def _build_chart(self) -> None:
        self.figure = Figure(figsize=(8, 4), dpi=100, layout="tight")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(220)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.canvas.setAccessibleName("Trend chart")
        self.canvas.setToolTip("")
        self.flags_heading = _heading("Significant shifts")
        self.flags = QListWidget()
        self.flags.setAccessibleName("Significant shifts")
        self.flags.setToolTip("Points the control chart flags; select one to list its calls")
        self.flags.setAlternatingRowColors(True)
        self.flags.setUniformItemSizes(True)
        self.flags.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole sentence is in the item's tooltip
        self.flags.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.flags.addItem("⚑")  # measured: room for four whole flags, the rest scroll
        self.flags.setFixedHeight(self.flags.sizeHintForRow(0) * 4 + 2 * self.flags.frameWidth())
        self.flags.clear()

    def _build_tables(self) -> None:
        self.agents_model = AgentsModel(self)
        self.agents_proxy = QSortFilterProxyModel(self)
        self.agents_proxy.setSourceModel(self.agents_model)
        self.agents_proxy.setSortRole(SORT_ROLE)
        self.agents_heading = _heading("Agents")
        self.agents_table = _table(self.agents_proxy, "Select an agent to chart them against their team")
        self.agents_table.setSortingEnabled(True)
        self.agents_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.calls_model = PointCallsModel(self)
        self.calls_proxy = QSortFilterProxyModel(self)
        self.calls_proxy.setSourceModel(self.calls_model)
        self.calls_proxy.setSortRole(SORT_ROLE)
        self.calls_heading = _heading("Calls behind a point")
        self.calls_hint = QLabel("Click a point of the chart to list the calls behind it.")
        self.calls_hint.setWordWrap(True)
        self.calls_hint.setEnabled(False)  # greyed: a hint, not content
        self.calls_table = _table(self.calls_proxy, "Enter or double-click: open the call for review")
        self.calls_table.setSortingEnabled(True)
        self.calls_table.horizontalHeader().setSortIndicatorShown(False)  # starts in the model's order

    def _lay_out(self) -> None:
        who = QHBoxLayout()
        who.setSpacing(6)
        for widget in (self.team, self.agent):
            who.addWidget(widget)
        who.addSpacing(12)
        labelled: tuple[tuple[str, QWidget], ...] = (("By", self.grain), ("From", self.from_date), ("To", self.to_date))
        for label, field in labelled:
            who.addWidget(_label(label, field))
            who.addWidget(field)
        who.addStretch(1)
        who.addWidget(self.export_button)
        who.addWidget(self.report_button)
        what = QHBoxLayout()
        what.setSpacing(6)
        what.addWidget(_label("Measure", self.measure))
        what.addWidget(self.measure)
        what.addWidget(self.rate)
        what.addSpacing(12)
        what.addWidget(self.include_open)
        what.addStretch(1)
        chart = QWidget()
        chart_box = QVBoxLayout(chart)
        chart_box.setContentsMargins(0, 0, 0, 0)
        chart_box.setSpacing(4)
        chart_box.addWidget(_framed(self.canvas), 1)
        chart_box.addWidget(self.flags_heading)
        chart_box.addWidget(self.flags)
        self.tables_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tables_splitter.setChildrenCollapsible(False)
        self.tables_splitter.addWidget(_titled(self.agents_heading, self.agents_table))
        self.tables_splitter.addWidget(_titled(self.calls_heading, self.calls_hint, self.calls_table))
        self.tables_splitter.setSizes([620, 640])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(chart)
        self.splitter.addWidget(self.tables_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([440, 280])
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(who)
        layout.addLayout(what)
        layout.addWidget(self.splitter, 1)


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setToolTip(name)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _date_edit(tip: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(_DATE_FORMAT)
    edit.setToolTip(tip)
    edit.setAccessibleName(tip)
    return edit


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _table(model: QSortFilterProxyModel, tip: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setToolTip(tip)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(200)
    header.setMinimumSectionSize(36)
    header.setStretchLastSection(True)
    return table


def _framed(widget: QWidget) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    box = QVBoxLayout(frame)
    box.setContentsMargins(1, 1, 1, 1)
    box.addWidget(widget)
    return frame


def _titled(heading: QLabel, *widgets: QWidget) -> QWidget:
    pane = QWidget()
    box = QVBoxLayout(pane)
    box.setContentsMargins(0, 4, 0, 0)
    box.setSpacing(4)
    box.addWidget(heading)
    for widget in widgets:
        box.addWidget(widget, 1 if isinstance(widget, QTableView) else 0)
    return pane
