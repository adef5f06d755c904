"""build_trends over two years of weekly rows: the control-chart flags of every agent's, team's and everybody's lines.

Generates, from a seeded numpy RNG, the rows the weekly trend query returns at 100,000 calls: 200 agents in 10
teams over 104 ISO weeks (about 4.8 calls an agent a week, volume growing by a third, a few agents off for a week
now and then), Poisson counts of the five measures, the violations and premature hang-ups, some agents running
above their team and some shifting part-way; the team and everybody rows are the sums of the agent rows. Then,
best of --repeat, taking turns:

- ours: ``reviewer.analysis.trends.build_trends`` on those rows (every line charted at once in numpy);
- line by line (baseline): the same flags built one control chart at a time with ``p_chart``/``u_chart``, as
  build_trends did before (``reviewer.analysis.trends._flags_by_line``), checked to give exactly the same flags.

Target: well under 100 ms for the two years, so that the Trends tab (about 400-700 ms of queries) redraws after a
filter change in under a second. Prints; never fails.

    .venv/bin/python benchmarks/trends_flags.py [--agents 200] [--teams 10] [--weeks 104] [--repeat 5] [--seed 1]
        [--kind interruption --rule R1]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from reviewer.analysis.trends import SHARES, _axis, _flags_by_line, _subjects, build_trends, counted_keys, series
from reviewer.domain.trends import Ending, Grain, Measure, Period, TrendQuery, TrendRow, Trends
from reviewer.domain.verdict import VerdictStatus

TARGET_MS = 100.0

# Per call: the five measures, a chosen tag kind and a rule's findings, then the shares of violations and
# premature hang-ups.
RATES: dict[str, float] = {
    Measure.AGENT_INTERRUPTION.value: 0.35,
    Measure.AGENT_RUDENESS.value: 0.01,
    Measure.BANNED_PHRASE.value: 0.02,
    Measure.CUSTOMER_ABUSE.value: 0.15,
    Measure.HANGUP_AFTER_INTERRUPTION.value: 0.03,
    "interruption": 0.6,
    "rule:R1": 0.05,
}
VIOLATION, PREMATURE = 0.08, 0.03
MEASURES = {m.value for m in Measure}


def generate(agents: int, teams: int, weeks: int, seed: int) -> tuple[list[TrendRow], list[TrendRow], list[TrendRow]]:
    """Agent rows (no row for a week without calls) and the team and everybody rows summed from them."""
    rng = np.random.default_rng(seed)
    periods = Period(Grain.WEEK, 202448).until(Period(Grain.WEEK, 203000))[:weeks]
    growth = np.linspace(1.0, 4 / 3, weeks)
    calls = rng.poisson(4.8 * growth * rng.uniform(0.6, 1.4, (agents, 1)))
    calls[rng.random((agents, weeks)) < 0.04] = 0  # off that week
    level = rng.choice([1.0, 1.0, 1.0, 0.7, 1.5, 2.0], agents)[:, None] * np.ones(weeks)
    shifted = rng.random(agents) < 0.1
    level[shifted, weeks // 2 :] *= 1.8
    counts = {key: rng.poisson(rate * calls * level) for key, rate in RATES.items()}
    violations = rng.binomial(calls, np.minimum(1.0, VIOLATION * level))
    premature = rng.binomial(calls, PREMATURE)
    talk = calls * rng.integers(60_000, 900_000, (agents, weeks))
    rows = []
    for a in range(agents):
        name, team = f"agent{a:03d}", f"team{a % teams:02d}"
        for w in np.flatnonzero(calls[a]).tolist():
            # as the database gives them: every measure, the chosen kind and rule when they happened, and only
            # the statuses and endings that occurred
            row_counts = {key: int(values[a, w]) for key, values in counts.items() if key in MEASURES or values[a, w]}
            statuses = {VerdictStatus.VIOLATION: int(violations[a, w])} if violations[a, w] else {}
            endings = {Ending.PREMATURE: int(premature[a, w])} if premature[a, w] else {}
            rows.append(
                TrendRow(periods[w], name, team, int(calls[a, w]), int(talk[a, w]), row_counts, endings, statuses)
            )
    return rows, _sums(rows, by_team=True), _sums(rows, by_team=False)


def _sums(rows: list[TrendRow], *, by_team: bool) -> list[TrendRow]:
    groups: dict[tuple[str | None, Period], list[TrendRow]] = {}
    for row in rows:
        groups.setdefault((row.team if by_team else None, row.period), []).append(row)
    summed = []
    for (team, period), members in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0] or "")):
        counts: dict[str, int] = {}
        for row in members:
            for key, n in row.counts.items():
                counts[key] = counts.get(key, 0) + n
        violations = sum(r.statuses.get(VerdictStatus.VIOLATION, 0) for r in members)
        premature = sum(r.endings.get(Ending.PREMATURE, 0) for r in members)
        calls, talk = sum(r.calls for r in members), sum(r.talk_ms for r in members)
        summed.append(
            TrendRow(
                period,
                None,
                team,
                calls,
                talk,
                counts,
                {Ending.PREMATURE: premature},
                {VerdictStatus.VIOLATION: violations},
            )
        )
    return summed


def by_line(query: TrendQuery, agents: list[TrendRow], teams: list[TrendRow], overall: list[TrendRow]) -> Trends:
    """The baseline: build_trends with every line charted on its own by p_chart or u_chart, as before."""
    periods = tuple(_axis(query, [*agents, *teams, *overall]))
    keys = [*counted_keys(query), *SHARES]
    flags = _flags_by_line(periods, keys, _subjects(query, agents, teams, overall))
    return Trends(query, periods, tuple(agents), tuple(teams), tuple(overall), tuple(flags))


def best(step: Callable[[], Any], repeat: int) -> float:
    """The fastest of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main() -> None:
    """Generate, time both ways taking turns, check they agree, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", default=None)
    parser.add_argument("--rule", default=None)
    args = parser.parse_args()
    rows = generate(args.agents, args.teams, args.weeks, args.seed)
    query = TrendQuery(kind=args.kind, rule=args.rule)
    ours, baseline = build_trends(query, *rows), by_line(query, *rows)
    agree = ours == baseline
    ours_ms, base_ms = math.inf, math.inf
    for _ in range(args.repeat):  # taking turns, so that a busy moment of the machine does not favour either
        ours_ms = min(ours_ms, best(lambda: build_trends(query, *rows), 1))
        base_ms = min(base_ms, best(lambda: by_line(query, *rows), 1))
    agent = rows[0][0].agent
    line_ms = best(lambda: series(ours, Measure.AGENT_INTERRUPTION.value, agent=agent), args.repeat)
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{len(rows[0]):,} agent rows, {len(rows[1]):,} team rows, {len(rows[2])} everybody rows, {args.weeks} weeks")
    print(f"flags: {len(ours.flags):,}; same as line by line: {agree}")
    print(f"line by line (baseline): {base_ms:8.1f} ms")
    print(f"build_trends (ours):     {ours_ms:8.1f} ms  ({ours_ms / base_ms:.3f}x the baseline)")
    print(f"series() of one agent:   {line_ms:8.1f} ms  (one displayed line, charted on its own)")
    verdict = "met" if ours_ms < TARGET_MS else "MISSED"
    print(f"target < {TARGET_MS:.0f} ms: {verdict}")
    figures = {"ours_ms": ours_ms, "baseline_ms": base_ms, "ratio": ours_ms / base_ms, "series_ms": line_ms}
    figures["flags"] = len(ours.flags)
    print(json.dumps({**figures, "agree": agree}))


if __name__ == "__main__":
    main()
