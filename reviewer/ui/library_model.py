"""The call library as a Qt table model over CallSummary rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from reviewer.domain.call import CallSummary, ReviewStatus
from reviewer.domain.verdict import VerdictStatus
from reviewer.text.tags import kinds_summary
from reviewer.text.times import clock
from reviewer.text.verdicts import status_label

_STATUS = {ReviewStatus.TODO: "To do", ReviewStatus.IN_PROGRESS: "In progress", ReviewStatus.DONE: "Done"}
# Sorting by verdict puts the calls that need attention first when descending.
_VERDICT_ORDER = {
    VerdictStatus.COMPLIANT: 1,
    VerdictStatus.COACHING: 2,
    VerdictStatus.INCOMPLETE: 3,
    VerdictStatus.VIOLATION: 4,
}


# A dot before the verdict; dark enough on light rows, light enough on dark ones.
VERDICT_COLORS = {
    VerdictStatus.COMPLIANT: QColor("#2e7d32"),
    VerdictStatus.COACHING: QColor("#c49000"),
    VerdictStatus.INCOMPLETE: QColor("#e65100"),
    VerdictStatus.VIOLATION: QColor("#d32f2f"),
}


def _verdict(call: CallSummary) -> str:
    label = status_label(call.verdict)
    return f"{label} (re-checking)" if call.verdict_stale else label


SORT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[CallSummary], str], Callable[[CallSummary], Any], Qt.AlignmentFlag]

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

COLUMNS: tuple[Column, ...] = (
    ("Call", lambda c: c.external_id, lambda c: c.external_id, _LEFT),
    ("Agent", lambda c: c.agent or "—", lambda c: c.agent or "", _LEFT),
    ("Team", lambda c: c.team or "—", lambda c: c.team or "", _LEFT),
    (
        "Date",
        # Stored in UTC; shown in this machine's time zone.
        lambda c: c.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if c.started_at else "—",
        lambda c: c.started_at.isoformat() if c.started_at else "",
        _LEFT,
    ),
    ("Duration", lambda c: clock(c.duration_ms), lambda c: c.duration_ms, _RIGHT),
    ("Utterances", lambda c: str(c.utterances), lambda c: c.utterances, _RIGHT),
    ("Tags", lambda c: str(c.tags), lambda c: c.tags, _RIGHT),
    ("Status", lambda c: _STATUS[c.review_status], lambda c: c.review_status.value, _LEFT),
    ("Verdict", _verdict, lambda c: _VERDICT_ORDER[c.verdict] if c.verdict else 0, _LEFT),
    ("Tagged", lambda c: kinds_summary(c.tag_kinds), lambda c: kinds_summary(c.tag_kinds), _LEFT),
)


class LibraryModel(QAbstractTableModel):
    """Read-only rows of the library; `set_calls` replaces them in one reset."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._calls: list[CallSummary] = []

    def set_calls(self, calls: list[CallSummary]) -> None:
        """Show these calls."""
        self.beginResetModel()
        self._calls = list(calls)
        self.endResetModel()

    def calls(self) -> list[CallSummary]:
        """Every row's call."""
        return list(self._calls)

    def call_at(self, row: int) -> CallSummary:
        """The call shown in a row."""
        return self._calls[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._calls):
            return None
        _, show, sort_key, align = COLUMNS[index.column()]
        call = self._calls[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(call)
        if role == SORT_ROLE:
            return sort_key(call)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(align.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.column(), call)
        verdict_dot = role == Qt.ItemDataRole.DecorationRole and COLUMNS[index.column()][0] == "Verdict"
        return VERDICT_COLORS.get(call.verdict) if verdict_dot and call.verdict else None

    @staticmethod
    def _tooltip(column: int, call: CallSummary) -> str | None:
        if column == 0:
            return f"SHA-256 {call.audio_sha256[:16]}…, {call.channels} channel(s)"
        if COLUMNS[column][0] == "Tagged" and call.tag_kinds:
            return kinds_summary(call.tag_kinds).replace(" · ", "\n")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None
