"""Teams and agents: looked up by name, created on first sight, safely when two imports race (team mode)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.persistence.database import upsert_insert
from reviewer.persistence.tables import AgentRow, TeamRow


def _ensure_named(session: Session, model: type[TeamRow] | type[AgentRow], name: str) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a concurrent import creating the same name is not an error."""
    session.execute(upsert_insert(session, model).values(name=name).on_conflict_do_nothing(index_elements=["name"]))


def team_row(session: Session, name: str) -> TeamRow:
    """The team of this name, created if new."""
    _ensure_named(session, TeamRow, name)
    return session.scalars(select(TeamRow).where(TeamRow.name == name)).one()


def agent_row(session: Session, name: str, team: str | None) -> AgentRow:
    """The agent of this name, created if new; a team given now is recorded."""
    _ensure_named(session, AgentRow, name)
    row = session.scalars(select(AgentRow).where(AgentRow.name == name)).one()
    if team:
        row.team_id = team_row(session, team).id
    return row
