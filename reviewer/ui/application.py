"""Create the QApplication and show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from reviewer.services.context import Services
from reviewer.ui.main_window import MainWindow


def run_gui(services: Services) -> int:
    """Run the event loop until the window closes; returns Qt's exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Call Reviewer")
    app.setOrganizationName("call-reviewer")
    window = MainWindow(services)
    window.show()
    return int(app.exec())
