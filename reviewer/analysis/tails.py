"""Exact tail probabilities of the Poisson and binomial distributions, with the standard library only.

Each tail is summed term by term from the observed count away from the mode, where the terms only shrink, and the
sum stops once a geometric bound on the rest is negligible; the tail that would include the mode is one minus the
other. A sum costs a few standard deviations' worth of terms, and the first term comes from `math.lgamma`, so
counts and means of many thousands stay accurate.
"""

from __future__ import annotations

import math

_EPS = 1e-15  # relative size of the neglected remainder of a sum


def poisson_at_least(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean)."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    return _poisson_up(k, mean) if k >= mean else _complement(_poisson_down(k - 1, mean))


def poisson_at_most(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    return _poisson_down(k, mean) if k <= mean else _complement(_poisson_up(k + 1, mean))


def binomial_at_least(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return _binomial_up(k, n, p) if k > (n + 1) * p - 1 else _complement(_binomial_down(k - 1, n, p))


def binomial_at_most(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k >= n or p <= 0:
        return 1.0
    if k < 0 or p >= 1:
        return 0.0
    return _binomial_down(k, n, p) if k < (n + 1) * p else _complement(_binomial_up(k + 1, n, p))


def _complement(tail: float) -> float:
    return min(1.0, max(0.0, 1.0 - tail))


def _poisson_up(k: int, mean: float) -> float:
    """Sum of the terms k, k+1, ...; needs k >= mean, so that every ratio mean/(j+1) is below 1."""
    term = math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
    total, j = 0.0, k
    while True:
        total += term
        j += 1
        ratio = mean / j
        if term * ratio <= _EPS * total * (1 - ratio):  # the rest is at most term * ratio / (1 - ratio)
            return total
        term *= ratio


def _poisson_down(k: int, mean: float) -> float:
    """Sum of the terms k, k-1, ..., 0; needs k <= mean, so that the ratios j/mean shrink from at most 1."""
    term = math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
    total = 0.0
    for j in range(k, 0, -1):
        total += term
        ratio = j / mean
        if term * ratio <= _EPS * total * (1 - ratio):
            return total
        term *= ratio
    return total + term


def _binomial_term(k: int, n: int, p: float) -> float:
    log_choose = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return math.exp(log_choose + k * math.log(p) + (n - k) * math.log1p(-p))


def _binomial_up(k: int, n: int, p: float) -> float:
    """Sum of the terms k..n; needs k > (n+1)p - 1, so that every ratio (n-j)p / ((j+1)(1-p)) is below 1."""
    odds = p / (1 - p)
    term, total = _binomial_term(k, n, p), 0.0
    for j in range(k, n):
        total += term
        ratio = (n - j) / (j + 1) * odds
        if term * ratio <= _EPS * total * (1 - ratio):
            return total
        term *= ratio
    return total + term


def _binomial_down(k: int, n: int, p: float) -> float:
    """Sum of the terms k..0; needs k < (n+1)p, so that every ratio j(1-p) / ((n-j+1)p) is below 1."""
    odds = (1 - p) / p
    term, total = _binomial_term(k, n, p), 0.0
    for j in range(k, 0, -1):
        total += term
        ratio = j / (n - j + 1) * odds
        if term * ratio <= _EPS * total * (1 - ratio):
            return total
        term *= ratio
    return total + term
