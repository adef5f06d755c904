"""The typed tables. Alembic revisions in db/ must produce exactly this schema (a test compares them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Float, ForeignKey, Index, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so SQLite batch migrations and PostgreSQL agree on what to alter.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC on every backend (SQLite keeps no offset and would silently drop it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with the project's naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class TeamRow(Base):
    """A team of agents."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class AgentRow(Base):
    """An agent, optionally in a team."""

    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    team: Mapped[TeamRow | None] = relationship()


class CallRow(Base):
    """A call: audio facts, transcript provenance, review state."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Free text from files and manifests is Text: PostgreSQL enforces VARCHAR lengths that SQLite ignores.
    external_id: Mapped[str] = mapped_column(Text, index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    duration_ms: Mapped[int]
    sample_rate: Mapped[int]
    channels: Mapped[int]
    layout: Mapped[str] = mapped_column(String(20))
    audio_path: Mapped[str] = mapped_column(Text)
    second_audio_path: Mapped[str | None] = mapped_column(Text)
    audio_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    transcript_path: Mapped[str | None] = mapped_column(Text)
    transcript_format: Mapped[str | None] = mapped_column(String(40))
    transcript_encoding: Mapped[str | None] = mapped_column(String(40))
    disconnect_reason: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str] = mapped_column(String(20), default="todo")
    summary: Mapped[str] = mapped_column(Text, default="")
    parties_swapped: Mapped[bool] = mapped_column(default=False)
    # Bumped by every change to the call's tags, in the same transaction; a verdict stores the revision it read.
    tags_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Time anyone was talking (the union of the utterances; the whole recording when there is no transcript).
    talk_ms: Mapped[int] = mapped_column(default=0, server_default="0")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    agent: Mapped[AgentRow | None] = relationship()


class UtteranceRow(Base):
    """One utterance; words are a JSON list of [start_ms, end_ms, text, confidence]."""

    __tablename__ = "utterances"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    seq: Mapped[int]
    party: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str] = mapped_column(Text)
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[Any]] = mapped_column(JSON, default=list)
    __table_args__ = (Index("ix_utterances_call_seq", "call_id", "seq", unique=True),)


class TagRow(Base):
    """A tag on a call."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(20))
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (Index("ix_tags_call_start", "call_id", "start_ms"),)


class VerdictRow(Base):
    """The latest verdict on a call: status for the library, the findings and trace as JSON, and what it rests on."""

    __tablename__ = "verdicts"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    policy_name: Mapped[str] = mapped_column(Text)
    policy_version: Mapped[str] = mapped_column(Text)
    policy_sha256: Mapped[str] = mapped_column(String(64))
    tags_revision: Mapped[int]
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class DetectionRunRow(Base):
    """One pass of the detectors over a call: the thresholds and versions used, and the findings that are no tags."""

    __tablename__ = "detection_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSON)
    versions: Mapped[dict[str, Any]] = mapped_column(JSON)
    findings: Mapped[dict[str, Any]] = mapped_column(JSON)  # who hung up by each basis, disagreements, backchannels


class SuggestionRow(Base):
    """A proposed tag, kept apart from the tags until accepted; decided ones stay for the precision figures."""

    __tablename__ = "suggestions"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("detection_runs.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(20))
    start_ms: Mapped[int]
    end_ms: Mapped[int]
    detector: Mapped[str] = mapped_column(String(40))
    detector_version: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), index=True)
    tag_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"), index=True)
    decided_by: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (Index("ix_suggestions_call_start", "call_id", "start_ms"),)


# What the trend queries read of a facts row besides its agent and period: what they add up, and the day a date
# range filters on (the covering indexes below hold them all).
_TREND_COLUMNS = (
    "reviewed", "talk_ms", "status", "ending",
    "agent_interruption", "agent_rudeness", "banned_phrase", "customer_abuse", "hangup_after_interruption", "day",
)  # fmt: skip


class CallFactsRow(Base):
    """One checked call reduced to what the trends add up; written with its verdict, in the same transaction.

    The period keys are integers (day 20261122, ISO week 202647, month 202611) in the supervisor's time zone, so
    weekly and monthly trends are a GROUP BY over indexed columns, the same SQL on SQLite and PostgreSQL.
    """

    __tablename__ = "call_facts"
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    day: Mapped[int | None] = mapped_column(index=True)
    week: Mapped[int | None]
    month: Mapped[int | None]
    reviewed: Mapped[bool]
    talk_ms: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    ending: Mapped[str] = mapped_column(String(20))
    agent_interruption: Mapped[int]
    agent_rudeness: Mapped[int]
    banned_phrase: Mapped[int]
    customer_abuse: Mapped[int]
    hangup_after_interruption: Mapped[int]
    # Covering: the trend queries read every column they sum from the index, in (agent, period) order.
    __table_args__ = (
        Index("ix_call_facts_agent_week", "agent_id", "week", *_TREND_COLUMNS),
        Index("ix_call_facts_agent_month", "agent_id", "month", *_TREND_COLUMNS),
    )


class CallFactKindRow(Base):
    """How many tags of one kind by one actor a checked call has: any kind, including those a policy adds."""

    __tablename__ = "call_fact_kinds"
    call_id: Mapped[int] = mapped_column(ForeignKey("call_facts.call_id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    actor: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int]
    # Covering: a tag kind chosen in the trends is read from the index alone, with its calls and counts.
    __table_args__ = (Index("ix_call_fact_kinds_kind", "kind", "actor", "call_id", "n"),)


class CallFactFindingRow(Base):
    """How many findings of one rule id (R1.premature_hangup) a checked call's verdict has."""

    __tablename__ = "call_fact_findings"
    call_id: Mapped[int] = mapped_column(ForeignKey("call_facts.call_id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int]
    # Covering: the trend queries join the findings to the facts by call and read rule and n from the index.
    __table_args__ = (
        Index("ix_call_fact_findings_rule", "rule"),
        Index("ix_call_fact_findings_call", "call_id", "rule", "n"),
    )
