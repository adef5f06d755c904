"""Clock strings both ways: what the tag table and go-to-time show and accept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer.text.times import clock, parse_clock


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("7", 7000),
        ("90", 90_000),
        ("12.5", 12_500),
        ("12.05", 12_050),
        ("0.007", 7),
        ("01:02", 62_000),
        ("01:02.250", 62_250),
        ("01:02,5", 62_500),
        ("75:00", 4_500_000),
        ("1:02:03", 3_723_000),
        ("1:02:03.004", 3_723_004),
        ("  02:41  ", 161_000),
        ("00:00.000", 0),
    ],
)
def test_accepted_forms(text: str, ms: int) -> None:
    assert parse_clock(text) == ms


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Enter a time"),
        ("   ", "Enter a time"),
        ("-5", "negative"),
        ("-00:05", "negative"),
        ("1:60:00", "Minutes must be below 60"),
        ("01:60", "Seconds must be below 60"),
        ("1:00:75", "Seconds must be below 60"),
        ("abc", "is not a time"),
        ("1m30s", "is not a time"),
        ("01:02.1234", "is not a time"),
        ("1:2:3:4", "is not a time"),
        ("01:", "is not a time"),
        (":30", "is not a time"),
        ("1.2.3", "is not a time"),
        ("١٢", "is not a time"),  # Arabic-Indic digits: int() would take them, the clock format does not
    ],
)
def test_rejected_forms_say_why(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_clock(text)


@given(st.integers(min_value=0, max_value=200 * 3_600_000))
def test_clock_with_millis_round_trips(ms: int) -> None:
    assert parse_clock(clock(ms, millis=True)) == ms


@given(st.integers(min_value=0, max_value=200 * 3_600_000))
def test_clock_without_millis_round_trips_to_the_second(ms: int) -> None:
    assert parse_clock(clock(ms)) == ms - ms % 1000
