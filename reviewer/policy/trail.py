"""The record a check keeps while it walks the call: trace steps and findings, plus the tags by kind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Facts, Finding, Severity, Step, TraceStep
from reviewer.policy.model import Requirement, Window

NO_FACTS = Facts()

# Tags at the same millisecond are taken in this order: the customer's offence comes before the agent's answer,
# the answer before the hang-up, the hang-up before the facts ticked after the call. So a hang-up "exactly at the
# third offence" follows that offence, and the property "reordering the tag list never changes a verdict" holds.
_PHASE = {Actor.CUSTOMER: 0, Actor.AGENT: 1, Actor.UNKNOWN: 2, Actor.CALL: 3}


class Event(NamedTuple):
    """A tag and how the verdict cites it (its id in the library, or its index in a call document)."""

    tag: Tag
    ref: int


def ordered(tags: Sequence[Tag]) -> list[Event]:
    """Events in call order; ties broken by content, never by list position."""
    events = [Event(t, i if t.id is None else t.id) for i, t in enumerate(tags)]
    events.sort(key=_order)
    return events


def _order(event: Event) -> tuple[int, int, int, str, str, int]:
    tag = event.tag
    phase = 2 if tag.kind == "hang_up" else _PHASE[tag.actor]
    return (tag.start_ms, phase, tag.end_ms, tag.kind, tag.note, event.ref)


@dataclass(slots=True)
class Trail:
    """Steps and findings as the checker records them; `by_kind` lets a rule look ahead for a follow-up."""

    events: list[Event]
    steps: list[TraceStep] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _by_kind: dict[str, list[Event]] | None = None

    @property
    def by_kind(self) -> dict[str, list[Event]]:
        """The events of each kind, built on first use (only hang-ups and severe offences look ahead)."""
        if self._by_kind is None:
            self._by_kind = {}
            for event in self.events:
                self._by_kind.setdefault(event.tag.kind, []).append(event)
        return self._by_kind

    def step(self, at_ms: int, rule: str, step: Step, tags: tuple[int, ...], facts: Facts = NO_FACTS) -> None:
        """Record one step of the trace."""
        self.steps.append(TraceStep(at_ms, rule, step, tags, facts))

    def find(
        self, at_ms: int, code: str, severity: Severity | None, tags: tuple[int, ...], facts: Facts = NO_FACTS
    ) -> None:
        """Record a finding and its trace line; a finding switched off (severity None) records nothing."""
        if severity is None:
            return
        self.findings.append(Finding(code, severity, at_ms, tags, facts))
        self.steps.append(TraceStep(at_ms, code, Step.FINDING, tags, facts, severity))

    def follow_up(self, requirement: Requirement, at_ms: int) -> Event | None:
        """The first tag meeting a requirement owed at `at_ms`, or None."""
        for kind in sorted(requirement.kinds):
            for event in self.by_kind.get(kind, ()):
                if _meets(requirement, event.tag, at_ms):
                    return event
        return None

    def any_of(self, kinds: Iterable[str], actor: Actor, until_ms: int) -> Event | None:
        """The first tag of these kinds by actor starting at or before until_ms."""
        found = [e for k in kinds for e in self.by_kind.get(k, ()) if e.tag.actor is actor]
        found = [e for e in found if e.tag.start_ms <= until_ms]
        return min(found, key=_order) if found else None


def _meets(requirement: Requirement, tag: Tag, at_ms: int) -> bool:
    if tag.actor is Actor.CALL:
        return True
    if tag.actor is not requirement.by:
        return False  # the customer's "goodbye" is not the agent's farewell
    if requirement.window is Window.ANYWHERE:
        return True
    if requirement.window is Window.AFTER:
        return tag.start_ms >= at_ms
    if tag.start_ms > at_ms:
        return False
    return requirement.within_ms is None or at_ms - tag.end_ms <= requirement.within_ms
