"""The demo's review history: twelve weeks of reviewed calls by six agents, so the Trends tab has a story to tell.

The story, the same on every build (a fixed seed): Tom Baker talked over his customers two or three times a call
until he was coached, then less week by week; the rest of the team interrupts now and then. Customers hang up soon
after being cut off, more often where it happens a lot. Sarah Lee had one week of premature hang-ups. Abusive
customers come in now and then and are mostly handled by the book, sometimes with the log entry forgotten; James
Miller tells the odd upset customer to "calm down". Every call is a short transcript written from a phrase bank
(demo_scripts.py) with the supervisor's tags on it, marked Done, and carries the verdict its script was written to
get, which the tests hold the policy checker to. The calls are stored as reviewed, not imported: their recordings
are silent placeholders.
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
from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.domain.problems import Problem
from reviewer.domain.progress import Progress
from reviewer.domain.trends import Grain, Period
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.calls import CallRepository
from reviewer.services.checking import CheckReport, check_calls
from reviewer.services.context import Services
from reviewer.services.demo_scripts import Plan, lay_out, supervisor_note, write_script

SEED = 20261119
WEEKS = 12
PREFIX = "hist-"  # external ids: hist-tb-2026w36-1 (agent initials, ISO week, call of the week)
SAMPLE_RATE = 8000


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


@dataclass(frozen=True, slots=True)
class HistoryCall:
    """One call of the history and the verdict its script was written to get under the default policy."""

    call: Call
    status: VerdictStatus
    findings: frozenset[str]  # the rule ids of every finding, info ones included


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


def _week_plans(rng: random.Random, agent: _Agent, index: int) -> list[Plan]:
    """One agent's calls in one week (the index-th of the history), as plans."""
    bad_week = (agent.name, index) == BAD_WEEK
    if agent.name == COACHED[0]:
        counts = _spread(rng, *COACHED[1][index])
    else:
        counts = [_poisson(rng, agent.interruptions) for _ in range(5 if bad_week else rng.randint(3, 6))]
    plans: list[Plan] = []
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


def _plan(rng: random.Random, agent: _Agent, interruptions: int, scripted: str, abuse_allowed: bool) -> Plan:
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
    return Plan(interruptions, holds, empathy, banned, abuse, ending)


def _week_calls(rng: random.Random, agent: _Agent, week: Period, plans: list[Plan], folder: Path) -> list[HistoryCall]:
    starts = sorted(_start(rng, week) for _ in plans)
    initials = "".join(part[0] for part in agent.name.lower().split())
    year, number = divmod(week.key, 100)
    name, found = agent.name.split()[0], []
    for n, (plan, started_at) in enumerate(zip(plans, starts, strict=True), 1):
        external_id = f"{PREFIX}{initials}-{year}w{number:02d}-{n}"
        utterances, tags, duration_ms = lay_out(rng, write_script(rng, plan, name), plan, name)
        call = Call(
            external_id=external_id,
            audio=AudioInfo(str(folder / f"{external_id}.wav"), "", duration_ms, SAMPLE_RATE, 1, ChannelLayout.MONO),
            started_at=started_at,
            agent=agent.name,
            team=agent.team,
            disconnect_reason=next((_DISCONNECT[t.actor] for t in tags if t.kind == "hang_up"), None),
            review_status=ReviewStatus.DONE,
            summary=supervisor_note(rng, plan),
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
