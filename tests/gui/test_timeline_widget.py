"""The timeline widget driven like a user would: clicks, drags, wheel, playback polling, and what it paints."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QRegion,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from reviewer.audio.peaks import PeaksPyramid, build_peaks
from reviewer.domain.parties import Actor, Party
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance, Word
from reviewer.ui.timeline import TimelineWidget
from reviewer.ui.timeline.colors import TimelineColors
from reviewer.ui.timeline.geometry import GUTTER_PX

DURATION = 60_000
HELLO = (Word("hello", 15_000, 15_600), Word("there", 15_700, 16_000))
UTTERANCES = [
    Utterance(Party.AGENT, "A", 15_000, 17_000, "hello there", HELLO),
    Utterance(Party.CUSTOMER, "C", 24_000, 27_000, "yes please", (Word("yes", 24_100, 24_500),)),
]
NO_KEYS = Qt.KeyboardModifier.NoModifier
TAGS = [
    Tag("warning", Actor.AGENT, 10_000, 14_000, id=1),
    Tag("empathy", Actor.AGENT, 30_000, 31_000, id=2),
    Tag("hold", Actor.AGENT, 45_000, 50_000, id=3),
    Tag("insult", Actor.CUSTOMER, 20_000, 22_000, id=4),
    Tag("hang_up", Actor.AGENT, 55_000, 55_000, id=5),
]


@pytest.fixture(scope="module")
def peaks() -> PeaksPyramid:
    """One minute of stereo noise in bursts: the agent speaks in even seconds, the customer in odd ones."""
    rate = 8000
    t = np.arange(rate * 60) / rate
    rng = np.random.default_rng(2)
    channels = [((t.astype(int) % 2) == c) * rng.normal(0, 8000, t.size) for c in (0, 1)]
    return build_peaks(np.clip(np.stack(channels, axis=1), -32767, 32767).astype(np.int16), rate)


@pytest.fixture
def timeline(qtbot: QtBot, peaks: PeaksPyramid) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 400)
    widget.set_call(DURATION, peaks, 0, 1, UTTERANCES, TAGS)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _record(signal: object) -> list[tuple[object, ...]]:
    calls: list[tuple[object, ...]] = []
    signal.connect(lambda *args: calls.append(args))  # type: ignore[attr-defined]
    return calls


def _mouse(w: TimelineWidget, kind: QEvent.Type, pos: QPointF, modifiers: Qt.KeyboardModifier = NO_KEYS) -> None:
    # Sent by hand: QTest's mouseMove carries no modifiers, and Shift-while-dragging is what is under test.
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, pos, QPointF(w.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(w, event)


def _drag(w: TimelineWidget, start: QPointF, end: QPointF, modifiers: Qt.KeyboardModifier = NO_KEYS) -> None:
    _mouse(w, QEvent.Type.MouseButtonPress, start, modifiers)
    for f in (0.25, 0.5, 0.75, 1.0):
        _mouse(w, QEvent.Type.MouseMove, start + (end - start) * f, modifiers)
    _mouse(w, QEvent.Type.MouseButtonRelease, end, modifiers)


def _click(w: TimelineWidget, pos: QPointF) -> None:
    _mouse(w, QEvent.Type.MouseButtonPress, pos)
    _mouse(w, QEvent.Type.MouseButtonRelease, pos)


def _x(w: TimelineWidget, ms: float) -> float:
    return float(round(w.state.x_of(ms)))


def _row_y(w: TimelineWidget, lane: Actor, row: int = 0) -> float:
    top, _ = w.state.geometry.tag_area(lane)
    height = w.state.geometry.row_height(lane, w.state.index.lane(lane).row_count)
    return top + height * row + height / 2


def _empty_y(w: TimelineWidget, lane: Actor) -> float:
    return w.state.geometry.lanes[lane].bottom() - 4.0  # below the tag rows


def test_click_on_an_empty_lane_seeks_there_and_makes_the_lane_current(timeline: TimelineWidget) -> None:
    seeks, lanes = _record(timeline.seek_requested), _record(timeline.lane_changed)
    pos = QPointF(_x(timeline, 40_000), _empty_y(timeline, Actor.CUSTOMER))
    _click(timeline, pos)
    expected = round(timeline.state.ms_at(pos.x()))
    assert abs(expected - 40_000) < timeline.scale.ms_per_px
    assert seeks == [(expected,)] and timeline.playhead_ms() == expected
    assert lanes == [(Actor.CUSTOMER,)] and timeline.current_lane() is Actor.CUSTOMER
    assert timeline.selection() is None


def test_drag_on_a_lane_selects_time_there_and_snaps_its_edges(timeline: TimelineWidget) -> None:
    seeks, changes = _record(timeline.seek_requested), _record(timeline.selection_changed)
    y = _empty_y(timeline, Actor.CUSTOMER)
    start, end = QPointF(_x(timeline, 35_000), y), QPointF(_x(timeline, 38_000), y)
    _drag(timeline, start, end)
    expected = (Actor.CUSTOMER, round(timeline.state.ms_at(start.x())), round(timeline.state.ms_at(end.x())))
    assert timeline.selection() == expected and changes and not seeks
    near_tag_start = QPointF(_x(timeline, 45_000) - 4, y)  # tag 3 starts at 45 s: 4 px away snaps
    _drag(timeline, start, near_tag_start)
    assert timeline.selection() == (Actor.CUSTOMER, expected[1], 45_000)


def _drag_tag_end(w: TimelineWidget, modifiers: Qt.KeyboardModifier) -> tuple[list[tuple[object, ...]], float, float]:
    w.scale.zoom_to(5_000, 25_000)
    edits = _record(w.tag_edit_finished)
    y = _row_y(w, Actor.AGENT)
    press, release = QPointF(_x(w, 14_000), y), QPointF(_x(w, 16_000) + 5, y)  # the word "there" ends at 16 s
    _mouse(w, QEvent.Type.MouseButtonPress, press, modifiers)
    _mouse(w, QEvent.Type.MouseMove, release, modifiers)
    assert edits == [] and w.state.preview is not None  # a drag only previews
    assert w.state.guide_ms == (None if modifiers else 16_000)
    _mouse(w, QEvent.Type.MouseButtonRelease, release, modifiers)
    return edits, press.x(), release.x()


def test_dragging_a_tag_edge_emits_one_snapped_edit_on_release(timeline: TimelineWidget) -> None:
    edits, _, _ = _drag_tag_end(timeline, Qt.KeyboardModifier.NoModifier)
    assert edits == [(1, 10_000, 16_000)]
    assert timeline.selected_tag_id() == 1 and timeline.state.preview is None and timeline.state.guide_ms is None


def test_shift_turns_snapping_off(timeline: TimelineWidget) -> None:
    edits, press_x, release_x = _drag_tag_end(timeline, Qt.KeyboardModifier.ShiftModifier)
    expected_end = round(14_000 + (release_x - press_x) * timeline.scale.ms_per_px)
    assert expected_end != 16_000 and edits == [(1, 10_000, expected_end)]


def test_dragging_a_tag_body_moves_it_and_escape_cancels(timeline: TimelineWidget) -> None:
    edits = _record(timeline.tag_edit_finished)
    y = _row_y(timeline, Actor.AGENT)
    start, end = QPointF(_x(timeline, 30_500), y), QPointF(_x(timeline, 33_500), y)
    _drag(timeline, start, end, Qt.KeyboardModifier.ShiftModifier)
    shift = round((end.x() - start.x()) * timeline.scale.ms_per_px)
    assert edits == [(2, 30_000 + shift, 31_000 + shift)]
    _mouse(timeline, QEvent.Type.MouseButtonPress, start)
    _mouse(timeline, QEvent.Type.MouseMove, end)
    QApplication.sendEvent(timeline, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    _mouse(timeline, QEvent.Type.MouseButtonRelease, end)
    assert len(edits) == 1 and timeline.state.preview is None


def test_ctrl_wheel_zooms_around_the_pointer_and_the_plain_wheel_scrolls(timeline: TimelineWidget) -> None:
    timeline.scale.zoom_to(10_000, 40_000)
    pos = QPointF(500, _empty_y(timeline, Actor.AGENT))
    under_pointer, ms_per_px = timeline.state.ms_at(pos.x()), timeline.scale.ms_per_px

    def wheel(modifiers: Qt.KeyboardModifier, dy: int) -> None:
        event = QWheelEvent(
            pos, QPointF(timeline.mapToGlobal(pos)), QPoint(), QPoint(0, dy), Qt.MouseButton.NoButton, modifiers,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(timeline, event)

    wheel(Qt.KeyboardModifier.ControlModifier, 120)
    assert timeline.scale.ms_per_px < ms_per_px
    assert timeline.state.ms_at(pos.x()) == pytest.approx(under_pointer)
    start, ms_per_px = timeline.scale.start_ms, timeline.scale.ms_per_px
    wheel(Qt.KeyboardModifier.NoModifier, -120)
    assert timeline.scale.start_ms > start and timeline.scale.ms_per_px == ms_per_px


def test_zoom_fit_and_zoom_to_selection(timeline: TimelineWidget) -> None:
    timeline.set_selection(Actor.AGENT, 30_000, 20_000)
    assert timeline.selection() == (Actor.AGENT, 20_000, 30_000)
    timeline.zoom_to_selection()
    assert timeline.visible_range() == (19_500, 30_500)
    timeline.zoom_in()
    assert timeline.visible_range()[1] - timeline.visible_range()[0] == 5_500
    timeline.zoom_fit()
    assert timeline.visible_range() == (0, DURATION)
    timeline.clear_selection()
    timeline.select_tag(4)
    timeline.zoom_to_selection()
    assert timeline.visible_range() == (19_900, 22_100)


def test_alt_arrows_walk_the_tags_of_the_current_lane(timeline: TimelineWidget) -> None:
    seeks, picks = _record(timeline.seek_requested), _record(timeline.tag_selected)
    timeline.set_playhead(20_000)
    for expected in (2, 3, 5):
        timeline.select_adjacent_tag(forward=True)
        assert timeline.selected_tag_id() == expected
    timeline.select_adjacent_tag(forward=False)
    assert timeline.selected_tag_id() == 3 and timeline.playhead_ms() == 45_000
    assert seeks == [(30_000,), (45_000,), (55_000,), (45_000,)] and picks[-1] == (3,)
    timeline.set_current_lane(Actor.CUSTOMER)
    timeline.select_adjacent_tag(forward=False)
    assert timeline.selected_tag_id() == 4 and timeline.current_lane() is Actor.CUSTOMER


def test_selecting_a_tag_off_screen_scrolls_it_into_view(timeline: TimelineWidget) -> None:
    timeline.scale.zoom_to(0, 10_000)
    timeline.select_tag(3)
    start, end = timeline.visible_range()
    assert start <= 45_000 and end >= 50_000 and end - start == 10_000


def test_the_position_source_drives_the_playhead_and_pages_the_view(qtbot: QtBot, timeline: TimelineWidget) -> None:
    position = {"ms": 5_000}
    timeline.scale.zoom_to(0, 10_000)
    timeline.set_position_source(lambda: position["ms"])
    assert any(t.isActive() for t in timeline.findChildren(QTimer))
    qtbot.waitUntil(lambda: timeline.playhead_ms() == 5_000)
    assert timeline.visible_range() == (0, 10_000)  # inside the view: no scrolling
    position["ms"] = 42_000
    qtbot.waitUntil(lambda: timeline.playhead_ms() == 42_000)
    assert timeline.visible_range() == (41_800, 51_800)  # paged: the playhead near the left edge
    timeline.set_position_source(None)
    assert not [t for t in timeline.findChildren(QTimer) if t.isActive()]


def test_i_and_o_set_an_ordered_selection_on_the_current_lane(timeline: TimelineWidget) -> None:
    timeline.set_current_lane(Actor.CALL)
    timeline.set_playhead(5_000)
    timeline.set_selection_start_at_playhead()
    timeline.set_playhead(8_000)
    timeline.set_selection_end_at_playhead()
    assert timeline.selection() == (Actor.CALL, 5_000, 8_000)
    timeline.set_playhead(9_000)
    timeline.set_selection_start_at_playhead()
    assert timeline.selection() == (Actor.CALL, 8_000, 9_000)


def test_lanes_step_and_stop_at_the_ends(timeline: TimelineWidget) -> None:
    changes = _record(timeline.lane_changed)
    for _ in range(3):
        timeline.next_lane()
    assert timeline.current_lane() is Actor.CALL and changes == [(Actor.CUSTOMER,), (Actor.CALL,)]
    timeline.previous_lane()
    assert timeline.current_lane() is Actor.CUSTOMER


def test_double_click_activates_and_right_click_asks_for_a_menu(timeline: TimelineWidget) -> None:
    activated, menus = _record(timeline.tag_activated), _record(timeline.context_menu_requested)
    pos = QPointF(_x(timeline, 21_000), _row_y(timeline, Actor.CUSTOMER))
    _click(timeline, pos)
    _mouse(timeline, QEvent.Type.MouseButtonDblClick, pos)
    _mouse(timeline, QEvent.Type.MouseButtonRelease, pos)
    assert activated == [(4,)] and timeline.selected_tag_id() == 4
    timeline.select_tag(None)
    global_pos = timeline.mapToGlobal(pos.toPoint())
    QApplication.sendEvent(timeline, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos.toPoint(), global_pos))
    assert menus == [(4, global_pos, round(timeline.state.ms_at(pos.x())))] and timeline.selected_tag_id() == 4


def test_cursor_shapes_tell_edges_from_bodies(timeline: TimelineWidget) -> None:
    y = _row_y(timeline, Actor.AGENT)
    shapes = []
    for ms, dx in ((14_000, 3), (12_000, 0), (38_000, 0)):
        _mouse_hover = QMouseEvent(
            QEvent.Type.MouseMove, QPointF(_x(timeline, ms) + dx, y), QPointF(), Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(timeline, _mouse_hover)
        shapes.append(timeline.cursor().shape())
    assert shapes == [Qt.CursorShape.SizeHorCursor, Qt.CursorShape.OpenHandCursor, Qt.CursorShape.IBeamCursor]


def test_set_tags_keeps_the_selection_while_its_tag_exists(timeline: TimelineWidget) -> None:
    picks = _record(timeline.tag_selected)
    timeline.select_tag(1)
    timeline.set_tags([Tag("warning", Actor.AGENT, 9_000, 14_000, id=1), *TAGS[1:]])
    assert timeline.selected_tag_id() == 1
    timeline.set_tags(TAGS[1:])
    assert timeline.selected_tag_id() is None and picks == [(1,), (None,)]


def test_overview_click_jumps_and_the_lane_divider_resizes(timeline: TimelineWidget) -> None:
    timeline.scale.zoom_to(0, 10_000)
    seeks = _record(timeline.seek_requested)
    overview = timeline.state.geometry.overview
    x = GUTTER_PX + 0.75 * timeline.state.geometry.timeline_width
    _click(timeline, QPointF(x, overview.center().y()))
    assert seeks == [(45_000,)] and timeline.visible_range() == (40_000, 50_000)
    agent = timeline.state.geometry.lanes[Actor.AGENT]
    height = agent.height()
    _drag(timeline, QPointF(500, agent.bottom()), QPointF(500, agent.bottom() + 30))
    assert timeline.state.geometry.lanes[Actor.AGENT].height() == pytest.approx(height + 30, abs=1)


def _lane_pixels(w: TimelineWidget, lane: Actor) -> np.ndarray:
    image = w.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    pixels = np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    rect = w.state.geometry.lanes[lane]
    return pixels[rect.top() + 2 : rect.bottom() - 1, 100 : image.width()]


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e0e0e0"),
        (QPalette.ColorRole.WindowText, "#e0e0e0"),
    ):
        palette.setColor(role, QColor(color))  # fmt: skip
    return palette


@pytest.mark.parametrize("palette", [QPalette, _dark_palette], ids=["light", "dark"])
def test_lanes_paint_waveforms_and_tags_in_light_and_dark_palettes(
    timeline: TimelineWidget, palette: Callable[[], QPalette]
) -> None:
    timeline.setPalette(palette())
    base = timeline.palette().color(QPalette.ColorRole.Base).rgba()
    for lane in (Actor.AGENT, Actor.CUSTOMER):
        pixels = _lane_pixels(timeline, lane)
        background = (pixels == base).mean() + (pixels == TimelineColors(timeline.palette()).lane_current.rgba()).mean()
        assert background < 0.9, f"{lane} looks blank"
        assert len(np.unique(pixels)) > 20
    colors = TimelineColors(timeline.palette())
    fill, under = colors.kind("warning").fill, colors.lane_current  # tag 1 over the (current) agent lane
    pixel = timeline.grab().toImage().pixelColor(round(_x(timeline, 13_500)), round(_row_y(timeline, Actor.AGENT)))
    alpha = fill.alphaF()
    pairs = ((fill.red(), under.red()), (fill.green(), under.green()), (fill.blue(), under.blue()))
    expected = [round(f * alpha + u * (1 - alpha)) for f, u in pairs]
    assert [pixel.red(), pixel.green(), pixel.blue()] == pytest.approx(expected, abs=3)
    timeline.set_call(DURATION, None, None, None, [], [])
    assert len(np.unique(_lane_pixels(timeline, Actor.CUSTOMER))) <= 2  # no waveform, no tags: nothing but lane


def test_mono_draws_channel_zero_in_both_lanes_and_tiles_are_cached(
    timeline: TimelineWidget, peaks: PeaksPyramid
) -> None:
    timeline.set_call(DURATION, peaks, None, None, UTTERANCES, [])
    assert timeline.state.waveforms.channel(None) == 0
    first = _lane_pixels(timeline, Actor.AGENT)
    rendered = timeline.state.waveforms.rendered
    timeline.set_current_lane(Actor.CUSTOMER)
    timeline.set_current_lane(Actor.AGENT)
    assert np.array_equal(_lane_pixels(timeline, Actor.AGENT), first) and timeline.state.waveforms.rendered == rendered


def test_playback_repaints_only_thin_columns_that_match_a_full_repaint(
    timeline: TimelineWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeline.scale.zoom_to(5_000, 35_000)
    timeline.set_playhead(12_000)
    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    timeline.render(image)
    exposed: list[QRect] = []
    monkeypatch.setattr(timeline, "update", lambda *rect: exposed.append(QRect(*rect)))
    full = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    for ms in (21_000, 15_300, 10_100):  # across a tag's body and its label, an utterance's label, a tag's edge
        exposed.clear()
        timeline.set_playhead(ms)
        assert exposed and all(r.width() < 20 for r in exposed)
        for rect in exposed:
            timeline.render(image, rect.topLeft(), QRegion(rect))
        timeline.render(full)
        assert image == full


def test_tooltips_name_the_tag_or_the_keys(timeline: TimelineWidget, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_: shown.append(text))
    for ms, lane in ((21_000, Actor.CUSTOMER), (38_000, Actor.CUSTOMER)):
        pos = QPoint(round(_x(timeline, ms)), round(_row_y(timeline, lane)))
        QApplication.sendEvent(timeline, QHelpEvent(QEvent.Type.ToolTip, pos, timeline.mapToGlobal(pos)))
    assert shown[0].startswith("insult · 0:20.000–0:22.000")
    assert "Ctrl+wheel: zoom" in shown[1] and "Shift while dragging: no snapping" in shown[1]
