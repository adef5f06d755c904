"""The main window: the Calls and Trends tabs and the review page in one stack, with menus, drops, recent calls and
layout."""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressBar, QStackedWidget, QTabWidget, QWidget

from reviewer import __version__
from reviewer.domain.progress import Progress
from reviewer.domain.tags import TagKind
from reviewer.services.context import Services
from reviewer.services.detecting import detector_rates
from reviewer.services.importing import ImportReport
from reviewer.services.review import tag_kinds
from reviewer.ui import workers
from reviewer.ui.import_dialog import ImportRun, show_report
from reviewer.ui.keyboard_help import KeyboardHelpDialog, rows_from_actions
from reviewer.ui.library_page import LibraryPage
from reviewer.ui.policy_dialog import PolicyDialog
from reviewer.ui.review_page import ReviewPage
from reviewer.ui.review_tagging import readable
from reviewer.ui.suggestion_panel import DetectorPrecisionDialog
from reviewer.ui.trends_page import TrendsPage

DemoOpener = Callable[[], Generator[Progress, None, Services]]
RECENT_LIMIT = 10


class MainWindow(QMainWindow):
    """The library's calls and trends on tabs, and the review of one call, in one window; every command is in a
    menu with its shortcut."""

    def __init__(self, services: Services, demo_opener: DemoOpener | None = None) -> None:
        super().__init__()
        self.services = services
        self._demo_opener = demo_opener
        self.settings = QSettings()
        self.library = LibraryPage(services)
        self.trends = TrendsPage(services)
        self.review = ReviewPage(services)
        self.home = QTabWidget()  # the tab a call was opened from is the one closing it comes back to
        self.home.setDocumentMode(True)
        self.home.addTab(self.library, "Calls")
        self.home.addTab(self.trends, "Trends")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.home)
        self.pages.addWidget(self.review)
        self.setCentralWidget(self.pages)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy indicator: opening a call or building the demo has no known length
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        self.statusBar().addPermanentWidget(self.busy)
        self.setAcceptDrops(True)
        self._build_menus()
        self._connect()
        self.resize(1280, 800)
        self._restore_layout()
        self.show_library()

    def _connect(self) -> None:
        self.library.open_requested.connect(self.open_call)
        self.library.demo_requested.connect(self.open_demo)
        self.library.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.trends.open_requested.connect(self.open_call)
        self.trends.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.home.currentChanged.connect(self._on_home_current_changed)
        self.review.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.review.call_opened.connect(self._on_review_call_opened)
        self.review.loading.connect(self.busy.setVisible)

    # --- menus ------------------------------------------------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], *keys: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.file_actions = [
            self._action("&Import files…", self.import_files, "Ctrl+I"),
            self._action("Import &folder…", self.import_folder, "Ctrl+Shift+I"),
            self._action("&Close call", self.show_home, "Ctrl+W"),
            self._action("&Refresh library", self.refresh_library, QKeySequence.StandardKey.Refresh),
            self._action("Filter the &library…", self._focus_library_search, "Ctrl+Shift+F"),
        ]
        file_menu.addActions(self.file_actions)
        self.recent_menu = file_menu.addMenu("Recent &calls")
        self.demo_action = self._action("Open the &demo library", self.open_demo)
        self.demo_action.setEnabled(self._demo_opener is not None)
        file_menu.addAction(self.demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))
        edit = bar.addMenu("&Edit")
        self.review.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.review.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addActions([self.review.undo_action, self.review.redo_action])
        self.addActions([self.review.undo_action, self.review.redo_action])
        edit.addSeparator()
        self.policies_action = self._action("&Policies…", self.show_policies)
        edit.addAction(self.policies_action)
        groups = self.review.action_groups
        for group in ("Playback", "Navigate", "View", "Tag", "Suggestions", "Review"):
            menu = bar.addMenu(f"&{group}")
            menu.addActions(groups[group])
            if group == "View":
                menu.addSeparator()
                self.home_actions = [
                    self._action("&Calls", self.show_library, "Ctrl+L"),
                    self._action("&Trends", self.show_trends, "Ctrl+T"),
                ]
                menu.addActions(self.home_actions)
            if group == "Tag":
                self._add_kind_menu(menu)
            if group == "Suggestions":
                menu.addSeparator()
                self.precision_action = self._action("Detector &precision…", self.show_detector_precision)
                menu.addAction(self.precision_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard…", self.show_keyboard_help, "F1"))
        help_menu.addAction(self._action("&About Call Reviewer", self._on_about_triggered))
        self._fill_recent_menu()

    def _add_kind_menu(self, menu: Any) -> None:
        self.kind_menu = menu.addMenu("Tag &as")
        self.kind_actions: list[QAction] = []
        self._fill_kind_menu(tag_kinds())

    def _fill_kind_menu(self, kinds: tuple[TagKind, ...]) -> None:
        """Tag ▸ Tag as: the open call's vocabulary (its team policy may add kinds)."""
        self.kind_menu.clear()
        self.kind_actions = []
        for spec in kinds:
            action = self.kind_menu.addAction(readable(spec.name))
            action.triggered.connect(lambda _c=False, k=spec.name: self.review.tag_as(k))
            self.kind_actions.append(action)

    def keyboard_rows(self) -> list[tuple[str, str, str]]:
        """Every shortcut, as Help ▸ Keyboard shows it."""
        groups = {"File": self.file_actions, "Edit": [self.review.undo_action, self.review.redo_action]}
        groups |= self.review.action_groups
        groups["View"] = [*groups.get("View", []), *self.home_actions]
        return rows_from_actions(groups)

    def show_policies(self) -> PolicyDialog:
        """Edit ▸ Policies: choose each team's policy; verdicts follow at once."""
        dialog = PolicyDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._on_policies_changed)
        dialog.show()
        return dialog

    def _on_policies_changed(self) -> None:
        if self.review.call is not None:
            self.review.refresh_vocabulary()
            self._fill_kind_menu(self.review.kinds)
            self.review.recheck()
        self._refresh_home()

    def show_detector_precision(self) -> DetectorPrecisionDialog:
        """Suggestions ▸ Detector precision: each detector's acceptance rate, from the supervisors' decisions."""
        dialog = DetectorPrecisionDialog(detector_rates(self.services), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_keyboard_help(self) -> None:
        """Help ▸ Keyboard."""
        dialog = KeyboardHelpDialog(self.keyboard_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- pages ------------------------------------------------------------------------------------------------

    def show_home(self) -> None:
        """File ▸ Close call: the call is saved (it always is); back to the tab it was opened from."""
        self.review.close_call()
        self.pages.setCurrentWidget(self.home)
        self.setWindowTitle(f"Call Reviewer — {self.services.database.location()}")
        if self.home.currentWidget() is self.library:
            self.refresh_library()
            self.library.table.setFocus()
        # The Trends tab reads the library again whenever it is shown.

    def show_library(self) -> None:
        """View ▸ Calls: the library's calls."""
        self._choose_tab(self.library)
        self.show_home()

    def show_trends(self) -> None:
        """View ▸ Trends: a measure per week or month, an agent against the team."""
        self._choose_tab(self.trends)
        self.show_home()
        self.trends.canvas.setFocus()

    def _choose_tab(self, tab: QWidget) -> None:
        self.home.blockSignals(True)  # show_home refreshes the tab, once
        self.home.setCurrentWidget(tab)
        self.home.blockSignals(False)

    def _on_home_current_changed(self, _index: int) -> None:
        if self.home.currentWidget() is self.library:  # a click on the Calls tab
            self.refresh_library()

    def _refresh_home(self) -> None:
        """The library changed: the tab in view reads it again (the other reads it when it is shown)."""
        if self.pages.currentWidget() is self.home:
            if self.home.currentWidget() is self.library:
                self.refresh_library()
            else:
                self.trends.refresh()

    def refresh_library(self) -> None:
        """Reload the library rows."""
        shown = self.library.refresh()
        self.statusBar().showMessage(f"{shown} calls · {self.services.database.location()}")

    def open_call(self, call_id: int) -> None:
        """Open a call for review."""
        self.pages.setCurrentWidget(self.review)
        self.review.open_call(call_id)

    def _on_review_call_opened(self, call_id: int, label: str) -> None:
        self._fill_kind_menu(self.review.kinds)
        self.setWindowTitle(f"{label} — Call Reviewer")
        recent = [r for r in self._recent() if r[0] != call_id]
        self.settings.setValue("recent", [f"{i}\t{name}" for i, name in [(call_id, label), *recent][:RECENT_LIMIT]])
        self._fill_recent_menu()

    def _recent(self) -> list[tuple[int, str]]:
        stored = self.settings.value("recent", []) or []
        entries = [stored] if isinstance(stored, str) else list(stored) if isinstance(stored, list) else []
        found = []
        for entry in entries:
            call_id, _, label = str(entry).partition("\t")
            if call_id.isdigit():
                found.append((int(call_id), label))
        return found

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for n, (call_id, label) in enumerate(self._recent(), start=1):
            self.recent_menu.addAction(f"&{n % 10} {label}", partial(self.open_call, call_id))
        self.recent_menu.setEnabled(bool(self._recent()))

    def _focus_library_search(self) -> None:
        self.show_library()
        self.library.filters.focus_search()

    # --- import -----------------------------------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> ImportRun:
        """Import files and folders on a worker with a progress dialog; the library refreshes at the end."""
        run = ImportRun(self.services, paths, self)
        run.done.connect(self._on_import_done)
        return run

    def _on_import_done(self, report: ImportReport) -> None:
        self._refresh_home()
        self.last_report_box = show_report(self, report)

    def import_files(self) -> None:
        """File ▸ Import files."""
        files, _ = QFileDialog.getOpenFileNames(self, "Import recordings and transcripts")
        if files:
            self.import_paths([Path(f) for f in files])

    def import_folder(self) -> None:
        """File ▸ Import folder."""
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of calls")
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # --- demo -------------------------------------------------------------------------------------------------

    def open_demo(self) -> None:
        """Build (or rebuild) the demo library on a worker and switch to it."""
        if self._demo_opener is None:
            return
        self.busy.setVisible(True)
        self.statusBar().showMessage("Building the demo library…")
        job = workers.start(self._demo_opener, self)
        job.progressed.connect(lambda p: self.statusBar().showMessage(f"Building the demo library: {p.item}"))
        job.finished.connect(self._on_demo_ready)
        job.failed.connect(self._on_demo_failed)

    def _on_demo_ready(self, services: Services) -> None:
        self.busy.setVisible(False)
        self.services = services
        for holder in (self.library, self.trends, self.review, self.review.editor):
            holder.services = services
        self.show_library()

    def _on_demo_failed(self, error: BaseException) -> None:
        self.busy.setVisible(False)
        QMessageBox.warning(self, "Demo library", f"The demo library could not be built: {error}")

    # --- layout -----------------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        for key, target in self._layout_parts().items():
            value = self.settings.value(f"layout/{key}")
            if isinstance(value, QByteArray):
                target[1](value)

    def _layout_parts(self) -> dict[str, tuple[Callable[[], QByteArray], Callable[[QByteArray], object]]]:
        return {
            "geometry": (self.saveGeometry, self.restoreGeometry),
            "state": (self.saveState, self.restoreState),
            "splitter": (self.review.splitter.saveState, self.review.splitter.restoreState),
            # Keys carry the shape: a state saved for two panes (or fewer columns) would hide the new ones.
            "lower3": (self.review.lower_splitter.saveState, self.review.lower_splitter.restoreState),
            "trends_splitter": (self.trends.splitter.saveState, self.trends.splitter.restoreState),
            "trends_tables": (self.trends.tables_splitter.saveState, self.trends.tables_splitter.restoreState),
            "library_header_v2": (
                self.library.table.horizontalHeader().saveState,
                self.library.table.horizontalHeader().restoreState,
            ),
        }

    def closeEvent(self, event: QCloseEvent) -> None:
        self.review.close_call()  # saves the summary being typed; tags were saved as they were made
        self.library.stop()
        self.trends.stop()
        for key, (save, _restore) in self._layout_parts().items():
            self.settings.setValue(f"layout/{key}", save())
        self.settings.sync()
        super().closeEvent(event)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Call Reviewer",
            f"Call Reviewer {__version__}\nOffline review of recorded calls against the conduct policy.",
        )
