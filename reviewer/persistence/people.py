"""Teams and agents: looked up by name, created on first sight."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.persistence.tables import AgentRow, TeamRow


def team_row(session: Session, name: str) -> TeamRow:
    """The team of this name, created if new."""
    row = session.scalar(select(TeamRow).where(TeamRow.name == name))
    if row is None:
        row = TeamRow(name=name)
        session.add(row)
        session.flush()
    return row


def agent_row(session: Session, name: str, team: str | None) -> AgentRow:
    """The agent of this name, created if new; a known team given now is recorded."""
    row = session.scalar(select(AgentRow).where(AgentRow.name == name))
    if row is None:
        row = AgentRow(name=name)
        session.add(row)
    if team:
        row.team = team_row(session, team)
    session.flush()
    return row
