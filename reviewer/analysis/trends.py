"""From grouped rows to trends: the full period axis, rates, the lines of a chart, and the flags they raise.

An agent is charted against the team: each period's rate goes on a u-chart (a share on a p-chart) whose centre is
the team's rate over the whole window, with limits from the agent's own number of calls that period. So a week of
three calls with one interruption too many is noise, and a lasting run above the team is a shift. A team (or
everybody) is charted against its own history, which flags a change the whole team went through.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from reviewer.analysis.control import p_chart, u_chart
from reviewer.domain.trends import (
    Ending,
    Flag,
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

# The shares charted on p-charts, by the key a flag names them with.
SHARES: dict[str, Callable[[TrendRow], int]] = {
    "status:violation": lambda r: r.statuses.get(VerdictStatus.VIOLATION, 0),
    "ending:premature": lambda r: r.endings.get(Ending.PREMATURE, 0),
}

Rows = dict[Period, TrendRow]


def build_trends(
    query: TrendQuery, agents: Sequence[TrendRow], teams: Sequence[TrendRow], overall: Sequence[TrendRow]
) -> Trends:
    """The trends of the rows a query returned, with the flags of every agent's, team's and everybody's lines."""
    found = Trends(query, tuple(_axis(query, [*agents, *teams, *overall])), tuple(agents), tuple(teams), tuple(overall))
    by_agent, by_team = _by(agents, lambda r: r.agent), _by(teams, lambda r: r.team)
    everybody = {r.period: r for r in overall}
    keys = [*counted_keys(query), *SHARES]
    lines: list[TrendSeries] = []
    for agent, rows in by_agent.items():
        team = next(iter(rows.values())).team
        base, name = (by_team[team], team) if team in by_team else (everybody, "")
        lines += [_line(found.periods, k, Rate.PER_CALL, rows, subject=agent, base=base, base_name=name) for k in keys]
    for team, rows in by_team.items():
        lines += [_line(found.periods, k, Rate.PER_CALL, rows, subject=team, level=Level.TEAM) for k in keys]
    if not query.team:
        lines += [_line(found.periods, k, Rate.PER_CALL, everybody, subject="", level=Level.ALL) for k in keys]
    return replace(found, flags=tuple(flag for line in lines for flag in _flags(line)))


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


def _flags(line: TrendSeries) -> list[Flag]:
    chart, flags = line.chart, []
    agent = line.subject if line.level is Level.AGENT else None
    team = line.subject if line.level is Level.TEAM else None
    for i, signal in chart.signals:
        limit = {Signal.ABOVE: chart.upper[i], Signal.BELOW: chart.lower[i]}.get(signal)
        value = chart.values[i] or 0.0
        flags.append(Flag(line.periods[i], agent, line.key, signal, value, chart.center, limit, team))
    return flags


def _by(rows: Sequence[TrendRow], key: Callable[[TrendRow], str | None]) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(dict)
    for row in rows:
        name = key(row)
        if name:
            grouped[name][row.period] = row
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
    keys = sorted({r.period for r in rows})
    first = Period.of(query.first, query.grain) if query.first else (keys[0] if keys else None)
    last = Period.of(query.last, query.grain) if query.last else (keys[-1] if keys else None)
    return [] if first is None or last is None else first.until(last)
