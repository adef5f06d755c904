"""Playback of one call: play, pause, seek, speed, ranges, loops and soloing one party, over QMediaPlayer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

from reviewer.domain.parties import Party

RATE_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
MIN_RATE, MAX_RATE = RATE_STEPS[0], RATE_STEPS[-1]
# The FFmpeg backend reports positions every 50-100 ms; extrapolating further than this means playback stalled.
_MAX_EXTRAPOLATION_MS = 150
# A report this far behind what position() already returned is jitter, not a seek: hold instead of stepping back.
_HOLD_WINDOW_MS = 250
# A report jumping further than this ahead of the previous one is stale (queued before a seek), not playback.
_MAX_REPORT_JUMP_MS = 1000
_RANGE_END_SLACK_MS = 5

_Status = QMediaPlayer.MediaStatus
_State = QMediaPlayer.PlaybackState


class Player(QObject):
    """A thin controller over QMediaPlayer with a smooth playhead, ranges, loops and per-party solo sources."""

    position_changed = Signal(int)
    playing_changed = Signal(bool)
    rate_changed = Signal(float)
    solo_changed = Signal(object)
    error = Signal(str)
    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media = QMediaPlayer(self)
        self._output: QAudioOutput | None = None
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_devices_audio_outputs_changed)
        self._on_devices_audio_outputs_changed()
        if self._media.pitchCompensationAvailability() != QMediaPlayer.PitchCompensationAvailability.Unavailable:
            # Slowed-down speech keeps its voice instead of dropping an octave.
            self._media.setPitchCompensation(True)
        self._sources: dict[Party | None, Path] = {}
        self._solo: Party | None = None
        self._rate = 1.0
        self._loop = False
        self._range: tuple[int, int] | None = None
        self._playing = False
        # While a source loads, the position and play state to restore once it has (QMediaPlayer ignores seeks then).
        self._pending: tuple[int, bool] | None = None
        # Switching sources first stops the old one, which reports LoadedMedia too: wait for LoadingMedia first.
        self._loading_seen = False
        self._announce_loaded = False
        self._duration = 0  # kept across solo switches, while the new source does not know it yet
        self._reported = 0
        self._last_smooth = 0
        self._since_report = QElapsedTimer()
        self._range_timer = QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._range_timer.timeout.connect(self._on_range_timer_timeout)
        self._media.positionChanged.connect(self._on_media_position_changed)
        self._media.playbackStateChanged.connect(self._on_media_state_changed)
        self._media.mediaStatusChanged.connect(self._on_media_status_changed)
        self._media.errorOccurred.connect(self._on_media_error_occurred)
        self._media.durationChanged.connect(self._on_media_duration_changed)

    # -- media ---------------------------------------------------------------------------------------------------

    def load(self, sources: Mapping[Party | None, Path]) -> None:
        """Open a call: key None is both parties, Party keys are optional solo files of one party each."""
        if None not in sources:
            raise ValueError("load() needs the recording of both parties under the key None")
        self.unload()
        self._sources = dict(sources)
        self._announce_loaded = True
        self._switch_to(self._sources[None], 0, playing=False)

    def unload(self) -> None:
        """Stop and release the file (so it can be deleted); no timer stays active."""
        self._range_timer.stop()
        self._range = None
        self._pending = None
        self._announce_loaded = False
        self._media.stop()
        self._media.setSource(QUrl())
        self._sources = {}
        self._duration = self._reported = self._last_smooth = 0
        self._set_playing(False)
        if self._solo is not None:
            self._solo = None
            self.solo_changed.emit(None)

    def has_media(self) -> bool:
        """Whether a call is loaded."""
        return bool(self._sources)

    def current_file(self) -> Path | None:
        """The file being heard (both parties or a solo file), or None when nothing is loaded."""
        return self._sources.get(self._solo) if self._sources else None

    def duration(self) -> int:
        """Length of the call in ms (0 until loaded)."""
        return self._duration

    def audio_output_available(self) -> bool:
        """Whether the machine has a sound output; without one playback still runs, silently."""
        return bool(QMediaDevices.audioOutputs())

    # -- transport -----------------------------------------------------------------------------------------------

    def play(self) -> None:
        """Start or resume playback."""
        if not self._sources:
            return
        if self._pending is not None:
            self._pending = (self._pending[0], True)
            return
        if self._range is None and self.position() >= self._duration > 0:
            self.seek(0)  # play at the end starts the call again, as media players do
        self._media.play()
        self._arm_range_timer()

    def pause(self) -> None:
        """Pause; a range being played is abandoned."""
        self._cancel_range()
        if self._pending is not None:
            self._pending = (self._pending[0], False)
            return
        self._media.pause()

    def toggle(self) -> None:
        """Pause when playing, play otherwise."""
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def is_playing(self) -> bool:
        """Whether playback runs (or will run once a source switch completes)."""
        return self._pending[1] if self._pending is not None else self._playing

    def seek(self, ms: int) -> None:
        """Move the playhead, clamped to the call; a range being played ends if ms lies outside it."""
        ms = max(int(ms), 0)
        ms = min(ms, self._duration or ms)  # before the duration is known, QMediaPlayer clamps on load
        if self._range is not None and not self._range[0] <= ms < self._range[1]:
            self._cancel_range()
        if self._pending is not None:
            self._pending = (ms, self._pending[1])
            self.position_changed.emit(ms)
            return
        self._mark_reported(ms, jump=True)
        self._media.setPosition(ms)
        self._arm_range_timer()

    def position(self) -> int:
        """The playhead in ms, smooth enough for a 16 ms timer: last report plus elapsed time × rate while playing."""
        if self._pending is not None:
            return self._pending[0]
        if not self._playing:
            return self._reported
        elapsed = min(self._since_report.elapsed(), _MAX_EXTRAPOLATION_MS)
        smooth = min(self._reported + round(elapsed * self._rate), self.duration())
        if 0 < self._last_smooth - smooth <= _HOLD_WINDOW_MS:
            smooth = self._last_smooth  # the report lagged our estimate: wait for it rather than jump back
        self._last_smooth = smooth
        return smooth

    # -- speed ---------------------------------------------------------------------------------------------------

    def rate(self) -> float:
        """Playback speed, 1.0 = normal."""
        return self._rate

    def set_rate(self, rate: float) -> None:
        """Set the speed, clamped to 0.5-2.0×."""
        rate = min(max(float(rate), MIN_RATE), MAX_RATE)
        if rate == self._rate:
            return
        # Restart the extrapolation so elapsed time before the change is not scaled by the new rate.
        self._mark_reported(self.position())
        self._rate = rate
        self._media.setPlaybackRate(rate)
        self._arm_range_timer()
        self.rate_changed.emit(rate)

    def slower(self) -> None:
        """One step slower (0.5, 0.75, 1, 1.25, 1.5, 2×)."""
        self.set_rate(max((r for r in RATE_STEPS if r < self._rate), default=MIN_RATE))

    def faster(self) -> None:
        """One step faster."""
        self.set_rate(min((r for r in RATE_STEPS if r > self._rate), default=MAX_RATE))

    def normal_speed(self) -> None:
        """Back to 1×."""
        self.set_rate(1.0)

    # -- ranges and loops ----------------------------------------------------------------------------------------

    def play_range(self, start_ms: int, end_ms: int) -> None:
        """Play from start and pause at end (or loop between them when loop is on)."""
        start = min(max(int(start_ms), 0), self.duration())
        end = min(max(int(end_ms), start), self.duration())
        if end <= start or not self._sources:
            return
        self.seek(start)
        self._range = (start, end)
        self.play()

    def play_around(self, start_ms: int, end_ms: int, margin_ms: int = 500) -> None:
        """Play a stretch with some context either side (±0.5 s by default, as ELAN and Aegisub do)."""
        self.play_range(start_ms - margin_ms, end_ms + margin_ms)

    def set_loop(self, on: bool) -> None:
        """Loop the range being played, or the whole call when there is none."""
        self._loop = bool(on)

    def loop(self) -> bool:
        """Whether looping is on."""
        return self._loop

    # -- solo ----------------------------------------------------------------------------------------------------

    def solo(self, party: Party | None) -> bool:
        """Hear one party alone (None = both), keeping position and play state; False if that file is missing."""
        if party not in self._sources:
            return False
        if party == self._solo:
            return True
        self._range_timer.stop()
        self._solo = party
        self._switch_to(self._sources[party], self.position(), playing=self.is_playing())
        self.solo_changed.emit(party)
        return True

    def solo_party(self) -> Party | None:
        """The party heard alone, or None when both are."""
        return self._solo

    def can_solo(self) -> bool:
        """Whether per-party files exist (not for mono recordings)."""
        return Party.AGENT in self._sources or Party.CUSTOMER in self._sources

    # -- internals -----------------------------------------------------------------------------------------------

    def _on_devices_audio_outputs_changed(self) -> None:
        """Follow the default output; with none, play without one (the position still advances, silently)."""
        # With no device, an attached QAudioOutput makes the audio thread log "No audio device detected"; under a
        # Python message handler (pytest-qt's) that thread needs the GIL while QMediaPlayer.stop() on the GUI thread
        # holds it and waits for the audio thread: a deadlock we hit in tests.
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._media.setAudioOutput(None)  # type: ignore[arg-type]  # Qt takes nullptr; the stubs say otherwise
            self._output = None
        elif self._output is None:
            self._output = QAudioOutput(device, self)
            self._media.setAudioOutput(self._output)
        else:
            self._output.setDevice(device)

    def _switch_to(self, path: Path, position: int, *, playing: bool) -> None:
        self._pending = (position, playing)
        self._loading_seen = False
        self._media.setSource(QUrl.fromLocalFile(str(path)))

    def _mark_reported(self, ms: int, *, jump: bool = False) -> None:
        self._reported = ms
        self._since_report.start()
        if jump:
            self._last_smooth = ms  # a seek may go backwards; only jitter is held back

    def _set_playing(self, playing: bool) -> None:
        if playing != self._playing:
            self._playing = playing
            self.playing_changed.emit(playing)

    def _cancel_range(self) -> None:
        self._range_timer.stop()
        self._range = None

    def _arm_range_timer(self) -> None:
        """Time the range's end precisely; position reports alone come too seldom to stop within ~20 ms."""
        if self._range is None or not self.is_playing() or self._pending is not None:
            return
        remaining = self._range[1] - self.position()
        self._range_timer.start(max(round(remaining / self._rate), 0))

    def _finish_range(self) -> None:
        assert self._range is not None
        start, end = self._range
        if self._loop:
            self._restart_at(start)
            self._arm_range_timer()
            return
        self._cancel_range()
        self._media.pause()
        self._media.setPosition(end)

    def _reached_end(self) -> None:
        """Loop or stop at the end of the call."""
        # Without an audio output the FFmpeg backend keeps "playing" at the end and never reports EndOfMedia (nor
        # honours setLoops()), so the last position report counts as the end too.
        if self._loop:
            self._restart_at(0)
        elif self._media.playbackState() == _State.PlayingState:
            self._media.pause()
            self._media.setPosition(self._duration)

    def _restart_at(self, ms: int) -> None:
        self._mark_reported(ms, jump=True)
        self._media.setPosition(ms)
        if self._media.playbackState() != _State.PlayingState:
            self._media.play()  # the end of the call stopped the player

    def _on_range_timer_timeout(self) -> None:
        if self._range is None:
            return
        if self.position() >= self._range[1] - _RANGE_END_SLACK_MS:
            self._finish_range()
        else:
            self._arm_range_timer()  # playback started late (buffering after the seek): wait for the rest

    def _on_media_position_changed(self, ms: int) -> None:
        if self._pending is not None:
            return  # the new source starts at 0 before we restore the position
        continuous = ms - self._reported <= _MAX_REPORT_JUMP_MS
        self._mark_reported(int(ms))
        self.position_changed.emit(int(ms))
        if self._range is not None and continuous and ms >= self._range[1]:
            self._finish_range()
        elif self._range is None and self._playing and ms >= self._duration > 0:
            self._reached_end()

    def _on_media_state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        if self._pending is None:
            self._mark_reported(int(self._media.position()))
            self._set_playing(state == _State.PlayingState)

    def _on_media_status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == _Status.EndOfMedia and self._pending is None:
            self._reached_end()
            return
        if status == _Status.LoadingMedia:
            self._loading_seen = True
        if status != _Status.LoadedMedia or self._pending is None or not self._loading_seen:
            return
        position, playing = self._pending
        self._pending = None
        self._media.setPlaybackRate(self._rate)
        self._mark_reported(position, jump=True)
        self._media.setPosition(position)
        if self._announce_loaded:
            self._announce_loaded = False
            self.loaded.emit()
        if playing:
            self._media.play()
            self._arm_range_timer()
        else:
            self._media.pause()

    def _on_media_duration_changed(self, ms: int) -> None:
        if ms > 0:
            self._duration = int(ms)

    def _on_media_error_occurred(self, error: QMediaPlayer.Error, message: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        self._pending = None
        self._announce_loaded = False
        source = self._media.source().toLocalFile() or self._media.source().toString()
        name = Path(source).name if source else "the recording"
        self.error.emit(f"Cannot play {name}: {message or 'unknown error'}.")
