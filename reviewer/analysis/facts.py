"""One checked call reduced to the figures the trends add up: its measures, how it ended, its findings by rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.trends import CallFacts, Ending, Measure
from reviewer.domain.verdict import Step, Verdict

# A customer who hangs up within a minute of being cut off is the pattern coaching looks for (POLICY.md R8); an
# interruption ten minutes earlier is not what made them leave.
INTERRUPTION_WINDOW_MS = 60_000

_SIDE = {Actor.CUSTOMER: Ending.CUSTOMER, Actor.CALL: Ending.LINE_DROP, Actor.UNKNOWN: Ending.UNKNOWN}
_AGENT_STEP = {Step.HANGUP_PERMITTED: Ending.PERMITTED, Step.HANGUP_UNOBJECTED: Ending.UNOBJECTED}


def call_facts(tags: Sequence[Tag], verdict: Verdict, abuse: Collection[str]) -> CallFacts:
    """The call's facts; `abuse` names the customer offences the agent handles (the policy's R1 and R2 kinds)."""
    ending, hang_up = _ending(tags, verdict)
    measures = {
        Measure.AGENT_INTERRUPTION: _count(tags, "interruption", Actor.AGENT),
        Measure.AGENT_RUDENESS: sum(t.kind == "agent_rudeness" for t in tags),
        Measure.BANNED_PHRASE: sum(t.kind == "banned_phrase" for t in tags),
        Measure.CUSTOMER_ABUSE: sum(t.kind in abuse and t.actor is Actor.CUSTOMER for t in tags),
        Measure.HANGUP_AFTER_INTERRUPTION: int(ending is Ending.CUSTOMER and _interrupted_before(tags, hang_up)),
    }
    return CallFacts(
        status=verdict.status,
        ending=ending,
        measures=measures,
        kinds=dict(Counter((t.kind, t.actor.value) for t in tags)),
        findings=dict(Counter(f.rule for f in verdict.findings)),
    )


def _count(tags: Sequence[Tag], kind: str, actor: Actor) -> int:
    return sum(t.kind == kind and t.actor is actor for t in tags)


def _ending(tags: Sequence[Tag], verdict: Verdict) -> tuple[Ending, Tag | None]:
    """How the call ended: its first hang-up, judged as the verdict's trace judged it."""
    hang_ups = sorted((t for t in tags if t.kind == "hang_up"), key=lambda t: (t.start_ms, t.id or 0))
    if not hang_ups:
        return Ending.NONE, None
    first = hang_ups[0]
    if first.actor is not Actor.AGENT:
        return _SIDE[first.actor], first
    for step in verdict.trace:
        if step.step in _AGENT_STEP and step.tags[:1] == (first.id,):
            return _AGENT_STEP[step.step], first
    # Neither permitted nor let pass: a ladder or procedure objected to it, or no offence at all came before it.
    return Ending.PREMATURE, first


def _interrupted_before(tags: Sequence[Tag], hang_up: Tag | None) -> bool:
    if hang_up is None:
        return False
    since = hang_up.start_ms - INTERRUPTION_WINDOW_MS
    return any(
        t.kind == "interruption" and t.actor is Actor.AGENT and since <= t.start_ms <= hang_up.start_ms for t in tags
    )
