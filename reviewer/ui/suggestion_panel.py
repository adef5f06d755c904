"""The Suggestions tab: the open call's pending suggestions in a table, and what the detectors found beyond them;
and the detector precision dialog (each detector's acceptance rate).

Above the table, the pass's findings as `detection_lines` writes them (who hung up by each basis, interruptions only
one basis found, backchannels), the disagreements in a warning colour. Picking a row makes that suggestion current
(the review page seeks there); Enter or a double-click jumps to it; the buttons decide on the current one.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain.suggestions import Detection, DetectorRate, Suggestion
from reviewer.text.suggestions import DETECTOR_LABELS, detection_lines, rate_line, suggestion_line
from reviewer.text.tags import kind_label
from reviewer.text.times import clock
from reviewer.ui.tag_table import LANE_LABELS, swatch_icon
from reviewer.ui.timeline.colors import TimelineColors

Index = QModelIndex | QPersistentModelIndex

TIME, KIND, PARTY, DETECTOR, CONFIDENCE, EVIDENCE = range(6)
HEADERS = ("Time", "Kind", "Party", "Detector", "Sure", "Evidence")
HEADER_TIPS = ("When", "The tag it would become", "Whose lane", "What found it", "The detector's confidence", "Why")
FINDINGS_LINES = 3.5
SUGGESTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def _shown(s: Suggestion, column: int) -> str:
    if column == TIME:
        return clock(s.start_ms)  # the tab is narrow: the span is in the tooltip
    if column == KIND:
        return kind_label(s.kind)
    if column == PARTY:
        return LANE_LABELS[s.actor]
    if column == DETECTOR:
        return DETECTOR_LABELS.get(s.detector, s.detector)
    if column == CONFIDENCE:
        return f"{s.confidence:.0%}"
    return s.evidence


def _button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


def disputed_lines(detection: Detection) -> set[str]:
    """The lines about the bases disagreeing: who hung up (when they differ), interruptions only one basis found."""
    hangups = detection.hangups if detection.hangup_conflict else ()
    return set(detection_lines(Detection((), {}, {}, hangups, detection.disagreements)))


class SuggestionTableModel(QAbstractTableModel):
    """Pending suggestions in time order (the order N walks them), read-only."""

    def __init__(self, parent: Any = None, *, colors: TimelineColors) -> None:
        super().__init__(parent)
        self._colors = colors  # kind swatches in the timeline's colours
        self._rows: list[Suggestion] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Show these suggestions."""
        self.beginResetModel()
        self._rows = list(suggestions)
        self.endResetModel()

    def suggestions(self) -> tuple[Suggestion, ...]:
        """The rows' suggestions."""
        return tuple(self._rows)

    def suggestion_at(self, row: int) -> Suggestion:
        """The suggestion of a row."""
        return self._rows[row]

    def row_of(self, suggestion_id: int | None) -> int | None:
        """The row showing a suggestion, or None."""
        return next((r for r, s in enumerate(self._rows) if s.id == suggestion_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return HEADER_TIPS[section] if role == Qt.ItemDataRole.ToolTipRole else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown(s, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            version = f" (detector version {s.detector_version})" if s.detector_version else ""
            return f"{suggestion_line(s)}{version}\nA or Enter: accept · R or Backspace: reject · N: next"
        if role == SUGGESTION_ID_ROLE:
            return s.id
        return self._style(s, column, role)

    def _style(self, s: Suggestion, column: int, role: int) -> Any:
        if column == KIND and role == Qt.ItemDataRole.DecorationRole:
            return swatch_icon(self._colors.kind(s.kind).fill)
        if column == KIND and role == Qt.ItemDataRole.FontRole:
            return self._italic  # as on the timeline: a suggestion, not yet a tag
        return _RIGHT if column == CONFIDENCE and role == Qt.ItemDataRole.TextAlignmentRole else None


class SuggestionPanel(QWidget):
    """Findings, the table of pending suggestions, and the buttons that decide on the current one."""

    selected = Signal(object)  # a suggestion's id: the supervisor picked its row (click, arrow keys)
    activated = Signal(int)  # Enter or double-click on a row: jump there
    accept_requested = Signal()
    reject_requested = Signal()
    accept_kind_requested = Signal(str)
    detect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colors = TimelineColors(self.palette())
        self.summary = QLabel()
        self.summary.setObjectName("suggestionSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.findings = QLabel()
        self.findings.setObjectName("detectionFindings")
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setWordWrap(True)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings.setContentsMargins(2, 0, 2, 0)
        # A few lines at most: the table is what the supervisor works in; the rest scrolls.
        self.findings_area = QScrollArea()
        self.findings_area.setWidget(self.findings)
        self.findings_area.setWidgetResizable(True)
        self.findings_area.setFrameShape(QFrame.Shape.NoFrame)
        self.findings_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings_area.setMaximumHeight(round(self.fontMetrics().lineSpacing() * FINDINGS_LINES) + 4)
        self.model = SuggestionTableModel(self, colors=self._colors)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Suggestions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EVIDENCE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        self.accept_button = _button("✓ Accept", "Make the current suggestion a tag (A or Enter)")
        self.reject_button = _button("✗ Reject", "Turn the current suggestion down (R or Backspace)")
        self.accept_kind_button = _button("Accept all", "Accept every open suggestion of this kind (one undo step)")
        self.detect_button = _button("⟳", "Run the detectors over this call again (decisions are kept)")
        self._lay_out()
        self._connect()
        self.clear()

    def _lay_out(self) -> None:
        # One row for the count and the buttons: the lower area is short, and the table needs the height.
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        for button in (self.accept_button, self.reject_button, self.accept_kind_button, self.detect_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.findings_area)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.activated.connect(self._on_table_activated)
        self.accept_button.clicked.connect(self.accept_requested)
        self.reject_button.clicked.connect(self.reject_requested)
        self.accept_kind_button.clicked.connect(self._on_accept_kind_clicked)
        self.detect_button.clicked.connect(self.detect_requested)

    # --- what is shown ----------------------------------------------------------------------------------------

    def clear(self) -> None:
        """No call open."""
        self.set_suggestions(())
        self.lines: list[tuple[str, bool]] = []  # the findings shown: (sentence, whether it is a disagreement)
        self.findings.setText("")
        self.findings_area.setVisible(False)
        self.summary.setText("<i>No call open</i>")
        self.detect_button.setEnabled(False)

    def set_suggestions(self, suggestions: Sequence[Suggestion], current: int | None = None) -> None:
        """Show the pending suggestions, with one of them current."""
        self.table.selectionModel().blockSignals(True)
        self.model.set_suggestions(suggestions)
        self.table.selectionModel().blockSignals(False)
        n = len(suggestions)
        self.summary.setText(f"<b>{n} open</b>" if n else "<b>None open</b>")
        self.summary.setToolTip("N / Shift+N: next / previous suggestion · A or Enter: accept · R or Backspace: reject")
        self.set_current(current)

    def set_detection(self, detection: Detection | None) -> None:
        """The latest pass's findings beyond its suggestions (None: the detectors never went over this call)."""
        self.detect_button.setEnabled(True)
        if detection is None:
            self.lines = [("The detectors have not gone over this call yet.", False)]
        else:
            disputed = disputed_lines(detection)
            self.lines = [(line[:1].upper() + line[1:], line in disputed) for line in detection_lines(detection)]
        warning = self._colors.severity("incomplete").name()
        self.findings.setText(
            "<br>".join(
                f"<span style='color:{warning}'>⚠ {escape(text)}</span>" if disputed else escape(text)
                for text, disputed in self.lines
            )
        )
        self.findings_area.setVisible(bool(self.lines))

    def set_running(self, running: bool) -> None:
        """The detectors are going over the call: the button waits for them."""
        self.detect_button.setEnabled(not running)
        self.detect_button.setText("…" if running else "⟳")

    def current_id(self) -> int | None:
        """The suggestion of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.suggestion_at(rows[0].row()).id if rows else None

    def set_current(self, suggestion_id: int | None) -> None:
        """Select the row of the current suggestion (without telling anyone: the page told us)."""
        row = self.model.row_of(suggestion_id)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            index = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            selection.setCurrentIndex(index, flags)
            self.table.scrollTo(index)
        selection.blockSignals(False)
        self.table.viewport().update()
        current = None if row is None else self.model.suggestion_at(row)
        self.accept_button.setEnabled(current is not None)
        self.reject_button.setEnabled(current is not None)
        self.accept_kind_button.setEnabled(current is not None)
        self.accept_kind_button.setText("Accept all" if current is None else f"All {kind_label(current.kind)}")

    # --- signals out ------------------------------------------------------------------------------------------

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(self.model.suggestion_at(current.row()).id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        found = self.model.suggestion_at(index.row()).id
        if found is not None:
            self.activated.emit(found)

    def _on_accept_kind_clicked(self) -> None:
        row = self.model.row_of(self.current_id())
        if row is not None:
            self.accept_kind_requested.emit(self.model.suggestion_at(row).kind)


class DetectorPrecisionDialog(QDialog):
    """Each detector's record with the supervisors: how many of its suggestions they accepted, per kind."""

    def __init__(self, rates: Sequence[DetectorRate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Detector precision")
        intro = QLabel(
            "How often supervisors accepted each detector's suggestions, from their own decisions in this library."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Detector precision")
        self.list.addItems([rate_line(rate) for rate in rates] or ["No suggestions yet: the detectors never ran."])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def lines(self) -> list[str]:
        """The lines shown."""
        return [self.list.item(i).text() for i in range(self.list.count())]
