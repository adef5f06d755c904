"""A demo history call written out from its plan: the lines from the phrase bank, timed, with the supervisor's tags."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from reviewer.domain.parties import Actor, Party
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance
from reviewer.domain.verdict import VerdictStatus
from reviewer.services.demo_phrases import (
    ANSWER,
    ASK,
    CALM_DOWN,
    CARRY_ON,
    CUT_IN,
    CUT_OFF,
    EMPATHY,
    END_ABUSIVE,
    END_EARLY,
    FAREWELL,
    FILLER,
    FOLLOW_UP,
    GIVE_UP,
    GREETING,
    HOLD,
    LINE_DROP,
    OFFENCES,
    PRAISE,
    REASSURE,
    SUMMARIES,
    THANKS,
    TOPICS,
    UPSET,
    WARNINGS,
)

AUTHOR = "demo"
TALK_S = (125, 420)  # talk time per call; holds and pauses come on top

A, C = Party.AGENT, Party.CUSTOMER

# The findings each scenario should get under the default policy, by how much they weigh.
_VIOLATIONS = {"R1.premature_hangup", "R6.not_logged", "R8.unwarranted_hangup"}
_COACHING = {"R7.interrupts_customer", "R7.repeat_hold", "R7.banned_phrase"}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a call's script: who says what, for how long, and what the supervisor tagged on it."""

    party: Party
    text: str
    seconds: float | None = None  # None: a share of the call's talk time
    tags: tuple[tuple[str, str], ...] = ()  # (kind, note) over the whole line, by the line's party
    cuts_in: bool = False  # the agent starts before the customer has finished: an interruption
    hold_s: float = 0.0  # the customer waits on hold this long after the line
    prefix_ms: int = 0  # a banned phrase: only the line's first milliseconds are tagged


@dataclass(frozen=True, slots=True)
class Plan:
    """What a call will hold, drawn first: the script and the findings it should get both follow from it."""

    interruptions: int
    holds: int
    empathy: bool
    banned: bool
    abuse: str  # "", "by_the_book", "not_logged", "continued", "premature", "unwarranted"
    ending: str  # "customer", "quiet", "line_drop", "gave_up", "agent"

    def findings(self) -> frozenset[str]:
        """The rule ids the checker should find."""
        found = {
            "R7.interrupts_customer": self.interruptions > 2,
            "R7.repeat_hold": self.holds > 1,
            "R7.banned_phrase": self.banned,
            "R8.customer_ended": self.ending in ("customer", "gave_up", "line_drop"),
            "R6.not_logged": self.abuse == "not_logged",
            "R1.continued": self.abuse == "continued",
            "R1.premature_hangup": self.abuse == "premature",
            "R8.unwarranted_hangup": self.abuse == "unwarranted",
        }
        return frozenset(rule for rule, yes in found.items() if yes)

    def status(self) -> VerdictStatus:
        """The verdict those findings add up to."""
        found = self.findings()
        if found & _VIOLATIONS:
            return VerdictStatus.VIOLATION
        return VerdictStatus.COACHING if found & _COACHING else VerdictStatus.COMPLIANT


def write_script(rng: random.Random, plan: Plan, name: str) -> list[Line]:
    """The call's lines in order; the ending's own lines (and the last interruption if it ends the call) last."""
    problem, explanation, fix = rng.choice(TOPICS)
    lines = [Line(A, GREETING.format(name=name)), Line(C, problem)]
    lines += [Line(A, EMPATHY, tags=(("empathy", ""),))] if plan.empathy else []
    lines += [Line(A, rng.choice(ASK)), Line(C, rng.choice(ANSWER))]
    for _ in range(plan.interruptions - (plan.ending == "gave_up")):
        lines += [*_cut_in(rng), Line(C, rng.choice(FILLER[C]))]
    for n in range(plan.holds):
        lines += [Line(A, HOLD[0], rng.uniform(5, 8), hold_s=rng.uniform(25, 90)), Line(A, HOLD[1], 2.0)]
        lines += [Line(C, rng.choice(FOLLOW_UP))] if n == 0 and plan.holds > 1 else []
    if plan.banned:
        lines += [Line(C, UPSET), Line(A, CALM_DOWN, 4.0, (("banned_phrase", "calm down"),), prefix_ms=1200)]
    if plan.abuse == "continued":
        lines += [*_ladder(rng, len(OFFENCES)), Line(A, CARRY_ON[0]), Line(C, CARRY_ON[1], 3.0)]
    lines.append(Line(A, explanation))
    return lines + _closing(rng, plan, fix)


def _cut_in(rng: random.Random) -> list[Line]:
    """The customer explains at length (no filler: they are cut off mid-sentence) and the agent talks over them."""
    return [Line(C, CUT_OFF, rng.uniform(8, 20)), Line(A, rng.choice(CUT_IN), rng.uniform(4, 7), cuts_in=True)]


def _ladder(rng: random.Random, offences: int) -> list[Line]:
    """Offence, warning, offence, warning, ...: `offences` offences, a warning after each but the last."""
    lines: list[Line] = []
    for n in range(offences):
        kind, text = OFFENCES[n % len(OFFENCES)]
        lines.append(Line(C, text, rng.uniform(3, 4.5), ((kind, ""),)))
        if n < offences - 1:
            lines.append(Line(A, WARNINGS[min(n, 1)], rng.uniform(5, 6.5), (("warning", f"{n + 1} of 2"),)))
    return lines


def _closing(rng: random.Random, plan: Plan, fix: str) -> list[Line]:
    farewell = Line(A, rng.choice(FAREWELL), rng.uniform(3, 4.5), (("farewell", ""),))
    if plan.ending == "gave_up":
        return [*_cut_in(rng), Line(C, GIVE_UP, 3.0)]
    if plan.ending == "line_drop":
        return [Line(A, fix), Line(C, LINE_DROP, 2.5)]
    if plan.abuse in ("by_the_book", "not_logged"):
        return [*_ladder(rng, 3), Line(A, END_ABUSIVE, 4.0, (("farewell", "closing of the abuse procedure"),))]
    if plan.abuse == "premature":
        return [*_ladder(rng, 2), Line(A, END_EARLY, 2.5, (("farewell", "curt"),))]
    if plan.abuse == "unwarranted":
        return [Line(A, fix), Line(C, rng.choice(FOLLOW_UP)), Line(A, END_EARLY, 2.5, (("farewell", "curt"),))]
    return [Line(A, fix), Line(C, rng.choice(FOLLOW_UP)), Line(A, REASSURE), Line(C, rng.choice(THANKS)), farewell]


def lay_out(rng: random.Random, lines: list[Line], plan: Plan, agent: str) -> tuple[list[Utterance], list[Tag], int]:
    """Times for the lines (pauses between, holds where asked, interruptions overlapping) and the ending's tags."""
    fixed_ms = sum(line.seconds or 0 for line in lines) * 1000
    weights = [rng.uniform(0.6, 1.4) if line.seconds is None else 0.0 for line in lines]
    spare_ms = max(rng.uniform(*TALK_S) * 1000 - fixed_ms, 5000.0 * sum(w > 0 for w in weights))
    utterances: list[Utterance] = []
    tags: list[Tag] = []
    at = rng.randint(500, 1500)
    for line, weight in zip(lines, weights, strict=True):
        length = round(line.seconds * 1000 if line.seconds else spare_ms * weight / sum(weights))
        start = at
        if line.cuts_in and utterances:
            start = utterances[-1].end_ms - rng.randint(700, 1500)
            tags.append(Tag("interruption", Actor.AGENT, start, utterances[-1].end_ms, "talks over the customer"))
        text = line.text if line.seconds else f"{line.text} {rng.choice(FILLER[line.party])}"
        speaker = agent if line.party is A else "Caller"
        utterances.append(Utterance(line.party, speaker, start, start + length, text))
        for kind, note in line.tags:
            tags.append(Tag(kind, Actor.of(line.party), start, start + (line.prefix_ms or length), note))
        at = start + length + rng.randint(300, 1200)
        if line.hold_s:
            hold_end = at + round(line.hold_s * 1000)
            tags.append(Tag("hold", Actor.AGENT, at, hold_end, "customer on hold"))
            at = hold_end + rng.randint(300, 800)
    last_ms = max(u.end_ms for u in utterances)
    tags += _ending_tags(plan, last_ms, last_ms + rng.randint(300, 900))
    duration_ms = max(at, *(t.end_ms for t in tags)) + rng.randint(200, 1500)
    return utterances, [replace(t, author=AUTHOR, source=TagSource.MANUAL) for t in tags], duration_ms


def _ending_tags(plan: Plan, last_ms: int, hang_up_ms: int) -> list[Tag]:
    if plan.ending == "line_drop":
        return [Tag("hang_up", Actor.CALL, last_ms, last_ms, "line dropped mid-sentence")]
    if plan.ending in ("customer", "gave_up"):
        return [Tag("hang_up", Actor.CUSTOMER, hang_up_ms, hang_up_ms)]
    if plan.ending != "agent":
        return []
    facts = [Tag("lead_notified", Actor.CALL, hang_up_ms, hang_up_ms, "team lead told after the call")]
    if plan.abuse != "not_logged":
        facts.append(Tag("account_noted", Actor.CALL, hang_up_ms, hang_up_ms, "incident in call log"))
    return [Tag("hang_up", Actor.AGENT, hang_up_ms, hang_up_ms), *facts]


def supervisor_note(rng: random.Random, plan: Plan) -> str:
    """A supervisor's note: on every call worth discussing, and on some of the others."""
    keys = [plan.abuse, "gave_up" if plan.ending == "gave_up" else "", *sorted(plan.findings())]
    noted = [SUMMARIES[k] for k in keys if k in SUMMARIES]
    return " ".join(noted) if noted else (rng.choice(PRAISE) if rng.random() < 0.25 else "")
