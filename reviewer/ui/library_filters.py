"""The library's filter bar: transcript search, team, agent, status, verdict, tag kind and dates, as a CallFilter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from reviewer.domain.call import ReviewStatus
from reviewer.domain.library import CallFilter, Facets
from reviewer.domain.verdict import VerdictStatus
from reviewer.text.tags import kind_label
from reviewer.text.verdicts import STATUS_LABELS

SEARCH_DELAY_MS = 300  # long enough to type a word, short enough to feel live
_STATUSES = (
    ("All statuses", None),
    ("To do", ReviewStatus.TODO),
    ("In progress", ReviewStatus.IN_PROGRESS),
    ("Done", ReviewStatus.DONE),
)
_VERDICTS = (("Any verdict", None), *((label, status) for status, label in STATUS_LABELS.items()))
_DATE_FORMAT = "yyyy-MM-dd"


def local_midnight(day: date) -> datetime:
    """The start of a calendar day in this machine's time zone, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


class LibraryFilterBar(QWidget):
    """Two compact rows of filter controls; `changed` fires when `current()` has changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._emitted = CallFilter()
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._announce)
        self._build()
        self._connect()

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Search transcripts…", clearButtonEnabled=True)
        self.search.setAccessibleName("Search transcripts")
        self.team = self._combo("Team", [("All teams", None)])
        self.agent = self._combo("Agent", [("All agents", None)])
        self.status = self._combo("Review status", list(_STATUSES))
        self.tag_kind = self._combo("Tag kind", [("Any tag", None)])
        self.verdict = self._combo("Policy verdict", list(_VERDICTS))
        self.from_enabled = QCheckBox("From")
        self.from_enabled.setToolTip("Only calls on or after this day")
        self.from_date = self._date_edit()
        self.to_enabled = QCheckBox("To")
        self.to_enabled.setToolTip("Only calls on or before this day (inclusive)")
        self.to_date = self._date_edit()
        self._reset_dates()
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Show every call")
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.clear_button)
        bottom = QHBoxLayout()
        for widget in (self.team, self.agent, self.status, self.verdict, self.tag_kind):
            bottom.addWidget(widget)
        bottom.addSpacing(8)
        for date_widget in (self.from_enabled, self.from_date, self.to_enabled, self.to_date):
            bottom.addWidget(date_widget)
        bottom.addStretch(1)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        rows.addLayout(top)
        rows.addLayout(bottom)

    @staticmethod
    def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip(name)
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(_DATE_FORMAT)
        edit.setEnabled(False)
        return edit

    def _reset_dates(self) -> None:
        # Ticking "From" starts from a month ago, the span a supervisor most often reviews.
        self.from_date.setDate(QDate.currentDate().addDays(-30))
        self.to_date.setDate(QDate.currentDate())

    def _connect(self) -> None:
        self.search.textChanged.connect(self._wait_for_pause)
        self.search.returnPressed.connect(self._announce)
        for combo in (self.team, self.agent, self.status, self.verdict, self.tag_kind):
            combo.currentIndexChanged.connect(self._announce)
        for check, edit in ((self.from_enabled, self.from_date), (self.to_enabled, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._announce)
            # Typing a date changes it one section at a time: wait for the pause, as for the search.
            edit.dateChanged.connect(self._wait_for_pause)
        self.clear_button.clicked.connect(self.clear)

    def set_facets(self, facets: Facets) -> None:
        """Offer what occurs in the library; a chosen value stays chosen while it still occurs."""
        _refill(self.team, "All teams", ((t, t) for t in facets.teams))
        _refill(self.agent, "All agents", ((a, a) for a in facets.agents))
        _refill(self.tag_kind, "Any tag", ((kind_label(k), k) for k in facets.tag_kinds))
        self._announce()

    def current(self) -> CallFilter:
        """The conditions the controls describe."""
        return CallFilter(
            team=self.team.currentData(),
            agent=self.agent.currentData(),
            started_from=_midnight_of(self.from_date) if self.from_enabled.isChecked() else None,
            # "To" is inclusive: a call at 23:59 that day is in, so the exclusive bound is the next midnight.
            started_before=_midnight_of(self.to_date, days_later=1) if self.to_enabled.isChecked() else None,
            # Qt hands a StrEnum back as a plain str.
            status=ReviewStatus(status) if (status := self.status.currentData()) else None,
            tag_kind=self.tag_kind.currentData(),
            text=self.search.text().strip(),
            verdict=VerdictStatus(verdict) if (verdict := self.verdict.currentData()) else None,
        )

    def clear(self) -> None:
        """Back to every call: empty search, 'all' everywhere, no date bounds."""
        self._debounce.stop()
        combos = (self.team, self.agent, self.status, self.verdict, self.tag_kind)
        widgets = (self.search, *combos, self.from_enabled, self.to_enabled, self.from_date, self.to_date)
        for widget in widgets:
            widget.blockSignals(True)  # one `changed` for the whole reset, not one per control
        self.search.clear()
        for combo in combos:
            combo.setCurrentIndex(0)
        for check, edit in ((self.from_enabled, self.from_date), (self.to_enabled, self.to_date)):
            check.setChecked(False)
            edit.setEnabled(False)
        self._reset_dates()
        for widget in widgets:
            widget.blockSignals(False)
        self._announce()

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected (the window's Ctrl+F)."""
        self.search.setFocus()
        self.search.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving the page (or closing) with a search still pending applies it now rather than later, unseen.
        if self._debounce.isActive():
            self._announce()
        super().hideEvent(event)

    def _wait_for_pause(self, _value: object) -> None:
        self._debounce.start()  # restarts: one query when typing pauses, not one per key

    def _announce(self) -> None:
        self._debounce.stop()
        now = self.current()
        if now != self._emitted:
            self._emitted = now
            self.changed.emit()


def _midnight_of(edit: QDateEdit, *, days_later: int = 0) -> datetime:
    day = edit.date()
    return local_midnight(date(day.year(), day.month(), day.day()) + timedelta(days=days_later))


def _refill(combo: QComboBox, everything: str, items: Iterable[tuple[str, str]]) -> None:
    """Replace a combo's values after its 'all' entry, keeping the chosen one if it is still offered."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
    combo.blockSignals(False)
