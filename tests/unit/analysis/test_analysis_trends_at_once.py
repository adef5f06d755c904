"""build_trends charts every line at once in numpy: the same flags, in the same order and to the last bit, as
charting each line on its own with p_chart and u_chart (the implementation kept below as the reference), on
randomised rows: tiny and huge samples, zeros, missing weeks, rare events, agents without a team, duplicate rows,
rows outside the query's window, values exactly on the centre."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

import numpy as np
import pytest

from reviewer.analysis.control import charts, p_chart, u_chart
from reviewer.analysis.trends import SHARES, build_trends, counted_keys
from reviewer.domain.trends import (
    ControlChart,
    Ending,
    Flag,
    Grain,
    Level,
    Measure,
    Period,
    Signal,
    TrendQuery,
    TrendRow,
    Trends,
)
from reviewer.domain.verdict import VerdictStatus

# --- the reference: build_trends as it was, one control chart per line -------------------------------------------

Rows = dict[Period, TrendRow]


def reference(
    query: TrendQuery, agents: Sequence[TrendRow], teams: Sequence[TrendRow], overall: Sequence[TrendRow]
) -> Trends:
    found = Trends(query, tuple(_axis(query, [*agents, *teams, *overall])), tuple(agents), tuple(teams), tuple(overall))
    by_agent, by_team = _by(agents, lambda r: r.agent), _by(teams, lambda r: r.team)
    everybody = {r.period: r for r in overall}
    keys = [*counted_keys(query), *SHARES]
    lines: list[tuple[str, Sequence[Period], ControlChart, Level, str]] = []
    for agent, rows in by_agent.items():
        team = next(iter(rows.values())).team
        base = by_team.get(team or "", everybody)  # names are never empty: _by skips them
        lines += [(k, found.periods, _chart(found.periods, k, rows, base), Level.AGENT, agent) for k in keys]
    for team, rows in by_team.items():
        lines += [(k, found.periods, _chart(found.periods, k, rows, None), Level.TEAM, team) for k in keys]
    if not query.team:
        lines += [(k, found.periods, _chart(found.periods, k, everybody, None), Level.ALL, "") for k in keys]
    return replace(found, flags=tuple(flag for line in lines for flag in _flags(*line)))


def _chart(periods: Sequence[Period], key: str, rows: Rows, base: Rows | None) -> ControlChart:
    counts = [_happened(rows[p], key) if p in rows else 0 for p in periods]
    sizes = [float(rows[p].calls) if p in rows else 0.0 for p in periods]
    center = _pooled(base.values(), key) if base is not None else None
    if key in SHARES:
        return p_chart(counts, [int(s) for s in sizes], center=center)
    return u_chart(counts, sizes, center=center)


def _flags(key: str, periods: Sequence[Period], chart: ControlChart, level: Level, subject: str) -> list[Flag]:
    flags = []
    agent = subject if level is Level.AGENT else None
    team = subject if level is Level.TEAM else None
    for i, signal in chart.signals:
        limit = {Signal.ABOVE: chart.upper[i], Signal.BELOW: chart.lower[i]}.get(signal)
        value = chart.values[i] or 0.0
        flags.append(Flag(periods[i], agent, key, signal, value, chart.center, limit, team))
    return flags


def _pooled(rows: Iterable[TrendRow], key: str) -> float | None:
    rows = list(rows)
    size = sum(float(r.calls) for r in rows)
    return sum(_happened(r, key) for r in rows) / size if size else None


def _happened(row: TrendRow, key: str) -> int:
    if key == "status:violation":
        return row.statuses.get(VerdictStatus.VIOLATION, 0)
    if key == "ending:premature":
        return row.endings.get(Ending.PREMATURE, 0)
    return row.count(key)


def _by(rows: Sequence[TrendRow], key: Callable[[TrendRow], str | None]) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(dict)
    for row in rows:
        name = key(row)
        if name:
            grouped[name][row.period] = row
    return dict(sorted(grouped.items()))


def _axis(query: TrendQuery, rows: Sequence[TrendRow]) -> list[Period]:
    keys = sorted({r.period for r in rows})
    first = Period.of(query.first, query.grain) if query.first else (keys[0] if keys else None)
    last = Period.of(query.last, query.grain) if query.last else (keys[-1] if keys else None)
    return [] if first is None or last is None else first.until(last)


# --- randomised rows --------------------------------------------------------------------------------------------

KEYS = [m.value for m in Measure] + ["interruption", "rule:R1"]
WEEK0 = Period(Grain.WEEK, 202550)


def _world(seed: int) -> tuple[TrendQuery, list[TrendRow], list[TrendRow], list[TrendRow]]:
    """Agents' rows of one seed's making, their teams' sums and everybody's, and a query over them."""
    rng = np.random.default_rng(seed)
    weeks = int(rng.integers(1, 30))
    periods = WEEK0.until(Period(Grain.WEEK, 202652))[:weeks]
    scale = float(rng.choice([0.3, 1.0, 3.0, 12.0, 60.0, 2500.0]))  # calls an agent a week: tiny to large
    rates = {key: float(rng.choice([0.0, 0.0005, 0.01, 0.2, 1.0, 3.0])) for key in KEYS}
    exact = rng.random() < 0.2  # every value on a round centre: sides 0, ties in the run rule
    teams = ["North", "South", "Ghost", None]  # Ghost has no team rows: its agents are charted against everybody
    agents: list[TrendRow] = []
    for a in range(int(rng.integers(1, 14))):
        name = f"agent{a}" if rng.random() < 0.95 else None  # calls without an agent count for everybody only
        team = teams[int(rng.integers(len(teams)))]
        level = float(rng.choice([0.5, 1.0, 1.0, 2.0]))
        for w, period in enumerate(periods):
            if rng.random() < 0.15:
                continue  # no calls that week: no row
            shift = level * (2.0 if w > weeks // 2 and rng.random() < 0.3 else 1.0)
            calls = int(rng.poisson(scale * (1.0 if rng.random() < 0.9 else 0.05)))
            row = partial(_agent_row, rng, period, name=name, rates=rates, shift=shift, exact=exact)
            agents.append(row(team=team, calls=calls))
            if rng.random() < 0.02:  # the same week twice: the later row wins, as in a dict
                agents.append(row(team=teams[int(rng.integers(len(teams)))], calls=calls + 1))
    summed = _sums(agents, by_team=True)
    team_rows = [r for r in summed if r.team in ("North", "South")]
    return _query(rng, periods), agents, team_rows, _sums(agents, by_team=False)


def _agent_row(
    rng: np.random.Generator,
    period: Period,
    *,
    name: str | None,
    team: str | None,
    calls: int,
    rates: dict[str, float],
    shift: float,
    exact: bool,
) -> TrendRow:
    if exact:
        counts = {key: calls * round(rate) for key, rate in rates.items()}
        violations, premature = calls // 2, 0  # on a share of 0.5 when the calls are even
    else:
        counts = {key: int(rng.poisson(rate * shift * calls)) for key, rate in rates.items()}
        violations = int(rng.binomial(calls, min(1.0, 0.1 * shift)))
        premature = int(rng.binomial(calls, 0.002))
    counts = {key: n for key, n in counts.items() if n or rng.random() < 0.5}  # a missing key counts 0
    statuses = {VerdictStatus.VIOLATION: violations} if violations or rng.random() < 0.5 else {}
    return TrendRow(period, name, team, calls, calls * 240_000, counts, {Ending.PREMATURE: premature}, statuses)


def _sums(rows: list[TrendRow], *, by_team: bool) -> list[TrendRow]:
    groups: dict[tuple[str | None, Period], list[TrendRow]] = {}
    for row in rows:
        groups.setdefault((row.team if by_team else None, row.period), []).append(row)
    summed = []
    for (team, period), members in groups.items():
        counts = {key: sum(r.count(key) for r in members) for key in KEYS}
        statuses = {VerdictStatus.VIOLATION: sum(r.statuses.get(VerdictStatus.VIOLATION, 0) for r in members)}
        endings = {Ending.PREMATURE: sum(r.endings.get(Ending.PREMATURE, 0) for r in members)}
        calls, talk = sum(r.calls for r in members), sum(r.talk_ms for r in members)
        summed.append(TrendRow(period, None, team, calls, talk, counts, endings, statuses))
    return summed


def _query(rng: np.random.Generator, periods: list[Period]) -> TrendQuery:
    kind = "interruption" if rng.random() < 0.5 else None
    rule = "R1" if rng.random() < 0.5 else None
    team = "North" if rng.random() < 0.2 else None
    first = last = None
    if rng.random() < 0.3:  # a window narrower (or wider) than the rows: rows outside it count in centres only
        first = periods[int(rng.integers(len(periods)))].first_day - timedelta(weeks=int(rng.integers(0, 2)))
        last = periods[int(rng.integers(len(periods)))].last_day + timedelta(weeks=int(rng.integers(0, 2)))
    return TrendQuery(team=team, kind=kind, rule=rule, first=first, last=last)


# --- the tests --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(60))
def test_build_trends_flags_exactly_as_one_chart_at_a_time(seed: int) -> None:
    query, agents, teams, overall = _world(seed)
    assert build_trends(query, agents, teams, overall) == reference(query, agents, teams, overall)


def test_the_randomised_rows_raise_flags_of_every_kind() -> None:
    """The seeds above are worth comparing: together they flag every signal, of agents, teams and everybody."""
    flags = [f for seed in range(60) for f in build_trends(*_world(seed)).flags]
    assert {f.signal for f in flags} == set(Signal)
    assert {(f.agent is not None, f.team is not None) for f in flags} == {(True, False), (False, True), (False, False)}


def test_a_hundred_agents_over_two_years() -> None:
    rng = np.random.default_rng(7)
    periods = WEEK0.until(Period(Grain.WEEK, 202752))[:104]
    rates = {key: float(rng.choice([0.003, 0.03, 0.3])) for key in KEYS}
    agents = []
    for a in range(100):
        row = partial(_agent_row, rng, name=f"a{a}", team=f"t{a % 5}", rates=rates, shift=1 + a % 4 / 3, exact=False)
        agents += [row(p, calls=int(rng.poisson(5))) for p in periods]
    query = TrendQuery(kind="interruption", rule="R1")
    found = build_trends(query, agents, _sums(agents, by_team=True), _sums(agents, by_team=False))
    assert found == reference(query, agents, _sums(agents, by_team=True), _sums(agents, by_team=False))
    assert len(found.flags) > 100


def test_an_empty_axis_and_no_rows() -> None:
    query, agents, teams, overall = _world(3)
    backwards = replace(query, first=date(2026, 6, 1), last=date(2026, 5, 1))
    assert build_trends(backwards, agents, teams, overall) == reference(backwards, agents, teams, overall)
    assert build_trends(TrendQuery(), [], [], []) == reference(TrendQuery(), [], [], [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"counts": {"agent_interruption": -1}}, "negative"),
        ({"statuses": {VerdictStatus.VIOLATION: 9}}, "out of a sample of only 4"),
        ({"calls": -4}, "negative or not a number"),
    ],
)
def test_rows_no_chart_takes_raise_as_one_chart_at_a_time(change: dict[str, object], message: str) -> None:
    good = TrendRow(WEEK0, "Ann", "North", 4, 60_000, {"agent_interruption": 1})
    bad = replace(good, period=WEEK0.next(), **change)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        reference(TrendQuery(), [good, bad], [], [])
    with pytest.raises(ValueError, match=message):
        build_trends(TrendQuery(), [good, bad], [], [])


@pytest.mark.parametrize("seed", range(20))
def test_charts_match_p_and_u_charts_line_by_line(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    lines, points = int(rng.integers(1, 40)), int(rng.integers(0, 60))
    run = int(rng.choice([2, 3, 8, 8, 12]))
    shares = rng.random(lines) < 0.5
    sizes = rng.choice([0, 1, 2, 3, 7, 50, 1001], (lines, points)).astype(np.float64)
    centers = rng.choice([0.0, 0.001, 0.05, 0.2, 0.5, 1.0], lines).astype(np.float64)
    means = centers[:, None] * rng.choice([0.5, 1.0, 1.0, 3.0], (lines, 1))  # some lines off their centre
    binomial = rng.binomial(sizes.astype(np.int64), np.minimum(1.0, means))
    counts = np.where(shares[:, None], binomial, rng.poisson(means * sizes)).astype(np.int64)
    found = charts(counts, sizes, centers, shares, run=run)
    flagged = found.flagged()
    for line in range(lines):
        center = float(centers[line])
        if shares[line]:
            chart = p_chart(counts[line].tolist(), [int(s) for s in sizes[line]], center, run)
        else:
            chart = u_chart(counts[line].tolist(), sizes[line].tolist(), center, run)
        assert _nan_to_none(found.values[line]) == chart.values
        assert _nan_to_none(found.lower[line]) == chart.lower
        assert _nan_to_none(found.upper[line]) == chart.upper
        signals = [(point, signal) for n, point, signal, _, _ in flagged if n == line]
        assert signals == list(chart.signals)
        for n, point, signal, value, limit in flagged:
            if n == line:
                assert value == chart.values[point]
                assert limit == {Signal.ABOVE: chart.upper[point], Signal.BELOW: chart.lower[point]}.get(signal)


def test_charts_of_the_textbook_tie_and_skewed_runs() -> None:
    """The control tests' edge cases, all as lines of one call: a tie at exactly 0.5, runs of the likely side."""
    cases: list[tuple[list[int], list[float], float, bool]] = [
        ([510] * 8, [1001.0] * 8, 0.5, True),
        ([490] * 8, [1001.0] * 8, 0.5, True),
        ([0] * 53, [1.0] * 53, 0.1, True),
        ([0] * 14, [2.0] * 14, 0.2, False),
        ([1] * 7 + [2], [1.0] * 8, 0.2, False),
        ([12] * 3 + [40] + [12] * 4, [100.0] * 8, 0.1, True),
        ([12, 12, 12, 0, 12, 12, 0, 12, 12, 12], [0.0 if n in {3, 6} else 100.0 for n in range(10)], 0.1, True),
    ]
    width = max(len(counts) for counts, _, _, _ in cases)
    counts = np.zeros((len(cases), width), np.int64)
    sizes = np.zeros((len(cases), width), np.float64)
    for line, (c, s, _, _) in enumerate(cases):
        counts[line, : len(c)], sizes[line, : len(s)] = c, s
    centers = np.array([center for _, _, center, _ in cases])
    shares = np.array([share for _, _, _, share in cases])
    flagged = charts(counts, sizes, centers, shares).flagged()
    for line, (c, s, center, share) in enumerate(cases):
        chart = p_chart(c, [int(n) for n in s], center) if share else u_chart(c, [float(n) for n in s], center)
        assert chart.signals, "each case flags something"
        assert [(p, signal) for n, p, signal, _, _ in flagged if n == line] == list(chart.signals)


def _nan_to_none(values: np.ndarray) -> tuple[float | None, ...]:
    return tuple(None if math.isnan(v) else v for v in values.tolist())
