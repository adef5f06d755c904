"""The main window: for now the call library as a sortable, filterable table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer import __version__
from reviewer.services.context import Services
from reviewer.services.library import list_calls
from reviewer.ui.library_model import SORT_ROLE, LibraryModel


class MainWindow(QMainWindow):
    """The library table with a filter box, a menu, and a status line naming the database."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        self.model = LibraryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.setWindowTitle(f"Call Reviewer — {self._services.database.location()}")
        self.filter = QLineEdit(placeholderText="Filter by call, agent, team, date…", clearButtonEnabled=True)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measure a sample of rows, not all of them: a large library must not stall on resize.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_hint = QLabel(
            "The library is empty. Import calls with <code>reviewer import FILE|FOLDER</code> "
            "or build the demo library with <code>reviewer demo</code>."
        )
        self.empty_hint.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.filter)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table)
        self.setCentralWidget(body)
        self._build_menus()
        self.resize(1000, 600)

    def _action(self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self._action("&Refresh", self.refresh, QKeySequence(QKeySequence.StandardKey.Refresh)))
        file_menu.addAction(self._action("&Filter…", self.filter.setFocus, QKeySequence(QKeySequence.StandardKey.Find)))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence(QKeySequence.StandardKey.Quit)))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About Call Reviewer", self._on_about_triggered))

    def refresh(self) -> None:
        """Reload the library rows from the database."""
        calls = list_calls(self._services)
        self.model.set_calls(calls)
        self.empty_hint.setVisible(not calls)
        self.statusBar().showMessage(f"{len(calls)} calls · {self._services.database.location()}")

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Call Reviewer",
            f"Call Reviewer {__version__}\nOffline review of recorded calls against the conduct policy.",
        )
