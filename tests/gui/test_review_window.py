"""The review window end to end on a real database: keyboard tagging, undo, playback, transcript seeking, notes,
call facts, drag-and-drop import, and tags still there after a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from reviewer.app.main import open_services
from reviewer.domain.call import ReviewStatus
from reviewer.domain.parties import Actor
from reviewer.services import review
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport
from reviewer.services.library import call_id, get_call
from reviewer.ui.main_window import MainWindow
from tests.testkit import write_wav


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo library for the module (building it decodes ten MP3s); each test copies it."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite+pysqlite:///{folder / 'demo.sqlite3'}"
    services = open_services(url)
    report = ImportReport()
    list(build_demo(services, report, history=False))
    assert report.ok and len(report.imported) == 10
    services.database.dispose()
    return str(folder / "demo.sqlite3")


@pytest.fixture
def services(demo_db: str, tmp_path: Path) -> Iterator[Services]:
    copy = tmp_path / "library.sqlite3"
    copy.write_bytes(Path(demo_db).read_bytes())
    opened = open_services(f"sqlite+pysqlite:///{copy}")
    yield opened
    opened.database.dispose()


def _window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _open(qtbot: QtBot, window: MainWindow, ref: str) -> int:
    target = call_id(window.services, ref)
    with qtbot.waitSignal(window.review.call_ready, timeout=20000):
        window.open_call(target)
    return target


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    shown = _window(qtbot, services)
    yield shown
    shown.review.close_call()
    shown.close()


def _keys(qtbot: QtBot, window: MainWindow, *keys: str | Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    target = window.review.timeline
    target.setFocus()
    for key in keys:
        if isinstance(key, str):
            qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)
        else:
            qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


def test_keyboard_tagging_end_to_end_with_undo(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    call = _open(qtbot, window, "demo-04")
    before = review.tags_of(services, call)
    page = window.review
    page.seek(3000)
    _keys(qtbot, window, "i")
    for _ in range(15):  # Right: +0.1 s each
        _keys(qtbot, window, Qt.Key.Key_Right)
    _keys(qtbot, window, "o")
    selection = page.timeline.selection()
    assert selection is not None
    lane = selection[0]
    _keys(qtbot, window, "1")  # key 1 on a party lane: interruption
    added = [t for t in review.tags_of(services, call) if t not in before]
    assert [(t.kind, t.actor, t.start_ms, t.end_ms) for t in added] == [("interruption", lane, 3000, 4500)]
    assert added[0].author == services.author

    page.seek(9000)
    page.timeline.set_current_lane(Actor.AGENT)
    _keys(qtbot, window, "m")  # a hang-up by the agent at the playhead
    stored = review.tags_of(services, call)
    assert [(t.kind, t.actor, t.start_ms) for t in stored if t not in before and t.kind == "hang_up"] == [
        ("hang_up", Actor.AGENT, 9000)
    ]
    _keys(qtbot, window, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier)
    assert [t.kind for t in review.tags_of(services, call) if t not in before] == ["interruption"]
    _keys(qtbot, window, Qt.Key.Key_Z, modifier=Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert sorted(t.kind for t in review.tags_of(services, call) if t not in before) == ["hang_up", "interruption"]
    assert page.tag_model.rowCount() == len(review.tags_of(services, call))


def test_tags_survive_a_restart(qtbot: QtBot, services: Services) -> None:
    first = _window(qtbot, services)
    call = _open(qtbot, first, "demo-02")
    first.review.timeline.set_selection(Actor.CUSTOMER, 1000, 2000)
    first.review.tag_as("profanity")
    first.close()
    reopened = open_services(services.database.url)
    try:
        kinds = [(t.kind, t.start_ms) for t in get_call(reopened, str(call)).tags]
        assert ("profanity", 1000) in kinds
        second = _window(qtbot, reopened)
        _open(qtbot, second, "demo-02")
        assert any(t.kind == "profanity" and t.start_ms == 1000 for t in second.review.editor.tags())
        second.close()
    finally:
        reopened.database.dispose()


def test_number_key_rekinds_the_selected_tag_and_delete_removes_it(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    call = _open(qtbot, window, "demo-03")
    page = window.review
    page.timeline.set_selection(Actor.CUSTOMER, 500, 900)
    page.tag_as("insult")
    new = next(t for t in page.editor.tags() if t.kind == "insult" and t.start_ms == 500)
    assert page.timeline.selected_tag_id() == new.id
    _keys(qtbot, window, "2")  # customer lane key 2: profanity
    assert review.tags_of(services, call)[0:0] == () and any(
        t.id == new.id and t.kind == "profanity" for t in review.tags_of(services, call)
    )
    _keys(qtbot, window, Qt.Key.Key_Delete)
    assert all(t.id != new.id for t in review.tags_of(services, call))
    page.editor.stack.undo()
    assert any(t.id == new.id and t.kind == "profanity" for t in review.tags_of(services, call))


def test_nudges_coalesce_into_one_undo_step(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    call = _open(qtbot, window, "demo-05")
    page = window.review
    page.timeline.set_selection(Actor.AGENT, 2000, 3000)
    page.tag_as("warning")
    tag = next(t for t in page.editor.tags() if t.kind == "warning" and t.start_ms == 2000)
    for _ in range(3):
        _keys(qtbot, window, Qt.Key.Key_U, modifier=Qt.KeyboardModifier.ControlModifier)  # start later by 0.1 s
    stored = {t.id: t for t in review.tags_of(services, call)}
    assert stored[tag.id].start_ms == 2300
    depth = page.editor.stack.count()
    page.editor.stack.undo()
    assert {t.id: t for t in review.tags_of(services, call)}[tag.id].start_ms == 2000
    assert page.editor.stack.count() == depth


def test_clicking_a_transcript_line_seeks_the_player(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-01")
    page = window.review
    view = page.transcript.view
    row = 3
    assert page.call is not None
    utterance = page.call.utterances[row]
    rect = view.visualRect(view.model().index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.timeline.playhead_ms() == utterance.start_ms
    qtbot.waitUntil(lambda: abs(page.player.position() - utterance.start_ms) < 300, timeout=5000)


def test_playback_moves_the_playhead(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-01")
    page = window.review
    _keys(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.player.position() > 600, timeout=15000)
    qtbot.waitUntil(lambda: page.timeline.playhead_ms() > 300, timeout=5000)
    _keys(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not page.player.is_playing(), timeout=5000)
    assert page.play_button.text().endswith("Play")


def test_review_status_summary_and_facts_are_saved(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    call = _open(qtbot, window, "demo-06")
    page = window.review
    page.summary.setFocus()
    qtbot.keyClicks(page.summary, "Warned twice. 1 2 3")  # digits typed in the note never tag
    before = len(review.tags_of(services, call))
    qtbot.waitUntil(lambda: get_call(services, str(call)).summary == "Warned twice. 1 2 3", timeout=5000)
    assert len(review.tags_of(services, call)) == before
    page.status_done()
    assert get_call(services, str(call)).review_status is ReviewStatus.DONE
    page.lead_notified.click()
    assert any(t.kind == "lead_notified" and t.actor is Actor.CALL for t in review.tags_of(services, call))
    page.lead_notified.click()
    assert not any(t.kind == "lead_notified" for t in review.tags_of(services, call))


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_dropping_files_imports_them_and_reports_the_bad_one(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    good = write_wav(tmp_path / "dropped-call.wav", seconds=3)
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    rows = window.library.model.rowCount()
    _drop(window, [good, bad])
    qtbot.waitUntil(lambda: hasattr(window, "last_report_box"), timeout=20000)
    box = window.last_report_box
    assert "Imported 1 call(s)" in box.text() and "failed 1" in box.text()
    assert "broken.wav" in box.detailedText()
    assert window.library.model.rowCount() == rows + 1
    box.close()


def test_keyboard_sheet_lists_the_menu_shortcuts(window: MainWindow) -> None:
    rows = window.keyboard_rows()
    shortcuts = {text: keys for _group, text, keys in rows}
    assert "Space" in shortcuts["Play / Pause"] and "Ctrl+Space" in shortcuts["Play / Pause"]
    assert shortcuts["Undo"] == "Ctrl+Z"
    assert shortcuts["Selection start at playhead"] == "I"
    assert len(rows) >= 40


def test_screen_position_label_and_go_to_time(qtbot: QtBot, window: MainWindow) -> None:
    _open(qtbot, window, "demo-01")
    page = window.review
    page.go_to_text("0:07.250")
    assert page.timeline.playhead_ms() == 7250 and page.position.text().startswith("00:07.250")
    page.go_to_text("banana")
    assert page.timeline.playhead_ms() == 7250
    assert "Not a time" in window.statusBar().currentMessage()
