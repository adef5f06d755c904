"""The library filter bar: each control narrows the CallFilter, search waits for a pause, Clear resets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from reviewer.domain.call import ReviewStatus
from reviewer.domain.library import CallFilter, Facets
from reviewer.ui.library_filters import SEARCH_DELAY_MS, LibraryFilterBar

FACETS = Facets(teams=("North", "South"), agents=("Ann", "Bo"), tag_kinds=("hang_up", "profanity"))


@pytest.fixture
def bar(qtbot: QtBot) -> LibraryFilterBar:
    widget = LibraryFilterBar()
    qtbot.addWidget(widget)
    widget.set_facets(FACETS)
    return widget


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoneInfo]:
    """A local zone with a DST change, so 'local midnight' cannot be confused with UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield ZoneInfo("America/New_York")
    monkeypatch.undo()
    time.tzset()


def _choose(qtbot: QtBot, bar: LibraryFilterBar, combo_name: str, value: object) -> None:
    combo = getattr(bar, combo_name)
    with qtbot.waitSignal(bar.changed):
        combo.setCurrentIndex(combo.findData(value))


def test_starts_empty_and_offers_the_facets(bar: LibraryFilterBar) -> None:
    assert bar.current() == CallFilter()
    assert [bar.team.itemText(i) for i in range(bar.team.count())] == ["All teams", "North", "South"]
    assert [bar.agent.itemText(i) for i in range(bar.agent.count())] == ["All agents", "Ann", "Bo"]
    assert [bar.tag_kind.itemText(i) for i in range(bar.tag_kind.count())] == ["Any tag", "hang-up", "profanity"]
    assert bar.search.placeholderText() == "Search transcripts…"


def test_each_combo_narrows_the_filter(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    _choose(qtbot, bar, "team", "South")
    _choose(qtbot, bar, "agent", "Bo")
    _choose(qtbot, bar, "status", ReviewStatus.IN_PROGRESS.value)
    _choose(qtbot, bar, "tag_kind", "hang_up")
    chosen = bar.current()
    assert chosen == CallFilter(team="South", agent="Bo", status=ReviewStatus.IN_PROGRESS, tag_kind="hang_up")
    assert isinstance(chosen.status, ReviewStatus)


def test_new_facets_keep_choices_that_still_exist(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    _choose(qtbot, bar, "team", "South")
    _choose(qtbot, bar, "agent", "Bo")
    with qtbot.assertNotEmitted(bar.changed):
        bar.set_facets(Facets(teams=("East", "South"), agents=("Ann", "Bo", "Cy"), tag_kinds=()))
    assert (bar.current().team, bar.current().agent) == ("South", "Bo")
    with qtbot.waitSignal(bar.changed):
        bar.set_facets(Facets(teams=("East",), agents=("Bo",)))
    assert (bar.current().team, bar.current().agent) == (None, "Bo")
    assert bar.team.currentText() == "All teams"


def test_date_range_is_local_and_the_to_day_is_inclusive(
    qtbot: QtBot, bar: LibraryFilterBar, new_york: ZoneInfo
) -> None:
    bar.from_date.setDate(QDate(2026, 3, 8))  # the day New York moves its clocks forward
    bar.to_date.setDate(QDate(2026, 3, 10))
    assert bar.current() == CallFilter()  # dates without their tick are no bound
    with qtbot.waitSignal(bar.changed):
        bar.from_enabled.setChecked(True)
    with qtbot.waitSignal(bar.changed):
        bar.to_enabled.setChecked(True)
    bounds = bar.current()
    assert bounds.started_from == datetime(2026, 3, 8, tzinfo=new_york)
    assert bounds.started_before == datetime(2026, 3, 11, tzinfo=new_york)
    assert bounds.started_from is not None and bounds.started_before is not None
    assert bounds.started_from.utcoffset() != bounds.started_before.utcoffset()  # EST, then EDT
    last_minute = datetime(2026, 3, 10, 23, 59, tzinfo=new_york)
    next_day = datetime(2026, 3, 11, 0, 0, tzinfo=new_york)
    first_minute = datetime(2026, 3, 8, 0, 0, tzinfo=new_york)
    assert bounds.started_from <= first_minute < bounds.started_before
    assert bounds.started_from <= last_minute < bounds.started_before
    assert not next_day < bounds.started_before
    assert bar.to_date.isEnabled() and bar.from_date.calendarPopup()


def test_changing_a_ticked_date_fires_after_the_pause(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    bar.to_date.setDate(QDate(2026, 3, 10))
    with qtbot.waitSignal(bar.changed):
        bar.to_enabled.setChecked(True)
    with qtbot.waitSignal(bar.changed):
        bar.to_date.setDate(QDate(2026, 4, 1))
    assert bar.current().started_before == datetime(2026, 4, 2).astimezone()


def test_search_fires_once_when_typing_pauses(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    fired: list[str] = []
    bar.changed.connect(lambda: fired.append(bar.current().text))
    qtbot.keyClicks(bar.search, "refund")
    assert fired == []  # nothing yet: the timer is still running
    with qtbot.waitSignal(bar.changed, timeout=SEARCH_DELAY_MS * 20):
        pass
    assert fired == ["refund"]
    assert bar.current() == CallFilter(text="refund")


def test_enter_searches_at_once(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    fired: list[str] = []
    bar.changed.connect(lambda: fired.append(bar.current().text))
    qtbot.keyClicks(bar.search, "refund ")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert fired == ["refund"]
    with qtbot.assertNotEmitted(bar.changed, wait=SEARCH_DELAY_MS * 2):
        pass  # the pending timer was stopped, so no second query


def test_clear_resets_everything_with_one_signal(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    _choose(qtbot, bar, "team", "North")
    _choose(qtbot, bar, "tag_kind", "profanity")
    with qtbot.waitSignal(bar.changed):
        bar.from_enabled.setChecked(True)
    bar.search.setText("hello")
    fired: list[CallFilter] = []
    bar.changed.connect(lambda: fired.append(bar.current()))
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert fired == [CallFilter()]
    assert bar.current().is_empty and not bar.from_date.isEnabled()
    with qtbot.assertNotEmitted(bar.changed, wait=SEARCH_DELAY_MS * 2):
        pass


def test_focus_search_selects_the_text(qtbot: QtBot, bar: LibraryFilterBar) -> None:
    bar.show()
    qtbot.waitExposed(bar)
    bar.activateWindow()
    bar.search.setText("old words")
    bar.focus_search()
    qtbot.waitUntil(bar.search.hasFocus)
    assert bar.search.selectedText() == "old words"
