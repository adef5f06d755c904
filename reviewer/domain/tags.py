"""The tag vocabulary of POLICY.md and the Tag value a supervisor (or an importer) creates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from reviewer.domain.parties import Actor


class TagSource(StrEnum):
    """Where a tag came from."""

    MANUAL = "manual"
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    IMPORTED = "imported"


class KindGroup(StrEnum):
    """The family a tag kind belongs to; decides default actor and colour."""

    CUSTOMER_BEHAVIOUR = "customer_behaviour"
    AGENT_ACTION = "agent_action"
    CALL_FACT = "call_fact"
    MEASURE = "measure"


@dataclass(frozen=True, slots=True)
class TagKind:
    """One entry of the vocabulary."""

    name: str
    group: KindGroup
    default_actor: Actor
    point: bool = False


def _kinds(group: KindGroup, actor: Actor, names: str, points: frozenset[str] = frozenset()) -> list[TagKind]:
    return [TagKind(n, group, actor, n in points) for n in names.split()]


# Section 1 of POLICY.md, in its order (number keys follow this order in the review window).
DEFAULT_KINDS: tuple[TagKind, ...] = tuple(
    _kinds(
        KindGroup.CUSTOMER_BEHAVIOUR,
        Actor.CUSTOMER,
        "profanity insult yelling threat discrimination sexual_harassment personal_question "
        "circular_dialogue supervisor_request interruption",
    )
    + _kinds(
        KindGroup.AGENT_ACTION,
        Actor.AGENT,
        "warning redirect options_summary solution_restated supervisor_script transfer escalation hold "
        "farewell hang_up banned_phrase agent_rudeness sales_pitch empathy",
        points=frozenset({"hang_up"}),
    )
    + _kinds(
        KindGroup.CALL_FACT,
        Actor.CALL,
        "lead_notified account_noted",
        points=frozenset({"lead_notified", "account_noted"}),
    )
    # What vendor analytics measure (AWS non-talk time); imported as spans, never an offence by itself.
    + _kinds(KindGroup.MEASURE, Actor.CALL, "non_talk")
)

KINDS_BY_NAME: dict[str, TagKind] = {k.name: k for k in DEFAULT_KINDS}


class TagError(ValueError):
    """A tag whose fields contradict each other."""


@dataclass(frozen=True, slots=True)
class Tag:
    """A span (or point, when end_ms == start_ms) of a call, labelled with a kind from the vocabulary."""

    kind: str
    actor: Actor
    start_ms: int
    end_ms: int
    note: str = ""
    author: str = ""
    source: TagSource = TagSource.MANUAL
    id: int | None = None
    created_at: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.kind:
            raise TagError("empty kind")
        if self.start_ms < 0 or self.end_ms < self.start_ms:
            raise TagError(f"bad span {self.start_ms}..{self.end_ms}")

    @property
    def is_point(self) -> bool:
        """A point event such as a hang-up."""
        return self.end_ms == self.start_ms

    @property
    def duration_ms(self) -> int:
        """Length of the span."""
        return self.end_ms - self.start_ms
