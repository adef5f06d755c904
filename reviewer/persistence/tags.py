"""The tag repository: a supervisor's tags, saved one change at a time."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewer.domain.problems import StorageError
from reviewer.domain.tags import Tag
from reviewer.persistence.calls import tag_of, tag_row
from reviewer.persistence.tables import CallRow, TagRow


class TagRepository:
    """Tags of calls, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, call_id: int, tag: Tag) -> Tag:
        """Store a new tag (or put back a deleted one under its old id, for undo); returns it with its id."""
        row = tag_row(call_id, tag)
        if tag.id is not None:
            row.id = tag.id
        if tag.created_at is not None:
            row.created_at = tag.created_at
        self._s.add(row)
        self._bump(call_id)
        self._s.flush()
        return tag_of(row)

    def for_call(self, call_id: int) -> tuple[Tag, ...]:
        """Every tag of a call, in time order."""
        rows = self._s.scalars(select(TagRow).where(TagRow.call_id == call_id).order_by(TagRow.start_ms, TagRow.id))
        return tuple(tag_of(row) for row in rows)

    def _row(self, call_id: int, tag_id: int | None) -> TagRow:
        row = self._s.get(TagRow, tag_id) if tag_id is not None else None
        if row is None or row.call_id != call_id:
            # A colleague deleted it meanwhile (team mode), or the caller lost track: never write elsewhere.
            raise StorageError(f"tag {tag_id} of call {call_id} no longer exists")
        return row

    def update(self, call_id: int, tag: Tag) -> Tag:
        """Overwrite kind, actor, span and note of a stored tag (author and source stay)."""
        row = self._row(call_id, tag.id)
        row.kind, row.actor, row.note = tag.kind, tag.actor.value, tag.note
        row.start_ms, row.end_ms = tag.start_ms, tag.end_ms
        self._bump(call_id)
        self._s.flush()
        return tag_of(row)

    def delete(self, call_id: int, tag_id: int) -> Tag:
        """Remove a tag; returns it as it was, so it can be restored."""
        row = self._row(call_id, tag_id)
        gone = tag_of(row)
        self._s.delete(row)
        self._bump(call_id)
        self._s.flush()
        return gone

    def _bump(self, call_id: int) -> None:
        """Mark the call's stored verdict stale (an UPDATE, so two supervisors' changes both count)."""
        self._s.execute(update(CallRow).where(CallRow.id == call_id).values(tags_revision=CallRow.tags_revision + 1))
