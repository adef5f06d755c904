"""The demo's review history: twelve weeks of reviewed calls by six agents, so the Trends tab has a story to tell.

The story, the same on every build (a fixed seed): Tom Baker talked over his customers two or three times a call
until he was coached, then less week by week; the rest of the team interrupts now and then. Customers hang up soon
after being cut off, more often where it happens a lot. Sarah Lee had one week of premature hang-ups. Abusive
customers come in now and then and are mostly handled by the book, sometimes with the log entry forgotten; James
Miller tells the odd upset customer to "calm down". Every call is a short transcript from a phrase bank with the
supervisor's tags on it, marked Done, and carries the verdict its script was written to get, which the tests hold
the policy checker to. The calls are stored as reviewed, not imported: their recordings are silent placeholders.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from reviewer.audio.placeholder import write_silent_wav
from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.problems import Problem
from reviewer.domain.progress import Progress
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance
from reviewer.domain.trends import Grain, Period
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.calls import CallRepository
from reviewer.services.checking import CheckReport, check_calls
from reviewer.services.context import Services

SEED = 20261119
WEEKS = 12
PREFIX = "hist-"  # external ids: hist-tb-2026w36-1 (agent initials, ISO week, call of the week)
AUTHOR = "demo"
SAMPLE_RATE = 8000
TALK_S = (125, 420)  # talk time per call; holds and pauses come on top

A, C = Party.AGENT, Party.CUSTOMER


@dataclass(frozen=True, slots=True)
class _Agent:
    name: str
    team: str
    interruptions: float  # agent interruptions per call
    banned: float = 0.0  # chance that a call has a "calm down"


AGENTS = (
    _Agent("Emma Clarke", "Team North", 0.35),
    _Agent("James Miller", "Team North", 0.5, banned=0.15),
    _Agent("Olga Smirnova", "Team North", 0.4),
    _Agent("Dmitry Volkov", "Team South", 0.45),
    _Agent("Sarah Lee", "Team South", 0.35),
    _Agent("Tom Baker", "Team South", 0.0),  # follows COACHED instead
)
# Tom Baker's (calls, agent interruptions) week by week, coached after the third week: fixed rather than drawn, so
# his line falls every week (2.4 per call to 0.25) instead of wandering; demo-07 (W44, one interruption) fits in.
COACHED = ("Tom Baker", ((5, 12), (4, 9), (6, 14), (5, 10), (6, 10), (5, 7),
                         (6, 7), (5, 4), (6, 4), (5, 2), (6, 2), (4, 1)))  # fmt: skip
# Sarah Lee's bad week (index): three of its five calls she ended too early. Three, not two: against the team's
# baseline of about 2 % an exact binomial test (analysis/control.py) calls two of five a fluke (p = 0.003).
BAD_WEEK = ("Sarah Lee", 5)
BAD_CALLS = {0: "premature", 2: "unwarranted", 3: "premature"}  # call of the week -> how she ended it
_ABUSIVE = ("by_the_book", "not_logged", "continued")  # how an abusive caller's call goes, by the book first

# The findings each scenario should get under the default policy, by how much they weigh.
_VIOLATIONS = {"R1.premature_hangup", "R6.not_logged", "R8.unwarranted_hangup"}
_COACHING = {"R7.interrupts_customer", "R7.repeat_hold", "R7.banned_phrase"}

# The phrase bank: (customer's problem, agent's explanation, agent's fix) per topic, then lines any call can use.
TOPICS = (
    ("I was charged twice on my last bill and I would like to know why.",
     "I can see two payments for the same month; the second one was taken in error.",
     "I have refunded the second payment; it will be back on your card within three working days."),
    ("My parcel was supposed to arrive on Monday and it still has not come.",
     "The courier marked it as delayed at the depot because the address label was damaged.",
     "I have booked a new delivery for tomorrow morning and you will get a text with the time slot."),
    ("My internet keeps dropping every evening, it has been like this for a week.",
     "There is a fault on the line between your street cabinet and the exchange.",
     "An engineer will fix the line on Thursday, and I have added a credit for the lost days."),
    ("My card was declined at the shop this morning and I do not understand why.",
     "The card was blocked by our fraud check after a payment abroad last night.",
     "I have unblocked the card; you can use it again straight away."),
    ("I returned the order two weeks ago and I still have not seen the refund.",
     "The warehouse received the parcel but never confirmed it in our system.",
     "I have confirmed the return myself, so the refund goes out today."),
    ("I cannot log in to my account, the reset email never arrives.",
     "Your account still has an old email address that no longer works.",
     "I have updated the address and sent a new reset link; it should arrive in a minute."),
)  # fmt: skip
GREETING = "Thank you for calling, my name is {name}. How can I help you today?"
ASK = ("Could you confirm your full name and the account number, please?",
       "Can I have your postcode and date of birth to find the account?")  # fmt: skip
ANSWER = ("Yes, it is the account ending in four two seven.", "Sure, it is the address on the last letter you sent.")
FILLER = {
    A: ("Let me just pull up the details on my side.", "I can see the account in front of me now.",
        "I want to make sure we get this right for you.", "Bear with me while I read the notes from your last call."),
    C: ("I have been a customer for years and this never happened before.",
        "I already explained all of this to your colleague last week.", "I just want it sorted out, to be honest.",
        "I checked my online account this morning as well."),
}  # fmt: skip
EMPATHY = "I completely understand how frustrating that is, and I am sorry you had to call us about it."
FOLLOW_UP = ("Okay, and how long will that take?", "So do I need to do anything else?", "Will it happen again?")
REASSURE = "No, there is nothing else you need to do; I have also left a note on the account in case you call again."
THANKS = ("Great, that is all I needed. Thank you.", "Perfect, thanks for your help.")
FAREWELL = ("Thank you for calling, have a good day. Goodbye.", "You are welcome. Have a lovely evening, goodbye.")
HOLD = ("Let me check that with the billing team, I will put you on a short hold.", "Thank you for holding.")
CUT_OFF = "And the thing is, every time I call I get a different answer and nobody ever calls me back when they say"
CUT_IN = ("Yes, yes, I know, but listen, that is not how it works.",
          "Right, right, but as I already said, there is nothing more I can do about that.",
          "Sorry, let me just stop you there, I have heard all of that already.")  # fmt: skip
GIVE_UP = "You are not even listening to me. Forget it, I will go elsewhere."
UPSET = "This is the third time I am calling about this and nothing ever changes!"
CALM_DOWN = "Calm down, please, getting upset will not make it any faster."
OFFENCES = (("profanity", "This is a f***ing joke, your f***ing company is useless!"),
            ("insult", "You are completely useless, do you even know how to do your job?"),
            ("yelling", "JUST FIX IT NOW! I HAVE HAD ENOUGH OF YOU PEOPLE!"))  # fmt: skip
WARNINGS = ("I want to help you, but I cannot go on in this tone. If it continues, I will end the call.",
            "This is my second warning: if the language continues, I will have to end this call.")  # fmt: skip
END_ABUSIVE = "As I said, I am ending the call now. Thank you for calling, goodbye."
END_EARLY = "I am going to end the call now. Goodbye."
CARRY_ON = ("I am still here to help, so let us try to sort this out together.", "Fine. Sorry. Just fix it, please.")
LINE_DROP = "And one more thing, could you also check whether the"


@dataclass(frozen=True, slots=True)
class HistoryCall:
    """One call of the history and the verdict its script was written to get under the default policy."""

    call: Call
    status: VerdictStatus
    findings: frozenset[str]  # the rule ids of every finding, info ones included


@dataclass(frozen=True, slots=True)
class _Line:
    party: Party
    text: str
    seconds: float | None = None  # None: a share of the call's talk time
    tags: tuple[tuple[str, str], ...] = ()  # (kind, note) over the whole line, by the line's party
    cuts_in: bool = False  # the agent starts before the customer has finished: an interruption
    hold_s: float = 0.0  # the customer waits on hold this long after the line
    prefix_ms: int = 0  # a banned phrase: only the line's first milliseconds are tagged


@dataclass(frozen=True, slots=True)
class _Plan:
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


def history_calls(last_day: date, folder: Path, seed: int = SEED) -> list[HistoryCall]:
    """The history, oldest week first, ending in the week of `last_day`; recordings named in `folder`, unhashed."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible story, not a secret
    weeks = [Period.of(last_day, Grain.WEEK)]
    while len(weeks) < WEEKS:
        weeks.insert(0, weeks[0].previous())
    found: list[HistoryCall] = []
    for index, week in enumerate(weeks):
        for agent in AGENTS:
            found += _week_calls(rng, agent, week, _week_plans(rng, agent, index), folder)
    return found


def _week_plans(rng: random.Random, agent: _Agent, index: int) -> list[_Plan]:
    """One agent's calls in one week (the index-th of the history), as plans."""
    bad_week = (agent.name, index) == BAD_WEEK
    if agent.name == COACHED[0]:
        counts = _spread(rng, *COACHED[1][index])
    else:
        counts = [_poisson(rng, agent.interruptions) for _ in range(5 if bad_week else rng.randint(3, 6))]
    plans: list[_Plan] = []
    for n, interruptions in enumerate(counts):
        # Abuse comes now and then: at most one abusive caller per agent and week. Each brings three offences, so
        # two in a week of three calls would stand out on the chart as much as a real shift does.
        allowed = not any(p.abuse in _ABUSIVE for p in plans)
        plans.append(_plan(rng, agent, interruptions, BAD_CALLS.get(n, "") if bad_week else "", allowed))
    return plans


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _spread(rng: random.Random, calls: int, total: int, cap: int = 5) -> list[int]:
    counts = [0] * calls
    for _ in range(min(total, cap * calls)):
        counts[rng.choice([i for i in range(calls) if counts[i] < cap])] += 1
    return counts


def _plan(rng: random.Random, agent: _Agent, interruptions: int, scripted: str, abuse_allowed: bool) -> _Plan:
    """A call's plan; `scripted` is the ending the story wants for it ("": drawn like any other)."""
    abuse = scripted
    if rng.random() < 0.07 and abuse_allowed and not scripted:
        abuse = rng.choices(_ABUSIVE, (0.5, 0.35, 0.15))[0]
    holds = 2 if (r := rng.random()) < 0.04 else int(r < 0.22)
    empathy, banned = rng.random() < 0.3, rng.random() < agent.banned
    if abuse in ("by_the_book", "not_logged", "premature", "unwarranted"):
        ending = "agent"
    elif interruptions and rng.random() < min(0.6, 0.1 + 0.12 * interruptions):
        ending = "gave_up"  # the more often cut off, the likelier the customer leaves
    else:
        ending = rng.choices(("customer", "quiet", "line_drop"), (0.72, 0.23, 0.05))[0]
    return _Plan(interruptions, holds, empathy, banned, abuse, ending)


def _week_calls(rng: random.Random, agent: _Agent, week: Period, plans: list[_Plan], folder: Path) -> list[HistoryCall]:
    starts = sorted(_start(rng, week) for _ in plans)
    initials = "".join(part[0] for part in agent.name.lower().split())
    year, number = divmod(week.key, 100)
    found = []
    for n, (plan, started_at) in enumerate(zip(plans, starts, strict=True), 1):
        external_id = f"{PREFIX}{initials}-{year}w{number:02d}-{n}"
        utterances, tags, duration_ms = _lay_out(rng, _script(rng, plan, agent), plan, agent.name.split()[0])
        call = Call(
            external_id=external_id,
            audio=AudioInfo(str(folder / f"{external_id}.wav"), "", duration_ms, SAMPLE_RATE, 1, ChannelLayout.MONO),
            started_at=started_at,
            agent=agent.name,
            team=agent.team,
            disconnect_reason=next((_DISCONNECT[t.actor] for t in tags if t.kind == "hang_up"), None),
            review_status=ReviewStatus.DONE,
            summary=_summary(rng, plan),
            utterances=tuple(utterances),
            tags=tuple(sorted(tags, key=lambda t: (t.start_ms, t.end_ms))),
        )
        found.append(HistoryCall(call, plan.status(), plan.findings()))
    return found


_DISCONNECT = {Actor.AGENT: "AGENT_DISCONNECT", Actor.CUSTOMER: "CUSTOMER_DISCONNECT", Actor.CALL: "TELECOM_PROBLEM"}


def _start(rng: random.Random, week: Period) -> datetime:
    """Tuesday to Friday, in office hours: in any time zone the call stays in its ISO week."""
    day = week.first_day + timedelta(days=rng.randint(1, 4))
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=UTC)


def _script(rng: random.Random, plan: _Plan, agent: _Agent) -> list[_Line]:
    """The call's lines in order; the ending's own lines (and the last interruption if it ends the call) last."""
    problem, explanation, fix = rng.choice(TOPICS)
    lines = [_Line(A, GREETING.format(name=agent.name.split()[0])), _Line(C, problem)]
    lines += [_Line(A, EMPATHY, tags=(("empathy", ""),))] if plan.empathy else []
    lines += [_Line(A, rng.choice(ASK)), _Line(C, rng.choice(ANSWER))]
    for _ in range(plan.interruptions - (plan.ending == "gave_up")):
        lines += [*_cut_in(rng), _Line(C, rng.choice(FILLER[C]))]
    for n in range(plan.holds):
        lines += [_Line(A, HOLD[0], rng.uniform(5, 8), hold_s=rng.uniform(25, 90)), _Line(A, HOLD[1], 2.0)]
        lines += [_Line(C, rng.choice(FOLLOW_UP))] if n == 0 and plan.holds > 1 else []
    if plan.banned:
        lines += [_Line(C, UPSET), _Line(A, CALM_DOWN, 4.0, (("banned_phrase", "calm down"),), prefix_ms=1200)]
    if plan.abuse == "continued":
        lines += [*_ladder(rng, len(OFFENCES)), _Line(A, CARRY_ON[0]), _Line(C, CARRY_ON[1], 3.0)]
    lines.append(_Line(A, explanation))
    return lines + _closing(rng, plan, fix)


def _cut_in(rng: random.Random) -> list[_Line]:
    """The customer explains at length (no filler: they are cut off mid-sentence) and the agent talks over them."""
    return [_Line(C, CUT_OFF, rng.uniform(8, 20)), _Line(A, rng.choice(CUT_IN), rng.uniform(4, 7), cuts_in=True)]


def _ladder(rng: random.Random, offences: int) -> list[_Line]:
    """Offence, warning, offence, warning, ...: `offences` offences, a warning after each but the last."""
    lines: list[_Line] = []
    for n in range(offences):
        kind, text = OFFENCES[n % len(OFFENCES)]
        lines.append(_Line(C, text, rng.uniform(3, 4.5), ((kind, ""),)))
        if n < offences - 1:
            lines.append(_Line(A, WARNINGS[min(n, 1)], rng.uniform(5, 6.5), (("warning", f"{n + 1} of 2"),)))
    return lines


def _closing(rng: random.Random, plan: _Plan, fix: str) -> list[_Line]:
    farewell = _Line(A, rng.choice(FAREWELL), rng.uniform(3, 4.5), (("farewell", ""),))
    if plan.ending == "gave_up":
        return [*_cut_in(rng), _Line(C, GIVE_UP, 3.0)]
    if plan.ending == "line_drop":
        return [_Line(A, fix), _Line(C, LINE_DROP, 2.5)]
    if plan.abuse in ("by_the_book", "not_logged"):
        return [*_ladder(rng, 3), _Line(A, END_ABUSIVE, 4.0, (("farewell", "closing of the abuse procedure"),))]
    if plan.abuse == "premature":
        return [*_ladder(rng, 2), _Line(A, END_EARLY, 2.5, (("farewell", "curt"),))]
    if plan.abuse == "unwarranted":
        return [_Line(A, fix), _Line(C, rng.choice(FOLLOW_UP)), _Line(A, END_EARLY, 2.5, (("farewell", "curt"),))]
    return [_Line(A, fix), _Line(C, rng.choice(FOLLOW_UP)), _Line(A, REASSURE), _Line(C, rng.choice(THANKS)), farewell]


def _lay_out(rng: random.Random, lines: list[_Line], plan: _Plan, agent: str) -> tuple[list[Utterance], list[Tag], int]:
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


def _ending_tags(plan: _Plan, last_ms: int, hang_up_ms: int) -> list[Tag]:
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


_SUMMARIES = {
    "gave_up": "Talked over the customer, who gave up and hung up.",
    "R7.interrupts_customer": "Kept interrupting the customer; went through it in coaching.",
    "R7.banned_phrase": 'Told an upset customer to "calm down".',
    "R7.repeat_hold": "Put the customer on hold twice; check the knowledge base before the call next time.",
    "by_the_book": "Abusive caller: warned twice, ended politely, reported and logged.",
    "not_logged": "Abuse ladder handled well, but the incident was not written into the account.",
    "continued": "Stayed in control after the third offence and solved the issue.",
    "premature": "Ended the call after a single warning.",
    "unwarranted": "Hung up on a customer who had done nothing wrong.",
}
_PRAISE = ("Solved on the first call.", "Good empathy, clear explanation.", "Clean call.")


def _summary(rng: random.Random, plan: _Plan) -> str:
    """A supervisor's note: on every call worth discussing, and on some of the others."""
    keys = [plan.abuse, "gave_up" if plan.ending == "gave_up" else "", *sorted(plan.findings())]
    noted = [_SUMMARIES[k] for k in keys if k in _SUMMARIES]
    return " ".join(noted) if noted else (rng.choice(_PRAISE) if rng.random() < 0.25 else "")


def build_history(
    services: Services, folder: Path, last_day: date, failed: list[Problem]
) -> Generator[Progress, None, list[int]]:
    """Write the placeholder recordings, replace the previous history calls, store these Done and check them.

    Returns the new calls' ids; a call its team's policy could not check is added to `failed`.
    """
    history = history_calls(last_day, folder)
    folder.mkdir(parents=True, exist_ok=True)
    calls: list[Call] = []
    for done, item in enumerate(history):
        yield Progress(done, len(history), item.call.external_id)
        path = Path(item.call.audio.path)
        sha = write_silent_wav(path, item.call.duration_ms, f"Call Reviewer demo history: {item.call.external_id}")
        calls.append(replace(item.call, audio=replace(item.call.audio, sha256=sha)))
    _remove_strays(folder, {Path(c.audio.path).name for c in calls})
    ids = _store(services, calls)
    report = CheckReport()
    yield from check_calls(services, ids, report)
    failed.extend(report.failed)
    return ids


def _store(services: Services, calls: list[Call]) -> list[int]:
    """In one transaction: the calls holding these recordings (an earlier build's) go, the new ones come."""
    with services.database.session() as session:
        repo = CallRepository(session)
        for call in calls:
            previous = repo.id_by_sha(call.audio.sha256)
            if previous is not None:
                repo.delete(previous)
        return [repo.add(call) for call in calls]


def _remove_strays(folder: Path, keep: set[str]) -> None:
    """Recordings an earlier version of the history wrote and this one does not."""
    for path in folder.glob(f"{PREFIX}*.wav"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
