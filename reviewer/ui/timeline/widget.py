"""The review timeline: ruler, overview strip, one lane per party and a call-events lane, painted by hand.

The widget shows and edits; the review window owns the actions and shortcuts and calls this API. Edits leave as
signals (one per gesture) and come back through set_tags, so the window's undo stack stays the single truth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from reviewer.domain.parties import Actor
from reviewer.domain.suggestions import Suggestion
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.ui.timeline.geometry import GUTTER_PX
from reviewer.ui.timeline.index import LANES, TagIndex, lane_of
from reviewer.ui.timeline.interaction import HELP, Pointer
from reviewer.ui.timeline.painter import TimelinePainter
from reviewer.ui.timeline.scale import TimeScale
from reviewer.ui.timeline.snapping import SnapTargets
from reviewer.ui.timeline.spans import utterance_lanes
from reviewer.ui.timeline.state import TimelineState
from reviewer.ui.timeline.waveform import PeaksLike

POLL_MS = 16  # one frame at 60 Hz
PAGE_MARGIN = 0.02  # after paging, the playhead sits this fraction of the view from the left edge
ZOOM_STEP = 2.0
ZOOM_PAD = 0.05  # zoom-to-selection leaves this fraction of the span on each side


class TimelineWidget(QWidget):
    """The call's timeline: waveforms, utterances and tags per lane, with playhead, selection and tag editing."""

    seek_requested = Signal(int)
    selection_changed = Signal()
    tag_selected = Signal(object)
    tag_activated = Signal(int)
    tag_edit_finished = Signal(int, int, int)
    lane_changed = Signal(object)
    context_menu_requested = Signal(object, QPoint, int)
    suggestion_selected = Signal(object)  # the current suggestion's id changed (None = none is current)
    suggestion_activated = Signal(int)  # a ghost tag was double-clicked
    suggestion_menu_requested = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = TimelineState()  # what the painters and the pointer read; not part of the window's API
        self._painter = TimelinePainter(self.palette(), self.font())
        self._pointer = Pointer(self)
        self._source: Callable[[], int] | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # every pixel is painted; skip Qt's erase
        self.setMinimumSize(320, 200)
        self.setToolTip(HELP)

    @property
    def scale(self) -> TimeScale:
        """The time axis (visible start, ms per pixel, width)."""
        return self.state.scale

    def sizeHint(self) -> QSize:
        """Wide and a few lanes high."""
        return QSize(1000, 380)

    # --- the call -----------------------------------------------------------------------------------------------

    def set_call(  # noqa: PLR0917 - the review window passes these positionally
        self,
        duration_ms: int,
        peaks: PeaksLike | None,
        agent_channel: int | None,
        customer_channel: int | None,
        utterances: Sequence[Utterance],
        tags: Sequence[Tag],
    ) -> None:
        """Show a new call, fitted to the window; channel None = mono (both lanes draw channel 0)."""
        self._pointer.cancel()
        s = self.state
        s.scale.set_duration(duration_ms)
        s.waveforms.set_peaks(peaks)
        s.channels = {Actor.AGENT: agent_channel, Actor.CUSTOMER: customer_channel}
        s.utterances = utterance_lanes(utterances)
        s.snaps = SnapTargets(utterances, tags)
        s.playhead = 0
        s.markers = ()
        self.set_suggestions(())
        self._replace_tags(tags)
        self.clear_selection()
        self.select_tag(None)
        self.update()

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Replace the tags; the selected tag stays selected while its id exists."""
        self._replace_tags(tags)
        self.state.snaps.set_tags(tags)
        preview = self.state.preview
        if preview is not None and self.state.index.get(preview.tag_id) is None:
            self._pointer.cancel()
        if self.state.index.get(self.state.selected_id) is None:
            self.select_tag(None)
        self.update()

    def set_markers(self, markers: Sequence[tuple[int, str]]) -> None:
        """Policy findings to mark on the ruler and overview: (ms, severity) pairs."""
        self.state.markers = tuple(sorted(markers))
        self.update()

    def markers(self) -> tuple[tuple[int, str], ...]:
        """The findings marked now."""
        return self.state.markers

    def _replace_tags(self, tags: Sequence[Tag]) -> None:
        self.state.index = TagIndex(tags)
        self.state.tags_version += 1

    # --- playhead -----------------------------------------------------------------------------------------------

    def playhead_ms(self) -> int:
        """Where the playhead is."""
        return self.state.playhead

    def set_playhead(self, ms: int) -> None:
        """Move the playhead; when it leaves the view, the view pages to it (unless a drag is in progress)."""
        s = self.state
        ms = s.scale.clamp_ms(ms)
        old = s.playhead
        if ms == old:
            return
        s.playhead = ms
        if not self._pointer.active and not s.scale.contains(ms):
            s.scale.set_start(ms - PAGE_MARGIN * s.scale.width_px * s.scale.ms_per_px)
            self.update()
        else:
            self._update_playhead(old, ms)

    def request_seek(self, ms: int) -> None:
        """Move the playhead and ask the window to seek the audio there."""
        self.set_playhead(ms)
        self.seek_requested.emit(self.state.playhead)

    def set_position_source(self, fn: Callable[[], int] | None) -> None:
        """Follow fn() every 16 ms (playback), or stop following with None."""
        self._source = fn
        if fn is None:
            self._timer.stop()
        else:
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        if self._source is not None:
            self.set_playhead(int(self._source()))

    def _update_playhead(self, old: int, new: int) -> None:
        # Repaint two thin columns, not the widget: playback moves the playhead 60 times a second.
        s = self.state
        per_ms = s.geometry.timeline_width / max(1, s.duration_ms)
        overview = s.geometry.overview
        for ms in (old, new):
            x = int(s.x_of(ms))
            self.update(QRect(x - 7, 0, 15, self.height()))
            ox = int(GUTTER_PX + ms * per_ms)
            self.update(QRect(ox - 3, overview.top(), 7, overview.height()))

    # --- time selection -----------------------------------------------------------------------------------------

    def selection(self) -> tuple[Actor, int, int] | None:
        """The time selection: (lane, start, end), or None."""
        return self.state.selection

    def set_selection(self, actor: Actor, start_ms: int, end_ms: int) -> None:
        """Select a stretch of time on a lane (kept ordered and inside the call); that lane becomes current."""
        clamp = self.state.scale.clamp_ms
        low, high = sorted((clamp(start_ms), clamp(end_ms)))
        self.set_current_lane(actor)
        self._set_selection((actor, low, high))

    def clear_selection(self) -> None:
        """Drop the time selection."""
        self._set_selection(None)

    def set_selection_start_at_playhead(self) -> None:
        """Selection start at the playhead on the current lane (I); the end stays, the pair stays ordered."""
        ph, sel = self.state.playhead, self.state.selection
        self.set_selection(self.state.current_lane, ph, ph if sel is None else sel[2])

    def set_selection_end_at_playhead(self) -> None:
        """Selection end at the playhead on the current lane (O); the start stays, the pair stays ordered."""
        ph, sel = self.state.playhead, self.state.selection
        self.set_selection(self.state.current_lane, ph if sel is None else sel[1], ph)

    def _set_selection(self, selection: tuple[Actor, int, int] | None) -> None:
        if selection is not None:
            self.select_suggestion(None)  # a selection is for a new tag: Enter must not accept a suggestion
        if selection != self.state.selection:
            self.state.selection = selection
            self.selection_changed.emit()
            self.update()

    # --- lanes --------------------------------------------------------------------------------------------------

    def current_lane(self) -> Actor:
        """The lane keyboard actions apply to."""
        return self.state.current_lane

    def set_current_lane(self, actor: Actor) -> None:
        """Make a lane current."""
        if actor is not self.state.current_lane:
            self.state.current_lane = actor
            self.lane_changed.emit(actor)
            self.update()

    def next_lane(self) -> None:
        """The lane below becomes current (stops at the last)."""
        self.set_current_lane(LANES[min(len(LANES) - 1, LANES.index(self.state.current_lane) + 1)])

    def previous_lane(self) -> None:
        """The lane above becomes current (stops at the first)."""
        self.set_current_lane(LANES[max(0, LANES.index(self.state.current_lane) - 1)])

    # --- tags ---------------------------------------------------------------------------------------------------

    def selected_tag_id(self) -> int | None:
        """Id of the selected tag, or None."""
        return self.state.selected_id

    def select_tag(self, tag_id: int | None) -> None:
        """Select a tag (None = none), make its lane current and scroll it into view when it is off-screen."""
        tag = self.state.index.get(tag_id)
        if tag is not None:
            self.select_suggestion(None)  # one thing selected at a time: Delete and Backspace never mix up
            self.set_current_lane(lane_of(tag))
            if self.state.scale.reveal(tag.start_ms, tag.end_ms, PAGE_MARGIN):
                self.update()
        new_id = None if tag is None else tag.id
        if new_id != self.state.selected_id:
            self.state.selected_id = new_id
            self.tag_selected.emit(new_id)
            self.update()

    def select_adjacent_tag(self, forward: bool) -> None:
        """Select the next (or previous) tag on the current lane and move the playhead to its start (Alt+→/←).

        Counted from the selected tag while the playhead is inside it, otherwise from the playhead.
        """
        s = self.state
        current = s.index.get(s.selected_id)
        inside = current is not None and lane_of(current) is s.current_lane
        inside = inside and current is not None and current.start_ms <= s.playhead <= current.end_ms
        tag = s.index.lane(s.current_lane).adjacent(s.playhead, forward, s.selected_id if inside else None)
        if tag is not None:
            self.select_tag(tag.id)
            self.request_seek(tag.start_ms)

    # --- suggestions (ghost tags) -------------------------------------------------------------------------------

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        """Show pending suggestions as ghost tags; the current one stays current while it is among them."""
        s = self.state
        found = [x for x in suggestions if x.id is not None]
        s.suggestions = {x.id: x for x in found if x.id is not None}
        s.ghosts = TagIndex([Tag(x.kind, x.actor, x.start_ms, x.end_ms, id=x.id) for x in found])
        s.ghosts_version += 1
        if s.current_ghost not in s.suggestions:
            self.select_suggestion(None)
        self.update()

    def current_suggestion_id(self) -> int | None:
        """Id of the current suggestion (what A, R and Enter decide on), or None."""
        return self.state.current_ghost

    def select_suggestion(self, suggestion_id: int | None) -> None:
        """Make a suggestion current (None = none): its lane becomes current, it scrolls into view when off-screen."""
        s = self.state
        ghost = s.ghosts.get(suggestion_id)
        if ghost is not None:
            self.select_tag(None)
            self._set_selection(None)
            self.set_current_lane(lane_of(ghost))
            if s.scale.reveal(ghost.start_ms, ghost.end_ms, PAGE_MARGIN):
                self.update()
        new_id = None if ghost is None else ghost.id
        if new_id != s.current_ghost:
            s.current_ghost = new_id
            self.suggestion_selected.emit(new_id)
            self.update()

    # --- zoom ---------------------------------------------------------------------------------------------------

    def visible_range(self) -> tuple[int, int]:
        """Visible (start, end) in ms."""
        return self.state.scale.visible_range()

    def zoom_in(self) -> None:
        """Twice as detailed, around the playhead when it is visible, else the centre."""
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        """Half as detailed, around the playhead when it is visible, else the centre."""
        self._zoom(1 / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        scale = self.state.scale
        ph = self.state.playhead
        scale.zoom(factor, scale.x_of(ph) if scale.contains(ph) else None)
        self.update()

    def zoom_fit(self) -> None:
        """Show the whole call."""
        self.state.scale.fit()
        self.update()

    def zoom_to_selection(self) -> None:
        """Show the time selection (or the selected tag) with a little room on each side."""
        s = self.state
        tag = s.index.get(s.selected_id)
        span = s.selection[1:] if s.selection else (tag.start_ms, tag.end_ms) if tag else None
        if span is not None:
            pad = ZOOM_PAD * (span[1] - span[0])
            s.scale.zoom_to(span[0] - pad, span[1] + pad)
            self.update()

    # --- Qt events ----------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint only what the exposed rectangle needs (playback exposes two thin columns)."""
        painter = QPainter(self)
        self._painter.paint(painter, self.state, event.rect())
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay the bands out again; a fitted view stays fitted."""
        self.state.geometry.update(self.width(), self.height())
        self.state.scale.set_width(self.state.geometry.timeline_width)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Follow palette (light/dark) and font changes."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.FontChange):
            self._painter.set_style(self.palette(), self.font())
            self.update()
        super().changeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Left button: start a gesture; other buttons are left to contextMenuEvent."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._pointer.press(event.position())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Continue the gesture, or set the hover cursor."""
        self._pointer.move(event.position(), event.modifiers())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish the gesture."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._pointer.release(event.position(), event.modifiers())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-click a tag: select and activate it (the window plays it); elsewhere it is a press."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._pointer.double_click(event.position())

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms around the pointer; other wheels scroll time."""
        delta = event.angleDelta()
        self._pointer.wheel(event.position().x(), (delta.x(), delta.y()), event.modifiers())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape cancels a drag; every shortcut belongs to the window."""
        if event.key() == Qt.Key.Key_Escape and self._pointer.active:
            self._pointer.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click (or the menu key): select the tag under the pointer and ask the window for its menu."""
        mouse = event.reason() == QContextMenuEvent.Reason.Mouse
        self._pointer.context_menu(event.pos().toPointF() if mouse else None, event.globalPos())
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Tooltips name the tag under the pointer, else the mouse and key conventions."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self._pointer.tooltip_at(event.pos().toPointF()), self)
            return True
        return super().event(event)
