"""The review page: opens a call off the GUI thread and wires timeline, player, transcript, tags and notes together."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from reviewer.domain.call import Call, ReviewStatus
from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import CallNotFoundError, StorageError
from reviewer.domain.tags import Tag
from reviewer.services import review
from reviewer.services.context import Services
from reviewer.services.opening import OpenedCall, open_call
from reviewer.text.times import clock
from reviewer.ui import workers
from reviewer.ui.key_claims import KeyClaims
from reviewer.ui.player import Player
from reviewer.ui.review_actions import build_actions
from reviewer.ui.review_playback import PlaybackHandlers
from reviewer.ui.review_suggestions import SuggestionHandlers
from reviewer.ui.review_tagging import TaggingHandlers
from reviewer.ui.review_verdicts import VerdictHandlers
from reviewer.ui.tag_commands import TagEditor

SUMMARY_SAVE_DELAY_MS = 300  # a pause in typing; also saved on leaving the field, the call and the window


class ReviewPage(PlaybackHandlers, TaggingHandlers, VerdictHandlers, SuggestionHandlers):
    """One call under review. Every change is saved at once; the page never holds unsaved tags."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.call: Call | None = None
        self.opened: OpenedCall | None = None
        self.player = Player(self)
        self.editor = TagEditor(services, self)
        self.kinds = review.tag_kinds()
        self._job: workers.Job | None = None
        self._claims = KeyClaims(self)
        self._summary_timer = QTimer(self, singleShot=True, interval=SUMMARY_SAVE_DELAY_MS)
        self.action_groups: dict[str, list[QAction]] = build_actions(self, self)
        for actions in self.action_groups.values():
            self.addActions(actions)
            for action in actions:
                action.setShortcutContext(action.shortcutContext().WidgetWithChildrenShortcut)
        self.undo_action = self.editor.stack.createUndoAction(self, "&Undo")
        self.redo_action = self.editor.stack.createRedoAction(self, "&Redo")
        self._connect()
        self.set_actions_enabled(False)

    def _connect(self) -> None:
        self.editor.tags_changed.connect(self._on_editor_tags_changed)
        self.editor.failed.connect(self.message)
        self.timeline.seek_requested.connect(self._on_timeline_seek_requested)
        self.timeline.tag_selected.connect(self._on_timeline_tag_selected)
        self.timeline.tag_activated.connect(self._on_timeline_tag_activated)
        self.timeline.tag_edit_finished.connect(self._on_timeline_tag_edit_finished)
        self.timeline.lane_changed.connect(self._on_timeline_lane_changed)
        self.timeline.context_menu_requested.connect(self._on_timeline_context_menu_requested)
        self.transcript.seek_requested.connect(self._on_transcript_seek_requested)
        self.tag_table.tag_selected.connect(self._on_table_tag_selected)
        self.tag_model.edit_requested.connect(self._on_table_edit_requested)
        self.status.activated.connect(self._on_status_activated)
        self.summary.textChanged.connect(self._summary_timer.start)
        self._summary_timer.timeout.connect(self.save_summary)
        self.lead_notified.toggled.connect(lambda on: self._on_fact_toggled("lead_notified", on))
        self.account_noted.toggled.connect(lambda on: self._on_fact_toggled("account_noted", on))
        self._connect_playback()
        self._connect_verdicts()
        self._connect_suggestions()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    def set_actions_enabled(self, enabled: bool) -> None:
        """Review commands only act while a call is open."""
        for actions in self.action_groups.values():
            for action in actions:
                action.setEnabled(enabled)

    # --- opening ----------------------------------------------------------------------------------------------

    def open_call(self, call_id: int) -> None:
        """Open a call: reading, decoding (first time only) and peaks happen on a worker; the GUI stays live."""
        self.close_call()
        self.loading.emit(True)
        self.message.emit("Opening the call…")
        self._job = workers.start(lambda: open_call(self.services, str(call_id)), self)
        self._job.progressed.connect(lambda p: self.message.emit(f"Opening the call: {p.item}…"))
        self._job.finished.connect(self._on_open_finished)
        self._job.failed.connect(self._on_open_failed)

    def _on_open_finished(self, opened: OpenedCall) -> None:
        self._job = None
        self.loading.emit(False)
        self.opened, self.call = opened, opened.call
        call = opened.call
        assert call.id is not None
        self._show_call(call, opened)
        self.editor.load(call.id, call.tags)
        self._load_suggestions(call.id)
        self.refresh_vocabulary()
        self.recheck()  # on a worker: the call paints first, the verdict follows a moment later
        self.set_actions_enabled(True)
        self.timeline.setFocus()
        self.call_opened.emit(call.id, call.external_id)
        if opened.problem is None:
            self.message.emit(f"Opened {call.external_id}: {len(call.utterances)} utterances, {len(call.tags)} tags")
        self.timeline.repaint()  # painted before anyone is told the call is ready
        self.call_ready.emit()

    def refresh_vocabulary(self) -> None:
        """Take the kinds of the open call's team policy (on opening, and when the policies change)."""
        self.kinds = review.vocabulary(self.services, self.call.team if self.call else None)
        self.tag_model.set_kinds(self.kinds)

    def _on_open_failed(self, error: BaseException) -> None:
        self._job = None
        self.loading.emit(False)
        if isinstance(error, workers.CancelledError):
            return
        if isinstance(error, CallNotFoundError):
            self.message.emit(f"Call {error.ref} is no longer in the library")
        elif isinstance(error, StorageError):
            self.message.emit(f"The database failed: {error.detail}")
        else:
            raise error  # a bug: let the application's excepthook report it

    def _show_call(self, call: Call, opened: OpenedCall) -> None:
        layout = call.audio.layout
        self.timeline.set_call(
            call.duration_ms,
            opened.peaks,
            layout.channel_of(Party.AGENT),
            layout.channel_of(Party.CUSTOMER),
            call.utterances,
            (),  # the tags arrive once, from the editor's load below: building the tag index twice costs 15 ms
        )
        self.transcript.set_utterances(call.utterances)
        self.status.setCurrentIndex(max(0, self.status.findData(call.review_status)))
        self.summary.blockSignals(True)
        self.summary.setPlainText(call.summary)
        self.summary.blockSignals(False)
        self.title.setText(self._title(call))
        self._load_audio(opened)
        self._show_legend()

    @staticmethod
    def _title(call: Call) -> str:
        when = call.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if call.started_at else "date unknown"
        who = " · ".join(x for x in (call.agent, call.team) if x)
        return f"<b>{call.external_id}</b> — {who or 'agent unknown'} — {when} — {clock(call.duration_ms)}"

    def close_call(self) -> None:
        """Save what is pending and release the audio (the window calls this before leaving the page)."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        self.save_summary()
        self.player.unload()
        self.timeline.set_position_source(None)
        self.set_actions_enabled(False)
        self._stop_verdicts()
        self._stop_suggestions()
        self.call = None

    # --- review state -----------------------------------------------------------------------------------------

    def save_summary(self) -> None:
        """Save status and summary now (also when the timer fires)."""
        self._summary_timer.stop()
        if self.call is None or self.call.id is None:
            return
        status = ReviewStatus(self.status.currentData())  # Qt hands the enum back as its plain str value
        summary = self.summary.toPlainText()
        if (status, summary) == (self.call.review_status, self.call.summary):
            return
        try:
            review.set_review(self.services, self.call.id, status, summary)
        except (StorageError, CallNotFoundError) as error:
            self.message.emit(f"Review notes not saved: {getattr(error, 'detail', error)}")
            return
        self.call = replace(self.call, review_status=status, summary=summary)

    def _on_status_activated(self, _index: int) -> None:
        self.save_summary()
        self.message.emit(f"Review status: {self.status.currentText()}")

    def set_status(self, status: ReviewStatus) -> None:
        """Change the review status (menu commands)."""
        self.status.setCurrentIndex(self.status.findData(status))
        self._on_status_activated(self.status.currentIndex())

    def status_in_progress(self) -> None:
        """Menu: review in progress."""
        self.set_status(ReviewStatus.IN_PROGRESS)

    def status_done(self) -> None:
        """Menu: review done."""
        self.set_status(ReviewStatus.DONE)

    def edit_summary(self) -> None:
        """Menu: focus the summary note."""
        self.side_tabs.setCurrentWidget(self.summary)
        self.summary.setFocus()

    # --- tags shown everywhere ----------------------------------------------------------------------------------

    def _on_editor_tags_changed(self, tags: tuple[Tag, ...], focus: int | None) -> None:
        self.timeline.set_tags(tags)
        self.tag_model.set_tags(tags)
        if focus is not None:
            self.timeline.select_tag(focus)
            self.tag_table.select_tag(focus)
        self._show_facts(tags)
        self.schedule_recheck()

    def _show_facts(self, tags: tuple[Tag, ...]) -> None:
        kinds = {t.kind for t in tags if t.actor is Actor.CALL}
        for box, name in ((self.lead_notified, "lead_notified"), (self.account_noted, "account_noted")):
            box.blockSignals(True)
            box.setChecked(name in kinds)
            box.blockSignals(False)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new is not self.timeline and self.isAncestorOf(new):
            self._claims.watch(new)
