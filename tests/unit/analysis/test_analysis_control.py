"""p- and u-charts: textbook examples, per-point limits, the run rule, small samples and the edges."""

from __future__ import annotations

import math

import pytest

from reviewer.analysis.control import ALPHA, p_chart, u_chart
from reviewer.domain.trends import Signal

# Montgomery, Introduction to Statistical Quality Control: orange-juice cans, 30 samples of 50, defectives.
JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
# Montgomery: nonconformities in personal computers, 20 samples of 5 units.
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]


def test_montgomery_orange_juice_p_chart() -> None:
    chart = p_chart(JUICE, [50] * 30)
    assert chart.chart == "p"
    assert chart.center == pytest.approx(0.2313, abs=5e-5)
    assert len(chart.upper) == len(chart.lower) == 30
    assert all(upper == pytest.approx(0.4102, abs=5e-5) for upper in chart.upper)
    assert all(lower == pytest.approx(0.0524, abs=5e-5) for lower in chart.lower)
    assert chart.signals == ((14, Signal.ABOVE), (22, Signal.ABOVE))
    assert chart.values[14] == pytest.approx(0.44)
    assert chart.sizes == (50.0,) * 30


def test_montgomery_personal_computers_u_chart() -> None:
    chart = u_chart(COMPUTERS, [5.0] * 20)
    assert chart.chart == "u" and len(chart.upper) == 20
    assert chart.center == pytest.approx(1.93, abs=5e-3)
    assert all(upper == pytest.approx(3.79, abs=5e-3) for upper in chart.upper)
    assert all(lower == pytest.approx(0.07, abs=5e-3) for lower in chart.lower)
    assert chart.signals == ()


def test_p_limits_widen_for_small_samples() -> None:
    chart = p_chart([10, 1, 30], [100, 10, 300])
    p = 41 / 410
    assert chart.center == pytest.approx(p)
    for index, n in ((0, 100), (1, 10)):
        width = 3 * math.sqrt(p * (1 - p) / n)
        assert chart.upper[index] == pytest.approx(p + width)
        assert chart.lower[index] == pytest.approx(max(0.0, p - width))
    small, large = chart.upper[1], chart.upper[0]
    assert small is not None and large is not None and small > large
    assert chart.lower[1] == 0.0  # clipped: p - 3 sigma is negative for n=10


def test_u_limits_per_exposure_and_a_given_team_centre() -> None:
    team_rate = 0.5
    chart = u_chart([5, 30], [2.0, 40.0], center=team_rate)
    assert chart.center == team_rate  # not the agent's own 35/42
    for index, exposure in ((0, 2.0), (1, 40.0)):
        width = 3 * math.sqrt(team_rate / exposure)
        assert chart.upper[index] == pytest.approx(team_rate + width)
        assert chart.lower[index] == pytest.approx(max(0.0, team_rate - width))
    assert list(chart.values) == pytest.approx([2.5, 0.75])
    # 2.5 is past 0.5 + 3 * sqrt(0.5 / 2) = 2.0, but 5 events where 1 is expected has a Poisson tail of 0.0037: noise
    assert chart.signals == ()
    # 6 events (3.0) have a tail of 0.00059, below the 3-sigma 0.00135
    assert u_chart([6], [2.0], center=team_rate).signals == ((0, Signal.ABOVE),)
    # exactly on a limit is not beyond it
    assert u_chart([4], [2.0], center=team_rate).signals == ()


def test_a_given_centre_makes_an_agent_above_the_team() -> None:
    chart = p_chart([30, 28], [100, 100], center=0.1)
    assert chart.center == 0.1
    assert chart.signals == ((0, Signal.ABOVE), (1, Signal.ABOVE))
    assert p_chart([30, 28], [100, 100]).signals == ()


def test_eight_in_a_row_above_the_centre_is_a_run() -> None:
    # the centre is pinned at 0.1 and every point at 0.12, well inside the limits of n=100
    chart = p_chart([12] * 9, [100] * 9, center=0.1)
    assert chart.signals == ((7, Signal.RUN_ABOVE), (8, Signal.RUN_ABOVE))
    assert p_chart([12] * 7, [100] * 7, center=0.1).signals == ()


def test_eight_in_a_row_below_the_centre_is_a_run() -> None:
    chart = u_chart([8] * 8, [10.0] * 8, center=1.0)
    assert chart.signals == ((7, Signal.RUN_BELOW),)


def test_a_point_on_the_centre_breaks_a_run() -> None:
    counts = [12] * 4 + [10] + [12] * 4
    assert p_chart(counts, [100] * 9, center=0.1).signals == ()
    # the run restarts after the break: 8 more points above flag on the 8th of them
    counts = [12] * 4 + [10] + [12] * 8
    assert p_chart(counts, [100] * 13, center=0.1).signals == ((12, Signal.RUN_ABOVE),)


def test_empty_points_neither_extend_nor_break_a_run() -> None:
    events = [12, 12, 12, 0, 12, 12, 0, 12, 12, 12]
    sizes = [100, 100, 100, 0, 100, 100, 0, 100, 100, 100]
    chart = p_chart(events, sizes, center=0.1)
    assert chart.signals == ((9, Signal.RUN_ABOVE),)  # the 8th point with data
    assert p_chart(events[:-1], sizes[:-1], center=0.1).signals == ()


def test_a_point_beyond_a_limit_is_flagged_once_but_counts_toward_a_run() -> None:
    events = [12] * 3 + [40] + [12] * 4
    chart = p_chart(events, [100] * 8, center=0.1)
    assert chart.signals == ((3, Signal.ABOVE), (7, Signal.RUN_ABOVE))
    assert p_chart([12] * 7 + [40], [100] * 8, center=0.1).signals == ((7, Signal.ABOVE),)


def test_a_noisy_spike_inside_the_limits_is_not_flagged() -> None:
    events = [10, 8, 11, 17, 9, 10, 12, 7]
    chart = p_chart(events, [100] * 8)
    upper = chart.upper[3]
    assert upper is not None and chart.values[3] == pytest.approx(0.17) and upper > 0.17
    assert chart.signals == ()


def test_a_point_below_the_lower_limit() -> None:
    chart = p_chart([50, 48, 10, 52], [100] * 4, center=0.5)
    lower = chart.lower[2]
    assert lower is not None and lower > 0
    assert chart.signals == ((2, Signal.BELOW),)


def test_zero_size_points_have_no_value_and_no_limits() -> None:
    chart = p_chart([3, 0, 4], [20, 0, 20])
    assert chart.values[1] is None and chart.lower[1] is None and chart.upper[1] is None
    assert chart.center == pytest.approx(7 / 40)
    assert chart.sizes == (20.0, 0.0, 20.0)
    chart = u_chart([0, 2], [0.0, 1.5])
    assert chart.values[0] is None and chart.values[1] == pytest.approx(2 / 1.5)


def test_no_sizes_at_all_gives_a_zero_centre() -> None:
    chart = p_chart([0, 0], [0, 0])
    assert chart.center == 0.0 and chart.values == (None, None) and chart.signals == ()
    assert p_chart([], []).signals == ()


def test_a_zero_centre_with_zero_counts_flags_nothing() -> None:
    chart = u_chart([0] * 10, [3.0] * 10)
    assert chart.center == 0.0
    assert chart.lower == (0.0,) * 10 and chart.upper == (0.0,) * 10
    assert chart.signals == ()
    assert p_chart([0] * 10, [30] * 10, center=0.0).signals == ()


def test_alpha_is_the_one_sided_normal_three_sigma_tail() -> None:
    assert math.erfc(3 / math.sqrt(2)) / 2 == pytest.approx(ALPHA, abs=5e-7)


def test_a_noise_spike_of_one_call_is_not_flagged() -> None:
    # centre 0.2 per call: the upper limit of 1 call is 0.2 + 3 * sqrt(0.2) = 1.54, and 2 events pass it, but a
    # Poisson(0.2) gives 2 or more 1.75% of the time, thirteen times the 0.135% a 3-sigma limit promises
    chart = u_chart([0, 2, 0], [1.0, 1.0, 1.0], center=0.2)
    value, upper = chart.values[1], chart.upper[1]
    assert value is not None and upper is not None and value > upper
    assert chart.signals == ()


def test_a_genuinely_improbable_small_sample_is_flagged() -> None:
    # 4 events in 1 call at 0.2 per call: Poisson tail 5.7e-5
    assert u_chart([0, 4, 0], [1.0, 1.0, 1.0], center=0.2).signals == ((1, Signal.ABOVE),)
    # a p-chart of 3 calls, all violations, where 1 in 20 is usual: 0.05 ** 3 = 1.25e-4
    assert p_chart([3], [3], center=0.05).signals == ((0, Signal.ABOVE),)
    # but 2 of 2 at 0.05 (0.0025) is past the upper limit and still noise
    assert p_chart([2], [2], center=0.05).signals == ()


def test_a_run_of_the_likely_side_of_a_skewed_sample_is_not_a_run() -> None:
    # a week of 1 call at a share of 0.1 has no event 90% of the time: 8 such weeks in a row happen 43% of the time
    assert p_chart([0] * 8, [1] * 8, center=0.1).signals == ()
    assert p_chart([0] * 40, [1] * 40, center=0.1).signals == ()  # 0.9 ** 40 = 0.015, still likelier than 0.5 ** 8
    # 53 in a row (0.9 ** 53 = 0.0038) is as unlikely as 8 coin flips
    assert p_chart([0] * 53, [1] * 53, center=0.1).signals == ((52, Signal.RUN_BELOW),)
    # Poisson(0.4) is 0 two thirds of the time: 12 zeros in a row happen 0.8% of the time, 14 only 0.37%
    assert u_chart([0] * 12, [2.0] * 12, center=0.2).signals == ()
    assert u_chart([0] * 14, [2.0] * 14, center=0.2).signals == ((13, Signal.RUN_BELOW),)


def test_a_run_of_evenly_likely_sides_flags_on_the_eighth_point() -> None:
    # 1001 calls at a share of 0.5: above (501 or more) and below (500 or fewer) each have probability exactly 0.5
    events = [510] * 8
    chart = p_chart(events, [1001] * 8, center=0.5)
    assert all(upper is not None and upper > 510 / 1001 for upper in chart.upper)
    assert chart.signals == ((7, Signal.RUN_ABOVE),)
    assert p_chart([490] * 8, [1001] * 8, center=0.5).signals == ((7, Signal.RUN_BELOW),)
    assert p_chart(events[:7], [1001] * 7, center=0.5).signals == ()


def test_an_unlikely_run_still_needs_eight_points() -> None:
    # at 0.2 per call, 1 event in 1 call happens 18% of the time: 4 in a row (0.001) is rare but not yet a run
    assert u_chart([1] * 4, [1.0] * 4, center=0.2).signals == ()
    chart = u_chart([1] * 8, [1.0] * 8, center=0.2)
    assert chart.signals == ((7, Signal.RUN_ABOVE),)


def test_an_unconfirmed_point_beyond_a_limit_can_end_a_run() -> None:
    # point 7 is past the upper limit but noise (2 events at 0.2 per call), so it is flagged as the run's 8th point
    chart = u_chart([1] * 7 + [2], [1.0] * 8, center=0.2)
    assert chart.signals == ((7, Signal.RUN_ABOVE),)


def test_fractional_exposure_uses_the_expected_count() -> None:
    # 0.5 per hour over 0.5 hours expects 0.25: 2 events (4.0 per hour) are past the limit 0.5 + 3 = 3.5, tail 0.026
    assert u_chart([2], [0.5], center=0.5).signals == ()
    assert u_chart([4], [0.5], center=0.5).signals == ((0, Signal.ABOVE),)  # tail 1.3e-4


@pytest.mark.parametrize(
    ("events", "sizes", "run", "message"),
    [
        ([1, 2], [10], 8, "one size per count"),
        ([-1], [10], 8, "negative"),
        ([1], [-10], 8, "negative"),
        ([11], [10], 8, "out of a sample of only 10"),
        ([1], [10], 1, "at least 2"),
    ],
)
def test_bad_p_input_raises(events: list[int], sizes: list[int], run: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        p_chart(events, sizes, run=run)


def test_bad_u_input_and_centres_raise() -> None:
    with pytest.raises(ValueError, match="negative or not a number"):
        u_chart([1], [math.nan])
    with pytest.raises(ValueError, match="one size per count"):
        u_chart([1], [1.0, 2.0])
    with pytest.raises(ValueError, match="non-negative"):
        u_chart([1], [1.0], center=-0.5)
    with pytest.raises(ValueError, match="0-1"):
        p_chart([1], [10], center=1.5)
