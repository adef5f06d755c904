"""What the mouse does on the timeline: seek, select time, pick, move and resize tags, pan, zoom, resize lanes.

A drag only changes a local preview; the widget emits one tag_edit_finished on release, so one drag is one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.ui.timeline.chrome import format_time
from reviewer.ui.timeline.geometry import GUTTER_PX
from reviewer.ui.timeline.index import TagHit, TagPart
from reviewer.ui.timeline.snapping import Candidates, snap, snap_span
from reviewer.ui.timeline.state import Preview

if TYPE_CHECKING:
    from reviewer.ui.timeline.widget import TimelineWidget

HELP = (
    "Click: move the playhead · Drag: select time on a lane · Drag a tag: move it, its edges: resize\n"
    "Shift while dragging: no snapping · Double-click a tag: play it · Right-click: menu\n"
    "Ctrl+wheel: zoom · Wheel or Shift+wheel: scroll · Alt+←/→: previous/next tag · Ctrl+↑/↓: lane\n"
    "I / O: selection start / end at the playhead · Ctrl+= / Ctrl+- / Ctrl+0 / Ctrl+E: zoom\n"
    "Dashed ghost tags are the detectors' suggestions: click one, then A (or Enter) accepts, R rejects, N: next"
)
DRAG_START_PX = 3  # below this a press and release is a click, not a drag
ZOOM_PER_NOTCH = 2**0.5
SCROLL_PER_NOTCH = 0.1  # of the visible width


class Mode(Enum):
    """What the pressed button is doing."""

    IDLE = auto()
    CLICK = auto()  # pressed on an empty lane: a click seeks, a drag becomes SELECT
    SELECT = auto()
    TAG_PRESS = auto()  # pressed on a tag: a drag becomes TAG_DRAG
    TAG_DRAG = auto()
    RULER = auto()
    OVERVIEW = auto()
    DIVIDER = auto()


@dataclass
class Drag:
    """The gesture in progress."""

    mode: Mode = Mode.IDLE
    lane: Actor = Actor.AGENT
    press_x: float = 0.0
    press_ms: float = 0.0
    moved: bool = False
    hit: TagHit | None = None
    divider: int = 0
    anchor_ms: int = 0
    ghost: int | None = None  # the suggestion pressed on (a click makes it current)
    candidates: Candidates = field(default_factory=lambda: np.empty(0, dtype=np.int64))


class Pointer:
    """Turns mouse events on a TimelineWidget into changes of its state and its signals."""

    def __init__(self, widget: TimelineWidget) -> None:
        self.w = widget
        self.drag = Drag()

    @property
    def active(self) -> bool:
        """Whether a button is down on the timeline."""
        return self.drag.mode is not Mode.IDLE

    def hit_at(self, pos: QPointF) -> tuple[Actor | None, TagHit | None]:
        """The lane and the tag (with the part) under a widget position."""
        s = self.w.state
        lane = s.geometry.lane_at(pos.y()) if pos.x() >= GUTTER_PX else None
        if lane is None:
            return None, None
        row = s.geometry.row_at(lane, pos.y(), s.rows_in(lane))
        return lane, s.index.hit(lane, s.ms_at(pos.x()), row, s.scale.ms_per_px, prefer_id=s.selected_id)

    def ghost_at(self, pos: QPointF) -> Tag | None:
        """The ghost tag (a pending suggestion, id = the suggestion's) under a widget position; tags come first."""
        s = self.w.state
        lane = s.geometry.lane_at(pos.y()) if pos.x() >= GUTTER_PX else None
        if lane is None or not len(s.ghosts.lane(lane)):
            return None
        row = s.geometry.row_at(lane, pos.y(), s.rows_in(lane))
        first = s.index.lane(lane).row_count
        ghost_row = None if row is None or row < first else row - first
        hit = s.ghosts.hit(lane, s.ms_at(pos.x()), ghost_row, s.scale.ms_per_px, prefer_id=s.current_ghost)
        return None if hit is None else hit.tag

    def press(self, pos: QPointF) -> None:
        """Left button down: decide what the gesture is."""
        s, w = self.w.state, self.w
        x, y = pos.x(), pos.y()
        ms = s.ms_at(x)
        self.drag = Drag(press_x=x, press_ms=ms)
        divider = s.geometry.divider_at(y)
        if divider is not None:
            self.drag.mode, self.drag.divider = Mode.DIVIDER, divider
        elif x < GUTTER_PX:
            lane = s.geometry.lane_at(y)
            if lane is not None:
                w.set_current_lane(lane)
        elif s.geometry.ruler.contains(int(x), int(y)):
            self.drag.mode = Mode.RULER
            w.request_seek(s.scale.clamp_ms(ms))
        elif s.geometry.overview.contains(int(x), int(y)):
            self.drag.mode = Mode.OVERVIEW
            self._jump(x, seek=True)
        else:
            self._press_lane(pos)

    def _press_lane(self, pos: QPointF) -> None:
        lane, hit = self.hit_at(pos)
        if lane is None:
            return
        self.w.set_current_lane(lane)
        self.drag.lane, self.drag.hit = lane, hit
        if hit is not None:
            self.drag.mode = Mode.TAG_PRESS
            self.w.select_tag(hit.tag.id)
        else:
            self.drag.mode = Mode.CLICK
            ghost = self.ghost_at(pos)
            if ghost is not None:
                self.drag.ghost = ghost.id
                self.w.select_suggestion(ghost.id)

    def double_click(self, pos: QPointF) -> None:
        """On a tag: select and activate it; elsewhere the second click of a double-click is a plain press."""
        _, hit = self.hit_at(pos)
        if hit is None or hit.tag.id is None:
            self.press(pos)
            if self.drag.ghost is not None:
                self.w.suggestion_activated.emit(self.drag.ghost)
            return
        self.w.select_tag(hit.tag.id)
        self.w.tag_activated.emit(hit.tag.id)

    def context_menu(self, pos: QPointF | None, global_pos: QPoint) -> None:
        """Ask for the menu of the tag under `pos` (selecting it), or of the selected tag at the playhead (no pos)."""
        s, w = self.w.state, self.w
        tag_id, ms = s.selected_id, s.playhead
        if pos is not None:
            lane, hit = self.hit_at(pos)
            if lane is not None:
                w.set_current_lane(lane)
            if hit is not None:
                w.select_tag(hit.tag.id)
            elif (ghost := self.ghost_at(pos)) is not None and ghost.id is not None:
                w.select_suggestion(ghost.id)
                w.suggestion_menu_requested.emit(ghost.id, global_pos)
                return
            tag_id, ms = (None if hit is None else hit.tag.id), s.scale.clamp_ms(s.ms_at(pos.x()))
        w.context_menu_requested.emit(tag_id, global_pos, ms)

    def tooltip_at(self, pos: QPointF) -> str:
        """The tag under the pointer (kind, times, note), or the mouse and key conventions."""
        _, hit = self.hit_at(pos)
        if hit is None:
            ghost = self.ghost_at(pos)
            return HELP if ghost is None else self._ghost_tooltip(ghost)
        tag = hit.tag
        hours = self.w.state.duration_ms >= 3_600_000
        times = f"{format_time(tag.start_ms, 1, hours)}–{format_time(tag.end_ms, 1, hours)}"
        note = f"\n{tag.note}" if tag.note else ""
        return f"{tag.kind.replace('_', ' ')} · {times}{note}\nDrag: move · drag an edge: resize · double-click: play"

    def _ghost_tooltip(self, ghost: Tag) -> str:
        found = self.w.state.suggestions.get(ghost.id or 0)
        hours = self.w.state.duration_ms >= 3_600_000
        times = format_time(ghost.start_ms, 1, hours)
        times += "" if ghost.is_point else f"–{format_time(ghost.end_ms, 1, hours)}"
        why = (
            ""
            if found is None
            else f"\n{found.detector} {found.confidence:.0%}" + (f": {found.evidence}" if found.evidence else "")
        )
        label = ghost.kind.replace("_", " ")
        return f"Suggested: {label} ({ghost.actor.value}) · {times}{why}\nA or Enter: accept · R: reject · N: next"

    def move(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        """Pointer moved with the button down (or hovering, which only sets the cursor)."""
        d, s = self.drag, self.w.state
        if d.mode is Mode.IDLE:
            self._hover(pos)
            return
        snapping = not modifiers & Qt.KeyboardModifier.ShiftModifier
        if abs(pos.x() - d.press_x) >= DRAG_START_PX:
            d.moved = True
        if d.mode is Mode.DIVIDER:
            s.geometry.move_divider(d.divider, pos.y())
            self.w.update()
        elif d.mode is Mode.RULER:
            self.w.request_seek(s.scale.clamp_ms(s.ms_at(pos.x())))
        elif d.mode is Mode.OVERVIEW:
            self._jump(pos.x(), seek=False)
        elif d.mode is Mode.CLICK and d.moved:
            d.mode = Mode.SELECT
            d.candidates = s.snaps.candidates(None, s.playhead)
            d.anchor_ms = self._snapped(d.press_ms, snapping)[0]
            self._select_to(pos.x(), snapping)
        elif d.mode is Mode.SELECT:
            self._select_to(pos.x(), snapping)
        elif d.mode is Mode.TAG_PRESS and d.moved and d.hit is not None:
            d.mode = Mode.TAG_DRAG
            d.candidates = s.snaps.candidates(d.hit.tag.id, s.playhead)
            self._drag_tag(pos.x(), snapping)
        elif d.mode is Mode.TAG_DRAG:
            self._drag_tag(pos.x(), snapping)

    def release(self, pos: QPointF, modifiers: Qt.KeyboardModifier) -> None:
        """Button up: finish the gesture (one emitted edit for a tag drag)."""
        if self.drag.mode in (Mode.CLICK, Mode.SELECT, Mode.TAG_PRESS, Mode.TAG_DRAG):
            self.move(pos, modifiers)  # the release position and modifiers have the last word
        d, s, w = self.drag, self.w.state, self.w
        self.drag = Drag()
        s.guide_ms = None
        if d.mode is Mode.CLICK:
            w.clear_selection()
            w.select_tag(None)
            if d.ghost is None:
                w.select_suggestion(None)
            w.request_seek(s.scale.clamp_ms(d.press_ms))
        elif d.mode is Mode.OVERVIEW and d.moved:
            w.request_seek(s.scale.clamp_ms(self._overview_ms(pos.x())))
        elif d.mode is Mode.TAG_DRAG and d.hit is not None and s.preview is not None:
            preview, s.preview = s.preview, None
            tag = d.hit.tag
            if (preview.start_ms, preview.end_ms) != (tag.start_ms, tag.end_ms):
                w.tag_edit_finished.emit(preview.tag_id, preview.start_ms, preview.end_ms)
        self._hover(pos)
        w.update()

    def cancel(self) -> None:
        """Drop the gesture in progress without emitting anything (Escape, or the call changed)."""
        self.drag = Drag()
        self.w.state.preview = None
        self.w.state.guide_ms = None
        self.w.update()

    def wheel(self, x: float, delta: tuple[int, int], modifiers: Qt.KeyboardModifier) -> None:
        """Ctrl+wheel zooms around the pointer; any other wheel scrolls time (horizontal wheels too)."""
        scale = self.w.state.scale
        dx, dy = delta
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            scale.zoom(ZOOM_PER_NOTCH ** (dy / 120), x - GUTTER_PX)
        else:
            # Shift+wheel arrives as a horizontal delta on some platforms and as a vertical one on others.
            steps = (dx if dx else dy) / 120
            scale.scroll_px(-steps * SCROLL_PER_NOTCH * scale.width_px)
        self.w.update()

    def _snapped(self, ms: float, snapping: bool) -> tuple[int, int | None]:
        value, guide = snap(ms, self.drag.candidates, self.w.state.scale.ms_per_px, enabled=snapping)
        return self.w.state.scale.clamp_ms(value), guide

    def _select_to(self, x: float, snapping: bool) -> None:
        s = self.w.state
        edge, s.guide_ms = self._snapped(s.ms_at(x), snapping)
        anchor = self.drag.anchor_ms
        self.w.set_selection(self.drag.lane, min(anchor, edge), max(anchor, edge))

    def _drag_tag(self, x: float, snapping: bool) -> None:
        s, d = self.w.state, self.drag
        assert d.hit is not None
        tag, delta, mpp = d.hit.tag, s.ms_at(x) - d.press_ms, s.scale.ms_per_px
        start, end, guide = tag.start_ms, tag.end_ms, None
        if d.hit.part is TagPart.BODY:
            latest = max(0, s.duration_ms - tag.duration_ms)
            moved = min(latest, max(0.0, tag.start_ms + delta))
            shift, guide = snap_span(moved, moved + tag.duration_ms, d.candidates, mpp, enabled=snapping)
            start = round(min(latest, max(0.0, moved + shift)))
            end = start + tag.duration_ms
        elif d.hit.part is TagPart.START:
            value, guide = snap(tag.start_ms + delta, d.candidates, mpp, enabled=snapping)
            start = min(tag.end_ms - 1, max(0, value))
        else:
            value, guide = snap(tag.end_ms + delta, d.candidates, mpp, enabled=snapping)
            end = max(tag.start_ms + 1, min(s.duration_ms, value))
        s.preview = Preview(d.hit.tag_id, start, end)
        s.guide_ms = guide if guide in (start, end) else None
        self.w.update()

    def _overview_ms(self, x: float) -> float:
        s = self.w.state
        return (x - GUTTER_PX) / s.geometry.timeline_width * s.duration_ms

    def _jump(self, x: float, *, seek: bool) -> None:
        ms = self.w.state.scale.clamp_ms(self._overview_ms(x))
        self.w.state.scale.center_on(ms)
        if seek:
            self.w.request_seek(ms)
        self.w.update()

    def _hover(self, pos: QPointF) -> None:
        s = self.w.state
        if s.geometry.divider_at(pos.y()) is not None:
            shape = Qt.CursorShape.SplitVCursor
        elif pos.x() < GUTTER_PX:
            shape = Qt.CursorShape.ArrowCursor
        elif s.geometry.ruler.contains(pos.toPoint()) or s.geometry.overview.contains(pos.toPoint()):
            shape = Qt.CursorShape.PointingHandCursor
        else:
            _, hit = self.hit_at(pos)
            shape = _cursor_for(hit)
            if hit is None and self.ghost_at(pos) is not None:
                shape = Qt.CursorShape.PointingHandCursor
        self.w.setCursor(shape)


def _cursor_for(hit: TagHit | None) -> Qt.CursorShape:
    if hit is None:
        return Qt.CursorShape.IBeamCursor
    if hit.part is TagPart.BODY:
        return Qt.CursorShape.OpenHandCursor
    return Qt.CursorShape.SizeHorCursor
