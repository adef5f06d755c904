"""Shewhart control charts for shares (p-chart) and rates (u-chart), with per-point 3-sigma limits and a run rule.

Each period has its own number of calls (or hours of talk), so every point gets its own limits: a week of five
calls may swing far more than a week of five hundred without anything having changed. A point beyond a limit is
flagged, and so is a run of at least `run` consecutive points on one side of the centre (Western Electric / AIAG
"8 in a row"), which catches a small lasting shift that no single point makes obvious.

With a handful of calls and rare events the normal approximation behind both rules fails, so each is checked
against the exact distribution under the centre (binomial for a share, Poisson for a rate): a point beyond a limit
needs a tail no likelier than a normal 3-sigma one, and a run needs its points' chances of landing on that side to
multiply to no more than the 0.5 ** run of the textbook rule. A spike that is noise is not flagged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reviewer.analysis.tails import binomial_at_least, binomial_at_most, poisson_at_least, poisson_at_most
from reviewer.domain.trends import ControlChart, Signal

_SIGMAS = 3.0
# The one-sided normal tail beyond 3 sigma, 1 - Phi(3): the false-alarm rate the 3-sigma limits promise, which a
# point beyond a limit must also meet under the exact distribution before it is flagged.
ALPHA = 0.00135

# Relative slack on the run rule's 0.5 ** run, so that the rounding of exact tails (~1e-12) cannot decide the
# textbook case of exactly even sides (a binomial with p = 0.5 and odd n).
_ROUNDING = 1e-9

# P(X >= k) and P(X <= k) for the count of a point of the given size, under the chart's centre.
_Tail = Callable[[int, float], float]


def p_chart(events: Sequence[int], sizes: Sequence[int], center: float | None = None, run: int = 8) -> ControlChart:
    """A p-chart of events/sizes per point, around `center` (e.g. the team's share) or the series' pooled share."""
    _check(events, sizes, run)
    for index, (count, size) in enumerate(zip(events, sizes, strict=True)):
        if count > size:
            raise ValueError(f"point {index}: {count} events out of a sample of only {size}")
    p = _center(events, sizes, center)
    if p > 1:
        raise ValueError(f"a share's centre must lie in 0-1, got {p}")
    return _chart(
        "p",
        events,
        sizes,
        center=p,
        sigma=lambda n: math.sqrt(p * (1 - p) / n),
        ceiling=1.0,
        tails=(lambda k, n: binomial_at_least(k, round(n), p), lambda k, n: binomial_at_most(k, round(n), p)),
        run=run,
    )


def u_chart(
    counts: Sequence[int], exposure: Sequence[float], center: float | None = None, run: int = 8
) -> ControlChart:
    """A u-chart of counts per unit of exposure (calls or hours), around `center` or the series' pooled rate."""
    _check(counts, exposure, run)
    u = _center(counts, exposure, center)
    return _chart(
        "u",
        counts,
        exposure,
        center=u,
        sigma=lambda e: math.sqrt(u / e),
        ceiling=math.inf,
        tails=(lambda k, e: poisson_at_least(k, u * e), lambda k, e: poisson_at_most(k, u * e)),
        run=run,
    )


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
    tails: tuple[_Tail, _Tail],
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
        signals=_signals(counts, sizes, lower, upper, center=center, tails=tails, run=run),
    )


def _signals(
    counts: Sequence[int],
    sizes: Sequence[float],
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    *,
    center: float,
    tails: tuple[_Tail, _Tail],
    run: int,
) -> tuple[tuple[int, Signal], ...]:
    at_least, at_most = tails
    signals: list[tuple[int, Signal]] = []
    side, length, chance = 0, 0, 1.0  # the run so far: its side, its points, the product of their side's chances
    for index, (count, size, low, high) in enumerate(zip(counts, sizes, lower, upper, strict=True)):
        if low is None or high is None:
            continue  # a period without data says nothing about a run, either way
        value = count / size
        now = (value > center) - (value < center)  # 0 exactly on the centre, which breaks a run
        if now != side:
            length, chance = 0, 1.0
        side = now
        if now:
            last_below, first_above = _around(center, size)
            length += 1
            chance *= at_least(first_above, size) if now > 0 else at_most(last_below, size)
        # strict comparisons: with a centre of 0 the limits collapse to 0, and a zero value is not a signal
        if value > high and at_least(count, size) <= ALPHA:
            signals.append((index, Signal.ABOVE))
        elif value < low and at_most(count, size) <= ALPHA:
            signals.append((index, Signal.BELOW))
        elif length >= run and chance <= 0.5**run * (1 + _ROUNDING):
            # at least `run` points, so nothing flags sooner than the textbook rule; and as unlikely as `run`
            # coin flips, so a run of the likely side of a skewed small sample (zero events) is not flagged
            signals.append((index, Signal.RUN_ABOVE if side > 0 else Signal.RUN_BELOW))
    return tuple(signals)


def _around(center: float, size: float) -> tuple[int, int]:
    """The last count below the centre and the first above it, by the same comparison that sides a point."""
    count = math.floor(center * size)
    while count / size > center:
        count -= 1
    while (count + 1) / size <= center:
        count += 1
    # now count / size <= center < (count + 1) / size
    return (count - 1 if count / size == center else count), count + 1
