"""Undoable tag edits. Each command saves to the database the moment it is done or undone.

The TagEditor holds the open call's tags as last saved and a QUndoStack of commands over them. Drags arrive as one
command (the timeline emits once on release); consecutive nudges of one tag merge into one step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.domain.problems import CallNotFoundError, StorageError
from reviewer.domain.tags import Tag
from reviewer.services import review
from reviewer.services.context import Services

_NUDGE_ID = 1  # QUndoCommand.id() of mergeable nudges; -1 (the default) never merges


class TagEditor(QObject):
    """The tags of one open call, changed only through undoable, immediately saved commands."""

    tags_changed = Signal(object, object)  # all tags (tuple, time order), the tag id to select (or None)
    failed = Signal(str)  # a sentence for the status bar: the change was NOT saved and is not shown

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.stack = QUndoStack(self)
        self.call_id: int | None = None
        self._tags: dict[int, Tag] = {}

    def load(self, call_id: int, tags: tuple[Tag, ...]) -> None:
        """Start editing another call; its undo history starts empty."""
        self.stack.clear()
        self.call_id = call_id
        self._tags = {t.id: t for t in tags if t.id is not None}
        self.tags_changed.emit(self.tags(), None)

    def tags(self) -> tuple[Tag, ...]:
        """The call's tags in time order."""
        return tuple(sorted(self._tags.values(), key=lambda t: (t.start_ms, t.end_ms, t.id or 0)))

    def tag(self, tag_id: int | None) -> Tag | None:
        """One tag by id."""
        return self._tags.get(tag_id) if tag_id is not None else None

    def add(self, tag: Tag, text: str) -> None:
        """Create a tag (undo deletes it)."""
        self.stack.push(_Add(self, tag, text))

    def change(self, old: Tag, new: Tag, text: str, *, nudge: bool = False) -> None:
        """Change a tag; nudges of the same tag in a row merge into one undo step."""
        if old != new:
            self.stack.push(_Change(self, old, new, text, nudge))

    def delete(self, tag: Tag, text: str) -> None:
        """Delete a tag (undo puts it back under the same id)."""
        self.stack.push(_Delete(self, tag, text))

    def record(self, action: Callable[[int], Tag], *, gone: bool = False) -> Tag | None:
        """Run a tag change that another undoable command makes (accepting a suggestion); shown like the editor's."""
        return self._save(action, gone=gone)

    # --- used by the commands --------------------------------------------------------------------------------

    def _save(self, action: Callable[[int], Tag], *, gone: bool = False) -> Tag | None:
        """Run one database change; on failure say so and report None (the command becomes obsolete)."""
        assert self.call_id is not None
        try:
            saved = action(self.call_id)
        except (StorageError, CallNotFoundError) as error:
            detail = error.detail if isinstance(error, StorageError) else "the call was deleted"
            self.failed.emit(f"Not saved: {detail}")
            return None
        assert saved.id is not None
        if gone:
            self._tags.pop(saved.id, None)
        else:
            self._tags[saved.id] = saved
        self.tags_changed.emit(self.tags(), None if gone else saved.id)
        return saved


class _Add(QUndoCommand):
    def __init__(self, editor: TagEditor, tag: Tag, text: str) -> None:
        super().__init__(text)
        self._editor, self._tag = editor, tag

    def redo(self) -> None:
        first = self._tag.id is None
        saved = self._editor._save(
            lambda call: (
                review.add_tag(self._editor.services, call, self._tag)
                if first
                else review.restore_tag(self._editor.services, call, self._tag)
            )
        )
        if saved is None:
            self.setObsolete(True)
        else:
            self._tag = saved

    def undo(self) -> None:
        tag_id = self._tag.id
        assert tag_id is not None
        if self._editor._save(lambda call: review.delete_tag(self._editor.services, call, tag_id), gone=True) is None:
            self.setObsolete(True)


class _Delete(QUndoCommand):
    def __init__(self, editor: TagEditor, tag: Tag, text: str) -> None:
        super().__init__(text)
        self._editor, self._tag = editor, tag

    def redo(self) -> None:
        tag_id = self._tag.id
        assert tag_id is not None
        if self._editor._save(lambda call: review.delete_tag(self._editor.services, call, tag_id), gone=True) is None:
            self.setObsolete(True)

    def undo(self) -> None:
        if self._editor._save(lambda call: review.restore_tag(self._editor.services, call, self._tag)) is None:
            self.setObsolete(True)


class _Change(QUndoCommand):
    def __init__(self, editor: TagEditor, old: Tag, new: Tag, text: str, nudge: bool) -> None:
        super().__init__(text)
        self._editor, self._old, self._new, self._nudge = editor, old, new, nudge

    def id(self) -> int:
        return _NUDGE_ID if self._nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _Change) or other._old.id != self._new.id:
            return False
        self._new = other._new
        return True

    def _apply(self, tag: Tag) -> bool:
        return self._editor._save(lambda call: review.update_tag(self._editor.services, call, tag)) is not None

    def redo(self) -> None:
        if not self._apply(self._new):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._apply(self._old):
            self.setObsolete(True)


def moved(tag: Tag, start_ms: int, end_ms: int, limit_ms: int) -> Tag:
    """The tag over a new span, kept inside the call and never inverted."""
    start = max(0, min(start_ms, limit_ms))
    return replace(tag, start_ms=start, end_ms=max(start, min(end_ms, limit_ms)))
