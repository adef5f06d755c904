"""A ladder as it runs through one call (R1 abuse, R3 personal questions)."""

from __future__ import annotations

from collections.abc import Callable

from reviewer.domain.verdict import Facts, Step
from reviewer.policy.model import Ladder
from reviewer.policy.permits import excused
from reviewer.policy.trail import Event, Trail


class LadderRun:
    """Counts offence steps and responses; knows whether a hang-up is permitted or premature at any moment."""

    def __init__(self, rule: Ladder, trail: Trail) -> None:
        self.rule = rule
        self.trail = trail
        self.level = 0  # responses given, each after at least one offence
        self.steps = 0  # offence steps (offences close together count once)
        self.unanswered: Event | None = None  # the first offence of the step awaiting a response
        self.last_offence: Event | None = None
        self.completed_by: Event | None = None
        self.completed_at = 0

    def handlers(self) -> dict[str, Callable[[Event], None]]:
        """The kinds this rule reacts to."""
        handlers: dict[str, Callable[[Event], None]] = dict.fromkeys(self.rule.offences, self.on_offence)
        handlers[self.rule.response] = self.on_response
        return handlers

    @property
    def started(self) -> bool:
        """An offence was seen."""
        return self.last_offence is not None

    @property
    def complete(self) -> bool:
        """Ending the call is permitted by this ladder."""
        return self.completed_by is not None

    def on_offence(self, event: Event) -> None:
        """An offence: a new step, the same step, a missed response, or the one that completes the ladder."""
        tag, rule = event.tag, self.rule
        if tag.actor is not rule.offender:
            return
        previous, self.last_offence = self.last_offence, event
        if self.complete:
            self.unanswered = self.unanswered or event
            self.trail.step(tag.start_ms, rule.id, Step.OFFENCE_AFTER_COMPLETE, (event.ref,), Facts(kind=tag.kind))
        elif self.unanswered is not None and previous is not None and self._same_step(previous, event):
            first = self.unanswered.tag
            facts = Facts(kind=tag.kind, ref_kind=first.kind, ref_ms=first.start_ms)
            self.trail.step(tag.start_ms, rule.id, Step.OFFENCE_JOINED, (event.ref,), facts)
        else:
            self._new_step(event)

    def _same_step(self, previous: Event, event: Event) -> bool:
        return event.tag.start_ms - previous.tag.end_ms <= self.rule.same_step_within_ms

    def _new_step(self, event: Event) -> None:
        tag, rule = event.tag, self.rule
        self.steps += 1
        missed, self.unanswered = self.unanswered, event
        if rule.further_offence and self.level >= rule.required and missed is None:
            self._complete(event)
            return
        facts = Facts(kind=tag.kind, count=self.level + 1, of=rule.required, detail=rule.response)
        self.trail.step(tag.start_ms, rule.id, Step.OFFENCE, (event.ref,), facts)
        if missed is not None:
            code = f"{rule.id}.missed_{rule.response}"
            facts = Facts(kind=rule.response, ref_kind=missed.tag.kind, ref_ms=missed.tag.start_ms)
            self.trail.find(tag.start_ms, code, rule.missed, (missed.ref, event.ref), facts)

    def _complete(self, event: Event, at_ms: int | None = None) -> None:
        tag, rule = event.tag, self.rule
        self.completed_by = event
        self.completed_at = tag.start_ms if at_ms is None else at_ms
        facts = Facts(kind=tag.kind, count=self.steps, of=rule.required, ref_kind=rule.response)
        self.trail.step(self.completed_at, rule.id, Step.LADDER_COMPLETE, (event.ref,), facts)

    def on_response(self, event: Event) -> None:
        """A response: the next rung after an offence, or unprovoked (no offence since the previous one)."""
        tag, rule, cause = event.tag, self.rule, self.unanswered
        if tag.actor is not rule.responder:
            return
        ongoing = self.last_offence
        if cause is None and ongoing is not None and ongoing.tag.end_ms > tag.start_ms:
            cause = ongoing  # a long yelling span the agent warns into twice: each warning answers it
        if cause is None:
            code = f"{rule.id}.unprovoked_{rule.response}"
            facts = Facts(kind=tag.kind, count=self.level, of=rule.required)
            self.trail.find(tag.start_ms, code, rule.unprovoked, (event.ref,), facts)
            return
        self.level += 1
        self.unanswered = None
        facts = Facts(tag.kind, self.level, rule.required, cause.tag.kind, cause.tag.start_ms)
        self.trail.step(tag.start_ms, rule.id, Step.RESPONSE, (event.ref, cause.ref), facts)
        if self.complete or self.level < rule.required:
            return
        if not rule.further_offence:
            self._complete(event)
        elif cause.tag.end_ms > tag.end_ms:
            self._complete(cause, at_ms=tag.end_ms)  # the offence went on after the last warning ended

    def objects(self, permits: dict[str, Event]) -> bool:
        """Whether an agent hang-up now is premature under this ladder (and not excused by another rule)."""
        if not self.started or self.complete:
            return False
        return not excused(permits, self.rule.unless_permitted_by)

    def object_to(self, event: Event) -> None:
        """Record the premature hang-up."""
        rule, last = self.rule, self.last_offence
        assert last is not None
        facts = Facts(rule.response, self.level, rule.required, last.tag.kind, last.tag.start_ms)
        self.trail.find(event.tag.start_ms, f"{rule.id}.premature_hangup", rule.premature, (event.ref, last.ref), facts)

    def permission(self) -> Event | None:
        """The offence that completed the ladder, when it permits ending the call."""
        return self.completed_by if self.rule.permits_hang_up else None

    def finish(self, hangups: list[Event]) -> None:
        """A completed ladder the agent did not end the call on: they chose to continue, which is fine.

        `hangups` are the agent's and those of an unknown side: after either, nobody can say the agent continued.
        """
        done = self.completed_by
        if done is None or any(h.tag.start_ms >= self.completed_at for h in hangups):
            return
        facts = Facts(kind=done.tag.kind, count=self.level, of=self.rule.required)
        self.trail.find(self.completed_at, f"{self.rule.id}.continued", self.rule.continued, (done.ref,), facts)
