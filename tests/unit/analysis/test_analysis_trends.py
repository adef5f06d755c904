"""Trend lines and flags from grouped rows: an agent against the team's pooled rate, gaps where no calls were,
a real shift flagged and a noisy week not."""

from __future__ import annotations

import pytest

from reviewer.analysis.trends import build_trends, pooled, series
from reviewer.domain.trends import Ending, Grain, Level, Period, Rate, Signal, TrendQuery, TrendRow
from reviewer.domain.verdict import VerdictStatus

W = [Period(Grain.WEEK, 202640 + i) for i in range(6)]


def _row(week: int, agent: str | None, team: str | None, calls: int, interruptions: int, **extra: object) -> TrendRow:
    counts = {"agent_interruption": interruptions}
    return TrendRow(W[week], agent, team, calls, calls * 300_000, counts, **extra)  # type: ignore[arg-type]


def _team(rows: list[TrendRow]) -> list[TrendRow]:
    """The team's rows as the database would group them: sums over its agents."""
    by_week: dict[Period, list[TrendRow]] = {}
    for row in rows:
        by_week.setdefault(row.period, []).append(row)
    return [
        TrendRow(
            p,
            None,
            "North",
            sum(r.calls for r in rs),
            sum(r.talk_ms for r in rs),
            {"agent_interruption": sum(r.count("agent_interruption") for r in rs)},
        )
        for p, rs in sorted(by_week.items())
    ]


def test_an_agent_line_is_rated_per_call_against_the_team() -> None:
    agents = [_row(0, "Ann", "North", 4, 6), _row(2, "Ann", "North", 5, 2), _row(0, "Bob", "North", 6, 0)]
    found = build_trends(TrendQuery(), agents, _team(agents), [])
    line = series(found, "agent_interruption", agent="Ann")
    assert [p.label for p in line.periods] == ["2026-W40", "2026-W41", "2026-W42"]  # the gap week is on the axis
    assert line.values == (1.5, None, 0.4)
    assert line.counts == (6, 0, 2) and line.sizes == (4.0, 0.0, 5.0)
    assert line.baseline_name == "North" and line.level is Level.AGENT
    assert line.baseline == (0.6, None, 0.4)  # the team: 6 in 10 calls, then 2 in 5
    assert line.chart.center == pytest.approx(8 / 15)  # the team's pooled rate over the window
    assert line.chart.upper[0] == pytest.approx(8 / 15 + 3 * (8 / 15 / 4) ** 0.5)


def test_per_hour_rates_use_talk_time() -> None:
    agents = [_row(0, "Ann", "North", 4, 6)]  # 4 calls x 5 minutes = 20 minutes of talk
    line = series(build_trends(TrendQuery(), agents, _team(agents), []), "agent_interruption", Rate.PER_HOUR, "Ann")
    assert list(line.values) == [pytest.approx(18.0)]
    assert list(line.sizes) == [pytest.approx(1 / 3)]


def test_a_team_line_is_charted_against_its_own_history() -> None:
    agents = [_row(0, "Ann", "North", 4, 6), _row(1, "Ann", "North", 4, 2)]
    line = series(build_trends(TrendQuery(), agents, _team(agents), []), "agent_interruption", team="North")
    assert line.level is Level.TEAM and line.baseline == () and line.baseline_name is None
    assert line.chart.center == pytest.approx(1.0)


def test_shares_go_on_a_p_chart() -> None:
    statuses = {VerdictStatus.VIOLATION: 2, VerdictStatus.COMPLIANT: 3}
    agents = [_row(0, "Ann", "North", 5, 0, statuses=statuses, endings={Ending.PREMATURE: 1})]
    found = build_trends(TrendQuery(), agents, _team(agents), [])
    assert series(found, "status:violation", agent="Ann").chart.chart == "p"
    assert series(found, "status:violation", agent="Ann").values == (0.4,)
    assert series(found, "ending:premature", agent="Ann").values == (0.2,)
    assert pooled(agents, "status:violation") == 0.4


def test_a_real_shift_is_flagged_and_a_noisy_week_is_not() -> None:
    team = [_row(w, "Bob", "North", 20, 4) for w in range(6)]  # the team runs at about 0.2 per call
    spike = [_row(w, "Ann", "North", 20, 4) for w in range(5)] + [_row(5, "Ann", "North", 20, 30)]
    noise = [_row(w, "Cat", "North", 1, 1 if w == 3 else 0) for w in range(6)]  # one interruption in one call
    agents = team + spike + noise
    found = build_trends(TrendQuery(), agents, _team(agents), [])
    flagged = {(f.agent, f.period.label, f.measure, f.signal) for f in found.flags if f.agent}
    assert ("Ann", "2026-W45", "agent_interruption", Signal.ABOVE) in flagged
    assert not [f for f in flagged if f[0] == "Cat"], "one interruption in a one-call week is noise"
    ann = found.flags_of("Ann", W[5])
    assert ann and ann[0].value == 1.5 and ann[0].limit is not None and ann[0].value > ann[0].limit


def test_the_axis_spans_the_query_even_without_calls_at_its_ends() -> None:
    from datetime import date  # noqa: PLC0415

    query = TrendQuery(first=date(2026, 9, 21), last=date(2026, 10, 11))
    found = build_trends(query, [_row(1, "Ann", "North", 2, 1)], [], [])
    assert [p.label for p in found.periods] == ["2026-W39", "2026-W40", "2026-W41"]
    assert build_trends(TrendQuery(), [], [], []).periods == ()
