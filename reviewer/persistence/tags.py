"""The tag repository: a supervisor's tags, saved one change at a time."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reviewer.domain.tags import Tag
from reviewer.persistence.calls import tag_of, tag_row


class TagRepository:
    """Tags of calls, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, call_id: int, tag: Tag) -> Tag:
        """Store a new tag; returns it with its id."""
        row = tag_row(call_id, tag)
        self._s.add(row)
        self._s.flush()
        return tag_of(row)
