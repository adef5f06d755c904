"""The detectors' suggestions in the review window: ghost tags, the Suggestions tab, accept / reject / next from the
keyboard with undo, the verdict following an accept, the findings where the bases disagree, and the detector
precision dialog. Real widgets on a copy of the demo library."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.domain.parties import Actor
from reviewer.domain.suggestions import (
    Basis,
    Detection,
    HangupCue,
    HangupEstimate,
    HangupSide,
    Suggestion,
    TurnDisagreement,
)
from reviewer.domain.tags import TagSource
from reviewer.domain.verdict import VerdictStatus
from reviewer.services import detecting, review
from reviewer.services.context import Services
from reviewer.services.library import get_call
from reviewer.text.suggestions import rate_line
from reviewer.ui.main_window import MainWindow
from reviewer.ui.review_page import ReviewPage
from reviewer.ui.suggestion_panel import SUGGESTION_ID_ROLE
from tests.gui.test_review_window import _keys, demo_db, services, window
from tests.gui.test_review_window import _open as _open_call

__all__ = ["demo_db", "services", "window"]  # fixtures shared with the review window tests

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
# demo-08 is a calm call (compliant): empathy 00:10-00:15, hold 00:20-00:25, farewell 00:34-00:39, hang-up 00:41.
FIRST = Suggestion("interruption", Actor.AGENT, 5000, 6000, "interruption", 0.9, "transcript+audio")
SECOND = Suggestion("yelling", Actor.CUSTOMER, 12000, 14000, "raised_voice", 0.7, "+4.1 dB")
THIRD = Suggestion("insult", Actor.CUSTOMER, 26000, 27000, "lexicon", 0.8, "idiot")


def _suggest(services: Services, ref: str, *found: Suggestion, **findings: object) -> tuple[Suggestion, ...]:
    """Store a detection pass over a call, as the detectors would; returns the stored (pending) suggestions."""
    detection = Detection(tuple(found), {"min_db": 3.0}, {"raised_voice": "1"}, **findings)  # type: ignore[arg-type]
    return detecting.store_detection(services, get_call(services, ref), detection).stored


def _open(qtbot: QtBot, window: MainWindow, ref: str) -> int:
    """Open a call and wait for its verdict (checked on a worker), so no check is left running."""
    with qtbot.waitSignal(window.review.verdict_shown, timeout=10000):
        return _open_call(qtbot, window, ref)


def _pending(services: Services, call: int) -> list[int | None]:
    return [s.id for s in detecting.pending_suggestions(services, call)]


def _rows(page: ReviewPage) -> list[int | None]:
    model = page.suggestion_panel.model
    return [model.index(r, 0).data(SUGGESTION_ID_ROLE) for r in range(model.rowCount())]


def _spans(services: Services, call: int, source: TagSource) -> list[tuple[str, Actor, int, int]]:
    return [(t.kind, t.actor, t.start_ms, t.end_ms) for t in review.tags_of(services, call) if t.source is source]


def test_the_demo_calls_suggestions_are_listed_and_drawn(
    qtbot: QtBot, window: MainWindow, services: Services, qtmodeltester: ModelTester
) -> None:
    call = _open(qtbot, window, "demo-01")  # the detectors heard yelling at 00:33 that the tags do not mention
    page = window.review
    pending = detecting.pending_suggestions(services, call)
    assert pending and any(s.kind == "yelling" and s.start_ms // 1000 == 33 for s in pending)
    assert _rows(page) == [s.id for s in pending]
    assert page.side_tabs.tabText(page.side_tabs.indexOf(page.suggestion_panel)) == f"Suggestions ({len(pending)})"
    assert sorted(page.timeline.state.suggestions) == sorted(s.id for s in pending if s.id is not None)
    yelling = next(s for s in pending if s.kind == "yelling")
    row = _rows(page).index(yelling.id)
    shown = [page.suggestion_panel.model.index(row, c).data() for c in range(6)]
    assert shown[1:4] == ["yelling", "Customer", "Raised voice"] and shown[4] == f"{yelling.confidence:.0%}"
    qtmodeltester.check(page.suggestion_panel.model)
    page.timeline.grab()  # paints the ghost tags (a crash or a Qt warning fails the test)


def test_n_jumps_a_accepts_the_next_becomes_current_and_undo_reopens(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    first, second, third = _suggest(services, "demo-08", FIRST, SECOND, THIRD)
    call = _open(qtbot, window, "demo-08")
    page = window.review
    _keys(qtbot, window, "n")
    assert page.timeline.current_suggestion_id() == first.id
    assert page.timeline.playhead_ms() == 5000 and page.suggestion_panel.current_id() == first.id
    _keys(qtbot, window, "a")
    assert _spans(services, call, TagSource.ACCEPTED) == [("interruption", Actor.AGENT, 5000, 6000)]
    assert _pending(services, call) == [second.id, third.id] == _rows(page)
    assert page.timeline.current_suggestion_id() == second.id and page.timeline.playhead_ms() == 12000
    assert any(t.kind == "interruption" and t.source is TagSource.ACCEPTED for t in page.editor.tags())
    _keys(qtbot, window, Qt.Key.Key_Z, modifier=CTRL)
    assert _spans(services, call, TagSource.ACCEPTED) == []
    assert _pending(services, call) == [first.id, second.id, third.id] == _rows(page)
    assert page.timeline.current_suggestion_id() == first.id
    _keys(qtbot, window, Qt.Key.Key_Z, modifier=CTRL | SHIFT)  # redo accepts it again
    assert _spans(services, call, TagSource.ACCEPTED) == [("interruption", Actor.AGENT, 5000, 6000)]
    for _ in range(4):
        page.zoom_in()  # 00:26 is off-screen now
    assert page.timeline.visible_range()[1] < 26000
    _keys(qtbot, window, Qt.Key.Key_N, modifier=SHIFT)  # previous, wrapping round from the second to the third
    assert page.timeline.current_suggestion_id() == third.id and page.timeline.playhead_ms() == 26000
    start, end = page.timeline.visible_range()
    assert start <= 26000 and end >= 27000  # scrolled to show it


def test_r_and_backspace_reject_and_count_against_the_detector(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    _first, second, third = _suggest(services, "demo-08", FIRST, SECOND, THIRD)
    call = _open(qtbot, window, "demo-08")
    page = window.review
    tags_before = review.tags_of(services, call)
    _keys(qtbot, window, "n", "r")
    assert _pending(services, call) == [second.id, third.id]
    assert page.timeline.current_suggestion_id() == second.id
    _keys(qtbot, window, Qt.Key.Key_Backspace)
    assert _pending(services, call) == [third.id] == _rows(page)
    assert review.tags_of(services, call) == tags_before
    rates = {(r.detector, r.kind): r for r in detecting.detector_rates(services)}
    assert rates["interruption", "interruption"].rejected == 1 and rates["raised_voice", "yelling"].rejected == 1
    page.editor.stack.undo()
    assert _pending(services, call) == [second.id, third.id]
    assert page.timeline.current_suggestion_id() == second.id


def test_enter_accepts_the_current_suggestion_else_tags_the_selection(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    _first, second, third = _suggest(services, "demo-08", FIRST, SECOND, THIRD)
    call = _open(qtbot, window, "demo-08")
    page = window.review
    _keys(qtbot, window, "n", Qt.Key.Key_Return)
    assert _spans(services, call, TagSource.ACCEPTED) == [("interruption", Actor.AGENT, 5000, 6000)]
    assert page.timeline.current_suggestion_id() == second.id
    page.seek(1000)
    page.timeline.set_current_lane(Actor.AGENT)
    _keys(qtbot, window, "i")  # a selection is for a new tag: the current suggestion steps aside
    page.seek(2000)
    _keys(qtbot, window, "o")
    assert page.timeline.current_suggestion_id() is None
    _keys(qtbot, window, Qt.Key.Key_Return)
    assert ("interruption", Actor.AGENT, 1000, 2000) in _spans(services, call, TagSource.MANUAL)
    assert _pending(services, call) == [second.id, third.id]


def test_clicking_a_ghost_makes_it_current_and_tags_keep_priority(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    point = Suggestion("hang_up", Actor.AGENT, 13000, 13000, "hangup", 0.5, "last_speaker")
    hang_up, yelling = _suggest(services, "demo-08", point, SECOND)
    _open(qtbot, window, "demo-08")
    page = window.review
    timeline, state = page.timeline, page.timeline.state

    def at(lane: Actor, row: int, ms: int) -> QPointF:
        top, _ = state.geometry.tag_area(lane)
        row_h = state.geometry.row_height(lane, state.rows_in(lane))
        return QPointF(state.x_of(ms), top + row * row_h + row_h / 2)

    ghost_row = state.index.lane(Actor.CUSTOMER).row_count  # ghost spans stack below the lane's tags
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(Actor.CUSTOMER, ghost_row, 13000).toPoint())
    assert timeline.current_suggestion_id() == yelling.id and page.suggestion_panel.current_id() == yelling.id
    assert "Suggested: yelling" in timeline._pointer.tooltip_at(at(Actor.CUSTOMER, ghost_row, 13000))
    # The hang-up ghost crosses the whole agent lane, over the empathy tag: the tag wins where both are.
    empathy = next(t for t in page.editor.tags() if t.kind == "empathy")
    qtbot.mouseClick(
        timeline, Qt.MouseButton.LeftButton, pos=at(Actor.AGENT, state.index.row_of(empathy), 13000).toPoint()
    )
    assert timeline.selected_tag_id() == empathy.id and timeline.current_suggestion_id() is None
    below = state.index.lane(Actor.AGENT).row_count
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(Actor.AGENT, below, 13000).toPoint())
    assert timeline.current_suggestion_id() == hang_up.id and timeline.selected_tag_id() is None
    timeline.grab()  # the current ghost drawn highlighted
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=at(Actor.AGENT, below, 3000).toPoint())
    assert timeline.current_suggestion_id() is None and page.suggestion_panel.current_id() is None


def test_accepting_a_suggestion_rechecks_the_verdict(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    _suggest(services, "demo-08", Suggestion("banned_phrase", Actor.AGENT, 30000, 31000, "lexicon", 0.8, "calm down"))
    _open(qtbot, window, "demo-08")
    page = window.review
    assert page.verdict_panel.status_text() is VerdictStatus.COMPLIANT
    _keys(qtbot, window, "n")
    with qtbot.waitSignal(page.verdict_shown, timeout=5000):
        _keys(qtbot, window, "a")
    qtbot.waitUntil(lambda: page.verdict_panel.status_text() is VerdictStatus.COACHING, timeout=5000)
    verdict = page.verdict_panel.verdict
    assert verdict is not None and "R7.banned_phrase" in {f.rule for f in verdict.findings}
    assert "Coaching" in page.verdict_badge.text()
    with qtbot.waitSignal(page.verdict_shown, timeout=5000):
        page.editor.stack.undo()
    qtbot.waitUntil(lambda: page.verdict_panel.status_text() is VerdictStatus.COMPLIANT, timeout=5000)


def test_the_panel_says_where_the_bases_disagree(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    _suggest(
        services,
        "demo-10",
        hangups=(
            HangupEstimate(HangupSide.LINE_DROP, Basis.METADATA, 29000, 0.9, (HangupCue.DISCONNECT_REASON,)),
            HangupEstimate(HangupSide.CUSTOMER, Basis.AUDIO, 28800, 0.6, (HangupCue.ONE_SIDED_DROP,)),
        ),
        disagreements=(TurnDisagreement(Basis.AUDIO, Actor.AGENT, 4000, 4600),),
        backchannels={"agent": 2},
    )
    _open(qtbot, window, "demo-10")
    lines = dict(window.review.suggestion_panel.lines)
    assert lines["Who hung up: a line drop at 00:29 by metadata (disconnect reason; 90%)"] is True
    assert lines["Who hung up: the customer at 00:28 by audio (one sided drop; 60%)"] is True
    assert lines["Who hung up: the sources disagree; check the end of the recording"] is True
    assert lines["00:04 interruption by the agent found only in the audio"] is True
    assert lines["Backchannels (counted, not proposed): agent 2"] is False
    assert "⚠ Who hung up: the sources disagree" in window.review.suggestion_panel.findings.text()
    _suggest(
        services,
        "demo-09",
        hangups=(
            HangupEstimate(HangupSide.CUSTOMER, Basis.METADATA, 29000, 0.9),
            HangupEstimate(HangupSide.CUSTOMER, Basis.TRANSCRIPT, 29000, 0.75),
        ),
    )
    _open(qtbot, window, "demo-09")  # both sources agree: nothing to warn about
    assert [disputed for _line, disputed in window.review.suggestion_panel.lines] == [False, False]


def test_the_panel_jumps_decides_and_accepts_a_whole_kind(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    more = Suggestion("yelling", Actor.CUSTOMER, 30000, 31000, "raised_voice", 0.8, "+5.0 dB")
    first, second, third, fourth = _suggest(services, "demo-08", FIRST, SECOND, THIRD, more)
    call = _open(qtbot, window, "demo-08")
    page = window.review
    panel = page.suggestion_panel
    page.side_tabs.setCurrentWidget(panel)
    rect = panel.table.visualRect(panel.model.index(1, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.timeline.current_suggestion_id() == second.id and page.timeline.playhead_ms() == 12000
    panel.accept_kind_button.click()  # both yelling suggestions, one undo step
    yelling = [s for s in _spans(services, call, TagSource.ACCEPTED) if s[0] == "yelling"]
    assert yelling == [("yelling", Actor.CUSTOMER, 12000, 14000), ("yelling", Actor.CUSTOMER, 30000, 31000)]
    assert _pending(services, call) == [first.id, third.id] == _rows(page)
    page.editor.stack.undo()
    assert _pending(services, call) == [first.id, second.id, third.id, fourth.id]
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(2, 0))
    assert page.timeline.current_suggestion_id() == third.id
    qtbot.keyClick(panel.table, Qt.Key.Key_Backspace)  # the table leaves Backspace to the page: reject
    assert third.id not in _pending(services, call)
    panel.reject_button.click()  # the next one (the second yelling) is current now
    assert _pending(services, call) == [first.id, second.id]


def test_text_fields_keep_the_suggestion_keys(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    _suggest(services, "demo-08", FIRST, SECOND)
    call = _open(qtbot, window, "demo-08")
    page = window.review
    _keys(qtbot, window, "n")
    before = _pending(services, call)
    page.summary.setFocus()
    qtbot.keyClicks(page.summary, "An aRgument, Nothing else")
    qtbot.keyClick(page.summary, Qt.Key.Key_Backspace)
    qtbot.keyClick(page.summary, Qt.Key.Key_Return)
    assert _pending(services, call) == before
    assert page.summary.toPlainText() == "An aRgument, Nothing els\n"
    page.save_summary()


def test_running_the_detectors_again_on_a_worker(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    call = _open(qtbot, window, "demo-01")
    page = window.review
    page.book.reject(page.book.pending()[0])  # a decision the next pass must keep
    panel = page.suggestion_panel
    panel.detect_button.click()
    assert not panel.detect_button.isEnabled()
    qtbot.waitUntil(panel.detect_button.isEnabled, timeout=20000)
    assert _rows(page) == _pending(services, call)
    assert "open for review" in window.statusBar().currentMessage()


def test_detector_precision_and_keyboard_sheet(qtbot: QtBot, window: MainWindow, services: Services) -> None:
    _suggest(services, "demo-08", FIRST, SECOND, THIRD)
    _open(qtbot, window, "demo-08")
    _keys(qtbot, window, "n", "a", "r")
    dialog = window.show_detector_precision()
    qtbot.addWidget(dialog)
    lines = dialog.lines()
    assert lines == [rate_line(r) for r in detecting.detector_rates(services)]
    assert "interruption interruption: 100% accepted (1 accepted, 0 rejected, 0 open)" in lines
    yelling = next(r for r in detecting.detector_rates(services) if (r.detector, r.kind) == ("raised_voice", "yelling"))
    assert (yelling.accepted, yelling.rejected, yelling.precision) == (0, 1, 0.0)  # the demo's own ones stay open
    dialog.close()
    shortcuts = {(group, text): keys for group, text, keys in window.keyboard_rows()}
    assert shortcuts["Suggestions", "Accept suggestion"] == "A"
    assert shortcuts["Suggestions", "Reject suggestion"] == "R / Backspace"
    assert shortcuts["Suggestions", "Next suggestion"] == "N"
    assert shortcuts["Suggestions", "Previous suggestion"] == "Shift+N"
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Suggestions" in menus


def test_shift_space_hears_the_current_suggestion_and_the_legend_names_n(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    _suggest(services, "demo-08", FIRST, SECOND, THIRD)
    _open(qtbot, window, "demo-08")
    page = window.review
    assert "<b>N</b> next suggestion" in page.legend.text()
    _keys(qtbot, window, "n")
    _keys(qtbot, window, Qt.Key.Key_Space, modifier=SHIFT)
    qtbot.waitUntil(page.player.is_playing, timeout=5000)
    qtbot.waitUntil(lambda: not page.player.is_playing(), timeout=10000)  # stops at the suggestion's end
    assert 5000 <= page.player.position() <= 6300
