"""Time helpers: seconds and clock strings to milliseconds, and the format used in problem details."""

from __future__ import annotations

import pytest

from reviewer.formats.times import format_ms, parse_clock_ms, parse_number, seconds_to_ms


@pytest.mark.parametrize(("seconds", "ms"), [(0.49, 490), (141.54, 141540), (0.0005, 0), (0.0015, 2), (2, 2000)])
def test_seconds_round_to_nearest_millisecond(seconds: float, ms: int) -> None:
    assert seconds_to_ms(seconds) == ms


@pytest.mark.parametrize(
    ("text", "ms"),
    [("01:02:03.500", 3_723_500), ("02:03.5", 123_500), ("0:00:01,250", 1250), ("12.5", None), ("1:2:x", None)],
)
def test_clock_strings(text: str, ms: int | None) -> None:
    assert parse_clock_ms(text) == ms


@pytest.mark.parametrize(("text", "value"), [("1.5", 1.5), (" 2,25 ", 2.25), ("nan", None), ("abc", None)])
def test_numbers_in_text(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("ms", "text"), [(1200, "00:01.200"), (3_723_004, "1:02:03.004"), (-1000, "-00:01.000")])
def test_format_ms(ms: int, text: str) -> None:
    assert format_ms(ms) == text
