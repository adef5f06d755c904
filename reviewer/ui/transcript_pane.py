"""The transcript beside the timeline: who said what when, following playback, click to seek, find."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QElapsedTimer,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain.parties import Party
from reviewer.domain.transcript import Utterance
from reviewer.text.times import clock

Index = QModelIndex | QPersistentModelIndex
TIME, PARTY, TEXT = range(3)
_HEADERS = ("Time", "Party", "Text")
_PARTY_NAMES = {Party.AGENT: "Agent", Party.CUSTOMER: "Customer"}
# Medium hues for light palettes, lighter ones for dark: both keep a readable contrast on the base colour.
_PARTY_COLOURS = {
    False: {Party.AGENT: QColor("#1f5f99"), Party.CUSTOMER: QColor("#8a4b0f")},
    True: {Party.AGENT: QColor("#7fb8ee"), Party.CUSTOMER: QColor("#f0b070")},
}
_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_BOLD = QFont()
_BOLD.setBold(True)  # only the weight: the view's own family and size still apply
_LOOK_BACK = 8  # overlapping utterances are local: a few rows back is enough to find one still running
_ROW_PADDING = 8


class TranscriptModel(QAbstractTableModel):
    """Utterances sorted by start, one per row: time, party, text; the current one has a highlight background."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._utterances: list[Utterance] = []
        self._current: int | None = None
        self._current_brush = QBrush()
        self._dark = False

    def set_utterances(self, utterances: Sequence[Utterance]) -> None:
        """Show these utterances, sorted by start (stable, so simultaneous ones keep their order)."""
        self.beginResetModel()
        self._utterances = sorted(utterances, key=lambda u: u.start_ms)
        self._current = None
        self.endResetModel()

    def utterance(self, row: int) -> Utterance:
        """The utterance shown in a row."""
        return self._utterances[row]

    def utterances(self) -> list[Utterance]:
        """All utterances in row order."""
        return self._utterances

    def set_look(self, palette: QPalette) -> None:
        """Take the current-row highlight and the party colours' lightness from the view's palette."""
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        highlight.setAlpha(80)  # translucent over Base, so Text stays legible in light and dark palettes
        self._current_brush = QBrush(highlight)
        self._dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        if self._utterances:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._utterances) - 1, TEXT))

    def current_row(self) -> int | None:
        """The highlighted row."""
        return self._current

    def set_current_row(self, row: int | None) -> None:
        """Move the highlight, repainting only the two rows concerned."""
        old, self._current = self._current, row
        for changed in {old, row} - {None}:
            assert changed is not None
            self.dataChanged.emit(self.index(changed, 0), self.index(changed, TEXT))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._utterances)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._utterances):
            return None
        utterance = self._utterances[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(utterance, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._current_brush if index.row() == self._current else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _TOP_LEFT
        return self._column_look(utterance, index.column(), role)

    def _column_look(self, utterance: Utterance, column: int, role: int) -> Any:
        if column == PARTY and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_PARTY_COLOURS[self._dark][utterance.party])
        if column == PARTY and role == Qt.ItemDataRole.FontRole:
            return _BOLD
        if column == TIME and role == Qt.ItemDataRole.ToolTipRole:
            return f"{clock(utterance.start_ms, millis=True)} – {clock(utterance.end_ms, millis=True)}"
        return None

    @staticmethod
    def _display(utterance: Utterance, column: int) -> str:
        if column == TIME:
            return clock(utterance.start_ms)
        if column == PARTY:
            return _PARTY_NAMES[utterance.party]
        return utterance.text

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None


class TranscriptPane(QWidget):
    """The transcript table with a find bar; follows the playhead unless the user is scrolling or finding."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.auto_scroll_pause_ms = 3000  # how long a user's scroll keeps the view from following playback
        self.model = TranscriptModel(self)
        self._starts: list[int] = []
        self._folded: list[str] = []
        self._match_row: int | None = None
        self._user_scrolled = QElapsedTimer()
        # Coalesces re-wrapping rows while the pane is resized; hidden panes only remember that they must.
        self._relayout = QTimer(self, singleShot=True, interval=30)
        self._relayout.timeout.connect(self._fit_rows)
        self._rows_stale = False
        self._build()
        self.model.set_look(self.palette())

    def _build(self) -> None:
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setShowGrid(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.sectionResized.connect(self._on_header_section_resized)
        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_clicked)
        self.view.verticalScrollBar().actionTriggered.connect(self._on_scrollbar_action_triggered)
        self.find_edit = QLineEdit(placeholderText="Find in transcript", clearButtonEnabled=True)
        self.find_edit.textEdited.connect(self._on_find_edit_text_edited)
        self.find_edit.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Shift+Return"), self.find_edit, self.find_previous, Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_edit, self.hide_find, Qt.ShortcutContext.WidgetShortcut)
        self.find_label = QLabel()
        self.find_label.setMinimumWidth(self.find_label.fontMetrics().horizontalAdvance("No matches") + 8)
        close = QToolButton(autoRaise=True)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.hide_find)
        self.find_bar = QWidget()
        bar = QHBoxLayout(self.find_bar)
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.find_edit, 1)
        bar.addWidget(self.find_label)
        bar.addWidget(close)
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        self._size_fixed_columns()

    # -- content and playback ------------------------------------------------------------------------------------

    def set_utterances(self, utterances: Sequence[Utterance]) -> None:
        """Show a call's utterances (sorted by start)."""
        self.model.set_utterances(utterances)
        self._starts = [u.start_ms for u in self.model.utterances()]
        self._folded = [u.text.casefold() for u in self.model.utterances()]
        self._match_row = None
        self.find_label.clear()
        self._fit_rows()

    def set_position(self, ms: int) -> None:
        """Highlight the utterance at ms and keep it in view, unless the user scrolled recently or is finding."""
        row = self._row_at(ms)
        if row != self.model.current_row():
            self.model.set_current_row(row)
        if row is not None and not self._auto_scroll_paused():
            self._ensure_visible(row)

    def current_row(self) -> int | None:
        """The row of the utterance being played, or None before the first one."""
        return self.model.current_row()

    def _row_at(self, ms: int) -> int | None:
        """The utterance containing ms, else the last one started before it."""
        last = bisect_right(self._starts, ms) - 1
        if last < 0:
            return None
        for row in range(last, max(last - _LOOK_BACK, -1), -1):
            if self.model.utterance(row).end_ms > ms:
                return row
        return last

    def _auto_scroll_paused(self) -> bool:
        if self.find_edit.hasFocus():
            return True
        return self._user_scrolled.isValid() and self._user_scrolled.elapsed() < self.auto_scroll_pause_ms

    def _ensure_visible(self, row: int) -> None:
        rect = self.view.visualRect(self.model.index(row, TEXT))
        viewport = self.view.viewport().rect()
        # A row taller than the view stays put once it is on screen, instead of being re-centred every frame.
        cut_off = not viewport.contains(rect) and rect.height() < viewport.height()
        if cut_off or not viewport.intersects(rect):
            self.view.scrollTo(self.model.index(row, TEXT), QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_scrollbar_action_triggered(self, _action: int) -> None:
        # Only user actions (wheel, drag, arrows, page clicks) trigger actions; our own scrollTo() does not.
        self._user_scrolled.start()

    def _on_view_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.seek_requested.emit(self.model.utterance(index.row()).start_ms)

    # -- find ----------------------------------------------------------------------------------------------------

    def find(self) -> None:  # type: ignore[override]  # shadows QWidget.find(window id), which nobody here uses
        """Show the find bar and put the cursor in it (the window binds Ctrl+F to this)."""
        self.find_bar.show()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_next(self) -> None:
        """Select the next utterance containing the find text, wrapping at the end (the window binds F3)."""
        self._step_match(forward=True)

    def find_previous(self) -> None:
        """Select the previous match, wrapping at the start (Shift+Enter in the find bar)."""
        self._step_match(forward=False)

    def hide_find(self) -> None:
        """Hide the find bar (Escape) and give the focus back to the transcript."""
        self.find_bar.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _matches(self) -> list[int]:
        needle = self.find_edit.text().casefold()
        return [row for row, text in enumerate(self._folded) if needle in text] if needle else []

    def _step_match(self, *, forward: bool) -> None:
        if self.find_bar.isHidden():
            self.find()
        matches = self._matches()
        if not matches:
            self._match_row = None
            self.find_label.setText("No matches" if self.find_edit.text() else "")
            return
        anchor = self._match_row if self._match_row is not None else (-1 if forward else len(self._folded))
        if forward:
            following = [row for row in matches if row > anchor]
            self._match_row = following[0] if following else matches[0]
        else:
            preceding = [row for row in matches if row < anchor]
            self._match_row = preceding[-1] if preceding else matches[-1]
        self._show_match(self._match_row, matches)

    def _show_match(self, row: int, matches: list[int]) -> None:
        self.find_label.setText(f"{matches.index(row) + 1} of {len(matches)}")
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, TEXT), QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_find_edit_text_edited(self, _text: str) -> None:
        # Typing searches from the top again, so the first keystrokes land on the first match.
        self._match_row = None
        self.find_next()

    # -- layout --------------------------------------------------------------------------------------------------

    def _size_fixed_columns(self) -> None:
        metrics = QFontMetrics(self.view.font())
        bold = QFont(self.view.font())
        bold.setBold(True)
        pad = 4 * self._text_margin()
        self.view.setColumnWidth(TIME, metrics.horizontalAdvance("0:00:00") + pad)
        self.view.setColumnWidth(PARTY, QFontMetrics(bold).horizontalAdvance("Customer") + pad)

    def _text_margin(self) -> int:
        return self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.view) + 1

    def _fit_rows(self) -> None:
        """Size each row to its wrapped text with font metrics: ~3× faster than resizeRowsToContents at 2,000 rows."""
        self._rows_stale = False
        metrics = QFontMetrics(self.view.font())
        width = max(self.view.columnWidth(TEXT) - 2 * self._text_margin(), 40)
        single = metrics.height() + _ROW_PADDING
        flags = int(Qt.TextFlag.TextWordWrap)
        header = self.view.verticalHeader()
        for row, text in enumerate(u.text for u in self.model.utterances()):
            wrapped = metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, text).height() + _ROW_PADDING
            header.resizeSection(row, max(single, wrapped))

    def _refit_later(self) -> None:
        if self.isVisible():
            self._relayout.start()
        else:
            self._rows_stale = True

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TEXT:
            self._refit_later()

    def showEvent(self, event: Any) -> None:
        """Re-wrap rows whose width changed while hidden."""
        super().showEvent(event)
        if self._rows_stale:
            self._fit_rows()

    def hideEvent(self, event: Any) -> None:
        """No timer runs for a hidden pane."""
        super().hideEvent(event)
        if self._relayout.isActive():
            self._relayout.stop()
            self._rows_stale = True

    def changeEvent(self, event: Any) -> None:
        """Follow palette (light/dark) and font changes."""
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.model.set_look(self.palette())
        elif event.type() == event.Type.FontChange:
            self._size_fixed_columns()
            self._refit_later()
