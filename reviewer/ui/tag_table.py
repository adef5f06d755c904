"""The review window's tag list: a table model over Tag values, and a view that edits it from the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap, QValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from reviewer.domain.parties import Actor
from reviewer.domain.tags import DEFAULT_KINDS, Tag, TagKind, TagSource
from reviewer.services.review import keyed_kinds, kind, tag_kinds
from reviewer.text.tags import kind_label
from reviewer.text.times import clock, parse_clock

Index = QModelIndex | QPersistentModelIndex

LANE, KIND, START, END, DURATION, NOTE, AUTHOR, RULE = range(8)
HEADERS = ("Lane", "Kind", "Start", "End", "Duration", "Note", "Author", "Rule")
EDITABLE = frozenset({LANE, KIND, START, END, NOTE})
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 2

# "Unknown" is for a hang-up when nobody can tell who ended the call; such tags sit in the call events lane.
LANE_LABELS = {Actor.AGENT: "Agent", Actor.CUSTOMER: "Customer", Actor.CALL: "Call", Actor.UNKNOWN: "Unknown"}
SOURCE_LABELS = {
    TagSource.MANUAL: "manual",
    TagSource.SUGGESTED: "suggested by a detector",
    TagSource.ACCEPTED: "accepted suggestion",
    TagSource.IMPORTED: "imported",
}
NEUTRAL_GREY = QColor("#9e9e9e")
TIME_HINT = "ss, mm:ss or h:mm:ss, optionally with .mmm"

_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_EDIT = Qt.ItemDataRole.EditRole

_SHOW: dict[int, Callable[[Tag], str]] = {
    LANE: lambda t: LANE_LABELS[t.actor],
    KIND: lambda t: kind_label(t.kind),
    START: lambda t: clock(t.start_ms, millis=True),
    END: lambda t: clock(t.end_ms, millis=True),
    DURATION: lambda t: "point" if t.is_point else f"{t.duration_ms / 1000:.1f} s",
    # A multi-line note shows its first line; the tooltip has all of it.
    NOTE: lambda t: t.note.split("\n", 1)[0] + (" …" if "\n" in t.note.strip() else ""),
    AUTHOR: lambda t: t.author,
}
_RAW: dict[int, Callable[[Tag], Any]] = {
    LANE: lambda t: t.actor.value,
    KIND: lambda t: t.kind,
    START: lambda t: clock(t.start_ms, millis=True),
    END: lambda t: clock(t.end_ms, millis=True),
    NOTE: lambda t: t.note,
}
# Times sort as numbers; every other column sorts by the text it shows.
_NUMBERS: dict[int, Callable[[Tag], int]] = {
    START: lambda t: t.start_ms,
    END: lambda t: t.end_ms,
    DURATION: lambda t: t.duration_ms,
}


def _is_point_kind(tag: Tag) -> bool:
    return kind(tag.kind).point


def _ms(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        return parse_clock(value)
    raise ValueError(f"not a time: {value!r}")


def _actor(value: object) -> Actor:
    for actor, label in LANE_LABELS.items():
        if isinstance(value, str) and value.strip().lower() in (actor.value, label.lower()):
            return actor
    raise ValueError(f"not a lane: {value!r}")


def _with_lane(tag: Tag, value: object) -> Tag:
    return replace(tag, actor=_actor(value))


def _with_kind(tag: Tag, value: object, kinds: tuple[TagKind, ...] = DEFAULT_KINDS) -> Tag:
    names = {k.name: k.name for k in kinds} | {kind_label(k.name): k.name for k in kinds}
    if value == tag.kind:
        return tag  # an imported kind outside the vocabulary may stay as it is
    name = names.get(str(value).strip())
    if name is None:
        raise ValueError(f"not a kind of the vocabulary: {value!r}")
    # A point kind (hang-up) cannot keep a span: it happens at the tag's start.
    return replace(tag, kind=name, end_ms=tag.start_ms if kind(name, kinds).point else tag.end_ms)


def _with_start(tag: Tag, value: object) -> Tag:
    start = _ms(value)
    if _is_point_kind(tag):
        return replace(tag, start_ms=start, end_ms=start)
    return replace(tag, start_ms=start)  # Tag itself refuses a start after the end


def _with_end(tag: Tag, value: object) -> Tag:
    return replace(tag, end_ms=_ms(value))


def _with_note(tag: Tag, value: object) -> Tag:
    if not isinstance(value, str):
        raise ValueError(f"not a note: {value!r}")
    return replace(tag, note=value)


_EDITS: dict[int, Callable[[Tag, object], Tag]] = {
    LANE: _with_lane,
    START: _with_start,
    END: _with_end,
    NOTE: _with_note,
}


def swatch_icon(color: QColor, size: int = 12) -> QIcon:
    """A small square of a kind's colour with a darker rim, the same when its row is selected."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(color.darker(150))
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 2, 2)
    painter.end()
    icon = QIcon()
    # Without an explicit Selected pixmap the style tints the swatch with the highlight colour.
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):
        icon.addPixmap(pixmap, mode)
    return icon


class TagTableModel(QAbstractTableModel):
    """The call's tags sorted by start; edits are requested through `edit_requested`, never applied here."""

    edit_requested = Signal(object, object)  # (old Tag, new Tag): the window saves it, then calls set_tags

    def __init__(self, parent: QObject | None = None, *, color_for: Callable[[str], QColor] | None = None) -> None:
        super().__init__(parent)
        self._tags: list[Tag] = []
        self._rows: dict[int, int] = {}
        self._rules: dict[int, str] = {}
        self.kinds: tuple[TagKind, ...] = tag_kinds()  # the open call's vocabulary (its team's policy may add kinds)
        self._color_for = color_for or (lambda _kind: NEUTRAL_GREY)
        self._swatches: dict[int, QIcon] = {}

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Show these tags; rows of unchanged tags keep their indexes (and the view its editor) when possible."""
        ordered = sorted(tags, key=lambda t: (t.start_ms, t.end_ms, kind_label(t.kind)))
        new_ids = [t.id for t in ordered]
        if not self._same_tag_ids(new_ids):
            self.beginResetModel()
            self._store(ordered)
            self.endResetModel()
        elif new_ids == [t.id for t in self._tags]:
            self._store(ordered)
            self._changed(0, self.columnCount() - 1)
        else:
            self._reorder(ordered)

    def set_kinds(self, kinds: tuple[TagKind, ...]) -> None:
        """The kinds a tag's Kind cell may take."""
        self.kinds = kinds

    def set_rules(self, rules: dict[int, str]) -> None:
        """Show, per tag id, the policy rules the tag triggered (e.g. 'R1, R4')."""
        self._rules = dict(rules)
        self._changed(RULE, RULE)

    def tags(self) -> tuple[Tag, ...]:
        """The tags shown, in row order."""
        return tuple(self._tags)

    def tag_at(self, row: int) -> Tag:
        """The tag shown in a row."""
        return self._tags[row]

    def row_of(self, tag_id: int | None) -> int | None:
        """The row showing a tag, or None when it is not shown."""
        return None if tag_id is None else self._rows.get(tag_id)

    def _same_tag_ids(self, new_ids: list[int | None]) -> bool:
        # Only stored tags (unique ids) can be followed across an update; anything else is a plain reset.
        unique = None not in new_ids and len(set(new_ids)) == len(new_ids)
        return unique and len(new_ids) == len(self._tags) and set(new_ids) == set(self._rows)

    def _store(self, ordered: list[Tag]) -> None:
        self._tags = ordered
        self._rows = {t.id: row for row, t in enumerate(ordered) if t.id is not None}

    def _reorder(self, ordered: list[Tag]) -> None:
        # Same tags, new order (a start was edited): move persistent indexes so an open editor and the
        # selection follow their tag instead of being closed by a reset.
        self.layoutAboutToBeChanged.emit()
        new_rows = {t.id: row for row, t in enumerate(ordered)}
        old = self.persistentIndexList()
        moved = [self.index(new_rows[self._tags[i.row()].id], i.column()) for i in old]
        self._store(ordered)
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()
        self._changed(0, self.columnCount() - 1)

    def _changed(self, first_column: int, last_column: int) -> None:
        if self._tags:
            self.dataChanged.emit(self.index(0, first_column), self.index(len(self._tags) - 1, last_column))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tags)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self._editable(index) else base

    def _editable(self, index: Index) -> bool:
        if not index.isValid() or index.column() not in EDITABLE:
            return False
        # A point kind's end is its start: edit the start to move it.
        return not (index.column() == END and _is_point_kind(self._tags[index.row()]))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tags):
            return None
        tag, column = self._tags[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rule(tag) if column == RULE else _SHOW[column](tag)
        if role == _EDIT:
            return _RAW[column](tag) if column in _RAW else None
        if role == SORT_ROLE:
            return _NUMBERS[column](tag) if column in _NUMBERS else self.data(index)
        return self._decoration(tag, column, role)

    def _rule(self, tag: Tag) -> str:
        return "" if tag.id is None else self._rules.get(tag.id, "")

    def _decoration(self, tag: Tag, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            source = f"Source: {SOURCE_LABELS[tag.source]}" + (f", by {tag.author}" if tag.author else "")
            return f"{tag.note}\n\n{source}" if tag.note else source
        if role == Qt.ItemDataRole.DecorationRole and column == KIND:
            return self._swatch(self._color_for(tag.kind))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (START, END, DURATION) else _LEFT
        if role == TAG_ID_ROLE:
            return tag.id
        return None

    def _swatch(self, color: QColor) -> QIcon:
        if color.rgba() not in self._swatches:
            self._swatches[color.rgba()] = swatch_icon(color)
        return self._swatches[color.rgba()]

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        """Validate an edit and request it through `edit_requested`; the model itself stays as it is."""
        if role != _EDIT or not self._editable(index):
            return False
        old = self._tags[index.row()]
        try:
            new = _with_kind(old, value, self.kinds) if index.column() == KIND else _EDITS[index.column()](old, value)
        except ValueError:  # includes TagError: an end before the start
            return False
        if new != old:
            self.edit_requested.emit(old, new)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class _ClockValidator(QValidator):
    """Lets digits, ':', '.' and ',' be typed; Enter commits only a time parse_clock accepts."""

    _TYPING = re.compile(r"\s*[0-9:.,]*\s*", re.ASCII)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        try:
            parse_clock(text)
        except ValueError:
            typing = self._TYPING.fullmatch(text) is not None
            return (QValidator.State.Intermediate if typing else QValidator.State.Invalid), text, pos
        return QValidator.State.Acceptable, text, pos


class _TimeDelegate(QStyledItemDelegate):
    """A line edit for Start/End that only takes clock times."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent, placeholderText="mm:ss.mmm")
        editor.setToolTip(f"A time: {TIME_HINT}")
        editor.setValidator(_ClockValidator(editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (text, value) choices for a cell; the value goes to the model."""

    def __init__(self, choices: Callable[[Index], list[tuple[str, str]]], parent: QObject) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, value in self._choices(index):
            combo.addItem(text, value)
        return combo

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        # The column fits the shown label; the open combo may overlap its neighbour to show its longest choice.
        rect = option.rect
        editor.setGeometry(rect.adjusted(0, 0, max(editor.sizeHint().width() - rect.width(), 0), 0))

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(_EDIT)), 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), _EDIT)


def _lane_choices(_index: Index) -> list[tuple[str, str]]:
    return [(label, actor.value) for actor, label in LANE_LABELS.items()]


def _kind_choices(index: Index) -> list[tuple[str, str]]:
    # The number key that makes each kind on this lane, as a reminder (Label Studio shows hotkeys the same way).
    keys = {name: n for n, name in enumerate(keyed_kinds(Actor(index.sibling(index.row(), LANE).data(_EDIT)).lane), 1)}
    kinds = getattr(index.model(), "kinds", tag_kinds())
    choices = [(kind_label(k.name) + (f"  ({keys[k.name]})" if k.name in keys else ""), k.name) for k in kinds]
    current = index.data(_EDIT)
    return choices if current in {v for _, v in choices} else [*choices, (kind_label(current), current)]


class TagTableView(QTableView):
    """The tag list: one row per tag, single selection, edited with F2/Enter/typing and Tab between cells."""

    tag_selected = Signal(object)  # tag id, or None when no tag is selected

    def __init__(self, model: TagTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selected: int | None = None
        self._restore_column = KIND
        self._stale_editors: list[QWidget] = []
        self._resetting = False
        self._restore_id: int | None = None  # the tag to select again once a model reset ends
        self._setup()
        self.setModel(model)
        self._tag_model = model
        model.modelAboutToBeReset.connect(self._on_model_about_to_reset)
        model.modelReset.connect(self._on_model_reset)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._setup_header()

    def _setup(self) -> None:
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.setItemDelegateForColumn(LANE, _ChoiceDelegate(_lane_choices, self))
        self.setItemDelegateForColumn(KIND, _ChoiceDelegate(_kind_choices, self))
        self.setItemDelegateForColumn(START, _TimeDelegate(self))
        self.setItemDelegateForColumn(END, _TimeDelegate(self))

    def _setup_header(self) -> None:
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        # Measure the visible rows and a sample, not all: 5,000 tags cost 170,000 data() calls per layout otherwise.
        header.setResizeContentsPrecision(100)
        header.setHighlightSections(False)

    def selected_tag_id(self) -> int | None:
        """The id of the tag in the current row, or None."""
        return self._selected

    def select_tag(self, tag_id: int | None) -> None:
        """Make a tag the current row (or clear the selection) without announcing it back through tag_selected."""
        row = self._tag_model.row_of(tag_id)
        self._selected = None if row is None else tag_id
        if row is None:
            self.selectionModel().clear()
            return
        column = self.currentIndex().column() if self.currentIndex().isValid() else self._restore_column
        index = self._tag_model.index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def edit_note(self, tag_id: int) -> bool:
        """Select a tag and open its Note cell editor (the window's F2); False when the tag is not shown."""
        row = self._tag_model.row_of(tag_id)
        if row is None:
            return False
        self.select_tag(tag_id)
        index = self._tag_model.index(row, NOTE)
        self.setCurrentIndex(index)
        self.setFocus()
        self.edit(index)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter edits the current cell (only F2 does by default off macOS): no tag edit needs the mouse.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        idle = self.state() != QAbstractItemView.State.EditingState
        trigger = QAbstractItemView.EditTrigger.EditKeyPressed
        if enter and plain and idle and self.edit(self.currentIndex(), trigger, event):
            return
        super().keyPressEvent(event)

    def commitData(self, editor: QWidget) -> None:
        if not self._is_stale(editor):
            super().commitData(editor)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if not self._is_stale(editor):
            super().closeEditor(editor, hint)

    def _is_stale(self, editor: QWidget) -> bool:
        # The window answers edit_requested by calling set_tags at once, inside the commit. When that resets the
        # model, Qt has already dropped the editor; committing or closing it again would only print warnings.
        return any(editor is stale for stale in self._stale_editors)

    def _on_model_about_to_reset(self) -> None:
        current = self.currentIndex()
        self._restore_column = current.column() if current.isValid() else self._restore_column
        self._resetting, self._restore_id = True, self._selected
        self._stale_editors = self.viewport().findChildren(QWidget)

    def _on_model_reset(self) -> None:
        # Qt may already have made the first row current (focus moving off the dropped editor): ignored, the
        # tag selected before the reset is selected again, or None announced when it is gone.
        self._resetting, wanted = False, self._restore_id
        self._selected = wanted
        self.select_tag(wanted)
        if wanted is not None and self._selected is None:
            self.tag_selected.emit(None)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._resetting:
            return
        tag_id = self._tag_model.tag_at(current.row()).id if current.isValid() else None
        if tag_id != self._selected:
            self._selected = tag_id
            self.tag_selected.emit(tag_id)
