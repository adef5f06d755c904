"""The values behind the Trends tab and the coaching report: periods, measures, per-period rows, control charts.

All of it is data. `analysis/` computes it, `persistence/` aggregates the rows in the database, the faces word it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from reviewer.domain.verdict import VerdictStatus


class Grain(StrEnum):
    """How long one point of a trend is."""

    WEEK = "week"
    MONTH = "month"


_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """An ISO week (key 202647 for 2026-W47) or a calendar month (key 202611): integer keys sort and group fast."""

    grain: Grain
    key: int

    @classmethod
    def of(cls, day: date, grain: Grain) -> Period:
        """The week or month a day falls in."""
        if grain is Grain.WEEK:
            year, week, _ = day.isocalendar()
            return cls(grain, year * 100 + week)
        return cls(grain, day.year * 100 + day.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2026-W47` or `2026-11`; ValueError names what was wrong."""
        text = text.strip()
        if match := _WEEK.match(text):
            year, week = int(match[1]), int(match[2])
            try:
                date.fromisocalendar(year, week, 1)
            except ValueError:  # week 53 of a 52-week year, week 0
                raise ValueError(f"{text!r}: {year} has no ISO week {week}") from None
            return cls(Grain.WEEK, year * 100 + week)
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} of {text!r} is not 1-12")
            return cls(Grain.MONTH, year * 100 + month)
        raise ValueError(f"{text!r} is not a period: give a week as 2026-W47 or a month as 2026-11")

    @property
    def label(self) -> str:
        """2026-W47 or 2026-11."""
        year, part = divmod(self.key, 100)
        return f"{year}-W{part:02d}" if self.grain is Grain.WEEK else f"{year}-{part:02d}"

    @property
    def first_day(self) -> date:
        """The Monday of the week, or the 1st of the month."""
        year, part = divmod(self.key, 100)
        return date.fromisocalendar(year, part, 1) if self.grain is Grain.WEEK else date(year, part, 1)

    @property
    def last_day(self) -> date:
        """The Sunday of the week, or the month's last day."""
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Period:
        """The period after this one."""
        if self.grain is Grain.WEEK:
            return Period.of(self.first_day + timedelta(days=7), self.grain)
        year, month = divmod(self.key, 100)
        return Period(self.grain, (year + month // 12) * 100 + month % 12 + 1)

    def previous(self) -> Period:
        """The period before this one."""
        return Period.of(self.first_day - timedelta(days=1), self.grain)

    def until(self, last: Period) -> list[Period]:
        """Every period from this one to `last`, both included (empty when last is earlier)."""
        periods: list[Period] = []
        current = self
        while current <= last:
            periods.append(current)
            current = current.next()
        return periods


def day_key(day: date) -> int:
    """A day as the integer the facts table stores and filters on: 20261122."""
    return day.year * 10000 + day.month * 100 + day.day


class Measure(StrEnum):
    """What the trends count per call; each is a column of the call facts (POLICY.md vocabulary)."""

    AGENT_INTERRUPTION = "agent_interruption"  # interruption tags whose actor is the agent
    AGENT_RUDENESS = "agent_rudeness"
    BANNED_PHRASE = "banned_phrase"
    CUSTOMER_ABUSE = "customer_abuse"  # customer offences of the policy's abuse rules (R1, R2), handled by the agent
    HANGUP_AFTER_INTERRUPTION = "hangup_after_interruption"  # the customer hung up soon after an agent interruption


class Ending(StrEnum):
    """How the call ended, as the verdict judged its first hang-up."""

    NONE = "none"  # no hang-up tag
    PERMITTED = "permitted"  # an agent hang-up a rule permitted (R1 ladder complete, R2 severe abuse)
    PREMATURE = "premature"  # an agent hang-up a rule objected to (premature, not permitted, unwarranted)
    UNOBJECTED = "unobjected"  # an agent hang-up no rule permitted or objected to
    CUSTOMER = "customer"
    LINE_DROP = "line_drop"
    UNKNOWN = "unknown"  # the side is not known


@dataclass(frozen=True, slots=True)
class CallFacts:
    """One checked call, reduced to what the trends add up: the row `call_facts` stores."""

    status: VerdictStatus
    ending: Ending
    measures: Mapping[Measure, int]
    kinds: Mapping[tuple[str, str], int]  # (kind, actor) -> count, every kind of tag including policy-added ones
    findings: Mapping[str, int]  # rule id (R1.premature_hangup) -> count


@dataclass(frozen=True, slots=True)
class TrendRow:
    """One agent's (or a whole team's, or everyone's) figures over one period."""

    period: Period
    agent: str | None  # None: the team's (or everyone's) row
    team: str | None
    calls: int
    talk_ms: int
    counts: Mapping[str, int]  # Measure values, and a chosen tag kind as "kind" or "kind/actor"
    endings: Mapping[Ending, int] = field(default_factory=dict)
    statuses: Mapping[VerdictStatus, int] = field(default_factory=dict)
    findings: Mapping[str, int] = field(default_factory=dict)

    def count(self, measure: str) -> int:
        """How many times it happened in the period (0 when never)."""
        return self.counts.get(measure, 0)

    def per_call(self, measure: str) -> float | None:
        """Occurrences per call; None when there were no calls."""
        return self.count(measure) / self.calls if self.calls else None

    def per_hour(self, measure: str) -> float | None:
        """Occurrences per hour of talk; None when there was no talk."""
        return self.count(measure) * 3_600_000 / self.talk_ms if self.talk_ms else None

    def share(self, status: VerdictStatus) -> float | None:
        """Share of the period's calls with this verdict status."""
        return self.statuses.get(status, 0) / self.calls if self.calls else None


class Rate(StrEnum):
    """What a rate is per: a u-chart's unit of exposure."""

    PER_CALL = "per_call"
    PER_HOUR = "per_hour"


class Signal(StrEnum):
    """Why a control chart flags a point: beyond a 3-sigma limit, or the last of a run on one side of the centre."""

    ABOVE = "above"
    BELOW = "below"
    RUN_ABOVE = "run_above"
    RUN_BELOW = "run_below"


@dataclass(frozen=True, slots=True)
class ControlChart:
    """A p-chart (shares) or u-chart (rates) with per-point limits, since each period has its own sample size."""

    chart: str  # "p" or "u"
    values: tuple[float | None, ...]  # None: no calls (or no talk) that period
    sizes: tuple[float, ...]  # calls (p, u per call) or hours of talk (u per hour)
    center: float
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    signals: tuple[tuple[int, Signal], ...]  # (index of the point, why), in point order


@dataclass(frozen=True, slots=True)
class Flag:
    """A significant shift in one measure for one agent (or team) in one period."""

    period: Period
    agent: str | None
    measure: str
    signal: Signal
    value: float
    center: float
    limit: float | None  # the limit crossed (None for a run)
    team: str | None = None  # set on a team's own flags (agent None)


class Level(StrEnum):
    """Whose rows a trend has: one per agent, one per team, or one for everybody."""

    AGENT = "agent"
    TEAM = "team"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class TrendQuery:
    """What the Trends tab and `reviewer trends` ask for; None means any."""

    grain: Grain = Grain.WEEK
    team: str | None = None
    agent: str | None = None
    first: date | None = None  # inclusive days, in the supervisor's time zone
    last: date | None = None
    kind: str | None = None  # also count this tag kind: "interruption", or "interruption/agent" for one actor
    rule: str | None = None  # also count findings of this rule: "R1", or one finding "R1.premature_hangup"
    reviewed_only: bool = True  # rates over the calls a supervisor marked done, not over untouched ones

    @property
    def rule_key(self) -> str | None:
        """The key the chosen rule's findings are counted under in TrendRow.counts."""
        return f"rule:{self.rule}" if self.rule else None


@dataclass(frozen=True, slots=True)
class PointCall:
    """One call behind a point of a trend, for the list a click on the point opens."""

    call_id: int
    external_id: str
    agent: str | None
    day: date | None
    status: VerdictStatus
    ending: Ending
    count: int  # how many of the measure the point shows (0 when the point is not about a count)


@dataclass(frozen=True, slots=True)
class Trends:
    """What a trend query found: the periods on the axis, rows per agent, per team and overall, and the flags."""

    query: TrendQuery
    periods: tuple[Period, ...]
    agents: tuple[TrendRow, ...]
    teams: tuple[TrendRow, ...]
    overall: tuple[TrendRow, ...]
    flags: tuple[Flag, ...] = ()

    def of_agent(self, agent: str) -> dict[Period, TrendRow]:
        """One agent's rows by period."""
        return {r.period: r for r in self.agents if r.agent == agent}

    def of_team(self, team: str | None) -> dict[Period, TrendRow]:
        """One team's rows by period (None: everybody's)."""
        rows = self.overall if team is None else [r for r in self.teams if r.team == team]
        return {r.period: r for r in rows}

    def flags_of(self, agent: str | None, period: Period, team: str | None = None) -> list[Flag]:
        """The flags on one point: an agent's, or (agent None) a team's or (both None) everybody's."""
        return [f for f in self.flags if (f.agent, f.team, f.period) == _point(agent, team, period)]

    def flags_by_point(self) -> dict[tuple[str | None, str | None, Period], list[Flag]]:
        """Every flag under its point's (agent, team, period) key, for looking up many points in one pass."""
        found: dict[tuple[str | None, str | None, Period], list[Flag]] = {}
        for flag in self.flags:
            found.setdefault((flag.agent, flag.team, flag.period), []).append(flag)
        return found

    def point_key(self, row: TrendRow) -> tuple[str | None, str | None, Period]:
        """The flags_by_point key of a row: an agent's row carries its team, but its flags do not."""
        return _point(row.agent, row.team, row.period)


def _point(agent: str | None, team: str | None, period: Period) -> tuple[str | None, str | None, Period]:
    return agent, None if agent else team, period


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """One line of a trend chart: a subject's rate (or share) per period, its control chart, and the baseline."""

    key: str  # a Measure value, a shares key (status:violation), a tag kind or rule:ID
    rate: Rate
    periods: tuple[Period, ...]
    subject: str  # the agent, the team, or "" for everybody
    level: Level
    counts: tuple[int, ...]  # what happened each period
    sizes: tuple[float, ...]  # calls, or hours of talk, each period
    chart: ControlChart  # values and limits per period; its centre is the baseline's pooled rate (or the subject's)
    baseline_name: str | None = None  # the team (or "" for everybody) an agent is compared with; None for a team
    baseline: tuple[float | None, ...] = ()  # the baseline's own value each period

    @property
    def values(self) -> tuple[float | None, ...]:
        """The subject's value per period (None: no calls)."""
        return self.chart.values

    @property
    def flagged(self) -> tuple[int, ...]:
        """Indices of the points the control chart flags."""
        return tuple(i for i, _ in self.chart.signals)
