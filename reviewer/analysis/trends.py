"""From grouped rows to trends: the full period axis, rates, the lines of a chart, and the flags they raise.

An agent is charted against the team: each period's rate goes on a u-chart (a share on a p-chart) whose centre is
the team's rate over the whole window, with limits from the agent's own number of calls that period. So a week of
three calls with one interruption too many is noise, and a lasting run above the team is a shift. A team (or
everybody) is charted against its own history, which flags a change the whole team went through.

build_trends charts every line of every key at once (analysis.control.charts, in numpy), because the Trends tab
needs the flags of a thousand and more lines of two years after each filter change; series() charts the one line
on screen with p_chart or u_chart. Both give the same charts to the last bit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from reviewer.analysis.control import charts, p_chart, u_chart
from reviewer.domain.trends import (
    Ending,
    Flag,
    Grain,
    Level,
    Measure,
    Period,
    Rate,
    Signal,
    TrendQuery,
    TrendRow,
    Trends,
    TrendSeries,
)
from reviewer.domain.verdict import VerdictStatus

# The shares charted on p-charts, by the key a flag names them with: the tally of a row they count in, and what.
_TALLIED: dict[str, tuple[str, StrEnum]] = {
    "status:violation": ("statuses", VerdictStatus.VIOLATION),
    "ending:premature": ("endings", Ending.PREMATURE),
}


def _share(tally: str, value: StrEnum) -> Callable[[TrendRow], int]:
    of = attrgetter(tally)
    return lambda row: of(row).get(value, 0)


SHARES: dict[str, Callable[[TrendRow], int]] = {key: _share(*tallied) for key, tallied in _TALLIED.items()}

Rows = dict[Period, TrendRow]
# Rows by their period's (grain, key): the same grouping as by Period, which compares just so, without the cost of
# hashing a Period dataclass per row.
Places = dict[tuple[Grain, int], TrendRow]


def build_trends(
    query: TrendQuery, agents: Sequence[TrendRow], teams: Sequence[TrendRow], overall: Sequence[TrendRow]
) -> Trends:
    """The trends of the rows a query returned, with the flags of every agent's, team's and everybody's lines."""
    found = Trends(query, tuple(_axis(query, [*agents, *teams, *overall])), tuple(agents), tuple(teams), tuple(overall))
    keys = [*counted_keys(query), *SHARES]
    subjects = _subjects(query, agents, teams, overall)
    try:
        flags = _flags_at_once(found.periods, keys, subjects)
    except (ValueError, OverflowError):  # rows no chart takes: charting them one by one says what is wrong
        flags = _flags_by_line(found.periods, keys, subjects)
    return replace(found, flags=tuple(flags))


def series(
    trends: Trends, key: str, rate: Rate = Rate.PER_CALL, agent: str | None = None, team: str | None = None
) -> TrendSeries:
    """One subject's line: an agent against its team (or everybody), or a team (or everybody) against its own past."""
    if not agent:
        level = Level.TEAM if team else Level.ALL
        return _line(trends.periods, key, rate, trends.of_team(team), subject=team or "", level=level)
    rows = trends.of_agent(agent)
    team = next(iter(rows.values())).team if rows else team
    base, name = (trends.of_team(team), team) if team and trends.of_team(team) else (trends.of_team(None), "")
    return _line(trends.periods, key, rate, rows, subject=agent, base=base, base_name=name)


def counted_keys(query: TrendQuery) -> list[str]:
    """The counts a trend rates: every measure, then the chosen kind and rule."""
    extra = [k for k in (query.kind, query.rule_key) if k]
    return [m.value for m in Measure] + extra


def pooled(rows: Iterable[TrendRow], key: str, rate: Rate = Rate.PER_CALL) -> float | None:
    """The rate (or, for SHARES, the share) over all the rows together; None when they have no calls."""
    rows = list(rows)
    size = sum(_size(r, key, rate) for r in rows)
    return sum(_happened(r, key) for r in rows) / size if size else None


def _line(
    periods: Sequence[Period],
    key: str,
    rate: Rate,
    rows: Rows,
    *,
    subject: str,
    level: Level = Level.AGENT,
    base: Rows | None = None,
    base_name: str | None = None,
) -> TrendSeries:
    """A subject's counts and sizes per period on a control chart centred on the base (or on its own pooled rate)."""
    counts = [_happened(rows[p], key) if p in rows else 0 for p in periods]
    sizes = [_size(rows[p], key, rate) if p in rows else 0.0 for p in periods]
    center = pooled(base.values(), key, rate) if base is not None else None
    if key in SHARES:
        chart = p_chart(counts, [int(s) for s in sizes], center=center)
    else:
        chart = u_chart(counts, sizes, center=center)
    baseline = tuple(_value(base.get(p), key, rate) for p in periods) if base is not None else ()
    return TrendSeries(
        key, rate, tuple(periods), subject, level, tuple(counts), tuple(sizes), chart, base_name, baseline
    )


class _Subject(NamedTuple):
    """Whose lines a trend charts: an agent against a baseline's rows, or a team (or everybody) against its own."""

    rows: Places
    name: str
    level: Level
    base: Places | None = None
    base_name: str | None = None


def _subjects(
    query: TrendQuery, agents: Sequence[TrendRow], teams: Sequence[TrendRow], overall: Sequence[TrendRow]
) -> list[_Subject]:
    """Every agent against its team (or everybody), then every team, then everybody unless a team is chosen."""
    by_agent, by_team = _by(agents, attrgetter("agent")), _by(teams, attrgetter("team"))
    everybody = {(r.period.grain, r.period.key): r for r in overall}
    subjects = []
    for agent, rows in by_agent.items():
        team = next(iter(rows.values())).team
        base, name = (by_team[team], team) if team in by_team else (everybody, "")
        subjects.append(_Subject(rows, agent, Level.AGENT, base, name))
    subjects += [_Subject(rows, team, Level.TEAM) for team, rows in by_team.items()]
    return subjects if query.team else [*subjects, _Subject(everybody, "", Level.ALL)]


def _flags_by_line(periods: Sequence[Period], keys: Sequence[str], subjects: Sequence[_Subject]) -> list[Flag]:
    """The flags of each subject's line of each key, one control chart at a time."""
    lines = []
    for s in subjects:
        rows, base = _rows(s.rows), None if s.base is None else _rows(s.base)
        lines += [
            _line(periods, k, Rate.PER_CALL, rows, subject=s.name, level=s.level, base=base, base_name=s.base_name)
            for k in keys
        ]
    return [flag for line in lines for flag in _flags(line)]


def _rows(places: Places) -> Rows:
    return {row.period: row for row in places.values()}


def _flags_at_once(periods: Sequence[Period], keys: Sequence[str], subjects: Sequence[_Subject]) -> list[Flag]:
    """The flags _flags_by_line gives, in the same order, from the charts of all lines at once (subject x key)."""
    if not subjects:
        return []
    counts, sizes = _table(periods, keys, subjects)
    centers = _centers(keys, subjects, counts, sizes).ravel()
    shares = np.array([key in SHARES for key in keys] * len(subjects), np.bool_)
    lines = counts.reshape(len(subjects) * len(keys), len(periods))
    found = charts(lines, np.repeat(sizes, len(keys), axis=0), centers, shares)
    center_of, flags = centers.tolist(), []
    for line, point, signal, value, limit in found.flagged():
        subject, key = subjects[line // len(keys)], keys[line % len(keys)]
        agent = subject.name if subject.level is Level.AGENT else None
        team = subject.name if subject.level is Level.TEAM else None
        flags.append(Flag(periods[point], agent, key, signal, value, center_of[line], limit, team))
    return flags


def _table(
    periods: Sequence[Period], keys: Sequence[str], subjects: Sequence[_Subject]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Each subject's counts of each key (subjects x keys x periods) and calls (subjects x periods) on the axis."""
    column = {(p.grain, p.key): i for i, p in enumerate(periods)}
    rows = [row for subject in subjects for row in subject.rows.values()]
    lines = np.repeat(np.arange(len(subjects)), [len(subject.rows) for subject in subjects])
    points = np.array([column.get(place, -1) for subject in subjects for place in subject.rows], np.int64)
    on = points >= 0  # rows outside the axis count in a baseline's centre only
    lines, points = lines[on], points[on]
    counts = np.zeros((len(subjects), len(keys), len(periods)), np.int64)
    counts[lines, :, points] = np.array([_column(rows, key) for key in keys], np.int64).T[on]
    sizes = np.zeros((len(subjects), len(periods)), np.float64)
    sizes[lines, points] = np.array([row.calls for row in rows], np.float64)[on]
    return counts, sizes


def _column(rows: Sequence[TrendRow], key: str) -> list[int]:
    """What happened in each row, as _happened."""
    if key in _TALLIED:
        tally, value = _TALLIED[key]
        return [counted.get(value, 0) for counted in map(attrgetter(tally), rows)]
    return [row.counts.get(key, 0) for row in rows]


def _centers(
    keys: Sequence[str], subjects: Sequence[_Subject], counts: npt.NDArray[np.int64], sizes: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each line's centre (subjects x keys): the baseline's pooled rate, else the line's own over the axis."""
    totals = sizes.sum(axis=1)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        centers = np.where(totals > 0, counts.sum(axis=2) / totals, 0.0)
    pooled_by_base: dict[int, list[float | None]] = {}
    for line, subject in enumerate(subjects):
        if subject.base is None:
            continue
        if id(subject.base) not in pooled_by_base:
            pooled_by_base[id(subject.base)] = _pooled_keys(subject.base.values(), keys)
        for k, center in enumerate(pooled_by_base[id(subject.base)]):
            if center is not None:
                centers[line, k] = center
    return centers


def _pooled_keys(rows: Iterable[TrendRow], keys: Sequence[str]) -> list[float | None]:
    """pooled(rows, key) of each key, per call."""
    rows = list(rows)
    size = sum(float(r.calls) for r in rows)
    return [sum(_column(rows, key)) / size if size else None for key in keys]


def _flags(line: TrendSeries) -> list[Flag]:
    chart, flags = line.chart, []
    agent = line.subject if line.level is Level.AGENT else None
    team = line.subject if line.level is Level.TEAM else None
    for i, signal in chart.signals:
        limit = {Signal.ABOVE: chart.upper[i], Signal.BELOW: chart.lower[i]}.get(signal)
        value = chart.values[i] or 0.0
        flags.append(Flag(line.periods[i], agent, line.key, signal, value, chart.center, limit, team))
    return flags


def _by(rows: Sequence[TrendRow], key: Callable[[TrendRow], str | None]) -> dict[str, Places]:
    grouped: dict[str, Places] = defaultdict(dict)
    for row in rows:
        name = key(row)
        if name:
            grouped[name][row.period.grain, row.period.key] = row
    return dict(sorted(grouped.items()))


def _happened(row: TrendRow, key: str) -> int:
    return SHARES[key](row) if key in SHARES else row.count(key)


def _size(row: TrendRow, key: str, rate: Rate) -> float:
    """A share is always of calls; a rate is per call or per hour of talk."""
    return row.talk_ms / 3_600_000 if rate is Rate.PER_HOUR and key not in SHARES else float(row.calls)


def _value(row: TrendRow | None, key: str, rate: Rate) -> float | None:
    size = _size(row, key, rate) if row else 0.0
    return _happened(row, key) / size if row and size else None


def _axis(query: TrendQuery, rows: Sequence[TrendRow]) -> list[Period]:
    """Every period from the query's first day (or the first row) to its last day (or the last row)."""
    found = {(row.period.grain, row.period.key) for row in rows}  # as Periods compare, without hashing each
    first = Period.of(query.first, query.grain) if query.first else (Period(*min(found)) if found else None)
    last = Period.of(query.last, query.grain) if query.last else (Period(*max(found)) if found else None)
    return [] if first is None or last is None else first.until(last)
