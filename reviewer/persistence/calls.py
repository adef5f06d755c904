"""The call repository: whole calls in, domain objects out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from reviewer.domain.call import AudioInfo, Call, CallSummary, ReviewStatus, TranscriptInfo
from reviewer.domain.library import CallFilter, Facets
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance, Word, WordMark, talk_ms
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.people import agent_row
from reviewer.persistence.tables import (
    AgentRow,
    CallFactsRow,
    CallRow,
    TagRow,
    TeamRow,
    UtteranceRow,
    VerdictRow,
)


def _words_out(words: Sequence[Word]) -> list[list[Any]]:
    # Compact rows [start, end, text, confidence(, mark)]: an hour-long call holds ten thousand words.
    return [[w.start_ms, w.end_ms, w.text, w.confidence, *([w.mark.value] if w.mark else [])] for w in words]


def _words_in(raw: list[Any]) -> tuple[Word, ...]:
    return tuple(
        Word(text=row[2], start_ms=row[0], end_ms=row[1], confidence=row[3], mark=WordMark(row[4]) if row[4:] else None)
        for row in raw
    )


def utterance_row(call_id: int, seq: int, u: Utterance) -> UtteranceRow:
    """The row for one utterance."""
    return UtteranceRow(
        call_id=call_id,
        seq=seq,
        party=u.party.value,
        speaker=u.speaker,
        start_ms=u.start_ms,
        end_ms=u.end_ms,
        text=u.text,
        words=_words_out(u.words),
    )


def tag_row(call_id: int, tag: Tag) -> TagRow:
    """The row for one tag."""
    return TagRow(
        call_id=call_id,
        kind=tag.kind,
        actor=tag.actor.value,
        start_ms=tag.start_ms,
        end_ms=tag.end_ms,
        note=tag.note,
        author=tag.author,
        source=tag.source.value,
    )


def tag_of(row: TagRow) -> Tag:
    """The domain tag of a row."""
    return Tag(
        kind=row.kind,
        actor=Actor(row.actor),
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        note=row.note,
        author=row.author,
        source=TagSource(row.source),
        id=row.id,
        created_at=row.created_at,
    )


def _utterance_of(row: UtteranceRow) -> Utterance:
    return Utterance(
        party=Party(row.party),
        speaker=row.speaker,
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        text=row.text,
        words=_words_in(row.words),
    )


class CallRepository:
    """Calls with their utterances and tags, inside the caller's session (the caller owns the transaction)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def id_by_sha(self, sha256: str) -> int | None:
        """The call already holding this recording, if any."""
        return self._s.scalar(select(CallRow.id).where(CallRow.audio_sha256 == sha256))

    def add(self, call: Call) -> int:
        """Store a new call with its utterances and tags; returns its id."""
        agent = agent_row(self._s, call.agent, call.team) if call.agent else None
        row = CallRow(
            external_id=call.external_id,
            agent=agent,
            started_at=call.started_at,
            duration_ms=call.audio.duration_ms,
            sample_rate=call.audio.sample_rate,
            channels=call.audio.channels,
            layout=call.audio.layout.value,
            audio_path=call.audio.path,
            second_audio_path=call.audio.second_path,
            audio_sha256=call.audio.sha256,
            disconnect_reason=call.disconnect_reason,
            review_status=call.review_status.value,
            summary=call.summary,
            parties_swapped=call.parties_swapped,
            talk_ms=talk_ms(call.utterances) if call.utterances else call.audio.duration_ms,
            transcript_path=call.transcript.path if call.transcript else None,
            transcript_format=call.transcript.format if call.transcript else None,
            transcript_encoding=call.transcript.encoding if call.transcript else None,
        )
        self._s.add(row)
        self._s.flush()
        self._s.add_all(utterance_row(row.id, i, u) for i, u in enumerate(call.utterances))
        self._s.add_all(tag_row(row.id, t) for t in call.tags)
        self._s.flush()
        return row.id

    def get(self, call_id: int) -> Call | None:
        """The whole call, or None."""
        row = self._s.get(CallRow, call_id)
        if row is None:
            return None
        utterances = self._s.scalars(
            select(UtteranceRow).where(UtteranceRow.call_id == call_id).order_by(UtteranceRow.seq)
        )
        tags = self._s.scalars(select(TagRow).where(TagRow.call_id == call_id).order_by(TagRow.start_ms, TagRow.id))
        return Call(
            id=row.id,
            external_id=row.external_id,
            started_at=row.started_at,
            agent=row.agent.name if row.agent else None,
            team=row.agent.team.name if row.agent and row.agent.team else None,
            audio=AudioInfo(
                path=row.audio_path,
                second_path=row.second_audio_path,
                sha256=row.audio_sha256,
                duration_ms=row.duration_ms,
                sample_rate=row.sample_rate,
                channels=row.channels,
                layout=ChannelLayout(row.layout),
            ),
            transcript=TranscriptInfo(row.transcript_path, row.transcript_format or "", row.transcript_encoding or "")
            if row.transcript_path
            else None,
            disconnect_reason=row.disconnect_reason,
            review_status=ReviewStatus(row.review_status),
            summary=row.summary,
            parties_swapped=row.parties_swapped,
            imported_at=row.imported_at,
            utterances=tuple(_utterance_of(u) for u in utterances),
            tags=tuple(tag_of(t) for t in tags),
        )

    def delete(self, call_id: int) -> None:
        """Remove a call; its utterances and tags go with it (ON DELETE CASCADE)."""
        row = self._s.get(CallRow, call_id)
        if row is not None:
            self._s.delete(row)
            self._s.flush()

    def exists(self, call_id: int) -> bool:
        """Whether a call with this id is stored."""
        return self._s.get(CallRow, call_id) is not None

    def id_by_external_id(self, external_id: str) -> int | None:
        """The newest call with this external id."""
        return self._s.scalar(
            select(CallRow.id).where(CallRow.external_id == external_id).order_by(CallRow.id.desc()).limit(1)
        )

    def summaries(self, agent: str | None = None, where: CallFilter | None = None) -> list[CallSummary]:
        """Library rows, newest call first; counts come from grouped subqueries, not per-row queries."""
        n_utt = select(UtteranceRow.call_id, func.count().label("n")).group_by(UtteranceRow.call_id).subquery()
        n_tag = select(TagRow.call_id, func.count().label("n")).group_by(TagRow.call_id).subquery()
        conditions = _conditions(where or CallFilter(agent=agent))
        query = (
            select(
                CallRow,
                AgentRow.name,
                TeamRow.name,
                n_utt.c.n,
                n_tag.c.n,
                VerdictRow.status,  # not the whole row: its trace JSON is large and the listing needs none of it
                VerdictRow.tags_revision,
                VerdictRow.policy_sha256,
            )
            .outerjoin(AgentRow, CallRow.agent_id == AgentRow.id)
            .outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
            .outerjoin(n_utt, n_utt.c.call_id == CallRow.id)
            .outerjoin(n_tag, n_tag.c.call_id == CallRow.id)
            .outerjoin(VerdictRow, VerdictRow.call_id == CallRow.id)
            .where(*conditions)
            .order_by(CallRow.started_at.desc().nulls_last(), CallRow.id.desc())
        )
        kinds = self._tag_kinds(conditions)
        return [
            CallSummary(
                id=c.id,
                external_id=c.external_id,
                agent=agent_name,
                team=team_name,
                started_at=c.started_at,
                duration_ms=c.duration_ms,
                channels=c.channels,
                utterances=nu or 0,
                tags=nt or 0,
                audio_sha256=c.audio_sha256,
                review_status=ReviewStatus(c.review_status),
                tag_kinds=tuple(kinds.get(c.id, ())),
                verdict=VerdictStatus(status) if status else None,
                verdict_stale=bool(status and revision != c.tags_revision),
                verdict_policy_sha256=sha or "",
            )
            for c, agent_name, team_name, nu, nt, status, revision, sha in self._s.execute(query)
        ]

    def _tag_kinds(self, conditions: list[ColumnElement[bool]]) -> dict[int, list[tuple[str, int]]]:
        """Per call, how many tags of each kind (one grouped query over the listed calls)."""
        count = func.count().label("n")
        listed = (
            select(CallRow.id)
            .outerjoin(AgentRow, CallRow.agent_id == AgentRow.id)
            .outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
            .where(*conditions)
        )
        query = (
            select(TagRow.call_id, TagRow.kind, count)
            .where(TagRow.call_id.in_(listed.scalar_subquery()))
            .group_by(TagRow.call_id, TagRow.kind)
        )
        kinds: dict[int, list[tuple[str, int]]] = {}
        for call_id, kind, n in self._s.execute(query.order_by(TagRow.call_id, count.desc(), TagRow.kind)):
            kinds.setdefault(call_id, []).append((kind, n))
        return kinds

    def facets(self) -> Facets:
        """The teams, agents and tag kinds that occur in the library, sorted."""
        return Facets(
            teams=tuple(self._s.scalars(select(TeamRow.name).order_by(TeamRow.name))),
            agents=tuple(self._s.scalars(select(AgentRow.name).order_by(AgentRow.name))),
            tag_kinds=tuple(self._s.scalars(select(TagRow.kind).distinct().order_by(TagRow.kind))),
        )

    def set_review(self, call_id: int, status: ReviewStatus, summary: str) -> bool:
        """Record where the supervisor is with a call and their summary note."""
        row = self._s.get(CallRow, call_id)
        if row is None:
            return False
        row.review_status = status.value
        row.summary = summary
        # The trends count reviewed calls: their facts row follows in the same transaction.
        reviewed = status is ReviewStatus.DONE
        self._s.execute(update(CallFactsRow).where(CallFactsRow.call_id == call_id).values(reviewed=reviewed))
        self._s.flush()
        return True

    def swap_parties(self, call_id: int, *, speakers: bool = True, channels: bool = True) -> bool:
        """Exchange agent and customer: on utterances and tags (speakers) and/or in the channel layout."""
        row = self._s.get(CallRow, call_id)
        if row is None:
            return False
        if speakers:
            self._swap_speakers(call_id)
        if channels:
            row.layout = ChannelLayout(row.layout).swapped().value
        row.parties_swapped = not row.parties_swapped
        if speakers:  # the tags' actors changed: the verdict must be checked again (atomic, as in TagRepository)
            self._s.execute(
                update(CallRow).where(CallRow.id == call_id).values(tags_revision=CallRow.tags_revision + 1)
            )
        self._s.flush()
        return True

    def _swap_speakers(self, call_id: int) -> None:
        agent, customer = Party.AGENT.value, Party.CUSTOMER.value
        self._s.execute(
            update(UtteranceRow)
            .where(UtteranceRow.call_id == call_id)
            .values(party=case((UtteranceRow.party == agent, customer), else_=agent))
        )
        self._s.execute(
            update(TagRow)
            .where(TagRow.call_id == call_id, TagRow.actor.in_((agent, customer)))
            .values(actor=case((TagRow.actor == agent, customer), else_=agent))
        )


def _conditions(where: CallFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a library filter, over calls outer-joined to agents and teams."""
    found: list[ColumnElement[bool]] = []
    if where.team:
        found.append(TeamRow.name == where.team)
    if where.agent:
        found.append(AgentRow.name == where.agent)
    if where.started_from is not None:
        found.append(CallRow.started_at >= where.started_from)
    if where.started_before is not None:
        found.append(CallRow.started_at < where.started_before)
    if where.status is not None:
        found.append(CallRow.review_status == where.status.value)
    if where.verdict is not None:
        # An alias: the listing itself joins verdicts, and EXISTS would otherwise correlate to that join.
        verdict = aliased(VerdictRow)
        found.append(exists().where(verdict.call_id == CallRow.id, verdict.status == where.verdict.value))
    if where.tag_kind:
        found.append(exists().where(TagRow.call_id == CallRow.id, TagRow.kind == where.tag_kind))
    if where.text.strip():
        # lower() on both sides; SQLite's own lower() is ASCII-only, so Database registers a Unicode one.
        needle = where.text.strip().lower()
        said = func.lower(UtteranceRow.text).contains(needle, autoescape=True)
        found.append(exists().where(UtteranceRow.call_id == CallRow.id, said))
    return found
