"""Shewhart control charts for shares (p-chart) and rates (u-chart), with per-point 3-sigma limits and a run rule.

Each period has its own number of calls (or hours of talk), so every point gets its own limits: a week of five
calls may swing far more than a week of five hundred without anything having changed. A point beyond a limit is
flagged, and so is the `run`-th consecutive point on one side of the centre (Western Electric / AIAG "8 in a row"),
which catches a small lasting shift that no single point makes obvious.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reviewer.domain.trends import ControlChart, Signal

_SIGMAS = 3.0


def p_chart(events: Sequence[int], sizes: Sequence[int], center: float | None = None, run: int = 8) -> ControlChart:
    """A p-chart of events/sizes per point, around `center` (e.g. the team's share) or the series' pooled share."""
    _check(events, sizes, run)
    for index, (count, size) in enumerate(zip(events, sizes, strict=True)):
        if count > size:
            raise ValueError(f"point {index}: {count} events out of a sample of only {size}")
    p = _center(events, sizes, center)
    if p > 1:
        raise ValueError(f"a share's centre must lie in 0-1, got {p}")
    return _chart("p", events, sizes, center=p, sigma=lambda n: math.sqrt(p * (1 - p) / n), ceiling=1.0, run=run)


def u_chart(
    counts: Sequence[int], exposure: Sequence[float], center: float | None = None, run: int = 8
) -> ControlChart:
    """A u-chart of counts per unit of exposure (calls or hours), around `center` or the series' pooled rate."""
    _check(counts, exposure, run)
    u = _center(counts, exposure, center)
    return _chart("u", counts, exposure, center=u, sigma=lambda e: math.sqrt(u / e), ceiling=math.inf, run=run)


def _check(counts: Sequence[int], sizes: Sequence[float], run: int) -> None:
    if len(counts) != len(sizes):
        raise ValueError(f"{len(counts)} counts but {len(sizes)} sample sizes: give one size per count")
    if run < 2:
        raise ValueError(f"a run needs at least 2 points, got run={run}")
    for index, (count, size) in enumerate(zip(counts, sizes, strict=True)):
        if count < 0:
            raise ValueError(f"point {index}: count {count} is negative")
        if not size >= 0:  # also rejects NaN, which would slip through `size < 0`
            raise ValueError(f"point {index}: sample size {size} is negative or not a number")


def _center(counts: Sequence[int], sizes: Sequence[float], given: float | None) -> float:
    if given is not None:
        if not given >= 0:
            raise ValueError(f"the centre must be a non-negative number, got {given}")
        return given
    total = sum(sizes)
    return sum(counts) / total if total else 0.0


def _chart(
    chart: str,
    counts: Sequence[int],
    sizes: Sequence[float],
    *,
    center: float,
    sigma: Callable[[float], float],
    ceiling: float,
    run: int,
) -> ControlChart:
    values: list[float | None] = []
    lower: list[float | None] = []
    upper: list[float | None] = []
    for count, size in zip(counts, sizes, strict=True):
        if size == 0:  # no calls (or no talk): nothing to plot and no limits to draw
            values.append(None)
            lower.append(None)
            upper.append(None)
            continue
        width = _SIGMAS * sigma(size)
        values.append(count / size)
        lower.append(max(0.0, center - width))
        upper.append(min(ceiling, center + width))
    return ControlChart(
        chart=chart,
        values=tuple(values),
        sizes=tuple(float(size) for size in sizes),
        center=center,
        lower=tuple(lower),
        upper=tuple(upper),
        signals=_signals(values, lower, upper, center, run),
    )


def _signals(
    values: Sequence[float | None],
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    center: float,
    run: int,
) -> tuple[tuple[int, Signal], ...]:
    signals: list[tuple[int, Signal]] = []
    side, length = 0, 0
    for index, (value, low, high) in enumerate(zip(values, lower, upper, strict=True)):
        if value is None or low is None or high is None:
            continue  # a period without data says nothing about a run, either way
        now = (value > center) - (value < center)  # 0 exactly on the centre, which breaks a run
        length = length + 1 if now == side and now else int(now != 0)
        side = now
        # strict comparisons: with a centre of 0 the limits collapse to 0, and a zero value is not a signal
        if value > high:
            signals.append((index, Signal.ABOVE))
        elif value < low:
            signals.append((index, Signal.BELOW))
        elif length >= run:
            signals.append((index, Signal.RUN_ABOVE if side > 0 else Signal.RUN_BELOW))
    return tuple(signals)
