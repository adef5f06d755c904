"""The tag list: a model that only requests edits, and a view edited from the keyboard."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag, TagSource
from reviewer.ui.tag_table import (
    DURATION,
    END,
    KIND,
    LANE,
    NOTE,
    RULE,
    SORT_ROLE,
    START,
    TagTableModel,
    TagTableView,
)

EDIT = Qt.ItemDataRole.EditRole
YELL = Tag("yelling", Actor.CUSTOMER, 12_000, 14_500, note="loud\nand long", author="ann", id=1)
WARN = Tag("warning", Actor.AGENT, 3_000, 5_000, author="ann", source=TagSource.IMPORTED, id=2)
HANG = Tag("hang_up", Actor.AGENT, 60_000, 60_000, id=3)


@pytest.fixture
def model() -> TagTableModel:
    tags = TagTableModel(color_for=lambda kind: QColor("red") if kind == "yelling" else QColor("blue"))
    tags.set_tags([YELL, WARN, HANG])
    return tags


@pytest.fixture
def view(qtbot: QtBot, model: TagTableModel) -> TagTableView:
    table = TagTableView(model)
    qtbot.addWidget(table)
    table.resize(900, 300)
    table.show()
    qtbot.waitExposed(table)
    table.setFocus()
    return table


def _apply_edits(model: TagTableModel) -> list[tuple[Tag, Tag]]:
    """What the window does: save the edit, then show the tags again."""
    seen: list[tuple[Tag, Tag]] = []

    def apply(old: Tag, new: Tag) -> None:
        seen.append((old, new))
        model.set_tags([new if t.id == old.id else t for t in model.tags()])

    model.edit_requested.connect(apply)
    return seen


def _editor() -> QLineEdit | QComboBox:
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit | QComboBox), widget
    return widget


def _swatch_colour(model: TagTableModel, row: int) -> QColor:
    icon = model.index(row, KIND).data(Qt.ItemDataRole.DecorationRole)
    return icon.pixmap(12, 12).toImage().pixelColor(6, 6)


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, model: TagTableModel) -> None:
    qtmodeltester.check(model)
    model.set_rules({1: "R1"})
    model.set_tags([HANG, replace(YELL, start_ms=1_000), WARN])  # same tags, new order
    model.set_tags([WARN])
    assert [model.tag_at(r).id for r in range(model.rowCount())] == [2]


def test_rows_are_sorted_by_start_and_read_as_supervisors_do(model: TagTableModel) -> None:
    assert [model.tag_at(r).id for r in range(3)] == [2, 1, 3]
    assert model.row_of(1) == 1 and model.row_of(99) is None and model.row_of(None) is None
    cells = [model.index(1, c).data() for c in range(model.columnCount())]
    assert cells == ["Customer", "yelling", "00:12.000", "00:14.500", "2.5 s", "loud …", "ann", ""]
    assert model.index(2, KIND).data() == "hang-up"
    assert model.index(2, DURATION).data() == "point"
    assert model.index(2, LANE).data() == "Agent"
    assert (_swatch_colour(model, 1), _swatch_colour(model, 0)) == (QColor("red"), QColor("blue"))
    assert model.index(0, NOTE).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(1, NOTE).data(Qt.ItemDataRole.ToolTipRole) == "loud\nand long\n\nSource: manual, by ann"
    assert "imported" in model.index(0, LANE).data(Qt.ItemDataRole.ToolTipRole)
    right = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
    assert model.index(0, START).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, NOTE).data(Qt.ItemDataRole.TextAlignmentRole) != right
    assert model.index(1, DURATION).data(SORT_ROLE) == 2_500
    assert (model.index(1, START).data(EDIT), model.index(1, KIND).data(EDIT)) == ("00:12.000", "yelling")


def test_rules_column_shows_what_the_checker_found(model: TagTableModel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(model.dataChanged):
        model.set_rules({1: "R1, R4"})
    assert model.index(model.row_of(1) or 0, RULE).data() == "R1, R4"
    assert model.index(model.row_of(2) or 0, RULE).data() == ""


def test_only_lane_kind_times_and_note_are_editable(model: TagTableModel) -> None:
    editable = Qt.ItemFlag.ItemIsEditable
    span = [bool(model.flags(model.index(0, c)) & editable) for c in range(model.columnCount())]
    assert span == [True, True, True, True, False, True, False, False]
    assert not model.flags(model.index(2, END)) & editable  # a hang-up's end is its start


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (KIND, "profanity", replace(YELL, kind="profanity")),
        (KIND, "hang_up", replace(YELL, kind="hang_up", end_ms=12_000)),  # a point kind has no span
        (START, "00:05,5", replace(YELL, start_ms=5_500)),
        (START, 13_000, replace(YELL, start_ms=13_000)),
        (END, "1:00", replace(YELL, end_ms=60_000)),
        (NOTE, "calm down said", replace(YELL, note="calm down said")),
        (LANE, "agent", replace(YELL, actor=Actor.AGENT)),
        (LANE, "Call", replace(YELL, actor=Actor.CALL)),
    ],
)
def test_set_data_requests_the_edit_and_changes_nothing(
    qtbot: QtBot, model: TagTableModel, column: int, value: object, expected: Tag
) -> None:
    index = model.index(model.row_of(1) or 0, column)
    before = [model.index(index.row(), c).data() for c in range(model.columnCount())]
    with qtbot.waitSignal(model.edit_requested) as blocker:
        assert model.setData(index, value)
    assert blocker.args == [YELL, expected]
    assert model.tags() == (WARN, YELL, HANG)
    assert [model.index(index.row(), c).data() for c in range(model.columnCount())] == before


def test_moving_a_point_event_moves_its_end_too(qtbot: QtBot, model: TagTableModel) -> None:
    with qtbot.waitSignal(model.edit_requested) as blocker:
        assert model.setData(model.index(2, START), "00:58.250")
    assert blocker.args[1] == replace(HANG, start_ms=58_250, end_ms=58_250)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (START, "abc"),
        (START, "00:15"),  # after the end
        (START, -5),
        (END, "00:11"),  # before the start
        (END, "1:75:00"),
        (KIND, "not_a_kind"),
        (LANE, "supervisor"),
        (NOTE, None),
        (DURATION, "3.0 s"),
        (RULE, "R9"),
    ],
)
def test_invalid_edits_are_refused_silently(qtbot: QtBot, model: TagTableModel, column: int, value: object) -> None:
    with qtbot.assertNotEmitted(model.edit_requested):
        assert not model.setData(model.index(model.row_of(1) or 0, column), value)


def test_unchanged_value_is_accepted_without_an_edit(qtbot: QtBot, model: TagTableModel) -> None:
    with qtbot.assertNotEmitted(model.edit_requested):
        assert model.setData(model.index(model.row_of(1) or 0, START), "12")
        assert not model.setData(model.index(2, END), "01:00")  # a point kind's end is not editable


def test_note_is_edited_with_f2_and_enter(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    view.select_tag(1)
    view.setCurrentIndex(model.index(model.row_of(1) or 0, NOTE))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = _editor()
    assert view.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "shouting")
    with qtbot.waitSignal(model.edit_requested) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert blocker.args == [YELL, replace(YELL, note="shouting")]
    assert model.tag_at(model.row_of(1) or 0).note == YELL.note  # the window has not applied it


def test_enter_starts_editing_and_typing_replaces_the_time(
    qtbot: QtBot, view: TagTableView, model: TagTableModel
) -> None:
    view.setCurrentIndex(model.index(0, START))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(_editor(), Qt.Key.Key_Escape)
    assert view.state() != QAbstractItemView.State.EditingState
    qtbot.keyClicks(view, "2")  # any key starts editing, replacing the cell text
    editor = _editor()
    assert isinstance(editor, QLineEdit) and editor.text() == "2"
    qtbot.keyClicks(editor, "x")  # the validator refuses letters
    assert editor.text() == "2"
    with qtbot.waitSignal(model.edit_requested) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert blocker.args == [WARN, replace(WARN, start_ms=2_000)]


def test_tab_commits_and_moves_to_the_next_cell(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    seen = _apply_edits(model)
    view.setCurrentIndex(model.index(0, START))
    qtbot.keyClicks(view, "1")
    qtbot.keyClick(_editor(), Qt.Key.Key_Tab)
    assert seen == [(WARN, replace(WARN, start_ms=1_000))]
    assert view.state() == QAbstractItemView.State.EditingState
    assert view.currentIndex().column() == END
    editor = _editor()
    assert isinstance(editor, QLineEdit) and editor.text() == "00:05.000"


def test_kind_is_chosen_in_a_combo_with_key_hints(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    view.setCurrentIndex(model.index(model.row_of(1) or 0, KIND))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = _editor()
    assert isinstance(combo, QComboBox) and combo.currentData() == "yelling"
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "profanity  (2)" in texts and "hang-up" in texts and "sexual harassment" in texts
    combo.setCurrentIndex(combo.findData("insult"))
    with qtbot.waitSignal(model.edit_requested) as blocker:
        qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert blocker.args == [YELL, replace(YELL, kind="insult")]


def test_tag_selected_follows_the_current_row(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    with qtbot.waitSignal(view.tag_selected) as blocker:
        view.setCurrentIndex(model.index(2, KIND))
    assert blocker.args == [3]
    with qtbot.waitSignal(view.tag_selected) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Up)
    assert blocker.args == [1]
    with qtbot.assertNotEmitted(view.tag_selected):
        qtbot.keyClick(view, Qt.Key.Key_Right)  # another cell of the same tag


def test_select_tag_is_quiet_and_survives_set_tags(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    with qtbot.assertNotEmitted(view.tag_selected):
        view.select_tag(3)
        model.set_tags([*model.tags(), Tag("profanity", Actor.CUSTOMER, 0, 500, id=4)])  # a reset
    assert view.currentIndex().row() == model.row_of(3) == 3
    assert view.selectionModel().isRowSelected(3, QModelIndex())
    view.select_tag(4)
    assert view.selected_tag_id() == 4 and view.currentIndex().row() == 0
    with qtbot.waitSignal(view.tag_selected) as blocker:
        model.set_tags([WARN, YELL])  # the selected tag was deleted
    assert blocker.args == [None]
    assert not view.selectionModel().hasSelection()
    with qtbot.assertNotEmitted(view.tag_selected):
        view.select_tag(None)


def test_selection_follows_a_tag_whose_start_moved(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    seen = _apply_edits(model)
    view.select_tag(1)
    view.setCurrentIndex(model.index(1, START))
    with qtbot.assertNotEmitted(view.tag_selected):
        qtbot.keyClicks(view, "1")
        qtbot.keyClicks(_editor(), ".5")
        with qtbot.waitSignal(model.edit_requested):
            qtbot.keyClick(_editor(), Qt.Key.Key_Return)
    assert seen == [(YELL, replace(YELL, start_ms=1_500))]
    assert model.row_of(1) == 0
    assert view.currentIndex().row() == 0 and view.selected_tag_id() == 1


def test_a_reset_during_the_commit_is_harmless(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    # A colleague's tag arrives with the saved edit: the window's set_tags resets the model inside the commit.
    added = Tag("threat", Actor.CUSTOMER, 1_000, 2_000, id=9)
    model.edit_requested.connect(lambda old, new: model.set_tags([added, *(t for t in model.tags() if t != old), new]))
    view.edit_note(1)
    editor = _editor()
    assert isinstance(editor, QLineEdit) and editor.text() == "loud\nand long"
    qtbot.keyClicks(editor, "!")
    with qtbot.waitSignal(model.edit_requested):
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on Enter through a queued call
    assert model.tag_at(model.row_of(1) or 0).note == "!"
    assert model.rowCount() == 4 and view.selected_tag_id() == 1
    assert view.state() != QAbstractItemView.State.EditingState


def test_edit_note_opens_the_note_editor(view: TagTableView, model: TagTableModel) -> None:
    assert not view.edit_note(99)
    assert view.edit_note(2)
    assert view.state() == QAbstractItemView.State.EditingState
    assert view.currentIndex() == model.index(0, NOTE)
    assert isinstance(_editor(), QLineEdit)


def test_enter_keeps_an_impossible_time_open(qtbot: QtBot, view: TagTableView, model: TagTableModel) -> None:
    view.setCurrentIndex(model.index(0, END))
    qtbot.keyClicks(view, "1")
    editor = _editor()
    qtbot.keyClicks(editor, ":75")
    with qtbot.assertNotEmitted(model.edit_requested, wait=50):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.state() == QAbstractItemView.State.EditingState and editor.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert view.state() != QAbstractItemView.State.EditingState
