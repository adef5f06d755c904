"""The detectors' suggestions in the review page: ghost tags to accept (they become tags) or reject, one key each.

Decisions are commands on the tag editor's undo stack, so Ctrl+Z takes back an accept (the tag goes, the suggestion
is open again) as it takes back any tag edit. An accept adds its tag through the editor, so everything that follows
tag changes (tag list, timeline, verdict re-check) follows accepts too. After each decision the next open suggestion
becomes current: N, A, A, R, ... reviews a call's suggestions without the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMenu

from reviewer.domain.problems import CallNotFoundError, InputError, StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.suggestions import Detection, Suggestion
from reviewer.domain.tags import Tag
from reviewer.services import detecting
from reviewer.services.context import Services
from reviewer.services.detecting import DetectedCall
from reviewer.text.suggestions import suggestion_line
from reviewer.text.tags import kind_label
from reviewer.ui import workers
from reviewer.ui.review_base import ReviewBase
from reviewer.ui.tag_commands import TagEditor

T = TypeVar("T")


def _order(s: Suggestion) -> tuple[int, int, int]:
    return (s.start_ms, s.end_ms, s.id or 0)


class SuggestionBook(QObject):
    """The open call's pending suggestions and its latest detection pass; every decision is an undoable command."""

    changed = Signal(object)  # the pending suggestions changed; the id to make current next (None: leave it)
    failed = Signal(str)  # a sentence for the status bar: the decision was NOT saved

    def __init__(self, editor: TagEditor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor = editor  # its services, its undo stack, and the tags an accept adds
        self.call_id: int | None = None
        self.detection: Detection | None = None
        self._pending: dict[int, Suggestion] = {}

    @property
    def services(self) -> Services:
        """The editor's (the window swaps them when the demo library opens)."""
        return self.editor.services

    def load(self, call_id: int | None, focus: int | None = None) -> None:
        """Read a call's latest pass and pending suggestions (None: no call)."""
        self.call_id, self.detection, self._pending = call_id, None, {}
        if call_id is not None:
            try:
                self.detection = detecting.latest_detection(self.services, call_id)
                found = self.detection.suggestions if self.detection else ()
            except StorageError as error:
                self.failed.emit(f"Suggestions not read: {error}")
                found = ()
            self._pending = {s.id: s for s in found if s.id is not None}
        self.changed.emit(focus)

    def pending(self) -> tuple[Suggestion, ...]:
        """The open suggestions in time order."""
        return tuple(sorted(self._pending.values(), key=_order))

    def get(self, suggestion_id: int | None) -> Suggestion | None:
        """A pending suggestion by id."""
        return None if suggestion_id is None else self._pending.get(suggestion_id)

    def neighbour(self, current: Suggestion | None, at_ms: int, *, forward: bool) -> Suggestion | None:
        """The next (or previous) open suggestion after `current`, or after the playhead; wraps around the call."""
        ordered = [s for s in self.pending() if current is None or s.id != current.id]
        if not ordered:
            return None
        if current is not None:
            key = _order(current)
            after = [s for s in ordered if (_order(s) > key) == forward]
        else:
            after = [s for s in ordered if (s.start_ms >= at_ms if forward else s.start_ms < at_ms)]
        if forward:
            return after[0] if after else ordered[0]
        return after[-1] if after else ordered[-1]

    def accept(self, suggestion: Suggestion) -> None:
        """Make a suggestion a tag (undo: the tag goes and the suggestion is open again)."""
        self.editor.stack.push(_Decide(self, suggestion, True, f"Accept {kind_label(suggestion.kind)}"))

    def reject(self, suggestion: Suggestion) -> None:
        """Turn a suggestion down (undo: open again)."""
        self.editor.stack.push(_Decide(self, suggestion, False, f"Reject {kind_label(suggestion.kind)}"))

    def accept_kind(self, kind: str) -> int:
        """Accept every open suggestion of a kind as one undo step; returns how many."""
        chosen = [s for s in self.pending() if s.kind == kind]
        if chosen:
            self.editor.stack.beginMacro(f"Accept all {kind_label(kind)} ({len(chosen)})")
            for suggestion in chosen:
                self.accept(suggestion)
            self.editor.stack.endMacro()
        return len(chosen)

    # --- used by the commands ------------------------------------------------------------------------------------

    def decide(self, suggestion: Suggestion, accept: bool) -> Suggestion | None:
        """Save a decision; the next open suggestion becomes current. None when it could not be saved."""
        assert self.call_id is not None
        following = self.neighbour(suggestion, suggestion.start_ms, forward=True)
        if accept:
            decided = self._through_editor(partial(detecting.accept, self.services), suggestion, gone=False)
        else:
            decided = self._saved(lambda: detecting.reject(self.services, self._call(), suggestion))
        if decided is None:
            self.load(self.call_id)  # perhaps a colleague decided it meanwhile: show what is open now
            return None
        self._pending.pop(decided.id or 0, None)
        self.changed.emit(None if following is None else following.id)
        return decided

    def reopen(self, decided: Suggestion) -> Suggestion | None:
        """Take a decision back (the accepted tag goes); the suggestion becomes current again."""
        if decided.tag_id is not None:
            reopened = self._through_editor(
                lambda call, s: (detecting.reopen(self.services, call, s), self._tag_of(s)), decided, gone=True
            )
        else:
            reopened = self._saved(lambda: detecting.reopen(self.services, self._call(), decided))
        if reopened is None or reopened.id is None:
            return None
        self._pending[reopened.id] = reopened
        self.changed.emit(reopened.id)
        return reopened

    def _call(self) -> int:
        assert self.call_id is not None
        return self.call_id

    def _tag_of(self, decided: Suggestion) -> Tag:
        """The tag an accepted suggestion became, as the editor holds it."""
        return self.editor.tag(decided.tag_id) or replace(decided.as_tag(self.services.author), id=decided.tag_id)

    def _through_editor(
        self, action: Callable[[int, Suggestion], tuple[Suggestion, Tag]], suggestion: Suggestion, *, gone: bool
    ) -> Suggestion | None:
        """Run a decision that adds or removes a tag through the editor, so the tag shows like any other."""
        result: list[Suggestion] = []

        def run(call: int) -> Tag:
            decided, tag = action(call, suggestion)
            result.append(decided)
            return tag

        return result[0] if self.editor.record(run, gone=gone) is not None else None

    def _saved(self, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except (StorageError, CallNotFoundError) as error:
            detail = error.detail if isinstance(error, StorageError) else "the call was deleted"
            self.failed.emit(f"Not saved: {detail}")
            return None


class _Decide(QUndoCommand):
    """Accept or reject one suggestion; undo opens it again."""

    def __init__(self, book: SuggestionBook, suggestion: Suggestion, accept: bool, text: str) -> None:
        super().__init__(text)
        self._book, self._open, self._accept = book, suggestion, accept
        self._decided: Suggestion | None = None

    def redo(self) -> None:
        self._decided = self._book.decide(self._open, self._accept)
        if self._decided is None:
            self.setObsolete(True)

    def undo(self) -> None:
        assert self._decided is not None
        reopened = self._book.reopen(self._decided)
        if reopened is None:
            self.setObsolete(True)
        else:
            self._open = reopened


class SuggestionHandlers(ReviewBase):
    """A, R (Backspace), N, Shift+N and Enter on suggestions; the Suggestions tab; running the detectors again."""

    book: SuggestionBook
    _detect_job: workers.Job | None = None

    def _connect_suggestions(self) -> None:
        self.book = SuggestionBook(self.editor, self)
        self.book.changed.connect(self._on_book_changed)
        self.book.failed.connect(self.message)
        self.timeline.suggestion_selected.connect(self._on_timeline_suggestion_selected)
        self.timeline.suggestion_activated.connect(self._on_timeline_suggestion_activated)
        self.timeline.suggestion_menu_requested.connect(self._on_timeline_suggestion_menu_requested)
        panel = self.suggestion_panel
        panel.selected.connect(self.jump_to_suggestion)
        panel.activated.connect(self._on_panel_activated)
        panel.accept_requested.connect(self.accept_suggestion)
        panel.reject_requested.connect(self.reject_suggestion)
        panel.accept_kind_requested.connect(self.accept_kind)
        panel.detect_requested.connect(self.run_detectors)

    def _load_suggestions(self, call_id: int) -> None:
        self.book.load(call_id)

    def _stop_suggestions(self) -> None:
        if self._detect_job is not None:
            self._detect_job.cancel()
            self._detect_job = None
        self.suggestion_panel.set_running(False)
        self.book.load(None)
        self.suggestion_panel.clear()

    def current_suggestion(self) -> Suggestion | None:
        """The suggestion A, R and Enter decide on."""
        return self.book.get(self.timeline.current_suggestion_id())

    # --- keys -----------------------------------------------------------------------------------------------------

    def accept_suggestion(self) -> None:
        """A: the current suggestion becomes a tag; the next one becomes current."""
        if not self.accept_current_suggestion():
            self.message.emit("No suggestion is current: N jumps to the next one")

    def accept_current_suggestion(self) -> bool:
        """Accept the current suggestion; False when none is current (Enter then creates a tag as usual)."""
        current = self.current_suggestion()
        if current is None:
            return False
        self.book.accept(current)
        self.message.emit(f"Accepted {kind_label(current.kind)} — Ctrl+Z takes it back")
        return True

    def reject_suggestion(self) -> None:
        """R or Backspace: turn the current suggestion down; the next one becomes current."""
        current = self.current_suggestion()
        if current is None:
            self.message.emit("No suggestion is current: N jumps to the next one")
            return
        self.book.reject(current)
        self.message.emit(f"Rejected {kind_label(current.kind)} — Ctrl+Z takes it back")

    def accept_kind(self, kind: str | None = None) -> None:
        """Accept every open suggestion of a kind (the current one's by default) in one undo step."""
        current = self.current_suggestion()
        kind = kind or (current.kind if current else None)
        if kind is None:
            self.message.emit("No suggestion is current: N jumps to the next one")
            return
        count = self.book.accept_kind(kind)
        self.message.emit(f"Accepted {count} × {kind_label(kind)} — Ctrl+Z takes them back")

    def next_suggestion(self) -> None:
        """N: jump to the next open suggestion (after the current one, else after the playhead)."""
        self._step_suggestion(forward=True)

    def previous_suggestion(self) -> None:
        """Shift+N: jump to the previous open suggestion."""
        self._step_suggestion(forward=False)

    def _step_suggestion(self, *, forward: bool) -> None:
        found = self.book.neighbour(self.current_suggestion(), self.timeline.playhead_ms(), forward=forward)
        if found is None or found.id is None:
            self.message.emit("No open suggestions on this call")
            return
        self.jump_to_suggestion(found.id)

    def jump_to_suggestion(self, suggestion_id: int | None) -> None:
        """Make a suggestion current, show it and move the playhead to its start."""
        found = self.book.get(suggestion_id)
        if found is None or found.id is None:
            return
        self.timeline.select_suggestion(found.id)
        self.seek(found.start_ms)
        pending = self.book.pending()
        where = next(n for n, s in enumerate(pending, start=1) if s.id == found.id)
        self.message.emit(f"Suggestion {where} of {len(pending)}: {suggestion_line(found)} — A accept · R reject")

    # --- showing them ---------------------------------------------------------------------------------------------

    def _on_book_changed(self, focus: int | None) -> None:
        pending = self.book.pending()
        self.timeline.set_suggestions(pending)
        panel = self.suggestion_panel
        panel.set_suggestions(pending, self.timeline.current_suggestion_id())
        if self.book.call_id is not None:
            panel.set_detection(self.book.detection)
        index = self.side_tabs.indexOf(panel)
        self.side_tabs.setTabText(index, f"Suggestions ({len(pending)})" if pending else "Suggestions")
        self._show_legend()
        if focus is not None:
            self.jump_to_suggestion(focus)

    def _on_timeline_suggestion_selected(self, suggestion_id: int | None) -> None:
        self.suggestion_panel.set_current(suggestion_id)

    def _on_timeline_suggestion_activated(self, suggestion_id: int) -> None:
        found = self.book.get(suggestion_id)
        if found is not None and self.player.has_media():
            self.player.play_range(found.start_ms, max(found.end_ms, found.start_ms + 1000))

    def _on_panel_activated(self, suggestion_id: int) -> None:
        self.jump_to_suggestion(suggestion_id)
        self.timeline.setFocus()  # A, R and N from here on; the arrow keys move the playhead again

    def _on_timeline_suggestion_menu_requested(self, suggestion_id: int, where: QPoint) -> None:
        found = self.book.get(suggestion_id)
        if found is None:
            return
        menu = QMenu(self)
        menu.addAction(f"Accept {kind_label(found.kind)}\tA", self.accept_suggestion)
        menu.addAction("Reject\tR", self.reject_suggestion)
        menu.addAction(f"Accept all {kind_label(found.kind)}", partial(self.accept_kind, found.kind))
        menu.addAction("Play", partial(self._on_timeline_suggestion_activated, suggestion_id))
        menu.popup(where)

    # --- running the detectors again ------------------------------------------------------------------------------

    def run_detectors(self) -> None:
        """Go over the open call again on a worker (it decodes the audio); new findings appear when it ends."""
        if self.call is None or self.call.id is None or self._detect_job is not None:
            return
        call_id = self.call.id
        job = self._detect_job = workers.start(partial(_detect, self.services, call_id), self)
        job.finished.connect(lambda found: self._on_detect_finished(job, found))
        job.failed.connect(lambda error: self._on_detect_failed(job, error))
        self.suggestion_panel.set_running(True)
        self.message.emit("Running the detectors over this call…")

    def _detect_job_ends(self, job: workers.Job) -> bool:
        if job is not self._detect_job:
            return False  # the call was closed meanwhile
        self._detect_job = None
        self.suggestion_panel.set_running(False)
        return True

    def _on_detect_finished(self, job: workers.Job, found: DetectedCall) -> None:
        if not self._detect_job_ends(job) or self.call is None or self.call.id != found.call_id:
            return
        self.book.load(found.call_id)
        self.message.emit(f"The detectors ran again: {len(found.stored)} suggestion(s) open for review")

    def _on_detect_failed(self, job: workers.Job, error: BaseException) -> None:
        if not self._detect_job_ends(job) or isinstance(error, workers.CancelledError):
            return
        if isinstance(error, InputError):
            self.message.emit(f"The detectors could not run: {error.problem.detail}")
        elif isinstance(error, StorageError | CallNotFoundError | ValueError):
            self.message.emit(f"The detectors could not run: {error}")
        else:
            raise error  # a bug: the application's excepthook reports it


def _detect(services: Services, call_id: int) -> Generator[Progress, None, DetectedCall]:
    """detect_call as a worker's generator (one step: it decodes the audio and runs every detector)."""
    yield Progress(0, 1, "detecting")
    return detecting.detect_call(services, call_id)
