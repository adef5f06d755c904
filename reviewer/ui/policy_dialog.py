"""Settings ▸ Policies: which conduct policy each team's calls are checked against.

One row per team, plus "Every other team". A choice is a shipped policy or any policy file; the file is loaded
before it is accepted, so a malformed one is refused with its line and reason and nothing changes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain.problems import InputError
from reviewer.services.context import Services
from reviewer.services.library import facets
from reviewer.services.policies import bundled_policies, choose_policy, read_policy, team_policies
from reviewer.text.problems import describe

OTHER_FILE = "__other__"
EVERY_OTHER_TEAM = "Every other team"


class PolicyDialog(QDialog):
    """A table of teams and their policies; each change is saved at once and announced by `changed`."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Policies")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Team", "Policy"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.combos: dict[str, QComboBox] = {}
        note = QLabel(
            "Calls are checked against their team's policy. Copy a shipped policy file to change its rules; "
            "verdicts reached under another policy are checked again."
        )
        note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("policyError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 320)
        self._fill()

    def _fill(self) -> None:
        rows = team_policies(self.services, list(facets(self.services).teams))
        self.table.setRowCount(len(rows))
        self.combos.clear()
        for row, choice in enumerate(rows):
            name = QLabel(choice.team or f"<i>{EVERY_OTHER_TEAM}</i>")
            name.setTextFormat(Qt.TextFormat.RichText)
            self.table.setCellWidget(row, 0, name)
            combo = self._combo(choice.path)
            combo.activated.connect(lambda _i, team=choice.team: self._on_combo_activated(team))
            self.table.setCellWidget(row, 1, combo)
            self.combos[choice.team] = combo
        self.table.resizeColumnToContents(0)

    def _combo(self, current: Path) -> QComboBox:
        combo = QComboBox()
        paths = [*bundled_policies()]
        if current.resolve() not in {p.resolve() for p in paths}:
            paths.append(current)
        for path in paths:
            combo.addItem(_label(path), str(path.resolve()))
        combo.addItem("Other policy file…", OTHER_FILE)
        combo.setCurrentIndex(max(0, combo.findData(str(current.resolve()))))
        return combo

    def _on_combo_activated(self, team: str) -> None:
        combo = self.combos[team]
        chosen = combo.currentData()
        if chosen == OTHER_FILE:
            name, _ = QFileDialog.getOpenFileName(self, "Choose a policy file", "", "Policy files (*.toml)")
            if not name:
                self._fill()
                return
            chosen = name
        self.choose(team, Path(chosen))

    def choose(self, team: str, path: Path) -> bool:
        """Use a policy file for a team; a malformed file is refused with its reason. True when saved."""
        try:
            choose_policy(self.services, team, path)
        except InputError as error:
            # Said in the dialog, not in a message box: the supervisor fixes the file and chooses it again.
            self.error.setText(f"Policy not used: {describe(error.problem)}")
            self.error.show()
            self._fill()
            return False
        self.error.hide()
        self._fill()
        self.changed.emit()
        return True


def _label(path: Path) -> str:
    try:
        policy = read_policy(path)
    except InputError:
        return f"{path.name} (cannot be read)"
    return f"{policy.ref.name} {policy.ref.version} — {path.name}"
