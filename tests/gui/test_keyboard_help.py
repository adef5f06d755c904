"""The keyboard sheet: rows read from QActions, grouped, narrowed by the filter box, closed with Escape."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from reviewer.ui.keyboard_help import KeyboardHelpDialog, rows_from_actions


def _action(owner: QWidget, text: str, *keys: str) -> QAction:
    action = QAction(text, owner)
    action.setShortcuts([QKeySequence(k) for k in keys])
    return action


@pytest.fixture
def owner(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_rows_come_from_the_actions(owner: QWidget) -> None:
    separator = QAction(owner)
    separator.setSeparator(True)
    hidden = _action(owner, "Secret", "Ctrl+Alt+S")
    hidden.setVisible(False)
    groups = {
        "Playback": [
            _action(owner, "&Play / pause", "Space", "Ctrl+Space"),
            separator,
            _action(owner, "Play &selection", "Shift+Space"),
            _action(owner, "Loop"),  # no key: not on the sheet
        ],
        "Tags": [_action(owner, "&Delete tag", "Del"), _action(owner, "Tags && &notes", "F2"), hidden],
    }
    assert rows_from_actions(groups) == [
        ("Playback", "Play / pause", "Space / Ctrl+Space"),
        ("Playback", "Play selection", "Shift+Space"),
        ("Tags", "Delete tag", "Del"),
        ("Tags", "Tags & notes", "F2"),
    ]


ROWS = [
    ("Playback", "Play / pause", "Space / Ctrl+Space"),
    ("Playback", "Slower", "Ctrl+["),
    ("View", "Zoom in", "Ctrl+="),
    ("View", "Zoom out", "Ctrl+-"),
    ("Tags", "Delete tag", "Del"),
]


def test_sheet_groups_rows_and_filters_them(qtbot: QtBot) -> None:
    dialog = KeyboardHelpDialog(ROWS)
    qtbot.addWidget(dialog)
    assert dialog.visible_rows() == ROWS
    groups = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    assert [g.text(0) for g in groups if g] == ["Playback", "View", "Tags"]
    qtbot.keyClicks(dialog.filter, "zoom")
    assert dialog.visible_rows() == ROWS[2:4]
    assert [g.isHidden() for g in groups if g] == [True, False, True]
    dialog.filter.setText("ctrl pause")  # words in any order, keys included
    assert dialog.visible_rows() == ROWS[:1]
    dialog.filter.setText("tags")  # a group name shows the whole group
    assert dialog.visible_rows() == ROWS[4:]
    dialog.filter.clear()
    assert dialog.visible_rows() == ROWS


def test_escape_closes_the_sheet(qtbot: QtBot) -> None:
    dialog = KeyboardHelpDialog(ROWS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.filter.setFocus()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
