"""Import dropped or chosen files on a worker, with a progress dialog and the CLI's error report at the end."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from reviewer.domain.progress import Progress
from reviewer.services.batches import plan_drop
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.text.problems import describe
from reviewer.text.reports import failure_lines, outcome_lines
from reviewer.ui import workers


def report_text(report: ImportReport) -> str:
    """The report as the CLI prints it: one line per refused file, then the counts."""
    return "\n".join(failure_lines(report) + outcome_lines(report))


def _import(services: Services, paths: list[Path], report: ImportReport) -> Generator[Progress, None, ImportReport]:
    requests, problems = plan_drop(paths, ImportRequest(audio=Path()))
    report.failed.extend(problems)
    yield from import_calls(services, requests, report)
    return report


class ImportRun(QObject):
    """One import batch: a modal progress dialog while it runs, then a summary (details list every refusal)."""

    done = Signal(object)  # the ImportReport

    def __init__(self, services: Services, paths: list[Path], parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.report = ImportReport()
        self.dialog = QProgressDialog("Planning the import…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle("Importing calls")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)  # a quick import of one file never flashes a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.job = workers.start(lambda: _import(services, paths, self.report), self)
        self.job.progressed.connect(self._on_job_progressed)
        self.job.finished.connect(self._on_job_ended)
        self.job.failed.connect(self._on_job_ended)
        self.dialog.canceled.connect(self.job.cancel)

    def _on_job_progressed(self, progress: Progress) -> None:
        self.dialog.setMaximum(max(progress.total, 1))
        self.dialog.setValue(progress.done)
        name = Path(progress.item).name if progress.item else ""
        self.dialog.setLabelText(f"Importing {progress.done + 1} of {progress.total}: {name}" if name else "Finishing…")

    def _on_job_ended(self, outcome: object) -> None:
        self.dialog.reset()
        self.dialog.hide()
        if isinstance(outcome, BaseException) and not isinstance(outcome, workers.CancelledError):
            raise outcome  # a bug, not a bad file: the application's excepthook reports it
        self.done.emit(self.report)
        self.deleteLater()


def show_report(parent: QWidget, report: ImportReport, cancelled: bool = False) -> QMessageBox:
    """A summary box; the full report (as the CLI prints it) under Details."""
    counts = f"Imported {len(report.imported)} call(s), skipped {len(report.skipped)}, failed {len(report.failed)}."
    icon = QMessageBox.Icon.Warning if report.failed else QMessageBox.Icon.Information
    box = QMessageBox(icon, "Import finished" if not cancelled else "Import cancelled", counts, parent=parent)
    if report.failed:
        more = len(report.failed) - 1
        box.setInformativeText(describe(report.failed[0]) + (f"\n… and {more} more" if more else ""))
    if report.failed or report.skipped:
        box.setDetailedText(report_text(report))
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.show()
    return box
