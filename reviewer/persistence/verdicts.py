"""The verdict repository: the latest verdict per call, with the tag revision and policy hash it rests on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.domain.verdict import Verdict, VerdictStatus
from reviewer.persistence.database import upsert_insert
from reviewer.persistence.tables import AgentRow, CallRow, TeamRow, VerdictRow, utcnow


@dataclass(frozen=True, slots=True)
class StoredVerdict:
    """A verdict as stored, and whether the call's tags changed since (the policy is compared by the caller)."""

    verdict: Verdict
    tags_revision: int
    tags_changed: bool


@dataclass(frozen=True, slots=True)
class VerdictState:
    """One call's verdict bookkeeping, for finding stale verdicts without loading any trace."""

    call_id: int
    team: str | None
    tags_revision: int
    verdict_revision: int | None  # None: never checked
    policy_sha256: str | None


class VerdictRepository:
    """Verdicts, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def subject(self, call_id: int) -> tuple[str, str | None, int] | None:
        """What a check needs besides the tags: the call's external id, its team, its tag revision (None: no call)."""
        found = self._s.execute(
            select(CallRow.external_id, TeamRow.name, CallRow.tags_revision)
            .outerjoin(AgentRow, CallRow.agent_id == AgentRow.id)
            .outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
            .where(CallRow.id == call_id)
        ).first()
        return None if found is None else (found[0], found[1], found[2])

    def store(self, call_id: int, verdict: Verdict, tags_revision: int) -> None:
        """Replace the call's verdict in one upsert: two checks of the same call at once (the library's background
        re-check and the review window, or two supervisors) must not collide on the primary key."""
        policy = verdict.policy
        values = {
            "call_id": call_id,
            "status": verdict.status.value,
            "policy_name": policy.name,
            "policy_version": policy.version,
            "policy_sha256": policy.sha256,
            "tags_revision": tags_revision,
            "checked_at": verdict.checked_at or utcnow(),
            "data": verdict.to_data(),
        }
        statement = upsert_insert(self._s, VerdictRow).values(**values)
        changed = {k: statement.excluded[k] for k in values if k != "call_id"}
        self._s.execute(statement.on_conflict_do_update(index_elements=[VerdictRow.call_id], set_=changed))
        self._s.flush()

    def get(self, call_id: int) -> StoredVerdict | None:
        """The stored verdict of a call, or None when it was never checked."""
        found = self._s.execute(
            select(VerdictRow, CallRow.tags_revision)
            .join(CallRow, CallRow.id == VerdictRow.call_id)
            .where(VerdictRow.call_id == call_id)
        ).first()
        if found is None:
            return None
        row, current = found
        verdict = Verdict.from_data(row.data, checked_at=row.checked_at)
        return StoredVerdict(verdict, row.tags_revision, row.tags_revision != current)

    def states(self, call_ids: list[int] | None = None) -> list[VerdictState]:
        """Bookkeeping of every call (or of some), in id order."""
        query = (
            select(CallRow.id, TeamRow.name, CallRow.tags_revision, VerdictRow.tags_revision, VerdictRow.policy_sha256)
            .outerjoin(AgentRow, CallRow.agent_id == AgentRow.id)
            .outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
            .outerjoin(VerdictRow, VerdictRow.call_id == CallRow.id)
            .order_by(CallRow.id)
        )
        if call_ids is not None:
            query = query.where(CallRow.id.in_(call_ids))
        return [VerdictState(*row) for row in self._s.execute(query)]

    def statuses(self) -> dict[int, tuple[VerdictStatus, str, bool]]:
        """Per checked call: status, policy hash, and whether the tags changed since."""
        query = select(
            VerdictRow.call_id,
            VerdictRow.status,
            VerdictRow.policy_sha256,
            VerdictRow.tags_revision,
            CallRow.tags_revision,
        ).join(CallRow, CallRow.id == VerdictRow.call_id)
        return {
            call_id: (VerdictStatus(status), sha, revision != current)
            for call_id, status, sha, revision, current in self._s.execute(query)
        }
