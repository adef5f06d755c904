"""The call library page: filters over a sortable table; Enter or double-click opens a call."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from reviewer.domain.library import CallFilter
from reviewer.domain.problems import StorageError
from reviewer.services.checking import CheckReport, refresh_verdicts
from reviewer.services.context import Services
from reviewer.services.library import facets, search_calls
from reviewer.text.problems import describe
from reviewer.ui import workers
from reviewer.ui.library_filters import LibraryFilterBar
from reviewer.ui.library_model import SORT_ROLE, LibraryModel


class LibraryPage(QWidget):
    """Filter bar, call table and the empty-library hint."""

    open_requested = Signal(int)  # call id
    demo_requested = Signal()
    message = Signal(str)  # a sentence for the status bar

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = LibraryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.filters = LibraryFilterBar()
        self.table = QTableView()
        self._recheck: workers.Job | None = None
        self._recheck_again = False  # a refresh came while a re-check ran: its stale rows need another pass
        self._build()
        self.filters.changed.connect(self.refresh)
        self.table.activated.connect(self._on_table_activated)

    def _build(self) -> None:
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(200)  # measure a sample of rows: a large library must not stall
        header.setStretchLastSection(True)
        self.table.setToolTip("Enter or double-click: open the call for review")
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.demo_button = QPushButton("Open the demo library (10 scripted calls)")
        self.demo_button.clicked.connect(self.demo_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)

    def refresh(self) -> int:
        """Reload the rows that meet the filters, and re-check stale verdicts in the background; returns the count."""
        self.filters.set_facets(facets(self.services))
        shown = self._reload_rows()
        if any(c.verdict is None or c.verdict_stale for c in self.model.calls()):
            if self._recheck is None:
                self._start_recheck()
            else:
                self._recheck_again = True
        return shown

    def stop(self) -> None:
        """Cancel a background re-check and wait for it (the window is closing; nothing is lost: each verdict is
        stored as it is reached, and the rest stay stale until the next start)."""
        job, self._recheck = self._recheck, None
        if job is not None:
            job.cancel()
            job.done.wait(10)

    def _start_recheck(self) -> None:
        """Verdicts missing or stale (tags or the team's policy changed) are checked on a worker; rows follow."""
        report = CheckReport()
        job = self._recheck = workers.start(lambda: refresh_verdicts(self.services, report), self)
        job.finished.connect(lambda _result: self._on_recheck_finished(job, report))
        job.failed.connect(lambda error: self._on_recheck_failed(job, error))

    def _on_recheck_finished(self, job: workers.Job, report: CheckReport) -> None:
        if job is not self._recheck:
            return  # stopped: the page is closing
        self._recheck = None
        if self._recheck_again:
            self._recheck_again = False
            self.refresh()  # a policy or the tags changed during the run
        elif report.checked:
            self._reload_rows()
        if report.failed:
            reasons = list(dict.fromkeys(describe(p) for p in report.failed))  # a broken policy file: said once
            self.message.emit("Verdicts not checked: " + "; ".join(reasons[:3]))

    def _on_recheck_failed(self, job: workers.Job, error: BaseException) -> None:
        if job is not self._recheck:
            return
        self._recheck = None
        if not isinstance(error, workers.CancelledError | StorageError):
            raise error
        if isinstance(error, StorageError):
            self.message.emit(f"Verdicts not checked: the database failed: {error.detail}")

    def _reload_rows(self) -> int:
        where = self.filters.current()
        calls = search_calls(self.services, where)
        self.model.set_calls(calls)
        library_empty = not calls and where == CallFilter()
        self.empty_hint.setVisible(not calls)
        self.demo_button.setVisible(library_empty)
        self.empty_hint.setText(
            "The library is empty. Drop recordings, transcripts or a folder on this window to import them, "
            "use File ▸ Import, or open the demo library."
            if library_empty
            else "No call matches these filters."
        )
        if calls and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        return len(calls)

    def current_call_id(self) -> int | None:
        """The call of the selected row."""
        index = self.table.currentIndex()
        return self.model.call_at(self.proxy.mapToSource(index).row()).id if index.isValid() else None

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.model.call_at(self.proxy.mapToSource(index).row()).id)
