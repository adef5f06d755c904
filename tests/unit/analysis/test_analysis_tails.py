"""Exact Poisson and binomial tails against sums computed another way."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from reviewer.analysis.tails import binomial_at_least, binomial_at_most, poisson_at_least, poisson_at_most


def _binomial(k: int, n: int, p: Fraction, *, upper: bool) -> float:
    """P(X >= k) (upper) or P(X <= k), summed exactly with rationals."""
    counts = range(k, n + 1) if upper else range(k + 1)
    a, b = p.numerator, p.denominator  # in integers: comb(n, j) a^j (b-a)^(n-j) / b^n
    return float(Fraction(sum(math.comb(n, j) * a**j * (b - a) ** (n - j) for j in counts), b**n))


def _poisson(k: int, mean: int, *, upper: bool) -> float:
    """P(X > k) (upper) or P(X <= k), summed in 60-digit decimals."""
    with localcontext() as context:
        context.prec = 60
        term = total = (-Decimal(mean)).exp()
        for j in range(1, k + 1):
            term = term * mean / j
            total += term
        return float(1 - total if upper else total)


def test_poisson_small_means() -> None:
    assert poisson_at_least(2, 0.2) == pytest.approx(1 - math.exp(-0.2) * 1.2, rel=1e-12)
    assert poisson_at_least(4, 0.2) == pytest.approx(1 - math.exp(-0.2) * (1 + 0.2 + 0.02 + 0.008 / 6), rel=1e-9)
    assert poisson_at_least(4, 0.2) == pytest.approx(5.684e-5, rel=1e-3)
    assert poisson_at_most(0, 0.2) == pytest.approx(math.exp(-0.2), rel=1e-12)
    assert poisson_at_most(1, 10.0) == pytest.approx(11 * math.exp(-10), rel=1e-12)


@pytest.mark.parametrize(("k", "mean"), [(5, 1), (40, 30), (990, 1000), (1000, 1000), (1150, 1000), (2850, 3000)])
def test_poisson_against_a_decimal_sum(k: int, mean: int) -> None:
    assert poisson_at_most(k, mean) == pytest.approx(_poisson(k, mean, upper=False), rel=1e-10)
    assert poisson_at_least(k + 1, mean) == pytest.approx(_poisson(k, mean, upper=True), rel=1e-10)


def test_binomial_orange_juice_point() -> None:
    # Montgomery's sample 15: 22 defective cans of 50 where the pooled share is 0.2313
    p = 0.2313
    exact = math.fsum(math.comb(50, j) * p**j * (1 - p) ** (50 - j) for j in range(22, 51))
    assert binomial_at_least(22, 50, p) == pytest.approx(exact, rel=1e-10)
    assert binomial_at_least(22, 50, p) < 0.00135


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 1, Fraction(1, 10)),
        (1, 1, Fraction(1, 10)),
        (3, 5, Fraction(1, 5)),
        (12, 100, Fraction(1, 10)),
        (480, 1000, Fraction(1, 2)),
        (850, 3000, Fraction(3, 10)),
        (960, 3000, Fraction(3, 10)),
    ],
)
def test_binomial_against_an_exact_rational_sum(k: int, n: int, p: Fraction) -> None:
    assert binomial_at_most(k, n, float(p)) == pytest.approx(_binomial(k, n, p, upper=False), rel=1e-10)
    assert binomial_at_least(k, n, float(p)) == pytest.approx(_binomial(k, n, p, upper=True), rel=1e-10)


def test_far_tails_keep_their_relative_precision() -> None:
    # a complement 1 - (1 - tiny) would lose these
    assert binomial_at_most(10, 100, 0.5) == pytest.approx(_binomial(10, 100, Fraction(1, 2), upper=False), rel=1e-10)
    assert poisson_at_least(60, 20.0) == pytest.approx(_poisson(59, 20, upper=True), rel=1e-10)


def test_edges() -> None:
    assert poisson_at_least(0, 3.0) == 1.0 and poisson_at_least(-2, 3.0) == 1.0
    assert poisson_at_least(1, 0.0) == 0.0 and poisson_at_most(0, 0.0) == 1.0
    assert poisson_at_most(-1, 3.0) == 0.0
    assert binomial_at_least(0, 5, 0.3) == 1.0 and binomial_at_least(6, 5, 0.3) == 0.0
    assert binomial_at_least(1, 5, 0.0) == 0.0 and binomial_at_most(0, 5, 0.0) == 1.0
    assert binomial_at_least(5, 5, 1.0) == 1.0 and binomial_at_most(4, 5, 1.0) == 0.0
    assert binomial_at_most(5, 5, 0.3) == 1.0 and binomial_at_most(-1, 5, 0.3) == 0.0
    assert binomial_at_least(5, 5, 0.3) == pytest.approx(0.3**5, rel=1e-12)


def test_the_two_tails_add_up_to_one() -> None:
    for k in range(0, 40):
        assert poisson_at_least(k, 12.5) + poisson_at_most(k - 1, 12.5) == pytest.approx(1.0, abs=1e-13)
        assert binomial_at_least(k, 39, 0.3) + binomial_at_most(k - 1, 39, 0.3) == pytest.approx(1.0, abs=1e-13)
