"""Shewhart control charts for shares (p-chart) and rates (u-chart), with per-point 3-sigma limits and a run rule.

Each period has its own number of calls (or hours of talk), so every point gets its own limits: a week of five
calls may swing far more than a week of five hundred without anything having changed. A point beyond a limit is
flagged, and so is a run of at least `run` consecutive points on one side of the centre (Western Electric / AIAG
"8 in a row"), which catches a small lasting shift that no single point makes obvious.

With a handful of calls and rare events the normal approximation behind both rules fails, so each is checked
against the exact distribution under the centre (binomial for a share, Poisson for a rate): a point beyond a limit
needs a tail no likelier than a normal 3-sigma one, and a run needs its points' chances of landing on that side to
multiply to no more than the 0.5 ** run of the textbook rule. A spike that is noise is not flagged.

`charts` draws many lines at once, all with the same points, with the limits, sides and runs in numpy and the
exact tails only where a point is beyond a limit or on a run of at least `run` points: the same charts as
p_chart and u_chart, to the last bit, for the thousand and more lines of the Trends tab.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# How `charts` codes the signal of a point: 0 for none, otherwise 1 + the signal's index here.
CODES = (Signal.ABOVE, Signal.BELOW, Signal.RUN_ABOVE, Signal.RUN_BELOW)
_CODE = {signal: 1 + index for index, signal in enumerate(CODES)}


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
        tails=_tails(p, share=True),
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
        tails=_tails(u, share=False),
        run=run,
    )


def _tails(center: float, *, share: bool) -> tuple[_Tail, _Tail]:
    """P(X >= k) and P(X <= k) of a point's count: binomial of its calls for a share, Poisson of its exposure."""
    if share:
        return (
            lambda k, n: binomial_at_least(k, round(n), center),
            lambda k, n: binomial_at_most(k, round(n), center),
        )
    return lambda k, e: poisson_at_least(k, center * e), lambda k, e: poisson_at_most(k, center * e)


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
            length += 1
            chance *= _side_chance(tails, center, size, above=now > 0)
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


def _side_chance(tails: tuple[_Tail, _Tail], center: float, size: float, *, above: bool) -> float:
    """The chance of a point of this size landing above (or below) the centre: one factor of a run's chance."""
    last_below, first_above = _around(center, size)
    return tails[0](first_above, size) if above else tails[1](last_below, size)


def _around(center: float, size: float) -> tuple[int, int]:
    """The last count below the centre and the first above it, by the same comparison that sides a point."""
    count = math.floor(center * size)
    while count / size > center:
        count -= 1
    while (count + 1) / size <= center:
        count += 1
    # now count / size <= center < (count + 1) / size
    return (count - 1 if count / size == center else count), count + 1


@dataclass(frozen=True, slots=True)
class Charts:
    """The control charts of many lines over the same points at once, as arrays of lines x points."""

    values: Floats  # NaN where the size is 0
    lower: Floats  # NaN where the size is 0
    upper: Floats
    signals: npt.NDArray[np.int8]  # 0: none; otherwise 1 + the index of the signal in CODES

    def flagged(self) -> list[tuple[int, int, Signal, float, float | None]]:
        """(line, point, signal, value, the limit crossed or None for a run) of each signal, line by line."""
        lines, points = np.nonzero(self.signals)
        signals = [CODES[code - 1] for code in self.signals[lines, points].tolist()]
        crossed = zip(signals, self.upper[lines, points].tolist(), self.lower[lines, points].tolist(), strict=True)
        limits = [{Signal.ABOVE: upper, Signal.BELOW: lower}.get(signal) for signal, upper, lower in crossed]
        values = self.values[lines, points].tolist()
        return list(zip(lines.tolist(), points.tolist(), signals, values, limits, strict=True))


def charts(counts: Ints, sizes: Floats, centers: Floats, shares: Bools, run: int = 8) -> Charts:
    """Many lines' charts around given centres: a p-chart where `shares` (whole sizes), a u-chart elsewhere.

    Exactly the values, limits and signals p_chart and u_chart give one line at a time. Limits, sides and runs are
    worked out in numpy for all lines together; exact tails are computed only for the points beyond a limit and for
    the points of runs at least `run` long, once for each distinct centre, size and count (or side).
    """
    _check_lines(counts, sizes, centers, shares, run)
    valid = sizes > 0
    middle, share = centers[:, None], shares[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(valid, counts / sizes, np.nan)
        width = _SIGMAS * np.sqrt(np.where(share, middle * (1 - middle), middle) / sizes)
    lower = np.where(valid, np.maximum(0.0, middle - width), np.nan)
    upper = np.where(valid, np.where(share, np.minimum(1.0, middle + width), middle + width), np.nan)
    side = (values > middle).astype(np.int8) - (values < middle)  # 0 on the centre, and where there is no data
    tails = _Tails(centers, shares)
    ends = _run_ends(side, valid, sizes, tails, run)
    signals = np.zeros(counts.shape, np.int8)
    # later assignments win: a point beyond a limit is flagged for that rather than as the end of a run
    signals[ends & (side > 0)] = _CODE[Signal.RUN_ABOVE]
    signals[ends & (side < 0)] = _CODE[Signal.RUN_BELOW]
    signals[tails.confirm(values < lower, counts, sizes, above=False)] = _CODE[Signal.BELOW]
    signals[tails.confirm(values > upper, counts, sizes, above=True)] = _CODE[Signal.ABOVE]
    return Charts(values, lower, upper, signals)


def _check_lines(counts: Ints, sizes: Floats, centers: Floats, shares: Bools, run: int) -> None:
    if counts.ndim != 2 or counts.shape != sizes.shape or not centers.shape == shares.shape == counts.shape[:1]:
        raise ValueError(f"counts {counts.shape}, sizes {sizes.shape}: give one size per count and a centre a line")
    if run < 2:
        raise ValueError(f"a run needs at least 2 points, got run={run}")
    if (counts < 0).any() or not (sizes >= 0).all() or not (centers >= 0).all():
        raise ValueError("counts, sizes and centres must be non-negative numbers")
    whole = (counts <= sizes) & (sizes == np.round(sizes))
    if (shares & (centers > 1)).any() or (shares[:, None] & ~whole).any():
        raise ValueError("a share needs a centre in 0-1, whole sample sizes and no more events than its sample")


class _Tails:
    """The exact tails of each line, shared by the lines of the same kind of chart and centre, answers remembered."""

    def __init__(self, centers: Floats, shares: Bools) -> None:
        kinds: dict[tuple[float, bool], int] = {}
        lines = zip(centers.tolist(), shares.tolist(), strict=True)
        self.kind = np.array([kinds.setdefault(line, len(kinds)) for line in lines], np.int64)
        self.centers = [center for center, _ in kinds]
        self.tails = [_tails(center, share=share) for center, share in kinds]

    def confirm(self, beyond: Bools, counts: Ints, sizes: Floats, *, above: bool) -> Bools:
        """The points beyond a limit whose exact tail is no likelier than the normal one beyond 3 sigma."""
        lines, points = np.nonzero(beyond)
        kinds, found = self.kind[lines].tolist(), counts[lines, points].tolist()
        keys = list(zip(kinds, sizes[lines, points].tolist(), found, strict=True))
        rare: dict[tuple[int, float, int], bool] = {}
        for key in keys:
            if key not in rare:
                kind, size, count = key
                rare[key] = self.tails[kind][0 if above else 1](count, size) <= ALPHA
        confirmed = np.zeros_like(beyond)
        confirmed[lines, points] = [rare[key] for key in keys]
        return confirmed

    def side_chances(self, lines: Ints, sizes: Floats, above: Bools) -> Floats:
        """Each point's chance of landing on its side of the centre, computed once per kind of line, size and side."""
        known, size = np.unique(sizes, return_inverse=True)
        keys, index = np.unique((self.kind[lines] * len(known) + size) * 2 + above, return_inverse=True)
        chances = []
        for key in keys.tolist():
            kind, at = divmod(key // 2, len(known))
            chances.append(_side_chance(self.tails[kind], self.centers[kind], float(known[at]), above=key % 2 == 1))
        return np.array(chances, np.float64)[index]


def _run_ends(side: npt.NDArray[np.int8], valid: Bools, sizes: Floats, tails: _Tails, run: int) -> Bools:
    """The points that end a run of at least `run` points on one side of the centre as unlikely as `run` coin flips.

    Only the runs that reach `run` points get their chances, multiplied point by point in the order _signals does.
    """
    on, first, length = _runs(side, valid)
    ends = np.zeros_like(valid)
    long = length >= run
    if not long.any():
        return ends
    started = np.zeros_like(valid)
    started[np.nonzero(long)[0], first[long]] = True
    member = on & np.take_along_axis(started, np.maximum(first, 0), axis=1)
    lines, points = np.nonzero(member)  # line by line, point by point: the points of a run follow each other
    chances = tails.side_chances(lines, sizes[lines, points], side[lines, points] > 0)
    chance = _running_products(chances, length[lines, points] - 1)
    ends[lines, points] = (length[lines, points] >= run) & (chance <= 0.5**run * (1 + _ROUNDING))
    return ends


def _runs(side: npt.NDArray[np.int8], valid: Bools) -> tuple[Bools, Ints, Ints]:
    """Per point: whether it is on a side of the centre, the point its run starts at, and the run's length so far.

    A point without data neither extends nor breaks a run; a point on the centre breaks it.
    """
    points = np.arange(side.shape[1])
    last = np.maximum.accumulate(np.where(valid, points, -1), axis=1)
    before = np.roll(last, 1, axis=1)
    before[:, :1] = -1  # the last point with data before each point, -1 for none
    previous = np.where(before >= 0, np.take_along_axis(side, np.maximum(before, 0), axis=1), 0)
    on = side != 0
    first = np.maximum.accumulate(np.where(on & (side != previous), points, -1), axis=1)
    seen = np.cumsum(valid, axis=1)
    length = np.where(on, seen - np.take_along_axis(seen, np.maximum(first, 0), axis=1) + 1, 0)
    return on, first, length


def _running_products(factors: Floats, position: Ints) -> Floats:
    """Each run's product so far; a run's points are consecutive in `factors`, at positions 0, 1, 2... of the run.

    All runs advance together, one position a step, each product multiplied in the same order as one at a time.
    """
    products = factors.copy()
    short = position.astype(np.int16) if position.max() < 2**15 else position  # sorted by radix, much faster
    order = np.argsort(short, kind="stable")
    edges = np.searchsorted(position[order], np.arange(int(position.max()) + 2))
    for step in range(1, len(edges) - 1):
        at = order[edges[step] : edges[step + 1]]
        products[at] = products[at - 1] * factors[at]
    return products
