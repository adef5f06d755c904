"""Periods (ISO weeks and months) and talk time: the keys and sizes every trend is built on."""

from __future__ import annotations

from datetime import date

import pytest

from reviewer.domain.parties import Party
from reviewer.domain.transcript import Utterance, talk_ms
from reviewer.domain.trends import Grain, Period


def test_periods_parse_label_and_step_across_years() -> None:
    week = Period.parse("2026-W53")  # 2026 has 53 ISO weeks
    assert (week.label, week.first_day, week.last_day) == ("2026-W53", date(2026, 12, 28), date(2027, 1, 3))
    assert week.next().label == "2027-W01"
    assert week.next().previous() == week
    assert Period.parse("2026-12").next().label == "2027-01"
    assert Period.parse("2027-01").previous().label == "2026-12"
    assert Period.of(date(2027, 1, 1), Grain.WEEK).label == "2026-W53"
    months = Period.parse("2026-11").until(Period.parse("2027-01"))
    assert [p.label for p in months] == ["2026-11", "2026-12", "2027-01"]


@pytest.mark.parametrize("bad", ["2025-W53", "2026-13", "W47", "2026/11", ""])
def test_a_bad_period_says_what_was_wrong(bad: str) -> None:
    with pytest.raises(ValueError, match=r"week|month|period"):
        Period.parse(bad)


def test_talk_time_counts_overlapping_speech_once() -> None:
    said = [Utterance(Party.AGENT, "a", 0, 1000, ""), Utterance(Party.CUSTOMER, "c", 500, 1500, "")]
    later = [*said, Utterance(Party.AGENT, "a", 3000, 3500, ""), Utterance(Party.AGENT, "a", 3100, 3200, "")]
    assert talk_ms(said) == 1500
    assert talk_ms(later) == 2000
    assert talk_ms([]) == 0
