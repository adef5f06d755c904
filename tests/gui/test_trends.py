"""The Trends tab on a real database: the plotted rates against hand-counted tags, filters, hover, the calls behind
a point, export, the models, and the tab in the main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from matplotlib.backend_bases import MouseButton, MouseEvent
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.app.main import open_services
from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.domain.tags import Tag
from reviewer.domain.trends import Ending, Grain, Measure, PointCall, Rate
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.database import sqlite_url
from reviewer.services.context import Services
from reviewer.services.review import set_review
from reviewer.ui.main_window import MainWindow
from reviewer.ui.trend_charts import Plotted
from reviewer.ui.trends_models import AgentsModel, PointCallsModel
from reviewer.ui.trends_page import EMPTY, TrendsPage

CALL_MS = 360_000  # six minutes each: ten calls make an hour of talk
WEEKS = {10: date(2026, 3, 4), 11: date(2026, 3, 11), 12: date(2026, 3, 18), 13: date(2026, 3, 25)}  # Wednesdays
# Agent interruptions per call, week by week: Ann falls, Bob wobbles, Cy is in the other team.
LIBRARY: dict[tuple[str, str], dict[int, list[int]]] = {
    ("Ann", "North"): {10: [3, 1], 11: [2, 0], 12: [1, 0], 13: [0, 0]},
    ("Bob", "North"): {10: [0, 1], 11: [1, 0], 12: [0], 13: [1, 1]},
    ("Cy", "South"): {10: [2], 12: [1, 1]},
}
UNDONE = ("Ann", "North", 13, 4)  # a checked call nobody marked done: four interruptions
CUSTOMER_CUT_IN = ("Bob", 10)  # Bob's first call that week also has the customer interrupting


def _call(n: int, agent: str, team: str, day: date, interruptions: int, *, customer: int = 0) -> Call:
    tags = [Tag("interruption", Actor.AGENT, 10_000 * (i + 1), 10_000 * (i + 1) + 800) for i in range(interruptions)]
    tags += [Tag("interruption", Actor.CUSTOMER, 200_000 + 5_000 * i, 200_800 + 5_000 * i) for i in range(customer)]
    return Call(
        external_id=f"{agent.lower()}-{n:02d}",
        audio=AudioInfo(f"/nowhere/{agent}-{n}.wav", f"{n:064x}", CALL_MS, 8000, 2, ChannelLayout.AGENT_LEFT),
        started_at=datetime.combine(day, time(12), tzinfo=UTC),
        agent=agent,
        team=team,
        tags=tuple(tags),
    )


def _build(services: Services) -> dict[str, int]:
    """The library above; every call is marked done except UNDONE. Returns call ids by external id."""
    ids: dict[str, int] = {}
    n = 0
    with services.database.session() as session:
        repo = CallRepository(session)
        for (agent, team), weeks in LIBRARY.items():
            for week, counts in weeks.items():
                for i, count in enumerate(counts):
                    n += 1
                    customer = 1 if (agent, week) == CUSTOMER_CUT_IN and i == 0 else 0
                    call = _call(n, agent, team, WEEKS[week], count, customer=customer)
                    ids[call.external_id] = repo.add(call)
        agent, team, week, count = UNDONE
        undone = _call(n + 1, agent, team, WEEKS[week], count)
        undone_id = repo.add(undone)
    for call_id in ids.values():
        set_review(services, call_id, ReviewStatus.DONE, "")
    ids[undone.external_id] = undone_id
    return ids


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[Services, dict[str, int]]]:
    services = open_services(sqlite_url(tmp_path / "library.sqlite3"))
    ids = _build(services)
    yield services, ids
    services.database.dispose()


@pytest.fixture
def page(qtbot: QtBot, library: tuple[Services, dict[str, int]]) -> Iterator[TrendsPage]:
    widget = TrendsPage(library[0])
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    with qtbot.waitSignal(widget.drawn, timeout=20000):
        widget.show()
    yield widget
    widget.stop()


def _redrawn(qtbot: QtBot, page: TrendsPage, change: object) -> None:
    """Make a filter change (a callable) and wait for the chart to follow it."""
    with qtbot.waitSignal(page.drawn, timeout=10000):
        change()  # type: ignore[operator]


def _plotted(page: TrendsPage) -> Plotted | None:
    return page.plotted


def _choose(combo: object, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))  # type: ignore[attr-defined]


def test_an_agent_against_the_team_is_what_the_tags_say(qtbot: QtBot, page: TrendsPage) -> None:
    assert page.plotted is not None
    labels = page.plotted.labels
    assert len(labels) == 12 and labels[-4:] == ("2026-W10", "2026-W11", "2026-W12", "2026-W13")
    assert page.measure_key() == Measure.AGENT_INTERRUPTION.value
    # Nobody chosen: everybody against their own history (per call, done calls only).
    assert page.plotted.subject[-4:] == pytest.approx((7 / 5, 3 / 4, 3 / 5, 2 / 4))
    assert page.plotted.subject[:8] == (None,) * 8 and page.plotted.baseline == ()

    _redrawn(qtbot, page, lambda: _choose(page.agent, "Ann"))
    assert page.plotted.subject[-4:] == pytest.approx((4 / 2, 2 / 2, 1 / 2, 0 / 2))  # falling week by week
    assert page.plotted.baseline[-4:] == pytest.approx((5 / 4, 3 / 4, 1 / 3, 2 / 4))  # Team North
    assert page.report_button.isEnabled()

    _redrawn(qtbot, page, lambda: _choose(page.rate, Rate.PER_HOUR))
    assert page.plotted.subject[-4:] == pytest.approx((20.0, 10.0, 5.0, 0.0))  # ten calls make an hour

    _redrawn(qtbot, page, lambda: page.include_open.setChecked(True))
    assert page.plotted.subject[-1] == pytest.approx(4 / 3 * 10)  # the undone call's four interruptions count

    _redrawn(qtbot, page, lambda: _choose(page.grain, Grain.MONTH))
    assert page.plotted.labels[-1] == "2026-03" and len(page.plotted.labels) == 6
    assert page.plotted.subject[-1] == pytest.approx((7 + 4) / 9 * 10)


def test_team_measure_and_reviewed_filters_change_the_chart(qtbot: QtBot, page: TrendsPage) -> None:
    _redrawn(qtbot, page, lambda: _choose(page.team, "South"))
    assert [page.agent.itemText(i) for i in range(page.agent.count())] == ["All agents", "Cy"]
    assert page.plotted is not None and page.plotted.subject[-4:] == (2.0, None, 1.0, None)
    assert [f.agent for f in page.agents_model.rows()] == ["Cy"]

    _redrawn(qtbot, page, lambda: _choose(page.team, None))
    _redrawn(qtbot, page, lambda: _choose(page.agent, "Bob"))
    assert page.plotted.subject[-4:] == pytest.approx((0.5, 0.5, 0.0, 1.0))
    _redrawn(qtbot, page, lambda: _choose(page.measure, "interruption"))  # a tag kind: the query counts it too
    assert page.query().kind == "interruption"
    assert page.plotted.subject[-4:] == pytest.approx((1.0, 0.5, 0.0, 1.0))  # the customer's cut-in counts here
    _redrawn(qtbot, page, lambda: _choose(page.measure, "status:violation"))
    assert not page.rate.isEnabled() and page.plotted.title.startswith("Calls with a violation")


def test_agents_table_sums_the_window_and_chooses_the_agent(
    qtbot: QtBot, page: TrendsPage, qtmodeltester: ModelTester
) -> None:
    figures = {f.agent: f for f in page.agents_model.rows()}
    assert set(figures) == {"Ann", "Bob", "Cy"}
    ann = figures["Ann"]
    assert (ann.calls, ann.talk_ms, ann.team) == (8, 8 * CALL_MS, "North")
    assert ann.value == pytest.approx(7 / 8) and ann.team_value == pytest.approx(11 / 15)
    qtmodeltester.check(page.agents_model)
    qtmodeltester.check(page.agents_proxy)
    row = page.agents_proxy.mapFromSource(page.agents_model.index(page.agents_model.row_of("Cy"), 0)).row()
    _redrawn(qtbot, page, lambda: page.agents_table.selectRow(row))
    assert page.agent.currentData() == "Cy" and page.plotted is not None
    assert page.plotted.subject[-4:] == (2.0, None, 1.0, None)


def test_hover_text_gives_the_period_the_value_and_the_calls(qtbot: QtBot, page: TrendsPage) -> None:
    _redrawn(qtbot, page, lambda: _choose(page.agent, "Ann"))
    text = page.point_text(8)  # 2026-W10
    assert "2026-W10" in text and "2.00" in text and "4 in 2 calls" in text
    assert "North" in text and "1.25" in text and "Control limits" in text  # the team's value that week


def test_clicking_a_point_lists_its_calls_and_opens_one(
    qtbot: QtBot, page: TrendsPage, library: tuple[Services, dict[str, int]]
) -> None:
    ids = library[1]
    _redrawn(qtbot, page, lambda: _choose(page.agent, "Ann"))
    page.canvas.draw()  # the transforms a click is mapped with
    axes = page.figure.axes[0]
    x, y = axes.transData.transform((9, 1.0))  # 2026-W11, Ann's 1.00
    click = MouseEvent("button_press_event", page.canvas, x + 3, y - 2, button=MouseButton.LEFT)
    with qtbot.waitSignal(page.calls_listed, timeout=10000):
        page.canvas.callbacks.process("button_press_event", click)
    listed = [(c.external_id, c.agent, c.count) for c in page.calls_model.rows()]
    assert listed == [("ann-03", "Ann", 2), ("ann-04", "Ann", 0)]  # where it happened first
    assert "2026-W11" in page.calls_heading.text()
    index = page.calls_proxy.index(0, 1)
    rect = page.calls_table.visualRect(index)
    qtbot.mouseClick(page.calls_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.open_requested, timeout=3000) as opened:
        qtbot.mouseDClick(page.calls_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [ids["ann-03"]]


def test_export_writes_png_svg_and_pdf_and_refuses_others(page: TrendsPage, tmp_path: Path) -> None:
    for name, head in (("chart.png", b"\x89PNG"), ("chart.pdf", b"%PDF")):
        page.export_chart(tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(head)
    page.export_chart(tmp_path / "chart.svg")
    assert "<svg" in (tmp_path / "chart.svg").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        page.export_chart(tmp_path / "chart.txt")
    assert not (tmp_path / "chart.txt").exists()


def test_report_button_needs_an_agent(qtbot: QtBot, page: TrendsPage) -> None:
    assert page.agent.currentData() is None and not page.report_button.isEnabled()
    _redrawn(qtbot, page, lambda: _choose(page.agent, "Bob"))
    assert page.report_button.isEnabled()
    _redrawn(qtbot, page, lambda: _choose(page.agent, None))
    assert not page.report_button.isEnabled()


def test_models_pass_the_model_tester(qtmodeltester: ModelTester) -> None:
    calls = PointCallsModel()
    calls.set_calls(
        [
            PointCall(1, "a-1", "Ann", date(2026, 3, 4), VerdictStatus.COMPLIANT, Ending.NONE, 0),
            PointCall(2, "a-2", "Ann", date(2026, 3, 5), VerdictStatus.VIOLATION, Ending.PREMATURE, 3),
        ],
        Measure.AGENT_INTERRUPTION.value,
    )
    qtmodeltester.check(calls)
    assert calls.row_at(0).call_id == 2  # where it happened first
    assert calls.index(0, 3).data() == "3" and calls.index(1, 4).data() == "Compliant"
    agents = AgentsModel()
    qtmodeltester.check(agents)


def test_a_library_without_reviewed_calls_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    services = open_services(sqlite_url(tmp_path / "empty.sqlite3"))
    with services.database.session() as session:
        CallRepository(session).add(_call(1, "Ann", "North", WEEKS[10], 2))
    widget = TrendsPage(services)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.drawn, timeout=20000):
        widget.show()
    assert widget.plotted is None
    assert [t.get_text() for t in widget.figure.texts] == [EMPTY]
    _redrawn(qtbot, widget, lambda: widget.include_open.setChecked(True))
    plotted = _plotted(widget)  # drawn anew: mypy would hold on to the None above
    assert plotted is not None and plotted.subject[-1] == 2.0
    widget.stop()
    services.database.dispose()


def test_the_main_window_has_a_trends_tab(qtbot: QtBot, library: tuple[Services, dict[str, int]]) -> None:
    services, ids = library
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert [window.home.tabText(i) for i in range(window.home.count())] == ["Calls", "Trends"]
    assert window.home.currentWidget() is window.library
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # shortcuts reach the active window only
    with qtbot.waitSignal(window.trends.drawn, timeout=20000):
        qtbot.keyClick(window.library.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.home.currentWidget() is window.trends and window.pages.currentWidget() is window.home
    with qtbot.waitSignal(window.review.call_ready, timeout=20000):
        window.trends.open_requested.emit(ids["ann-03"])
    assert window.pages.currentWidget() is window.review
    assert window.review.call is not None and window.review.call.external_id == "ann-03"
    with qtbot.waitSignal(window.trends.drawn, timeout=20000):
        window.show_home()  # File ▸ Close call: back to the tab the call was opened from
    assert window.pages.currentWidget() is window.home and window.home.currentWidget() is window.trends
    window.show_library()
    assert window.home.currentWidget() is window.library
    window.close()
