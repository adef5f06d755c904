"""Playback and navigation commands of the review page (a mixin over ReviewView's widgets and the Player)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from reviewer.domain.parties import Party
from reviewer.services.opening import OpenedCall
from reviewer.text.problems import describe
from reviewer.text.times import clock, parse_clock
from reviewer.ui.review_base import ReviewBase

SMALL_MS, MEDIUM_MS, LARGE_MS = 100, 1000, 5000
_NO_DEVICE = "No audio output device: playback runs silently (the playhead still moves)"


class PlaybackHandlers(ReviewBase):
    """Play, seek, speed, solo and the transport bar."""

    def _connect_playback(self) -> None:
        self.player.playing_changed.connect(self._on_player_playing_changed)
        self.player.position_changed.connect(self._on_player_position_changed)
        self.player.rate_changed.connect(lambda rate: self.speed.setText(f"{rate:.2f}×"))
        self.player.solo_changed.connect(self._on_player_solo_changed)
        self.player.error.connect(self.message)
        self.play_button.clicked.connect(self.toggle_play)
        self.loop_button.toggled.connect(self.player.set_loop)
        self.solo_buttons["both"].clicked.connect(self.solo_both)
        self.solo_buttons["agent"].clicked.connect(self.solo_agent)
        self.solo_buttons["customer"].clicked.connect(self.solo_customer)

    def _load_audio(self, opened: OpenedCall) -> None:
        if opened.sources:
            self.player.load(opened.sources)
            self.audio_note.setText("" if self.player.audio_output_available() else _NO_DEVICE)
        else:
            reason = describe(opened.problem) if opened.problem else "the recording is missing"
            self.audio_note.setText(f"No audio: {reason}")
            self.message.emit(f"Opened without audio: {reason}")
        for key in ("agent", "customer"):
            self.solo_buttons[key].setEnabled(Party(key) in opened.sources)
        self._show_position(0)

    # --- play ---------------------------------------------------------------------------------------------------

    def _audio_ready(self) -> bool:
        if not self.player.has_media():
            self.message.emit("This call has no playable audio")
            return False
        return True

    def toggle_play(self) -> None:
        """Play from the playhead, or pause."""
        if not self._audio_ready():
            return
        if not self.player.is_playing():
            self.player.seek(self.timeline.playhead_ms())
        self.player.toggle()

    def _span(self) -> tuple[int, int] | None:
        selection = self.timeline.selection()
        if selection is not None and selection[2] > selection[1]:
            return selection[1], selection[2]
        tag = self.editor.tag(self.timeline.selected_tag_id())
        if tag is not None and not tag.is_point:
            return tag.start_ms, tag.end_ms
        ghost = self.current_suggestion()  # Shift+Space hears the suggestion before deciding
        return (ghost.start_ms, ghost.end_ms) if ghost is not None and ghost.end_ms > ghost.start_ms else None

    def play_selection(self) -> None:
        """Play the selection (or the selected tag) once."""
        span = self._span()
        if span is None:
            self.message.emit("Select a span or a tag to play it")
        elif self._audio_ready():
            self.player.play_range(*span)

    def play_around(self) -> None:
        """Play the selection with half a second either side."""
        span = self._span() or (self.timeline.playhead_ms(), self.timeline.playhead_ms())
        if self._audio_ready():
            self.player.play_around(*span)

    def toggle_loop(self) -> None:
        """Loop on/off."""
        self.loop_button.toggle()

    def slower(self) -> None:
        """Slower playback."""
        self.player.slower()

    def faster(self) -> None:
        """Faster playback."""
        self.player.faster()

    def normal_speed(self) -> None:
        """Normal playback speed."""
        self.player.normal_speed()

    def _solo(self, party: Party | None) -> None:
        if not self.player.solo(party):
            self.message.emit("Both parties share one channel in this recording: solo is not possible")

    def solo_both(self) -> None:
        """Hear both parties."""
        self._solo(None)

    def solo_agent(self) -> None:
        """Hear the agent only."""
        self._solo(Party.AGENT)

    def solo_customer(self) -> None:
        """Hear the customer only."""
        self._solo(Party.CUSTOMER)

    def _on_player_solo_changed(self, party: Party | None) -> None:
        self.solo_buttons["both" if party is None else party.value].setChecked(True)

    def _on_player_playing_changed(self, playing: bool) -> None:
        self.play_button.setText("⏸ Pause" if playing else "▶ Play")
        self.timeline.set_position_source(self.player.position if playing else None)
        if not playing:
            self.timeline.set_playhead(self.player.position())

    def _on_player_position_changed(self, ms: int) -> None:
        self.transcript.set_position(ms)
        self._show_position(ms)

    def _show_position(self, ms: int) -> None:
        total = self.call.duration_ms if self.call else 0
        self.position.setText(f"{clock(ms, millis=True)} / {clock(total)}")

    # --- seek -------------------------------------------------------------------------------------------------

    def seek(self, ms: int) -> None:
        """Move the playhead (and the player) to a time in the call."""
        limit = self.call.duration_ms if self.call else 0
        ms = max(0, min(ms, limit))
        self.timeline.set_playhead(ms)
        if self.player.has_media():
            self.player.seek(ms)
        self.transcript.set_position(ms)
        self._show_position(ms)

    def _on_timeline_seek_requested(self, ms: int) -> None:
        self.seek(ms)

    def _on_transcript_seek_requested(self, ms: int) -> None:
        self.seek(ms)

    def _step(self, delta: int) -> None:
        self.seek(self.timeline.playhead_ms() + delta)

    def back_small(self) -> None:
        """Playhead back 0.1 s."""
        self._step(-SMALL_MS)

    def forward_small(self) -> None:
        """Playhead forward 0.1 s."""
        self._step(SMALL_MS)

    def back_medium(self) -> None:
        """Playhead back 1 s."""
        self._step(-MEDIUM_MS)

    def forward_medium(self) -> None:
        """Playhead forward 1 s."""
        self._step(MEDIUM_MS)

    def back_large(self) -> None:
        """Playhead back 5 s."""
        self._step(-LARGE_MS)

    def forward_large(self) -> None:
        """Playhead forward 5 s."""
        self._step(LARGE_MS)

    def go_start(self) -> None:
        """Playhead to the start of the call."""
        self.seek(0)

    def go_end(self) -> None:
        """Playhead to the end of the call."""
        self.seek(self.call.duration_ms if self.call else 0)

    def go_to_time(self) -> None:
        """Ask for a time and jump there."""
        text, ok = QInputDialog.getText(self, "Go to time", "Time (ss, mm:ss or hh:mm:ss.mmm):")
        if ok:
            self.go_to_text(text)

    def go_to_text(self, text: str) -> None:
        """Jump to a typed time, or say why it is not one."""
        try:
            self.seek(parse_clock(text))
        except ValueError as error:
            self.message.emit(f"Not a time: {error}")

    # --- view -------------------------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        """Zoom in around the playhead."""
        self.timeline.zoom_in()

    def zoom_out(self) -> None:
        """Zoom out."""
        self.timeline.zoom_out()

    def zoom_fit(self) -> None:
        """Show the whole call."""
        self.timeline.zoom_fit()

    def zoom_to_selection(self) -> None:
        """Fill the view with the selection."""
        self.timeline.zoom_to_selection()

    def find_in_transcript(self) -> None:
        """Find in the transcript."""
        self.transcript.find()

    def find_next(self) -> None:
        """Next match in the transcript."""
        self.transcript.find_next()

    def previous_lane(self) -> None:
        """The lane above."""
        self.timeline.previous_lane()

    def next_lane(self) -> None:
        """The lane below."""
        self.timeline.next_lane()

    def previous_tag(self) -> None:
        """The previous tag on this lane."""
        self.timeline.select_adjacent_tag(forward=False)
        self.seek(self.timeline.playhead_ms())

    def next_tag(self) -> None:
        """The next tag on this lane."""
        self.timeline.select_adjacent_tag(forward=True)
        self.seek(self.timeline.playhead_ms())
