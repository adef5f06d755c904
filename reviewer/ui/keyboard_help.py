"""Help ▸ Keyboard: a filterable sheet of shortcuts, read from the window's own actions so it never disagrees."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

Row = tuple[str, str, str]  # (group, action text, shortcut text)


def action_text(action: QAction) -> str:
    """An action's menu text without its mnemonic marks ('&Undo' -> 'Undo', 'Tags && notes' -> 'Tags & notes')."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_text(action: QAction) -> str:
    """All of an action's shortcuts as this platform writes them, e.g. 'Space / Ctrl+Space'."""
    native = QKeySequence.SequenceFormat.NativeText
    return " / ".join(s.toString(native) for s in action.shortcuts() if not s.isEmpty())


def rows_from_actions(groups: Mapping[str, Iterable[QAction]]) -> list[Row]:
    """The sheet's rows for each group's actions; separators, hidden actions and actions without keys are left out."""
    return [
        (group, action_text(action), keys)
        for group, actions in groups.items()
        for action in actions
        if not action.isSeparator() and action.isVisible() and (keys := shortcut_text(action))
    ]


class KeyboardHelpDialog(QDialog):
    """The shortcut sheet: one branch per group, narrowed by a filter box; Escape closes it."""

    def __init__(self, rows: Sequence[Row], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit(placeholderText="Filter shortcuts…", clearButtonEnabled=True)
        self.tree = QTreeWidget()
        self._fill(rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.resize(560, 620)

    def _fill(self, rows: Sequence[Row]) -> None:
        self.tree.setHeaderLabels(["Action", "Shortcut"])
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        branches: dict[str, tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = {}
        for group, action, keys in rows:
            if group not in branches:
                branches[group] = (self._group_item(group), [])
            parent, children = branches[group]
            children.append(QTreeWidgetItem(parent, [action, keys]))
        self._branches = list(branches.values())
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)

    def _group_item(self, group: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [group])
        item.setFirstColumnSpanned(True)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        return item

    def visible_rows(self) -> list[Row]:
        """The rows the filter lets through, in sheet order."""
        return [
            (group.text(0), item.text(0), item.text(1))
            for group, items in self._branches
            for item in items
            if not item.isHidden()
        ]

    def _on_filter_text_changed(self, text: str) -> None:
        # Words match in any order against the group, the action and the key ("zoom ctrl", "tag delete").
        words = text.lower().split()
        for group, items in self._branches:
            for item in items:
                haystack = f"{group.text(0)} {item.text(0)} {item.text(1)}".lower()
                item.setHidden(not all(w in haystack for w in words))
            group.setHidden(all(item.isHidden() for item in items))
