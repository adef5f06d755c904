"""The other rule types as they run through one call: immediate permissions, procedures, limits, hang-up causes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from reviewer.domain.parties import Actor
from reviewer.domain.verdict import Facts, Step
from reviewer.policy.model import HangupCause, Immediate, Limit, Phrases, Procedure, Requirement
from reviewer.policy.permits import excused
from reviewer.policy.trail import Event, Trail

Handlers = dict[str, Callable[[Event], None]]


def owe(trail: Trail, rule_id: str, requirement: Requirement, owed: Event) -> None:
    """Look for a required follow-up: a FOLLOW_UP step at the moment it was owed, or the requirement's finding."""
    at = owed.tag.start_ms
    found = trail.follow_up(requirement, at)
    if found is None:
        facts = Facts(kind=owed.tag.kind, detail="|".join(sorted(requirement.kinds)))
        trail.find(at, f"{rule_id}.{requirement.finding}", requirement.severity, (owed.ref,), facts)
        return
    facts = Facts(kind=found.tag.kind, ref_kind=owed.tag.kind, ref_ms=found.tag.start_ms, detail=requirement.finding)
    trail.step(at, rule_id, Step.FOLLOW_UP, (found.ref, owed.ref), facts)


class ImmediateRun:
    """Severe offences: the first one permits a hang-up at once and owes the follow-ups (R2)."""

    def __init__(self, rule: Immediate, trail: Trail) -> None:
        self.rule = rule
        self.trail = trail
        self.first: Event | None = None

    def handlers(self) -> Handlers:
        """The kinds this rule reacts to."""
        return dict.fromkeys(self.rule.offences, self.on_offence)

    def on_offence(self, event: Event) -> None:
        """A severe offence."""
        tag = event.tag
        if tag.actor is not self.rule.offender:
            return
        step = Step.PERMITTED_AT_ONCE if self.rule.permits_hang_up else Step.OFFENCE
        self.trail.step(tag.start_ms, self.rule.id, step, (event.ref,), Facts(kind=tag.kind))
        if self.first is None:
            self.first = event
            for requirement in self.rule.requires:
                owe(self.trail, self.rule.id, requirement, event)

    def permission(self) -> Event | None:
        """The severe offence that permits ending the call."""
        return self.first if self.rule.permits_hang_up else None


class ProcedureRun:
    """A trigger opens ordered steps; knows which step is due and whether a hang-up now is forbidden (R4, R5)."""

    def __init__(self, rule: Procedure, trail: Trail, phrases: Phrases) -> None:
        self.rule = rule
        self.trail = trail
        self.approved = _matcher(phrases.get("approved", {}))
        self.not_approved = _matcher(phrases.get("not_approved", {}))
        self.negated = _matcher(phrases.get("negations", {}), whole_words=True)
        self.trigger: Event | None = None
        self.position = 0  # index of the next step due
        self.repeated = False  # the trigger came again since the last step

    def handlers(self) -> Handlers:
        """The kinds this rule reacts to."""
        handlers: Handlers = dict.fromkeys(self.rule.triggers, self.on_trigger)
        handlers.update(dict.fromkeys((s.kind for s in self.rule.steps), self.on_step))
        return handlers

    @property
    def done(self) -> bool:
        """All steps were taken."""
        return self.position >= len(self.rule.steps)

    def on_trigger(self, event: Event) -> None:
        """The trigger starts the procedure, or repeats while it runs."""
        tag, rule = event.tag, self.rule
        if tag.actor is not rule.offender:
            return
        due = "" if self.done else rule.steps[self.position].kind
        facts = Facts(kind=tag.kind, count=self.position + 1, of=len(rule.steps), detail=due)
        if self.trigger is None:
            self.trigger = event
            self.trail.step(tag.start_ms, rule.id, Step.PROCEDURE_START, (event.ref,), facts)
        else:
            self.repeated = True
            self.trail.step(tag.start_ms, rule.id, Step.PROCEDURE_REPEAT, (event.ref,), facts)

    def on_step(self, event: Event) -> None:
        """One of the steps, in order or early."""
        if self.trigger is None or event.tag.actor is Actor.CUSTOMER:
            return
        tag, rule = event.tag, self.rule
        index = next(i for i, s in enumerate(rule.steps) if s.kind == tag.kind)
        if index > self.position:
            skipped = rule.steps[self.position].kind
            facts = Facts(kind=tag.kind, count=index + 1, of=len(rule.steps), detail=skipped)
            self.trail.find(tag.start_ms, f"{rule.id}.early_{tag.kind}", rule.early, (event.ref,), facts)
        facts = Facts(kind=tag.kind, count=index + 1, of=len(rule.steps))
        self.trail.step(tag.start_ms, rule.id, Step.PROCEDURE_STEP, (event.ref,), facts)
        if rule.steps[index].needs_approval:
            self._approval(event)
        if index >= self.position:
            self.position, self.repeated = index + 1, False
            if self.done:
                self.trail.step(tag.start_ms, rule.id, Step.PROCEDURE_DONE, (event.ref,), Facts(kind=tag.kind))

    def _approval(self, event: Event) -> None:
        tag, rule = event.tag, self.rule
        refused, granted = self.not_approved(tag.note), self.approved(tag.note)
        # "перевод не был согласован", "without prior approval": an approval word with a negation anywhere in the
        # note is not read as approval; it is unknown, so the verdict waits for the supervisor (fails closed).
        if granted and not refused and self.negated(tag.note):
            granted = ""
        if refused:
            facts = Facts(kind=tag.kind, detail=refused)
            self.trail.find(tag.start_ms, f"{rule.id}.unapproved_{tag.kind}", rule.unapproved, (event.ref,), facts)
        elif granted:
            self.trail.step(tag.start_ms, rule.id, Step.APPROVAL, (event.ref,), Facts(kind=tag.kind, detail=granted))
        else:
            code = f"{rule.id}.{tag.kind}_approval_unknown"
            self.trail.find(tag.start_ms, code, rule.approval_unknown, (event.ref,), Facts(kind=tag.kind))

    def forbids(self, permits: dict[str, Event]) -> bool:
        """The procedure started and is not done, and no permission excuses ending the call.

        Also while an `after_repeat` step waits for the customer to insist: hanging up right after reading the
        supervisor script is still hanging up on a customer who asked for a supervisor (POLICY.md R5).
        """
        if self.trigger is None or self.done:
            return False
        return not excused(permits, self.rule.unless_permitted_by)

    def object_to(self, event: Event) -> None:
        """Record the forbidden hang-up."""
        rule, trigger = self.rule, self.trigger
        assert trigger is not None
        due = rule.steps[self.position].kind
        facts = Facts(kind=trigger.tag.kind, ref_kind=trigger.tag.kind, ref_ms=trigger.tag.start_ms, detail=due)
        refs = (event.ref, trigger.ref)
        self.trail.find(event.tag.start_ms, f"{rule.id}.{rule.forbidden}", rule.forbidden_severity, refs, facts)


class LimitRun:
    """Counts one kind by one actor; past the limit, a finding (R7)."""

    def __init__(self, rule: Limit, trail: Trail, phrases: Phrases) -> None:
        self.rule = rule
        self.trail = trail
        self.count = 0
        self.phrase = _matcher(phrases.get(rule.phrases, {})) if rule.phrases else None

    def handlers(self) -> Handlers:
        """The kind this rule counts."""
        return {self.rule.kind: self.on_tag}

    def on_tag(self, event: Event) -> None:
        """One more of the limited kind."""
        tag, rule = event.tag, self.rule
        if tag.actor is not rule.actor:
            return
        self.count += 1
        phrase = self.phrase(tag.note) if self.phrase else ""
        facts = Facts(kind=tag.kind, count=self.count, of=rule.max, detail=phrase)
        self.trail.step(tag.start_ms, rule.id, Step.COUNTED, (event.ref,), facts)
        if self.count > rule.max and (rule.each or self.count == rule.max + 1):
            self.trail.find(tag.start_ms, f"{rule.id}.{rule.finding}", rule.severity, (event.ref,), facts)


class CauseRun:
    """Remembers whether any offence came before; judges hang-ups nobody else permits or forbids (R8)."""

    def __init__(self, rule: HangupCause, trail: Trail) -> None:
        self.rule = rule
        self.trail = trail

    def handlers(self) -> Handlers:
        """None: it looks back from each hang-up instead (hang-ups are few, offences many)."""
        return {}

    def agent_hung_up(self, event: Event) -> bool:
        """An agent hang-up with no customer offence at or before it: a finding. True when it was unwarranted."""
        if self.trail.any_of(self.rule.offences, Actor.CUSTOMER, event.tag.start_ms) is not None:
            return False
        code = f"{self.rule.id}.unwarranted_hangup"
        self.trail.find(event.tag.start_ms, code, self.rule.unwarranted, (event.ref,), Facts(kind="hang_up"))
        return True

    def conflict(self, event: Event, first: Event) -> None:
        """A second hang-up after the call already ended: the tags contradict each other; the verdict waits."""
        tag, rule = event.tag, self.rule
        facts = Facts(kind=tag.kind, ref_kind=first.tag.actor.value, ref_ms=first.tag.start_ms, detail=tag.actor.value)
        self.trail.find(tag.start_ms, f"{rule.id}.hangup_conflict", rule.side_unknown, (event.ref, first.ref), facts)

    def other_side(self, event: Event) -> None:
        """A customer hang-up, a line drop or an unknown side: recorded, never the agent's violation."""
        tag, rule = event.tag, self.rule
        step = {Actor.CUSTOMER: Step.HANGUP_BY_CUSTOMER, Actor.CALL: Step.LINE_DROPPED}.get(tag.actor)
        if step is None:
            self.trail.step(tag.start_ms, rule.id, Step.HANGUP_SIDE_UNKNOWN, (event.ref,), Facts(kind=tag.kind))
            code, severity = f"{rule.id}.hangup_side_unknown", rule.side_unknown
        else:
            self.trail.step(tag.start_ms, rule.id, step, (event.ref,), Facts(kind=tag.kind))
            code, severity = f"{rule.id}.customer_ended", rule.customer_ended
        self.trail.find(tag.start_ms, code, severity, (event.ref,), Facts(kind=tag.kind, detail=tag.actor.value))


def _matcher(by_language: Mapping[str, tuple[str, ...]], *, whole_words: bool = False) -> Callable[[str], str]:
    """A function returning the first listed phrase found in a text ("" when none)."""
    return _compiled_matcher(tuple(p for ps in by_language.values() for p in ps), whole_words)


@functools.cache
def _compiled_matcher(listed: tuple[str, ...], whole_words: bool) -> Callable[[str], str]:
    """Compiled once per phrase list, not once per check."""
    # Longest first, so "not approved" wins over "approved".
    phrases = sorted(listed, key=len, reverse=True)
    patterns = [(p, _pattern(p, whole_words)) for p in phrases]

    def find(text: str) -> str:
        folded = text.casefold()
        return next((p for p, pattern in patterns if pattern.search(folded)), "")

    return find


def _pattern(phrase: str, whole_words: bool = False) -> re.Pattern[str]:
    """From a word start where words are spaced ("approved" must not match "unapproved", but "согласован" is a stem
    of "согласовано"); CJK and Hangul anywhere, as they are written without spaces."""
    body = re.escape(phrase.casefold())
    if any("\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in phrase):
        return re.compile(body)
    return re.compile(rf"(?<!\w){body}(?!\w)" if whole_words else rf"(?<!\w){body}")
