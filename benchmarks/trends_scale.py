"""Trends at scale: the weekly per-agent trend query on SQLite and PostgreSQL against DuckDB over the same rows.

Generates, from a seeded numpy RNG, 200 agents in 10 teams and --calls calls (default 100,000) spread over two years
(1-15 minutes of talk each) with --tags-per-call tags each (default 10: 1,000,000 tags): customer offences and
interruptions, the agent's warnings, empathy, holds and procedure steps, rarely a banned phrase or agent rudeness,
a farewell, the call facts (lead_notified, account_noted) and a hang-up near the end by the agent, the customer,
the line or an unknown side (sometimes both sides are tagged; sometimes the agent cut the customer off just before
they left). Each checked call (98 %) gets a verdict (status, findings and a small trace, the JSON
``Verdict.to_data`` writes) and its trend facts from ``reviewer.analysis.facts.call_facts`` itself, with the
policy's abuse kinds; 90 % of the calls are marked reviewed. Everything is bulk-inserted (executemany in batches)
into a fresh SQLite file migrated by ``reviewer.persistence.migrations.migrate``: the real schema and indexes. The
policy checker is not run: 100,000 checks would take minutes (benchmarks/policy_speed.py times it).

Then, best of --repeat runs after one warm-up, the steps taking turns:

- (a) ``TrendRepository.rows(TrendQuery(grain=WEEK), Level.AGENT)``: the weekly per-agent trend query, in a session
  as the service opens one; and the SQL it sends alone, replayed on the bare DB-API connection with fetchall;
- (b) ``reviewer.services.trends.trends()``: the agent, team and everybody queries plus build_trends (the control
  charts' flags), and build_trends alone;
- (c) (a) and (b) with a team filter and with an agent filter, and (b) with a tag kind or a rule chosen as the
  measure: what a filter change costs over the whole two years;
- the Trends tab's own queries: trends() over its default window (the last 12 weeks) with no filter, a team, a tag
  kind or a rule (choosing an agent in the tab sends no query: it picks from the rows it has).

Baseline: DuckDB in this process, loaded (untimed) with the same rows exported from the SQLite file, running
(i) the aggregation over the raw rows (calls joined to tags and verdicts: per agent and ISO week the calls, talk
time, the five measures, the statuses and the endings, and the findings by rule: no facts table) and (ii) the very
SQL our query sends, compiled for PostgreSQL, over the same call_facts rows. Both fetch every row into Python, and
both are checked to give exactly our groups and sums.

With REVIEWER_BENCH_PG_URL (or REVIEWER_TEST_PG_URL) set to a server URL, a throwaway database is created there,
migrated, filled by COPY with the same rows, vacuumed and analysed, timed the same way, and dropped.

Targets (from the trends issue): SQLite <= 3x DuckDB (both (i) and (ii)) and under 1 s; the Trends tab redraws
after a filter change in under a second (trends() is timed, not the charts' painting). Never fails on a miss. The
EXPLAIN QUERY PLAN of what (a) sends is printed, and the last line printed is one JSON object with every figure.

    .venv/bin/python benchmarks/trends_scale.py [--calls 100000] [--tags-per-call 10] [--repeat 7] [--quick]
        [--seed 1] [--keep]
    REVIEWER_BENCH_PG_URL=postgresql+psycopg://reviewer@127.0.0.1:55432/postgres \
        .venv/bin/python benchmarks/trends_scale.py
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import psycopg
import sqlalchemy
from numpy.typing import NDArray
from psycopg import sql
from sqlalchemy import Engine, TypeDecorator, event
from sqlalchemy.engine import make_url

from reviewer.analysis.facts import INTERRUPTION_WINDOW_MS, call_facts
from reviewer.analysis.trends import build_trends
from reviewer.audio.peaks import PeaksCache
from reviewer.audio.playback import PlaybackCache
from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.trends import Ending, Grain, Level, Measure, Period, TrendQuery, TrendRow, day_key
from reviewer.domain.verdict import Finding, Severity, Step, TraceStep, Verdict, VerdictStatus
from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import migrate
from reviewer.persistence.tables import Base
from reviewer.persistence.trends import TrendRepository
from reviewer.policy.loader import load_policy
from reviewer.services.context import Services
from reviewer.services.preferences import PreferencesStore
from reviewer.services.trends import trends

TARGET_RATIO = 3.0  # SQLite <= 3x DuckDB
TARGET_MS = 1000.0  # SQLite under 1 s; the tab redraws after a filter change in under a second

# Two years of ISO weeks: Monday 2024-11-25 to Sunday 2026-11-22, in UTC (the facts' zone here; see FACTS_ZONE).
FIRST_DAY = date(2024, 11, 25)
DAYS = 728
FACTS_ZONE = UTC
TAB_WEEKS = 12  # the Trends tab's default window of weeks (reviewer/ui/trends_models.py WINDOW)
TAB_STATES = ("t_trends", "t_trends_team", "t_trends_kind", "t_trends_rule")
WIDE_STATES = ("b_trends", "c_trends_team", "c_trends_agent", "c_trends_kind", "c_trends_rule")
WEEKDAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 0.95, 0.35, 0.15)  # Monday..Sunday
NO_AGENT_SHARE = 0.003  # calls nobody was assigned to: their rows have no agent
CHECKED_SHARE = 0.98  # calls with a verdict (and so facts); the others wait for their check
REVIEW_SHARES = {"todo": 0.07, "in_progress": 0.03, "done": 0.90}

ACTORS = tuple(Actor)  # agent, customer, call, unknown: the codes below index this
AGENT, CUSTOMER, CALL, UNKNOWN = range(4)
HANG_UP_BY = (0.45, 0.35, 0.12, 0.08)  # agent, customer, line, unknown
# The body of a call: (kind, actor, weight, shortest ms, longest ms).
MIX: tuple[tuple[str, int, float, int, int], ...] = (
    ("interruption", CUSTOMER, 12.0, 800, 3_000),
    ("interruption", AGENT, 7.0, 800, 3_000),
    ("profanity", CUSTOMER, 6.0, 800, 4_000),
    ("yelling", CUSTOMER, 5.0, 2_000, 15_000),
    ("insult", CUSTOMER, 3.0, 800, 4_000),
    ("personal_question", CUSTOMER, 3.0, 1_500, 6_000),
    ("circular_dialogue", CUSTOMER, 3.0, 10_000, 60_000),
    ("supervisor_request", CUSTOMER, 2.0, 1_500, 5_000),
    ("threat", CUSTOMER, 0.25, 1_000, 5_000),
    ("discrimination", CUSTOMER, 0.1, 1_000, 5_000),
    ("sexual_harassment", CUSTOMER, 0.05, 1_000, 5_000),
    ("warning", AGENT, 8.0, 2_000, 8_000),
    ("redirect", AGENT, 2.0, 2_000, 8_000),
    ("empathy", AGENT, 12.0, 1_000, 4_000),
    ("hold", AGENT, 4.0, 30_000, 120_000),
    ("options_summary", AGENT, 1.5, 3_000, 15_000),
    ("solution_restated", AGENT, 1.5, 3_000, 15_000),
    ("transfer", AGENT, 1.2, 2_000, 6_000),
    ("supervisor_script", AGENT, 1.0, 3_000, 10_000),
    ("escalation", AGENT, 0.4, 2_000, 10_000),
    ("sales_pitch", AGENT, 2.0, 5_000, 30_000),
    ("banned_phrase", AGENT, 0.5, 800, 2_000),
    ("agent_rudeness", AGENT, 0.25, 1_000, 4_000),
    ("non_talk", CALL, 3.0, 5_000, 40_000),
)
FIXED_KINDS = ("hang_up", "farewell", "lead_notified", "account_noted")
KINDS: tuple[str, ...] = tuple(dict.fromkeys([*(m[0] for m in MIX), *FIXED_KINDS]))
KIND = {k: i for i, k in enumerate(KINDS)}
SOURCES = ("manual", "accepted", "imported")
R1_OFFENCES = ("profanity", "insult", "yelling")
R2_OFFENCES = ("threat", "discrimination", "sexual_harassment")
ENDINGS = [e for e in Ending if e is not Ending.NONE]  # the order of the endings' columns in our query
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite

I64 = NDArray[np.int64]
Rows = list[tuple[Any, ...]]


# ---------------------------------------------------------------------------------------------------------------
# Generation.


@dataclass(slots=True)
class World:
    """The generated calls and tags as columns (call index i is call id i + 1; tags sorted by call, then start)."""

    agents: int
    teams: int
    agent: I64  # 0: no agent
    started: I64  # epoch seconds, UTC
    day: I64  # days since FIRST_DAY
    talk: I64
    duration: I64
    review: I64  # index into REVIEW_SHARES
    checked: NDArray[np.bool_]
    tag_call: I64
    tag_kind: I64
    tag_actor: I64
    tag_start: I64
    tag_end: I64
    tag_source: I64

    @property
    def calls(self) -> int:
        """How many calls."""
        return len(self.agent)

    @property
    def tags(self) -> int:
        """How many tags."""
        return len(self.tag_call)


def generate(calls: int, tags_per_call: float, agents: int, teams: int, seed: int) -> World:
    """The calls and their tags, deterministically from `seed`."""
    rng = np.random.default_rng(seed)
    n = calls
    load = rng.gamma(8.0, 1.0, agents)  # some agents take more calls than others
    agent = rng.choice(agents, size=n, p=load / load.sum()).astype(np.int64) + 1
    agent[rng.random(n) < NO_AGENT_SHARE] = 0
    # More calls on weekdays, and a volume growing by a third over the two years.
    weights = np.array([WEEKDAY_WEIGHT[d % 7] for d in range(DAYS)]) * np.linspace(1.0, 1.3, DAYS)
    day = rng.choice(DAYS, size=n, p=weights / weights.sum()).astype(np.int64)
    second = np.clip(rng.normal(13.5 * 3600, 3 * 3600, n), 7 * 3600, 21 * 3600 - 1).astype(np.int64)
    epoch0 = int(datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, tzinfo=UTC).timestamp())
    started = epoch0 + day * 86_400 + second
    order = np.argsort(started, kind="stable")  # imported in time order: ids grow with time
    agent, day, started = agent[order], day[order], started[order]
    talk = rng.integers(60_000, 900_001, n)  # 1-15 minutes
    duration = talk + rng.integers(5_000, 120_001, n)
    review = rng.choice(len(REVIEW_SHARES), size=n, p=list(REVIEW_SHARES.values())).astype(np.int64)
    checked = rng.random(n) < CHECKED_SHARE
    tag_call, tag_kind, tag_actor, tag_start, tag_end = _tags(rng, n, tags_per_call, talk, duration)
    tag_source = rng.choice(len(SOURCES), size=len(tag_call), p=[0.6, 0.3, 0.1]).astype(np.int64)
    return World(
        agents, teams, agent, started, day, talk, duration, review, checked,
        tag_call, tag_kind, tag_actor, tag_start, tag_end, tag_source,
    )  # fmt: skip


def _tags(
    rng: np.random.Generator, n: int, per_call: float, talk: I64, duration: I64
) -> tuple[I64, I64, I64, I64, I64]:
    """Every tag as columns (call, kind, actor, start, end), sorted by call, start, then hang-ups first."""
    segments: list[tuple[I64, I64, I64, I64, I64, I64]] = []

    def add(mask: NDArray[np.bool_], kind: str, actor: I64 | int, start: I64, *, length: I64 | int = 0) -> None:
        calls = np.flatnonzero(mask).astype(np.int64)
        who = actor[calls] if isinstance(actor, np.ndarray) else np.full(len(calls), actor, np.int64)
        begin = start[calls]
        span = length[calls] if isinstance(length, np.ndarray) else np.full(len(calls), length, np.int64)
        end = np.maximum(begin, np.minimum(begin + span, hang_at[calls]))
        kinds = np.full(len(calls), KIND[kind], np.int64)
        segments.append((calls, kinds, who, begin, end, np.full(len(calls), len(segments), np.int64)))

    # The first segment (the hang-up everybody sees) ranks first among tags at the same moment.
    hang_at = duration - rng.integers(0, 3_000, n)
    has_hang = rng.random(n) < 0.97
    by = rng.choice(4, size=n, p=HANG_UP_BY).astype(np.int64)
    add(has_hang, "hang_up", by, hang_at)
    # Both sides tagged now and then (the first hang-up is what counts).
    second = has_hang & (rng.random(n) < 0.03)
    add(second, "hang_up", (by + rng.integers(1, 4, n)) % 4, hang_at + rng.integers(0, 2_000, n))
    farewell = rng.random(n) < np.where(by == AGENT, 0.85, 0.45)
    before_end = np.maximum(0, hang_at - rng.integers(4_000, 25_000, n))
    add(farewell, "farewell", AGENT, before_end, length=rng.integers(1_000, 3_000, n))
    add(rng.random(n) < 0.5, "lead_notified", CALL, hang_at)
    add(rng.random(n) < 0.45, "account_noted", CALL, hang_at)
    # The pattern coaching looks for: the agent cuts the customer off, the customer hangs up within the minute.
    cut = has_hang & (by == CUSTOMER) & (rng.random(n) < 0.12)
    cut_at = np.maximum(0, hang_at - rng.integers(3_000, 50_000, n))
    add(cut, "interruption", AGENT, cut_at, length=rng.integers(800, 3_000, n))
    fixed = sum(len(s[0]) for s in segments)
    body = max(0, round(n * per_call) - fixed)
    counts = rng.multinomial(body, talk / talk.sum())  # longer calls have more tags
    body_call = np.repeat(np.arange(n, dtype=np.int64), counts)
    weights = np.array([m[2] for m in MIX])
    pick = rng.choice(len(MIX), size=body, p=weights / weights.sum())
    low, high = np.array([m[3] for m in MIX]), np.array([m[4] for m in MIX])
    length = (low[pick] + rng.random(body) * (high[pick] - low[pick] + 1)).astype(np.int64)
    start = (rng.random(body) * np.maximum(1, hang_at[body_call] - 1_000)).astype(np.int64)
    end = np.maximum(start, np.minimum(start + length, hang_at[body_call]))
    kinds = np.array([KIND[m[0]] for m in MIX], np.int64)[pick]
    actors = np.array([m[1] for m in MIX], np.int64)[pick]
    segments.append((body_call, kinds, actors, start, end, np.full(body, len(segments), np.int64)))
    call, kind, actor, begin, finish, rank = (np.concatenate(column) for column in zip(*segments, strict=True))
    order = np.lexsort((rank, begin, call))
    return call[order], kind[order], actor[order], begin[order], finish[order]


# ---------------------------------------------------------------------------------------------------------------
# Verdicts and facts: what checking would have stored, with the facts from reviewer.analysis.facts itself.


@dataclass(slots=True)
class Checked:
    """The verdict and facts rows of the checked calls, and a tally of them."""

    verdicts: Rows = field(default_factory=list)
    facts: Rows = field(default_factory=list)
    kinds: Rows = field(default_factory=list)
    findings: Rows = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)


def _per_call(world: World, kinds: Sequence[str], actor: int | None = None) -> list[int]:
    mask = np.isin(world.tag_kind, [KIND[k] for k in kinds])
    if actor is not None:
        mask &= world.tag_actor == actor
    return np.bincount(world.tag_call[mask], minlength=world.calls).tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Counts:
    """Per call (by index): what the made-up findings depend on."""

    r1: list[int]  # R1 offences by the customer
    r2: list[int]  # R2 offences by the customer
    warnings: list[int]
    holds: list[int]
    interruptions: list[int]  # by the agent
    farewells: list[int]
    escalated: list[int]  # an escalation or the lead notified
    luck: list[float]  # how a judgement call went

    @classmethod
    def of(cls, world: World, seed: int) -> Counts:
        """Counted with numpy over every tag."""
        return cls(
            r1=_per_call(world, R1_OFFENCES, CUSTOMER),
            r2=_per_call(world, R2_OFFENCES, CUSTOMER),
            warnings=_per_call(world, ["warning"], AGENT),
            holds=_per_call(world, ["hold"], AGENT),
            interruptions=_per_call(world, ["interruption"], AGENT),
            farewells=_per_call(world, ["farewell"]),
            escalated=_per_call(world, ["escalation", "lead_notified"]),
            luck=np.random.default_rng(seed + 1).random(world.calls).tolist(),
        )


def judge_call(c: int, tags: Sequence[Tag], counts: Counts) -> tuple[list[Finding], list[TraceStep]]:
    """Findings and trace roughly as the default policy would give them: the first hang-up judged (permitted,
    unobjected or premature for the agent's), banned phrases, rudeness, interruptions, holds, missed steps."""
    findings: list[Finding] = []
    trace: list[TraceStep] = []
    first = next((t for t in tags if t.kind == "hang_up"), None)
    if first is not None:
        at, ref = first.start_ms, (first.id or 0,)
        if first.actor is Actor.AGENT:
            provoked = counts.r2[c] > 0 or (counts.r1[c] >= 3 and counts.warnings[c] >= 2)
            if provoked and counts.luck[c] < 0.9:
                trace.append(TraceStep(at, "R2" if counts.r2[c] else "R1", Step.HANGUP_PERMITTED, ref))
            elif not provoked and counts.luck[c] < 0.7:
                trace.append(TraceStep(at, "R8", Step.HANGUP_UNOBJECTED, ref))
            else:
                rule = "R1.premature_hangup" if counts.r1[c] else "R8.unwarranted_hangup"
                findings.append(Finding(rule, Severity.VIOLATION, at, ref))
            if not counts.farewells[c]:
                findings.append(Finding("R6.no_farewell", Severity.COACHING, at, ref))
        else:
            step, finding = HANG_UP_STEPS[first.actor]
            trace.append(TraceStep(at, "R8", step, ref))
            if finding:
                findings.append(Finding(*finding, at, ref))
    findings += [
        Finding(*BY_TAG[tag.kind], tag.start_ms, (tag.id or 0,)) for tag in tags if tag.kind in BY_TAG
    ]  # fmt: skip
    made = (
        (counts.interruptions[c] >= 3, "R7.interrupts_customer"),
        (counts.holds[c] >= 3, "R7.repeat_hold"),
        (counts.r2[c] > 0 and not counts.escalated[c], "R2.missing_escalation"),
        (counts.r1[c] >= 2 and not counts.warnings[c], "R1.missed_warning"),
    )
    findings += [Finding(rule, Severity.COACHING, 0) for found, rule in made if found]
    trace += [TraceStep(f.at_ms, f.rule, Step.FINDING, f.tags, severity=f.severity) for f in findings]
    trace.sort(key=lambda s: s.at_ms)
    return findings, trace


HANG_UP_STEPS: dict[Actor, tuple[Step, tuple[str, Severity] | None]] = {
    Actor.CUSTOMER: (Step.HANGUP_BY_CUSTOMER, ("R8.customer_ended", Severity.INFO)),
    Actor.CALL: (Step.LINE_DROPPED, None),
    Actor.UNKNOWN: (Step.HANGUP_SIDE_UNKNOWN, ("R8.hangup_side_unknown", Severity.INCOMPLETE)),
}
BY_TAG = {
    "banned_phrase": ("R7.banned_phrase", Severity.COACHING),
    "agent_rudeness": ("R7.agent_rudeness", Severity.VIOLATION),
}


def check_all(world: World, abuse: frozenset[str], seed: int) -> Checked:
    """A verdict per checked call (judge_call) and its facts from `call_facts`: the rows VerdictRepository.store
    and FactsRepository.store would write, the period keys taken in FACTS_ZONE."""
    policy = load_policy(bundled_dir("resources") / "policies" / "default.toml").ref
    counts = Counts.of(world, seed)
    keys = _period_keys()
    bounds = np.searchsorted(world.tag_call, np.arange(world.calls + 1)).tolist()
    kind_l, actor_l = world.tag_kind.tolist(), world.tag_actor.tolist()
    start_l, end_l = world.tag_start.tolist(), world.tag_end.tolist()
    agent_l, day_l, talk_l = world.agent.tolist(), world.day.tolist(), world.talk.tolist()
    review_l, checked_l = world.review.tolist(), world.checked.tolist()
    checked_at = _sqlite_times(world.started + 2 * 86_400)
    done = list(REVIEW_SHARES).index("done")
    out = Checked()
    for c in range(world.calls):
        if not checked_l[c]:
            continue
        tags = [
            Tag(KINDS[kind_l[t]], ACTORS[actor_l[t]], start_l[t], end_l[t], id=t + 1)
            for t in range(bounds[c], bounds[c + 1])
        ]
        findings, trace = judge_call(c, tags, counts)
        verdict = Verdict(VerdictStatus.of(f.severity for f in findings), tuple(findings), tuple(trace), policy)
        facts = call_facts(tags, verdict, abuse)
        call_id = c + 1
        data = json.dumps(verdict.to_data(), separators=(",", ":"))
        out.verdicts.append(
            (call_id, verdict.status.value, policy.name, policy.version, policy.sha256, 1, checked_at[c], data)
        )
        day, week, month = keys[day_l[c]]
        measures = [facts.measures[m] for m in Measure]
        out.facts.append(
            (call_id, agent_l[c] or None, day, week, month, review_l[c] == done, talk_l[c],
             facts.status.value, facts.ending.value, *measures)
        )  # fmt: skip
        out.kinds += [(call_id, kind, actor, n) for (kind, actor), n in facts.kinds.items()]
        out.findings += [(call_id, rule, n) for rule, n in facts.findings.items()]
        out.statuses[facts.status.value] += 1
        out.endings[facts.ending.value] += 1
    return out


def _period_keys() -> list[tuple[int, int, int]]:
    """(day, ISO week, month) keys of every generated day, as FactsRepository.store computes them (FACTS_ZONE)."""
    days = [FIRST_DAY + timedelta(days=d) for d in range(DAYS)]
    return [(day_key(d), Period.of(d, Grain.WEEK).key, Period.of(d, Grain.MONTH).key) for d in days]


def _sqlite_times(epoch_seconds: I64) -> list[str]:
    """Epoch seconds as SQLAlchemy's SQLite DateTime text: 2025-01-31 08:15:00.000000."""
    text_ = np.datetime_as_string(epoch_seconds.astype("datetime64[s]"), unit="us")
    return [t.replace("T", " ") for t in text_.tolist()]


# ---------------------------------------------------------------------------------------------------------------
# Loading the SQLite file.

TABLE_ORDER = (
    "teams", "agents", "calls", "tags", "verdicts", "call_facts", "call_fact_kinds", "call_fact_findings",
)  # fmt: skip
COLUMNS = {
    "teams": ("id", "name"),
    "agents": ("id", "name", "team_id"),
    "calls": (
        "id", "external_id", "agent_id", "started_at", "duration_ms", "sample_rate", "channels", "layout",
        "audio_path", "second_audio_path", "audio_sha256", "transcript_path", "transcript_format",
        "transcript_encoding", "disconnect_reason", "review_status", "summary", "parties_swapped", "tags_revision",
        "talk_ms", "imported_at",
    ),
    "tags": (
        "id", "call_id", "kind", "actor", "start_ms", "end_ms", "note", "author", "source", "created_at", "updated_at",
    ),
    "verdicts": (
        "call_id", "status", "policy_name", "policy_version", "policy_sha256", "tags_revision", "checked_at", "data",
    ),
    "call_facts": (
        "call_id", "agent_id", "day", "week", "month", "reviewed", "talk_ms", "status", "ending",
        *(m.value for m in Measure),
    ),
    "call_fact_kinds": ("call_id", "kind", "actor", "n"),
    "call_fact_findings": ("call_id", "rule", "n"),
}  # fmt: skip


def team_name(i: int) -> str:
    """Team i (1-based)."""
    return f"Team {i:02d}"


def agent_name(i: int) -> str:
    """Agent i (1-based)."""
    return f"Agent {i:03d}"


def team_of(agent: int, agents: int, teams: int) -> int:
    """Agents are in teams of consecutive ids."""
    return (agent - 1) * teams // agents + 1


def source_rows(world: World, checked: Checked) -> dict[str, Callable[[], Iterator[tuple[Any, ...]]]]:
    """Per table, a generator of its rows in COLUMNS order."""
    started = _sqlite_times(world.started)
    imported = _sqlite_times(world.started + 86_400)
    statuses = list(REVIEW_SHARES)

    def teams() -> Iterator[tuple[Any, ...]]:
        return ((i, team_name(i)) for i in range(1, world.teams + 1))

    def agents() -> Iterator[tuple[Any, ...]]:
        return ((i, agent_name(i), team_of(i, world.agents, world.teams)) for i in range(1, world.agents + 1))

    def calls() -> Iterator[tuple[Any, ...]]:
        columns = zip(
            world.agent.tolist(), world.duration.tolist(), world.talk.tolist(), world.review.tolist(), strict=True
        )
        for c, (agent, duration, talk, review) in enumerate(columns):
            ext = f"C{c + 1:07d}"
            yield (
                c + 1, ext, agent or None, started[c], duration, 8000, 2, "agent-left", f"/calls/{ext}.wav", None,
                f"{c + 1:064x}", f"/calls/{ext}.vtt", "vtt", "utf-8", None, statuses[review], "", False, 1, talk,
                imported[c],
            )  # fmt: skip

    def tags() -> Iterator[tuple[Any, ...]]:
        authors = ("sup01", "sup02", "sup03", "sup04", "sup05", "sup06")
        columns = zip(
            world.tag_call.tolist(), world.tag_kind.tolist(), world.tag_actor.tolist(), world.tag_start.tolist(),
            world.tag_end.tolist(), world.tag_source.tolist(), strict=True,
        )  # fmt: skip
        for t, (call, kind, actor, start, end, source) in enumerate(columns):
            name = KINDS[kind]
            note = "calm down" if name == "banned_phrase" else ""
            author = "" if source == 2 else authors[t % len(authors)]
            when = imported[call]
            yield (t + 1, call + 1, name, ACTORS[actor].value, start, end, note, author, SOURCES[source], when, when)

    return {
        "teams": teams,
        "agents": agents,
        "calls": calls,
        "tags": tags,
        "verdicts": lambda: iter(checked.verdicts),
        "call_facts": lambda: iter(checked.facts),
        "call_fact_kinds": lambda: iter(checked.kinds),
        "call_fact_findings": lambda: iter(checked.findings),
    }


def _batches(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def fill_sqlite(database: Database, rows: dict[str, Callable[[], Iterator[tuple[Any, ...]]]]) -> dict[str, int]:
    """Every table in one transaction with executemany in batches of 50,000; returns the row counts."""
    counts: dict[str, int] = {}
    with database.engine.begin() as connection:
        for table in TABLE_ORDER:
            columns = COLUMNS[table]
            marks = ", ".join("?" * len(columns))
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - names from our schema, not input
            counts[table] = 0
            for batch in _batches(rows[table](), 50_000):
                connection.exec_driver_sql(statement, batch)
                counts[table] += len(batch)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def check_schema() -> None:
    """COLUMNS must name every column of the real tables (a new column would otherwise go missing silently)."""
    for table, columns in COLUMNS.items():
        real = {c.name for c in Base.metadata.tables[table].columns}
        if real != set(columns):
            raise SystemExit(f"{table}: the benchmark writes {sorted(columns)}, the schema has {sorted(real)}")


# ---------------------------------------------------------------------------------------------------------------
# Our side: the repository, the service, and the SQL they send.


def services_for(database: Database, folder: Path) -> Services:
    """What trends() needs (it only uses the database; the caches are empty folders)."""
    return Services(
        database=database,
        peaks=PeaksCache(folder / "peaks"),
        playback=PlaybackCache(folder / "playback"),
        demo_dir=bundled_dir("resources") / "demo",
        preferences=PreferencesStore(folder / "preferences.json"),
    )


def agent_rows(database: Database, query: TrendQuery) -> list[TrendRow]:
    """(a): the per-agent rows of a query, in a session of its own as the service opens one."""
    with database.session() as session:
        return TrendRepository(session).rows(query, Level.AGENT)


@dataclass(slots=True)
class Captured:
    """The statements one call of our code sent: as the driver got them, and as SQLAlchemy statements."""

    driver: list[tuple[str, Any]] = field(default_factory=list)
    statements: list[Any] = field(default_factory=list)


def capture(engine: Engine, run: Callable[[], object]) -> Captured:
    """Run once, recording every statement sent."""
    found = Captured()

    def on_cursor(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        found.driver.append((statement, parameters))

    def on_execute(_conn: Any, clause: Any, _multi: Any, _params: Any, _options: Any) -> None:
        found.statements.append(clause)

    event.listen(engine, "before_cursor_execute", on_cursor)
    event.listen(engine, "before_execute", on_execute)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", on_cursor)
        event.remove(engine, "before_execute", on_execute)
    return found


def replay(connection: Any, statements: Sequence[tuple[str, Any]]) -> int:
    """The captured SQL on a bare DB-API connection, every row fetched; returns how many rows."""
    rows = 0
    cursor = connection.cursor()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        rows += len(cursor.fetchall())
    cursor.close()
    connection.rollback()
    return rows


def postgres_sql(statement: Any) -> str:
    """A captured statement as PostgreSQL SQL with its values inline, for DuckDB to run as it is."""
    dialect = make_url("postgresql+psycopg://").get_dialect()()
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


# ---------------------------------------------------------------------------------------------------------------
# DuckDB.


def duck_type(column: sqlalchemy.Column[Any]) -> str:
    """The DuckDB type of one of our columns."""
    kind = column.type
    try:
        python = (kind.impl_instance if isinstance(kind, TypeDecorator) else kind).python_type
    except NotImplementedError:
        return "VARCHAR"
    return {int: "BIGINT", bool: "BOOLEAN", float: "DOUBLE", datetime: "TIMESTAMP"}.get(python, "VARCHAR")


def load_duckdb(file: Path, folder: Path) -> duckdb.DuckDBPyConnection:
    """Native DuckDB tables with the SQLite file's rows (through CSV), plus the verdicts' trace steps and findings
    as rows (verdict_steps, verdict_findings): the relational form of the verdict JSON, nothing aggregated."""
    duck = duckdb.connect()
    source = sqlite3.connect(file)
    null = "\\N"
    for table in TABLE_ORDER:
        columns = Base.metadata.tables[table].columns
        names = [c.name for c in columns]
        csv_path = folder / f"{table}.csv"
        extra: dict[str, tuple[Path, Any]] = {}
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if table == "verdicts":
                steps_handle = (folder / "verdict_steps.csv").open("w", newline="", encoding="utf-8")
                findings_handle = (folder / "verdict_findings.csv").open("w", newline="", encoding="utf-8")
                extra = {
                    "verdict_steps": (folder / "verdict_steps.csv", csv.writer(steps_handle)),
                    "verdict_findings": (folder / "verdict_findings.csv", csv.writer(findings_handle)),
                }
            query = f"SELECT {', '.join(names)} FROM {table}"  # noqa: S608 - names from our schema, not input
            for row in source.execute(query):
                writer.writerow([null if v is None else v for v in row])
                if extra:
                    data = json.loads(row[names.index("data")])
                    call_id = row[0]
                    for seq, step in enumerate(data["trace"]):
                        first = step["tags"][0] if step["tags"] else None
                        extra["verdict_steps"][1].writerow(
                            [call_id, seq, step["step"], null if first is None else first]
                        )
                    for finding in data["findings"]:
                        extra["verdict_findings"][1].writerow([call_id, finding["rule"]])
            if extra:
                steps_handle.close()
                findings_handle.close()
        duck.execute(f"CREATE TABLE {table} ({', '.join(f'{c.name} {duck_type(c)}' for c in columns)})")
        duck.execute(f"COPY {table} FROM '{csv_path}' (HEADER false, NULLSTR '{null}')")
        csv_path.unlink()
        if extra:
            duck.execute("CREATE TABLE verdict_steps (call_id BIGINT, seq BIGINT, step VARCHAR, first_tag BIGINT)")
            duck.execute("CREATE TABLE verdict_findings (call_id BIGINT, rule VARCHAR)")
            for name, (path, _) in extra.items():
                duck.execute(f"COPY {name} FROM '{path}' (HEADER false, NULLSTR '{null}')")
                path.unlink()
    source.close()
    return duck


def raw_sql(abuse: frozenset[str]) -> tuple[str, str, str]:
    """The weekly per-agent aggregation straight from calls, tags and verdicts (no facts table): the main rows in
    our column order, the findings by rule, and the names. Same definitions as reviewer/analysis/facts.py."""
    kinds = ", ".join(f"'{k}'" for k in sorted(abuse))
    statuses = ", ".join(f"sum(CASE WHEN status = '{s.value}' THEN 1 ELSE 0 END)" for s in VerdictStatus)
    endings = ", ".join(f"sum(CASE WHEN ending = '{e.value}' THEN 1 ELSE 0 END)" for e in ENDINGS)
    measures = ", ".join(f"sum({m.value})" for m in Measure)
    period = "isoyear(c.started_at) * 100 + weekofyear(c.started_at)"
    main = f"""
        WITH per_call AS (
            SELECT call_id,
                   count(*) FILTER (WHERE kind = 'interruption' AND actor = 'agent') AS agent_interruption,
                   count(*) FILTER (WHERE kind = 'agent_rudeness') AS agent_rudeness,
                   count(*) FILTER (WHERE kind = 'banned_phrase') AS banned_phrase,
                   count(*) FILTER (WHERE kind IN ({kinds}) AND actor = 'customer') AS customer_abuse,
                   min(start_ms) FILTER (WHERE kind = 'hang_up') AS hang_ms,
                   arg_min(actor, (start_ms, id)) FILTER (WHERE kind = 'hang_up') AS hang_actor,
                   arg_min(id, (start_ms, id)) FILTER (WHERE kind = 'hang_up') AS hang_id
            FROM tags GROUP BY call_id
        ), cut_off AS (
            SELECT DISTINCT p.call_id FROM per_call p JOIN tags t ON t.call_id = p.call_id
            WHERE p.hang_actor = 'customer' AND t.kind = 'interruption' AND t.actor = 'agent'
              AND t.start_ms BETWEEN p.hang_ms - {INTERRUPTION_WINDOW_MS} AND p.hang_ms
        ), agent_end AS (
            SELECT s.call_id, arg_min(s.step, s.seq) AS step
            FROM verdict_steps s JOIN per_call p ON p.call_id = s.call_id AND s.first_tag = p.hang_id
            WHERE s.step IN ('{Step.HANGUP_PERMITTED.value}', '{Step.HANGUP_UNOBJECTED.value}')
            GROUP BY s.call_id
        ), checked AS (
            SELECT c.agent_id, {period} AS period, c.talk_ms, v.status,
                   coalesce(p.agent_interruption, 0) AS agent_interruption,
                   coalesce(p.agent_rudeness, 0) AS agent_rudeness,
                   coalesce(p.banned_phrase, 0) AS banned_phrase,
                   coalesce(p.customer_abuse, 0) AS customer_abuse,
                   CASE WHEN cut.call_id IS NULL THEN 0 ELSE 1 END AS hangup_after_interruption,
                   CASE WHEN p.hang_actor IS NULL THEN 'none'
                        WHEN p.hang_actor = 'customer' THEN 'customer'
                        WHEN p.hang_actor = 'call' THEN 'line_drop'
                        WHEN p.hang_actor = 'unknown' THEN 'unknown'
                        WHEN a.step = '{Step.HANGUP_PERMITTED.value}' THEN 'permitted'
                        WHEN a.step = '{Step.HANGUP_UNOBJECTED.value}' THEN 'unobjected'
                        ELSE 'premature' END AS ending
            FROM calls c JOIN verdicts v ON v.call_id = c.id
            LEFT JOIN per_call p ON p.call_id = c.id
            LEFT JOIN cut_off cut ON cut.call_id = c.id
            LEFT JOIN agent_end a ON a.call_id = c.id
            WHERE c.started_at IS NOT NULL AND c.review_status = 'done'
        )
        SELECT agent_id, period, count(*), sum(talk_ms), {measures}, {statuses}, {endings}
        FROM checked GROUP BY agent_id, period ORDER BY period, agent_id
    """  # noqa: S608 - our own constants
    findings = f"""
        SELECT c.agent_id, {period} AS period, f.rule, count(*)
        FROM verdict_findings f JOIN calls c ON c.id = f.call_id
        WHERE c.started_at IS NOT NULL AND c.review_status = 'done'
        GROUP BY c.agent_id, period, f.rule
    """  # noqa: S608 - our own constants
    names = "SELECT a.id, a.name, t.name FROM agents a LEFT OUTER JOIN teams t ON a.team_id = t.id"
    return main, findings, names


def run_duck(duck: duckdb.DuckDBPyConnection, statements: Sequence[str]) -> list[list[tuple[Any, ...]]]:
    """Every statement, every row fetched into Python."""
    return [duck.execute(s).fetchall() for s in statements]


# ---------------------------------------------------------------------------------------------------------------
# Comparing results.

Canon = dict[tuple[str | None, str | None, int], tuple[Any, ...]]


def canon_ours(rows: Sequence[TrendRow]) -> Canon:
    """Our rows as comparable values, by (agent, team, period key)."""
    return {
        (r.agent, r.team, r.period.key): (
            r.calls,
            r.talk_ms,
            tuple(sorted(r.counts.items())),
            tuple(r.statuses.get(s, 0) for s in VerdictStatus),
            tuple(r.endings.get(e, 0) for e in ENDINGS),
            tuple(sorted(r.findings.items())),
        )
        for r in rows
    }


def canon_result(results: Sequence[Sequence[tuple[Any, ...]]]) -> Canon:
    """(main rows, findings rows, names rows) of the per-agent query, in our column layout, as comparable values."""
    main, found, names = results
    name = {i: (agent, team) for i, agent, team in names}
    by_group: dict[tuple[Any, int], dict[str, int]] = {}
    for g, p, rule, n in found:
        by_group.setdefault((g, int(p)), {})[rule] = int(n)
    measures, statuses = [m.value for m in Measure], len(VerdictStatus)
    out: Canon = {}
    for row in main:
        values = [int(v or 0) for v in row[4:]]
        agent, team = name.get(row[0], (None, None))
        out[(agent, team, int(row[1]))] = (
            int(row[2]),
            int(row[3] or 0),
            tuple(sorted(zip(measures, values[: len(measures)], strict=True))),
            tuple(values[len(measures) : len(measures) + statuses]),
            tuple(values[len(measures) + statuses :]),
            tuple(sorted(by_group.get((row[0], int(row[1])), {}).items())),
        )
    return out


def compare(ours: Canon, theirs: Canon) -> str:
    """'results agree', or what differs."""
    if ours == theirs:
        return f"results agree ({len(ours)} groups)"
    only_ours, only_theirs = ours.keys() - theirs.keys(), theirs.keys() - ours.keys()
    differ = [k for k in ours.keys() & theirs.keys() if ours[k] != theirs[k]]
    parts = [f"{len(only_ours)} groups only ours", f"{len(only_theirs)} only theirs", f"{len(differ)} differ"]
    sample = sorted(differ, key=str)[:2]
    detail = "; ".join(f"{k}: ours {ours[k]} theirs {theirs[k]}" for k in sample)
    return "RESULTS DIFFER: " + ", ".join(parts) + (f"; e.g. {detail}" if detail else "")


# ---------------------------------------------------------------------------------------------------------------
# Timing.


def time_all(steps: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time in ms of each step over `repeat` rounds after one warm-up round, the steps taking turns."""
    for run in steps.values():
        run()
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, run in steps.items():
            gc.collect()
            start = time.perf_counter()
            run()
            elapsed = (time.perf_counter() - start) * 1000
            best[name] = min(best.get(name, float("inf")), elapsed)
    return best


@dataclass(frozen=True, slots=True)
class Queries:
    """The queries timed on each database: over the two years, and as the Trends tab asks (its default window)."""

    plain: TrendQuery  # weekly, every agent, the whole two years: (a) and (b)
    team: TrendQuery
    agent: TrendQuery  # what `reviewer trends --agent` asks; the tab picks an agent from rows it already has
    kind: TrendQuery  # a tag kind chosen as the measure
    rule: TrendQuery  # a rule chosen as the measure
    tab: TrendQuery  # the tab's first query: the last 12 weeks, every team
    tab_team: TrendQuery
    tab_kind: TrendQuery
    tab_rule: TrendQuery

    @classmethod
    def default(cls) -> Queries:
        """Weekly over reviewed calls; the tab's window is the 12 weeks up to the last generated day."""
        last = FIRST_DAY + timedelta(days=DAYS - 1)
        first = Period.of(last, Grain.WEEK)
        for _ in range(TAB_WEEKS - 1):
            first = first.previous()
        plain = TrendQuery(grain=Grain.WEEK, reviewed_only=True)
        tab = replace(plain, first=first.first_day, last=last)
        team, kind, rule = team_name(3), "interruption", "R1"
        return cls(
            plain=plain,
            team=replace(plain, team=team),
            agent=replace(plain, agent=agent_name(42)),
            kind=replace(plain, kind=kind),
            rule=replace(plain, rule=rule),
            tab=tab,
            tab_team=replace(tab, team=team),
            tab_kind=replace(tab, kind=kind),
            tab_rule=replace(tab, rule=rule),
        )


def level_rows(database: Database, query: TrendQuery, level: Level) -> list[TrendRow]:
    """The rows of one level, in a session of their own."""
    with database.session() as session:
        return TrendRepository(session).rows(query, level)


def our_steps(
    database: Database, services: Services, queries: Queries, sql: Captured
) -> dict[str, Callable[[], object]]:
    """Our measured steps on one database."""
    raw = database.engine.raw_connection()
    return {
        "a_rows": lambda: agent_rows(database, queries.plain),
        "a_sql": lambda: replay(raw, sql.driver),
        "b_trends": lambda: trends(services, queries.plain),
        "b_rows_team": lambda: level_rows(database, queries.plain, Level.TEAM),
        "b_rows_all": lambda: level_rows(database, queries.plain, Level.ALL),
        "c_rows_team": lambda: agent_rows(database, queries.team),
        "c_rows_agent": lambda: agent_rows(database, queries.agent),
        "c_trends_team": lambda: trends(services, queries.team),
        "c_trends_agent": lambda: trends(services, queries.agent),
        "c_trends_kind": lambda: trends(services, queries.kind),
        "c_trends_rule": lambda: trends(services, queries.rule),
        "t_trends": lambda: trends(services, queries.tab),
        "t_trends_team": lambda: trends(services, queries.tab_team),
        "t_trends_kind": lambda: trends(services, queries.tab_kind),
        "t_trends_rule": lambda: trends(services, queries.tab_rule),
    }


LABELS = {
    "a_rows": "(a) weekly per-agent rows()",
    "a_sql": "    its SQL alone, fetchall",
    "b_trends": "(b) trends(): 3 queries + flags",
    "b_rows_team": "    rows(), team level",
    "b_rows_all": "    rows(), everybody",
    "b_build": "    build_trends alone",
    "c_rows_team": "(c) rows(), team filter",
    "c_rows_agent": "    rows(), agent filter",
    "c_trends_team": "    trends(), team filter",
    "c_trends_agent": "    trends(), agent filter",
    "c_trends_kind": "    trends(), a tag kind chosen",
    "c_trends_rule": "    trends(), a rule chosen",
    "t_trends": "tab: trends(), last 12 weeks",
    "t_trends_team": "    ... team filter",
    "t_trends_kind": "    ... a tag kind chosen",
    "t_trends_rule": "    ... a rule chosen",
}


# ---------------------------------------------------------------------------------------------------------------
# SQLite: the plans.


def explain_sqlite(file: Path, statements: Sequence[tuple[str, Any]]) -> list[str]:
    """EXPLAIN QUERY PLAN of each captured statement."""
    lines: list[str] = []
    with sqlite3.connect(file) as connection:
        for statement, parameters in statements:
            head = " ".join(statement.split())[:110]
            lines.append(f"  {head}...")
            for _, parent, _, detail in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                lines.append(f"    {'  ' if parent else ''}{detail}")
    return lines


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL.


def pg_url_from_env() -> str | None:
    """The server to use, if any."""
    return os.environ.get("REVIEWER_BENCH_PG_URL") or os.environ.get("REVIEWER_TEST_PG_URL")


def libpq(url: sqlalchemy.URL) -> str:
    """A SQLAlchemy URL as a libpq connection URI for psycopg."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def copy_to_postgres(file: Path, conninfo: str) -> None:
    """Every table's rows from the SQLite file, by COPY, then VACUUM ANALYZE."""
    source = sqlite3.connect(file)
    with psycopg.connect(conninfo) as target:
        target.execute("SET TimeZone = 'UTC'")  # SQLite keeps UTC without an offset
        with target.cursor() as cursor:
            for table in TABLE_ORDER:
                names = [c.name for c in Base.metadata.tables[table].columns]
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
                )
                query = f"SELECT {', '.join(names)} FROM {table}"  # noqa: S608 - names from our schema, not input
                with cursor.copy(statement) as copy:
                    for row in source.execute(query):
                        copy.write_row(row)
    source.close()
    with psycopg.connect(conninfo, autocommit=True) as target:
        target.execute("VACUUM ANALYZE")


@dataclass(slots=True)
class PgResult:
    """What the PostgreSQL run measured."""

    version: str = ""
    times: dict[str, float] = field(default_factory=dict)
    load_s: float = 0.0
    agree: str = ""
    skipped: str = ""


def run_postgres(url: str, file: Path, *, folder: Path, queries: Queries, ours: Canon, repeat: int) -> PgResult:
    """Create a throwaway database, fill it, time our steps there, drop it."""
    server = make_url(url)
    name = f"reviewer_bench_{os.getpid()}_{time.time_ns() % 1_000_000}"
    result = PgResult()
    with psycopg.connect(libpq(server), autocommit=True) as admin:
        row = admin.execute("SHOW server_version").fetchone()
        result.version = str(row[0]) if row else "?"
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        database: Database | None = None
        try:
            target = server.set(database=name)
            database = Database(target.render_as_string(hide_password=False))
            started = time.perf_counter()
            migrate(database)
            copy_to_postgres(file, libpq(target))
            result.load_s = time.perf_counter() - started
            rows = agent_rows(database, queries.plain)
            result.agree = compare(ours, canon_ours(rows))
            captured = capture(database.engine, lambda: agent_rows(database, queries.plain))
            services = services_for(database, folder)
            steps = our_steps(database, services, queries, captured)
            result.times = time_all(steps, repeat)
        finally:
            if database is not None:
                database.dispose()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return result


# ---------------------------------------------------------------------------------------------------------------
# Main.


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "duckdb": duckdb.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "numpy": np.__version__,
    }


def main() -> int:
    """Generate, load, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=100_000, help="calls to generate (default 100000)")
    parser.add_argument("--tags-per-call", type=float, default=10.0, help="tags per call on average (default 10)")
    parser.add_argument("--agents", type=int, default=200, help="agents (default 200)")
    parser.add_argument("--teams", type=int, default=10, help="teams (default 10)")
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds after a warm-up; the best counts")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--quick", action="store_true", help="a small run: 5,000 calls, 5 rounds")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and print where it is")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.repeat = min(args.calls, 5_000), min(args.repeat, 5)
    check_schema()
    folder = Path(tempfile.mkdtemp(prefix="trends-scale-"))
    file = folder / "library.sqlite3"
    try:
        return run(args, folder, file)
    finally:
        if args.keep:
            print(f"kept {file}", file=sys.stderr)
        else:
            for path in sorted(folder.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            folder.rmdir()


def duck_baseline(
    duck: duckdb.DuckDBPyConnection, abuse: frozenset[str], captured: Captured, ours: Canon
) -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    """DuckDB's steps, (i) raw and (ii) our SQL, after checking that both give exactly our rows."""
    raw = raw_sql(abuse)
    # rows() sends the findings and names queries before the main one: main, findings, names, as raw_sql gives them.
    same = [postgres_sql(s) for s in sorted(captured.statements, key=lambda s: -len(s.selected_columns))]
    agree = {
        "duck_raw": compare(ours, canon_result(run_duck(duck, raw))),
        "duck_facts": compare(ours, canon_result(run_duck(duck, same))),
    }
    steps: dict[str, Callable[[], object]] = {
        "duck_raw": lambda: run_duck(duck, raw),
        "duck_facts": lambda: run_duck(duck, same),
        "duck_facts_engine": lambda: [duck.execute(s) for s in same],
    }
    return steps, agree


def run(args: argparse.Namespace, folder: Path, file: Path) -> int:
    """The benchmark proper."""
    info: dict[str, Any] = machine()
    abuse = load_policy(bundled_dir("resources") / "policies" / "default.toml").abuse_kinds()
    started = time.perf_counter()
    world = generate(args.calls, args.tags_per_call, args.agents, args.teams, args.seed)
    checked = check_all(world, abuse, args.seed)
    generate_s = time.perf_counter() - started
    database = Database(sqlite_url(file))
    started = time.perf_counter()
    migrate(database)
    counts = fill_sqlite(database, source_rows(world, checked))
    load_s = time.perf_counter() - started
    del world
    gc.collect()
    queries = Queries.default()
    services = services_for(database, folder)

    # Ours on SQLite, and what it sends.
    ours_rows = agent_rows(database, queries.plain)
    ours = canon_ours(ours_rows)
    captured = capture(database.engine, lambda: agent_rows(database, queries.plain))
    with database.session() as session:
        repo = TrendRepository(session)
        parts = (ours_rows, repo.rows(queries.plain, Level.TEAM), repo.rows(queries.plain, Level.ALL))
    sqlite_steps = our_steps(database, services, queries, captured)
    sqlite_steps["b_build"] = lambda: build_trends(queries.plain, *parts)
    flags = len(build_trends(queries.plain, *parts).flags)

    # DuckDB over the same rows.
    started = time.perf_counter()
    duck = load_duckdb(file, folder)
    duck_load_s = time.perf_counter() - started
    duck_steps, agree = duck_baseline(duck, abuse, captured, ours)
    times = time_all({**sqlite_steps, **duck_steps}, args.repeat)
    plans = explain_sqlite(file, captured.driver)
    ratios, targets = judge(times)
    database.dispose()

    # PostgreSQL, when a server is given.
    pg_url = pg_url_from_env()
    pg = PgResult(skipped="" if pg_url else "no REVIEWER_BENCH_PG_URL")
    if pg_url:
        pg = run_postgres(pg_url, file, folder=folder, queries=queries, ours=ours, repeat=args.repeat)
        agree["postgresql"] = pg.agree
        ratios["pg_vs_duck_raw"] = pg.times["a_rows"] / times["duck_raw"]
        ratios["pg_vs_duck_facts"] = pg.times["a_rows"] / times["duck_facts"]

    info |= {
        "postgresql": pg.version or "skipped",
        "calls": args.calls,
        "tags_per_call": args.tags_per_call,
        "agents": args.agents,
        "teams": args.teams,
        "repeat": args.repeat,
        "seed": args.seed,
        "rows": counts,
        "sqlite_mib": round(file.stat().st_size / 2**20, 1),
        "groups": len(ours),
        "flags": flags,
        "statuses": dict(checked.statuses.most_common()),
        "endings": dict(checked.endings.most_common()),
        "generate_s": round(generate_s, 2),
        "sqlite_load_s": round(load_s, 2),
        "duckdb_load_s": round(duck_load_s, 2),
        "postgresql_load_s": round(pg.load_s, 2),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    report(Outcome(info, times, pg, ratios, targets, agree, plans))
    return 0


def judge(times: dict[str, float]) -> tuple[dict[str, float], dict[str, bool]]:
    """The ratios of (a) and whether each target is met; a redraw is trends() in the slowest filter state, in the
    tab's default window and with the window widened to the two years."""
    a = times["a_rows"]
    ratios = {
        "sqlite_vs_duck_raw": a / times["duck_raw"],
        "sqlite_vs_duck_facts": a / times["duck_facts"],
        "sqlite_sql_vs_duck_facts": times["a_sql"] / times["duck_facts"],
    }
    ratios["tab_redraw_ms"] = max(times[k] for k in TAB_STATES)
    ratios["two_years_redraw_ms"] = max(times[k] for k in WIDE_STATES)
    targets = {
        "sqlite_le_3x_duck_raw": ratios["sqlite_vs_duck_raw"] <= TARGET_RATIO,
        "sqlite_le_3x_duck_facts": ratios["sqlite_vs_duck_facts"] <= TARGET_RATIO,
        "sqlite_under_1s": a < TARGET_MS,
        "tab_redraw_under_1s": ratios["tab_redraw_ms"] < TARGET_MS,
        "two_years_redraw_under_1s": ratios["two_years_redraw_ms"] < TARGET_MS,
    }
    return ratios, targets


@dataclass(frozen=True, slots=True)
class Outcome:
    """Everything measured, for the report."""

    info: dict[str, Any]
    times: dict[str, float]
    pg: PgResult
    ratios: dict[str, float]
    targets: dict[str, bool]
    agree: dict[str, str]
    plans: list[str]


def report(outcome: Outcome) -> None:
    """The human-readable figures, then one JSON object as the last line."""
    info, times, pg = outcome.info, outcome.times, outcome.pg.times
    ratios, targets, agree = outcome.ratios, outcome.targets, outcome.agree
    for key, value in info.items():
        print(f"{key:>17}: {value}")
    print(
        "\nThe rows were bulk-inserted, not checked: 100,000 policy checks would take minutes "
        "(benchmarks/policy_speed.py).\nVerdicts are derived from the tags; the facts come from "
        "reviewer.analysis.facts.call_facts over those tags and verdicts."
    )
    print(f"\nbest of {info['repeat']} after a warm-up, ms            SQLite   PostgreSQL")
    for key, label in LABELS.items():
        theirs = pg.get(key)
        pg_text = f"{theirs:12.1f}" if theirs is not None else f"{'-':>12}"
        print(f"  {label:<40} {times[key]:8.1f} {pg_text}")
    print(f"  {'DuckDB (i) raw calls+tags+verdicts':<40} {times['duck_raw']:8.1f}")
    print(f"  {'DuckDB (ii) our SQL over call_facts':<40} {times['duck_facts']:8.1f}")
    print(f"  {'    (info) the same without fetching':<40} {times['duck_facts_engine']:8.1f}")
    print()
    for key, label in (
        ("duck_raw", "DuckDB (i) raw"),
        ("duck_facts", "DuckDB (ii) same SQL"),
        ("postgresql", "PostgreSQL"),
    ):
        if key in agree:
            print(f"{label + ':':<22}{agree[key]}")
    word = {True: "PASS", False: "MISS"}
    a = times["a_rows"]
    print("\nratios of (a), and the targets:")
    print(f"  SQLite / DuckDB (i) raw              {ratios['sqlite_vs_duck_raw']:6.2f}x  (<= {TARGET_RATIO:g}x) "
          f"{word[targets['sqlite_le_3x_duck_raw']]}")  # fmt: skip
    print(f"  SQLite / DuckDB (ii) facts           {ratios['sqlite_vs_duck_facts']:6.2f}x  (<= {TARGET_RATIO:g}x) "
          f"{word[targets['sqlite_le_3x_duck_facts']]}")  # fmt: skip
    print(f"  (info) SQLite SQL alone / DuckDB (ii) {ratios['sqlite_sql_vs_duck_facts']:5.2f}x")
    if "pg_vs_duck_raw" in ratios:
        print(f"  PostgreSQL / DuckDB (i) raw          {ratios['pg_vs_duck_raw']:6.2f}x")
        print(f"  PostgreSQL / DuckDB (ii) facts       {ratios['pg_vs_duck_facts']:6.2f}x")
    print(f"  SQLite (a) {a:.0f} ms (< {TARGET_MS:.0f} ms) {word[targets['sqlite_under_1s']]}")
    print("  SQLite trends() after a filter change, slowest state (the charts' painting not included):")
    print(f"    in the tab's {TAB_WEEKS}-week window       {ratios['tab_redraw_ms']:6.0f} ms (< {TARGET_MS:.0f} ms) "
          f"{word[targets['tab_redraw_under_1s']]}")  # fmt: skip
    print(f"    over the whole two years        {ratios['two_years_redraw_ms']:6.0f} ms (< {TARGET_MS:.0f} ms) "
          f"{word[targets['two_years_redraw_under_1s']]}")  # fmt: skip
    if outcome.pg.skipped:
        print(
            "\nPostgreSQL skipped: set REVIEWER_BENCH_PG_URL (or REVIEWER_TEST_PG_URL) to a server URL, e.g.\n"
            "  REVIEWER_BENCH_PG_URL=postgresql+psycopg://reviewer@127.0.0.1:55432/postgres "
            ".venv/bin/python benchmarks/trends_scale.py\n"
            "(a throwaway database is created there and dropped at the end)."
        )
    print("\nSQLite EXPLAIN QUERY PLAN of what (a) sends:")
    print("\n".join(outcome.plans))
    ms = {"sqlite": times, "postgresql": pg}
    print(json.dumps({"input": info, "ms": ms, "ratios": ratios, "targets": targets, "agree": agree}))


if __name__ == "__main__":
    sys.exit(main())
