"""Tagging commands of the review page: number keys, Enter, M, nudges, notes, delete, facts, the context menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.services import review
from reviewer.ui.review_base import ReviewBase
from reviewer.ui.tag_commands import moved

NUDGE_MS = 100
LANE_NAMES = {Actor.AGENT: "Agent", Actor.CUSTOMER: "Customer", Actor.CALL: "Call events"}


def readable(kind: str) -> str:
    """'hang_up' as 'hang up'."""
    return kind.replace("_", " ")


class TaggingHandlers(ReviewBase):
    """Create, re-kind, move, annotate and delete tags; every step goes through the undoable TagEditor."""

    _armed: str | None = None

    def _limit(self) -> int:
        return self.call.duration_ms if self.call else 0

    def _selected(self) -> Tag | None:
        return self.editor.tag(self.timeline.selected_tag_id())

    def tag_as(self, kind: str) -> None:
        """Tag the selection with a kind, re-kind the selected tag, or put a point event at the playhead."""
        selection = self.timeline.selection()
        spec = review.kind(kind, self.kinds)
        if selection is not None:
            lane, start, end = selection
            actor = lane if spec.default_actor is not Actor.CALL or lane is Actor.CALL else Actor.CALL
            start, end = (end, end) if spec.point else (start, end)
            self._create(Tag(kind, actor, start, end), clear_selection=True)
        elif (tag := self._selected()) is not None:
            self.editor.change(tag, replace(tag, kind=kind), f"Change tag to {readable(kind)}")
        elif spec.point:
            at = self.timeline.playhead_ms()
            self._create(Tag(kind, self._point_actor(spec.default_actor), at, at), clear_selection=False)
        else:
            self.message.emit(f"To tag {readable(kind)}: select a span first (drag on a lane, or I and O)")
            return
        self._armed = kind
        self._show_legend()

    def _point_actor(self, default: Actor) -> Actor:
        return default if default is Actor.CALL else self.timeline.current_lane()

    def _create(self, tag: Tag, *, clear_selection: bool) -> None:
        if tag.end_ms > self._limit():
            tag = moved(tag, tag.start_ms, tag.end_ms, self._limit())
        self.editor.add(tag, f"Tag {readable(tag.kind)}")
        if clear_selection:
            self.timeline.clear_selection()
        self.message.emit(f"Tagged {readable(tag.kind)} ({LANE_NAMES[tag.actor.lane]}) — saved")

    def _tag_key(self, n: int) -> None:
        selection = self.timeline.selection()
        selected = self._selected()
        lane = selection[0] if selection else (selected.actor if selected else self.timeline.current_lane())
        kinds = review.keyed_kinds(lane)
        if n > len(kinds):
            self.message.emit(f"Key {n} has no kind on the {LANE_NAMES[lane]} lane")
            return
        self.tag_as(kinds[n - 1])

    def create_armed(self) -> None:
        """Enter: accept the current suggestion, else tag the selection with the armed kind (or the lane's first)."""
        if self.accept_current_suggestion():
            return
        selection = self.timeline.selection()
        lane = selection[0] if selection else self.timeline.current_lane()
        self.tag_as(self._armed or review.keyed_kinds(lane)[0])

    def point_event(self) -> None:
        """M: a hang-up at the playhead, by whoever's lane is current (the call lane: a line drop)."""
        at = self.timeline.playhead_ms()
        self._create(Tag("hang_up", self.timeline.current_lane(), at, at), clear_selection=False)

    def _point_event_at(self, ms: int) -> None:
        self.seek(ms)
        self.point_event()

    def mark_in(self) -> None:
        """I: selection start at the playhead."""
        self.timeline.set_selection_start_at_playhead()

    def mark_out(self) -> None:
        """O: selection end at the playhead."""
        self.timeline.set_selection_end_at_playhead()

    # --- change -------------------------------------------------------------------------------------------------

    def _nudge(self, start: int, end: int) -> None:
        tag = self._selected()
        if tag is None:
            self.message.emit("Select a tag to nudge it")
            return
        new_start, new_end = tag.start_ms + start, tag.end_ms + end
        if tag.is_point:
            new_start = new_end = tag.start_ms + (start or end)
        if new_end < new_start:
            return
        self.editor.change(tag, moved(tag, new_start, new_end, self._limit()), "Nudge tag", nudge=True)

    def nudge_start_earlier(self) -> None:
        """Ctrl+J."""
        self._nudge(-NUDGE_MS, 0)

    def nudge_start_later(self) -> None:
        """Ctrl+U."""
        self._nudge(NUDGE_MS, 0)

    def nudge_end_earlier(self) -> None:
        """Ctrl+Shift+J."""
        self._nudge(0, -NUDGE_MS)

    def nudge_end_later(self) -> None:
        """Ctrl+Shift+U."""
        self._nudge(0, NUDGE_MS)

    def delete_tag(self) -> None:
        """Delete the selected tag."""
        tag = self._selected()
        if tag is None:
            self.message.emit("Select a tag to delete it")
            return
        self.editor.delete(tag, f"Delete {readable(tag.kind)}")
        self.message.emit(f"Deleted {readable(tag.kind)} — Ctrl+Z brings it back")

    def edit_note(self) -> None:
        """F2: edit the selected tag's note in the tag list."""
        tag = self._selected()
        if tag is None or tag.id is None:
            self.message.emit("Select a tag to write its note")
            return
        self.side_tabs.setCurrentWidget(self.tag_table)
        self.tag_table.edit_note(tag.id)

    def _on_timeline_tag_edit_finished(self, tag_id: int, start: int, end: int) -> None:
        tag = self.editor.tag(tag_id)
        if tag is not None:
            self.editor.change(tag, moved(tag, start, end, self._limit()), f"Move {readable(tag.kind)}")

    def _on_table_edit_requested(self, old: Tag, new: Tag) -> None:
        self.editor.change(old, new, f"Edit {readable(old.kind)}")

    def _on_fact_toggled(self, kind: str, on: bool) -> None:
        existing = [t for t in self.editor.tags() if t.kind == kind and t.actor is Actor.CALL]
        if on and not existing:
            hang_ups = [t.start_ms for t in self.editor.tags() if t.kind == "hang_up"]
            at = max(hang_ups) if hang_ups else self._limit()  # recorded at the hang-up it follows up on
            self.editor.add(review.fact_tag(self.services, kind, at), f"Mark {readable(kind)}")
        for tag in existing if not on else []:
            self.editor.delete(tag, f"Unmark {readable(kind)}")

    # --- selection sync ---------------------------------------------------------------------------------------

    def _on_timeline_tag_selected(self, tag_id: int | None) -> None:
        self.tag_table.select_tag(tag_id)

    def _on_table_tag_selected(self, tag_id: int | None) -> None:
        if tag_id is not None and tag_id != self.timeline.selected_tag_id():
            self.timeline.select_tag(tag_id)
            tag = self.editor.tag(tag_id)
            if tag is not None:
                self.seek(tag.start_ms)

    def _on_timeline_tag_activated(self, tag_id: int) -> None:
        tag = self.editor.tag(tag_id)
        if tag is not None and self.player.has_media():
            self.player.play_range(tag.start_ms, max(tag.end_ms, tag.start_ms + 1000))

    def _on_timeline_lane_changed(self, _lane: Actor) -> None:
        self._show_legend()

    def _show_legend(self) -> None:
        selection = self.timeline.selection()
        lane = selection[0] if selection else self.timeline.current_lane()
        keys = " · ".join(f"<b>{n}</b> {readable(k)}" for n, k in enumerate(review.keyed_kinds(lane), start=1))
        armed = f" — Enter: <b>{readable(self._armed)}</b>" if self._armed else ""
        ghosts = " · <b>N</b> next suggestion" if self.timeline.state.suggestions else ""
        self.legend.setText(f"{LANE_NAMES[lane]} lane: {keys} · <b>M</b> hang-up at playhead{ghosts}{armed}")

    def _on_timeline_context_menu_requested(self, tag_id: int | None, where: QPoint, ms: int) -> None:
        menu = QMenu(self)
        if tag_id is not None:
            self.timeline.select_tag(tag_id)
            kinds = menu.addMenu("Change kind")
            for spec in self.kinds:
                kinds.addAction(readable(spec.name), partial(self.tag_as, spec.name))
            menu.addAction("Edit note\tF2", self.edit_note)
            menu.addAction("Play\tShift+Space", self.play_selection)
            menu.addAction("Delete\tDel", self.delete_tag)
        else:
            menu.addAction("Move playhead here", lambda: self.seek(ms))
            kinds = menu.addMenu("Tag selection as")
            kinds.setEnabled(self.timeline.selection() is not None)
            for spec in self.kinds:
                kinds.addAction(readable(spec.name), partial(self.tag_as, spec.name))
            menu.addAction("Hang-up here", partial(self._point_event_at, ms))
        menu.popup(where)


def _key_handler(n: int) -> Callable[[TaggingHandlers], None]:
    def handler(self: TaggingHandlers) -> None:
        self._tag_key(n)

    handler.__doc__ = f"Number key {n}: tag with the lane's kind {n}."
    return handler


for _n in range(1, 10):
    setattr(TaggingHandlers, f"tag_key_{_n}", _key_handler(_n))
