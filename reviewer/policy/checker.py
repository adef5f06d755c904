"""Check one call's tags against a policy: walk the events in call order, keep each rule's state, explain it all.

Commercial rule engines test unordered conditions ("a warning and a hang-up occur"); here the order is the point:
the same tags in another order give another verdict. Each tag goes only to the rules that listen to its kind, so
a check costs a few microseconds per tag (benchmarks/policy_speed.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Facts, Step, Verdict, VerdictStatus
from reviewer.policy.ladders import LadderRun
from reviewer.policy.model import AfterHangup, HangupCause, Immediate, Ladder, Limit, Policy, Procedure
from reviewer.policy.runs import CauseRun, ImmediateRun, LimitRun, ProcedureRun, owe
from reviewer.policy.trail import Event, Trail, ordered


def check(policy: Policy, tags: Sequence[Tag]) -> Verdict:
    """The verdict on a call with these tags (tags cite by id, or by list index when a tag has none)."""
    return _Check(policy, ordered(tags)).run()


class _Check:
    """One check: the rules' running states and the dispatch table from tag kind to the rules that listen."""

    def __init__(self, policy: Policy, events: list[Event]) -> None:
        self.policy = policy
        self.trail = Trail(events)
        self.ladders: list[LadderRun] = []
        self.immediates: list[ImmediateRun] = []
        self.procedures: list[ProcedureRun] = []
        self.after: list[AfterHangup] = []
        self.causes: list[CauseRun] = []
        self.dispatch: dict[str, list[Callable[[Event], None]]] = {}
        for rule in policy.rules:
            self._start(rule)
        self.agent_hangups: list[Event] = []
        self.unknown_hangups: list[Event] = []
        self.ended_by: Event | None = None

    def _start(self, rule: object) -> None:
        run: LadderRun | ImmediateRun | ProcedureRun | LimitRun | CauseRun
        if isinstance(rule, Ladder):
            run = LadderRun(rule, self.trail)
            self.ladders.append(run)
        elif isinstance(rule, Immediate):
            run = ImmediateRun(rule, self.trail)
            self.immediates.append(run)
        elif isinstance(rule, Procedure):
            run = ProcedureRun(rule, self.trail, self.policy.phrases)
            self.procedures.append(run)
        elif isinstance(rule, Limit):
            run = LimitRun(rule, self.trail, self.policy.phrases)
        elif isinstance(rule, HangupCause):
            run = CauseRun(rule, self.trail)
            self.causes.append(run)
        else:
            assert isinstance(rule, AfterHangup)
            self.after.append(rule)
            return
        for kind, handler in run.handlers().items():
            self.dispatch.setdefault(kind, []).append(handler)

    def run(self) -> Verdict:
        """Walk the call, finish each rule, and sum up."""
        dispatch = self.dispatch
        for event in self.trail.events:
            if event.tag.kind == "hang_up":
                self._hang_up(event)
            for handler in dispatch.get(event.tag.kind, ()):
                handler(event)
        for ladder in self.ladders:
            ladder.finish(self.agent_hangups + self.unknown_hangups)
        trail = self.trail
        # Steps recorded late (a follow-up found when its rule finished) take their place in call order.
        trace = sorted(trail.steps, key=lambda s: s.at_ms)
        findings = sorted(trail.findings, key=lambda f: f.at_ms)
        status = VerdictStatus.of(f.severity for f in findings)
        return Verdict(status, tuple(findings), tuple(trace), self.policy.ref)

    def _hang_up(self, event: Event) -> None:
        actor = event.tag.actor
        if self.ended_by is not None:
            # A call ends once: a second hang-up contradicts the first, and judging both would double the findings.
            for cause in self.causes:
                cause.conflict(event, self.ended_by)
            return
        self.ended_by = event
        if actor is Actor.UNKNOWN:
            self.unknown_hangups.append(event)
        if actor is Actor.AGENT:
            self._agent_hang_up(event)
        else:
            for cause in self.causes:
                cause.other_side(event)
        for rule in self.after:
            if rule.by is actor:
                for requirement in rule.requires:
                    owe(self.trail, rule.id, requirement, event)

    def _agent_hang_up(self, event: Event) -> None:
        """Who permits it, who forbids it; with neither, whether anything at all came before it (R8)."""
        self.agent_hangups.append(event)
        permits = self._permits()
        objecting = [run for run in self.ladders if run.objects(permits)]
        forbidding = [run for run in self.procedures if run.forbids(permits)]
        if permits:
            rule, cause = next(iter(permits.items()))
            facts = Facts(kind="hang_up", ref_kind=cause.tag.kind, ref_ms=cause.tag.start_ms, detail=rule)
            facts = _with_count(facts, self.ladders, rule)
            self.trail.step(event.tag.start_ms, rule, Step.HANGUP_PERMITTED, (event.ref, cause.ref), facts)
        for run in objecting:
            run.object_to(event)
        for procedure in forbidding:
            procedure.object_to(event)
        if permits or objecting or forbidding:
            return
        judged = [cause.agent_hung_up(event) for cause in self.causes]  # every R8-like rule records its own
        if not any(judged):
            rule_id = self.causes[0].rule.id if self.causes else ""
            self.trail.step(event.tag.start_ms, rule_id, Step.HANGUP_UNOBJECTED, (event.ref,), Facts(kind="hang_up"))

    def _permits(self) -> dict[str, Event]:
        """Rule id -> the event that permits ending the call now, earliest permission first."""
        granted: list[tuple[str, Event]] = []
        runs: list[ImmediateRun | LadderRun] = [*self.immediates, *self.ladders]
        for run in runs:
            cause = run.permission()
            if cause is not None:
                granted.append((run.rule.id, cause))
        granted.sort(key=lambda item: (item[1].tag.start_ms, item[0]))
        permits: dict[str, Event] = {}
        for rule, cause in granted:
            permits.setdefault(rule, cause)
        return permits


def _with_count(facts: Facts, ladders: list[LadderRun], rule: str) -> Facts:
    """For a ladder's permission, how many offence steps it took ("after the third offence")."""
    for ladder in ladders:
        if ladder.rule.id == rule and ladder.complete:
            return Facts(facts.kind, ladder.steps, ladder.rule.required, facts.ref_kind, facts.ref_ms, facts.detail)
    return facts
