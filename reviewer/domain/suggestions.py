"""Tags the detectors propose: kept apart from the supervisor's tags until accepted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag, TagSource


class SuggestionState(StrEnum):
    """What the supervisor decided about a suggestion."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Basis(StrEnum):
    """What a turn-taking or hang-up finding rests on."""

    TRANSCRIPT = "transcript"
    AUDIO = "audio"
    METADATA = "metadata"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed tag: what a detector found, where, and how sure it is."""

    kind: str
    actor: Actor
    start_ms: int
    end_ms: int
    detector: str
    confidence: float
    evidence: str = ""  # data, not prose: the matched phrase, or "transcript+audio"
    state: SuggestionState = SuggestionState.PENDING
    detector_version: str = ""
    id: int | None = None
    run_id: int | None = None
    tag_id: int | None = None  # the tag it became, once accepted
    decided_by: str = ""
    decided_at: datetime | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        """What makes two suggestions the same finding (a re-run must not propose a decided one again)."""
        return (self.kind, self.actor.value, self.start_ms, self.end_ms, self.detector)

    def as_tag(self, author: str) -> Tag:
        """The tag this suggestion becomes when accepted."""
        return Tag(
            kind=self.kind,
            actor=self.actor,
            start_ms=self.start_ms,
            end_ms=self.end_ms,
            note=self.evidence,
            author=author,
            source=TagSource.ACCEPTED,
        )

    def decided(self, state: SuggestionState, by: str, tag_id: int | None = None) -> Suggestion:
        """The suggestion after a supervisor's decision."""
        return replace(self, state=state, decided_by=by, tag_id=tag_id)


class HangupSide(StrEnum):
    """Who ended the call, as one source of evidence tells it."""

    AGENT = "agent"
    CUSTOMER = "customer"
    LINE_DROP = "line_drop"
    TRANSFERRED = "transferred"
    UNKNOWN = "unknown"

    @property
    def actor(self) -> Actor | None:
        """The tag actor for a hang-up by this side, or None when no hang-up is to be tagged."""
        return {
            HangupSide.AGENT: Actor.AGENT,
            HangupSide.CUSTOMER: Actor.CUSTOMER,
            HangupSide.LINE_DROP: Actor.CALL,
        }.get(self)


class HangupCue(StrEnum):
    """One reason an estimate of who hung up leans the way it does."""

    DISCONNECT_REASON = "disconnect_reason"
    LAST_SPEAKER = "last_speaker"
    FAREWELL = "farewell"
    OTHER_FAREWELL_UNANSWERED = "other_farewell_unanswered"
    CUT_MID_SENTENCE = "cut_mid_sentence"
    TRANSFER = "transfer"
    ONE_SIDED_DROP = "one_sided_drop"


@dataclass(frozen=True, slots=True)
class HangupEstimate:
    """Who hung up, by one basis of evidence, with a confidence and the cues it rests on."""

    side: HangupSide
    basis: Basis
    at_ms: int
    confidence: float
    cues: tuple[HangupCue, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-able data (stored with the run, printed by `reviewer detect --json`)."""
        return {
            "side": self.side.value,
            "basis": self.basis.value,
            "at_ms": self.at_ms,
            "confidence": self.confidence,
            "cues": [c.value for c in self.cues],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> HangupEstimate:
        """The estimate that to_data described."""
        cues = tuple(HangupCue(c) for c in data["cues"])
        return cls(HangupSide(data["side"]), Basis(data["basis"]), data["at_ms"], data["confidence"], cues)


@dataclass(frozen=True, slots=True)
class TurnDisagreement:
    """An interruption one basis found and the other did not."""

    found_by: Basis
    interrupter: Actor
    start_ms: int
    end_ms: int

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-able data."""
        return {
            "found_by": self.found_by.value,
            "interrupter": self.interrupter.value,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TurnDisagreement:
        """The disagreement that to_data described."""
        return cls(Basis(data["found_by"]), Actor(data["interrupter"]), data["start_ms"], data["end_ms"])


@dataclass(frozen=True, slots=True)
class Detection:
    """One detection pass over a call: the suggestions, the thresholds used, and what the bases disagree on."""

    suggestions: tuple[Suggestion, ...]
    thresholds: dict[str, float]
    versions: dict[str, str]
    hangups: tuple[HangupEstimate, ...] = ()
    disagreements: tuple[TurnDisagreement, ...] = ()
    backchannels: dict[str, int] = field(default_factory=dict)  # per actor, counted not proposed

    @property
    def hangup_conflict(self) -> bool:
        """The sources disagree about who ended the call."""
        return len({h.side for h in self.hangups}) > 1


@dataclass(frozen=True, slots=True)
class DetectorRate:
    """How often supervisors accepted one detector's suggestions of one kind."""

    detector: str
    kind: str
    accepted: int
    rejected: int
    pending: int

    @property
    def precision(self) -> float | None:
        """Accepted share of the decided suggestions; None before any decision."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None
