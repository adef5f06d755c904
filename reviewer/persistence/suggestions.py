"""The suggestion repository: proposed tags, the passes that made them, and the supervisors' decisions on them."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from reviewer.domain.parties import Actor
from reviewer.domain.problems import StorageError
from reviewer.domain.suggestions import (
    Detection,
    DetectorRate,
    HangupEstimate,
    Suggestion,
    SuggestionState,
    TurnDisagreement,
)
from reviewer.persistence.tables import DetectionRunRow, SuggestionRow, utcnow


def _findings(detection: Detection) -> dict[str, Any]:
    return {
        "hangups": [h.to_data() for h in detection.hangups],
        "disagreements": [d.to_data() for d in detection.disagreements],
        "backchannels": dict(detection.backchannels),
    }


def _detection_of(row: DetectionRunRow, suggestions: tuple[Suggestion, ...]) -> Detection:
    found = row.findings
    return Detection(
        suggestions=suggestions,
        thresholds=dict(row.thresholds),
        versions=dict(row.versions),
        hangups=tuple(HangupEstimate.from_data(h) for h in found.get("hangups", [])),
        disagreements=tuple(TurnDisagreement.from_data(d) for d in found.get("disagreements", [])),
        backchannels=dict(found.get("backchannels", {})),
    )


def _row(call_id: int, run_id: int, s: Suggestion) -> SuggestionRow:
    return SuggestionRow(
        call_id=call_id,
        run_id=run_id,
        kind=s.kind,
        actor=s.actor.value,
        start_ms=s.start_ms,
        end_ms=s.end_ms,
        detector=s.detector,
        detector_version=s.detector_version,
        confidence=s.confidence,
        evidence=s.evidence,
        state=s.state.value,
        decided_by="",
    )


def suggestion_of(row: SuggestionRow) -> Suggestion:
    """The domain suggestion of a row."""
    return Suggestion(
        kind=row.kind,
        actor=Actor(row.actor),
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        detector=row.detector,
        confidence=row.confidence,
        evidence=row.evidence,
        state=SuggestionState(row.state),
        detector_version=row.detector_version,
        id=row.id,
        run_id=row.run_id,
        tag_id=row.tag_id,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


class SuggestionRepository:
    """Suggestions of calls, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def store_run(self, call_id: int, detection: Detection) -> tuple[Suggestion, ...]:
        """Replace the call's pending suggestions by a new pass's; a finding already decided is not proposed again."""
        self.drop_pending(call_id)
        decided = {s.key for s in self.for_call(call_id)}
        run = DetectionRunRow(
            call_id=call_id,
            thresholds=detection.thresholds,
            versions=detection.versions,
            findings=_findings(detection),
        )
        self._s.add(run)
        self._s.flush()
        rows = [_row(call_id, run.id, s) for s in detection.suggestions if s.key not in decided]
        self._s.add_all(rows)
        self._s.flush()
        return tuple(suggestion_of(row) for row in rows)

    def for_call(self, call_id: int, state: SuggestionState | None = None) -> tuple[Suggestion, ...]:
        """The call's suggestions in time order, optionally only those in one state."""
        query = select(SuggestionRow).where(SuggestionRow.call_id == call_id)
        if state is not None:
            query = query.where(SuggestionRow.state == state.value)
        rows = self._s.scalars(query.order_by(SuggestionRow.start_ms, SuggestionRow.end_ms, SuggestionRow.id))
        return tuple(suggestion_of(row) for row in rows)

    def latest_run(self, call_id: int) -> Detection | None:
        """The call's last detection pass (its pending suggestions included), or None when never run."""
        row = self._s.scalars(
            select(DetectionRunRow)
            .where(DetectionRunRow.call_id == call_id)
            .order_by(DetectionRunRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return _detection_of(row, self.for_call(call_id, SuggestionState.PENDING))

    def decide(
        self, call_id: int, suggestion_id: int, state: SuggestionState, by: str, tag_id: int | None = None
    ) -> Suggestion:
        """Record a supervisor's decision (or, with PENDING, take it back for an undo)."""
        row = self.get(call_id, suggestion_id)
        pending = state is SuggestionState.PENDING
        decided_by, decided_at = ("", None) if pending else (by, utcnow())
        statement = update(SuggestionRow).where(SuggestionRow.id == suggestion_id)
        if not pending:
            # One decision per finding, also when two supervisors decide at once (team mode): the update applies
            # only while the row is still pending, checked by the database rather than by a read before it.
            statement = statement.where(SuggestionRow.state == SuggestionState.PENDING.value)
        values = {"state": state.value, "tag_id": tag_id, "decided_by": decided_by, "decided_at": decided_at}
        done = cast("CursorResult[Any]", self._s.execute(statement.values(**values)))
        if done.rowcount != 1:
            self._s.refresh(row)
            raise StorageError(f"suggestion {suggestion_id} was already {row.state}")
        self._s.refresh(row)
        return suggestion_of(row)

    def get(self, call_id: int, suggestion_id: int) -> SuggestionRow:
        """The stored row (as it is now); StorageError when it is gone or belongs to another call."""
        row = self._s.get(SuggestionRow, suggestion_id)
        if row is None or row.call_id != call_id:
            raise StorageError(f"suggestion {suggestion_id} of call {call_id} no longer exists")
        self._s.refresh(row)
        return row

    def current(self, call_id: int, suggestion_id: int) -> Suggestion:
        """A suggestion as stored now (another window or a colleague may have decided it)."""
        return suggestion_of(self.get(call_id, suggestion_id))

    def drop_pending(self, call_id: int) -> None:
        """Forget the call's open suggestions (its parties were swapped: who said what changed)."""
        self._s.execute(
            delete(SuggestionRow).where(
                SuggestionRow.call_id == call_id, SuggestionRow.state == SuggestionState.PENDING.value
            )
        )

    def rates(self) -> list[DetectorRate]:
        """Per detector and kind, how many suggestions were accepted, rejected and are still open."""
        counts: dict[tuple[str, str], dict[str, int]] = {}
        query = select(SuggestionRow.detector, SuggestionRow.kind, SuggestionRow.state, func.count()).group_by(
            SuggestionRow.detector, SuggestionRow.kind, SuggestionRow.state
        )
        for detector, kind, state, count in self._s.execute(query):
            counts.setdefault((detector, kind), {})[state] = count
        return [
            DetectorRate(
                detector,
                kind,
                by_state.get(SuggestionState.ACCEPTED.value, 0),
                by_state.get(SuggestionState.REJECTED.value, 0),
                by_state.get(SuggestionState.PENDING.value, 0),
            )
            for (detector, kind), by_state in sorted(counts.items())
        ]

    def has_run(self, call_id: int) -> bool:
        """Whether the detectors have gone over this call."""
        found = select(DetectionRunRow.id).where(DetectionRunRow.call_id == call_id).limit(1)
        return self._s.execute(found).first() is not None

    def detected_calls(self) -> set[int]:
        """The calls the detectors have run over at least once."""
        return set(self._s.scalars(select(DetectionRunRow.call_id).distinct()))
