"""The verdict panel: the call's status under its policy and the checker's trace as readable steps.

Each row is one step ("00:27 warning 2 of 2 after profanity at 00:23 (R1)"); findings stand out in their
severity's colour. Activating a row (click, Enter) asks the review page to seek there and select the step's tags.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from reviewer.domain.verdict import TraceStep, Verdict, VerdictStatus
from reviewer.text.times import clock
from reviewer.text.verdicts import finding_message, status_label, step_line
from reviewer.ui.library_model import VERDICT_COLORS
from reviewer.ui.timeline.colors import TimelineColors

Index = QModelIndex | QPersistentModelIndex
STEP_ROLE = Qt.ItemDataRole.UserRole + 1  # the TraceStep of a row


class TraceModel(QAbstractListModel):
    """The trace steps of one verdict (or only its findings)."""

    def __init__(self, parent: Any = None, *, colors: TimelineColors) -> None:
        super().__init__(parent)
        self._colors = colors  # findings in the same colours as their markers on the timeline
        self._steps: list[TraceStep] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_steps(self, steps: list[TraceStep]) -> None:
        """Show these steps."""
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def step_at(self, row: int) -> TraceStep:
        """The step of a row."""
        return self._steps[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._steps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        step = self._steps[index.row()]
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            return self._finding_style(step, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return step_line(step)
        if role == STEP_ROLE:
            return step
        return _tooltip(step) if role == Qt.ItemDataRole.ToolTipRole else None

    def _finding_style(self, step: TraceStep, role: int) -> QColor | QFont | None:
        """Findings in their severity's colour; all but info ones in bold."""
        finding = step.finding()
        if finding is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colors.severity(finding.severity.value)
        return self._bold if finding.severity.value != "info" else None


def _tooltip(step: TraceStep) -> str:
    finding = step.finding()
    where = f"Click to go to {clock(step.at_ms)}" + (" and select the tags it rests on" if step.tags else "")
    if finding is None:
        return f"Rule {step.rule}. {where}."
    return f"{finding.rule} ({finding.severity.value}): {finding_message(finding)}. {where}."


class VerdictPanel(QWidget):
    """Status line, a findings-only switch and the trace list."""

    step_activated = Signal(int, object)  # at_ms, tuple of tag ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict: Verdict | None = None
        self.status = QLabel()
        self.status.setObjectName("verdictStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)
        self.findings_only = QCheckBox("Findings only")
        self.findings_only.setToolTip("Hide the steps that found nothing wrong")
        self.model = TraceModel(self, colors=TimelineColors(self.palette()))
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAccessibleName("Verdict trace")
        self._lay_out()
        self.findings_only.toggled.connect(self._on_findings_only_toggled)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        self.clear()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.findings_only, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)

    def clear(self) -> None:
        """No call open."""
        self.verdict = None
        self.status.setText("Verdict: <i>no call open</i>")
        self.model.set_steps([])

    def set_problem(self, text: str) -> None:
        """The call could not be checked (a broken policy file): say why instead of a stale verdict."""
        self.verdict = None
        self.status.setText(f"<b>Not checked</b>: {escape(text)}")
        self.model.set_steps([])

    def set_verdict(self, verdict: Verdict) -> None:
        """Show a verdict; the findings-only switch stays as the supervisor left it."""
        self.verdict = verdict
        color = VERDICT_COLORS[verdict.status].name()
        counted = [f for f in verdict.findings if f.severity.value != "info"]
        tally = f"{len(counted)} finding{'s' if len(counted) != 1 else ''}" if counted else "no findings"
        policy = verdict.policy
        self.status.setText(
            f"<span style='color:{color}'>●</span> <b>{status_label(verdict.status)}</b> — {tally}"
            f"<br><small>{escape(policy.name)} {escape(policy.version)}</small>"
        )
        self.status.setToolTip(f"Policy SHA-256 {policy.sha256}")
        self._show_steps()

    def status_text(self) -> VerdictStatus | None:
        """The status shown (None when nothing is)."""
        return self.verdict.status if self.verdict else None

    def _show_steps(self) -> None:
        steps = list(self.verdict.trace) if self.verdict else []
        if self.findings_only.isChecked():
            steps = [s for s in steps if s.finding() is not None]
        self.model.set_steps(steps)

    def _on_findings_only_toggled(self, _on: bool) -> None:
        self._show_steps()

    def _on_list_activated(self, index: QModelIndex) -> None:
        step = self.model.step_at(index.row())
        self.step_activated.emit(step.at_ms, step.tags)


def badge_text(verdict: Verdict | None) -> str:
    """The header's one-line verdict: a coloured dot and the status."""
    if verdict is None:
        return "Verdict: <i>not checked</i>"
    color = VERDICT_COLORS[verdict.status].name()
    return f"<span style='color:{color}'>●</span> <b>{status_label(verdict.status)}</b>"
