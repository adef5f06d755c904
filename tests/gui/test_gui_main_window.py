"""The main window on a real database: library rows, filter, sort, empty state."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.domain.call import CallSummary, ReviewStatus
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport
from reviewer.ui.library_model import COLUMNS, LibraryModel
from reviewer.ui.main_window import MainWindow


def _summary(call_id: int, agent: str, duration_ms: int) -> CallSummary:
    return CallSummary(
        id=call_id, external_id=f"c-{call_id}", agent=agent, team="North",
        started_at=datetime(2026, 10, call_id, 9, 0, tzinfo=UTC), duration_ms=duration_ms, channels=2,
        utterances=3, tags=2, audio_sha256="ab" * 32, review_status=ReviewStatus.TODO,
        tag_kinds=(("profanity", 2), ("hang_up", 1)),
    )  # fmt: skip


def test_library_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = LibraryModel()
    model.set_calls([_summary(1, "Ann", 5000), _summary(2, "Bo", 900_000)])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    tagged = [c[0] for c in COLUMNS].index("Tagged")
    assert model.data(model.index(0, tagged)) == "profanity ×2 · hang-up"
    assert model.data(model.index(1, 4)) == "15:00"


def test_window_lists_the_demo_library(qtbot: QtBot, sqlite_services: Services) -> None:
    list(build_demo(sqlite_services, ImportReport()))
    window = MainWindow(sqlite_services)
    qtbot.addWidget(window)
    window.show()
    library = window.library
    assert library.proxy.rowCount() >= 8
    assert not library.empty_hint.isVisibleTo(window) and not library.demo_button.isVisibleTo(window)
    agents = {library.proxy.index(r, 1).data() for r in range(library.proxy.rowCount())}
    assert len(agents) >= 4
    assert "calls" in window.statusBar().currentMessage()

    everybody = library.proxy.rowCount()
    assert everybody > 300  # the ten scripted calls and their review history
    library.filters.team.setCurrentIndex(library.filters.team.findText("Team South"))
    south = library.proxy.rowCount()
    assert 0 < south < everybody
    assert all(library.proxy.index(r, 2).data() == "Team South" for r in range(south))
    library.filters.clear()
    assert library.proxy.rowCount() == everybody

    library.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # duration, sorted as numbers
    rows = range(library.proxy.rowCount())
    durations = [library.proxy.index(r, 4).data(Qt.ItemDataRole.UserRole + 1) for r in rows]
    assert durations == sorted(durations)


def test_transcript_search_narrows_the_library(qtbot: QtBot, sqlite_services: Services) -> None:
    list(build_demo(sqlite_services, ImportReport()))
    window = MainWindow(sqlite_services)
    qtbot.addWidget(window)
    search = window.library.filters.search
    everybody = window.library.proxy.rowCount()
    with qtbot.waitSignal(window.library.filters.changed, timeout=3000):
        qtbot.keyClicks(search, "supervisor")
    found = window.library.proxy.rowCount()
    assert 0 < found < everybody
    with qtbot.waitSignal(window.library.filters.changed, timeout=3000):
        search.setText("no such words anywhere")
    assert window.library.proxy.rowCount() == 0
    assert window.library.empty_hint.text() == "No call matches these filters."


def test_empty_library_offers_the_demo(qtbot: QtBot, sqlite_services: Services) -> None:
    window = MainWindow(sqlite_services)
    qtbot.addWidget(window)
    window.show()
    assert window.library.proxy.rowCount() == 0
    assert window.library.empty_hint.isVisibleTo(window) and "Drop recordings" in window.library.empty_hint.text()
    assert window.library.demo_button.isVisibleTo(window)
