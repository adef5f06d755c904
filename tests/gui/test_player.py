"""The player on real WAV files: Qt's FFmpeg backend plays them even without a sound card, silently."""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from reviewer.domain.parties import Party
from reviewer.ui.player import Player
from tests.testkit import write_wav

SECONDS = 6.0
DURATION = 6000


@pytest.fixture
def files(tmp_path: Path) -> dict[Party | None, Path]:
    """Both parties in stereo, and each party alone in mono, as the review window hands them over."""
    return {
        None: write_wav(tmp_path / "call.wav", seconds=SECONDS),
        Party.AGENT: write_wav(tmp_path / "agent.wav", seconds=SECONDS, channels=1),
        Party.CUSTOMER: write_wav(tmp_path / "customer.wav", seconds=SECONDS, channels=1),
    }


@pytest.fixture
def player(qtbot: QtBot) -> Iterator[Player]:
    """A player that is unloaded and deleted after the test."""
    made = Player()
    yield made
    made.unload()
    assert not any(t.isActive() for t in made.findChildren(QTimer))
    made.deleteLater()


def _load(qtbot: QtBot, player: Player, sources: dict[Party | None, Path]) -> None:
    with qtbot.waitSignal(player.loaded, timeout=10_000):
        player.load(sources)


def _play_past(qtbot: QtBot, player: Player, ms: int) -> None:
    player.play()
    qtbot.waitUntil(lambda: player.position() > ms, timeout=10_000)


def test_load_then_play_advances_the_position(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    assert not player.has_media()
    _load(qtbot, player, files)
    assert player.has_media() and player.duration() == DURATION
    assert player.position() == 0 and not player.is_playing()
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on is True, timeout=5000):
        player.play()
    reports: list[int] = []
    player.position_changed.connect(reports.append)
    qtbot.waitUntil(lambda: player.position() > 300, timeout=10_000)
    assert player.is_playing()
    assert any(ms > 0 for ms in reports)


def test_pause_stops_the_position(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    _play_past(qtbot, player, 300)
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on is False, timeout=5000):
        player.toggle()
    held = player.position()
    assert held > 0  # the media player's own position: up to one report behind the smooth estimate
    qtbot.wait(300)
    assert player.position() == held and not player.is_playing()


def test_seek_is_clamped_and_exact_when_paused(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    with qtbot.waitSignal(player.position_changed, check_params_cb=lambda ms: ms == 2000):
        player.seek(2000)
    assert player.position() == 2000
    player.seek(-50)
    assert player.position() == 0
    player.seek(10**9)
    assert player.position() == DURATION


def test_rate_is_clamped_stepped_and_announced(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    rates: list[float] = []
    player.rate_changed.connect(rates.append)
    player.set_rate(3.0)
    player.set_rate(0.1)
    assert rates == [2.0, 0.5] and player.rate() == 0.5
    player.faster()
    player.faster()
    assert player.rate() == 1.0
    player.slower()
    assert player.rate() == 0.75
    player.set_rate(1.1)
    player.faster()
    assert player.rate() == 1.25
    player.normal_speed()
    assert player.rate() == 1.0 and rates[-1] == 1.0


def test_play_range_pauses_at_its_end(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    reports: list[int] = []
    player.position_changed.connect(reports.append)
    player.play_range(1000, 1700)
    assert player.is_playing()
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=10_000)
    assert player.position() == 1700
    assert any(1000 < ms < 1700 for ms in reports), "the range was skipped rather than played"
    player.play()  # after the range, play continues normally past its end
    qtbot.waitUntil(lambda: player.position() > 1900, timeout=10_000)


def test_play_around_adds_margins_clamped_to_the_call(
    qtbot: QtBot, player: Player, files: dict[Party | None, Path]
) -> None:
    _load(qtbot, player, files)
    player.seek(3000)
    player.play_around(200, 400)
    assert player.position() < 200  # started before the stretch, at 0 rather than -300
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=10_000)
    assert player.position() == 900


def test_solo_switches_source_keeping_position_and_play_state(
    qtbot: QtBot, player: Player, files: dict[Party | None, Path]
) -> None:
    _load(qtbot, player, files)
    assert player.can_solo() and player.solo_party() is None and player.current_file() == files[None]
    _play_past(qtbot, player, 800)
    before = player.position()
    with qtbot.waitSignal(player.solo_changed, check_params_cb=lambda party: party is Party.AGENT):
        assert player.solo(Party.AGENT)
    assert player.solo_party() is Party.AGENT and player.current_file() == files[Party.AGENT]
    assert player.is_playing()
    assert abs(player.position() - before) < 150
    qtbot.waitUntil(lambda: player.position() > before + 400, timeout=10_000)
    assert player.is_playing()

    player.pause()
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=5000)
    player.seek(1500)
    with qtbot.waitSignal(player.position_changed, check_params_cb=lambda ms: ms == 1500, timeout=10_000):
        assert player.solo(Party.CUSTOMER)
    assert player.current_file() == files[Party.CUSTOMER]
    qtbot.wait(200)
    assert player.position() == 1500 and not player.is_playing()
    assert player.solo(None) and player.current_file() == files[None]


def test_solo_is_unavailable_without_party_files(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, {None: files[None]})
    switched: list[object] = []
    player.solo_changed.connect(switched.append)
    assert not player.can_solo()
    assert not player.solo(Party.AGENT)
    assert player.solo_party() is None and switched == []
    assert player.solo(None)


def test_loop_repeats_the_range(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    reports: list[int] = []
    player.position_changed.connect(reports.append)
    player.set_loop(True)
    assert player.loop()
    player.play_range(1000, 1500)
    qtbot.waitUntil(lambda: any(b < a for a, b in pairwise(reports)), timeout=10_000)
    assert player.is_playing()
    assert all(1000 <= ms <= 1600 for ms in reports)


def test_loop_repeats_the_whole_call(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    player.set_loop(True)
    player.seek(DURATION - 300)
    reports: list[int] = []
    player.position_changed.connect(reports.append)
    player.play()
    qtbot.waitUntil(lambda: any(ms < 1000 for ms in reports), timeout=10_000)
    assert player.is_playing()


def test_smooth_position_is_monotonic_and_finer_than_reports(
    qtbot: QtBot, player: Player, files: dict[Party | None, Path]
) -> None:
    _load(qtbot, player, files)
    reports: list[int] = []
    samples: list[int] = []
    player.position_changed.connect(reports.append)
    ticker = QTimer()
    ticker.timeout.connect(lambda: samples.append(player.position()))
    _play_past(qtbot, player, 100)
    ticker.start(16)
    qtbot.waitUntil(lambda: player.position() > 1500, timeout=10_000)
    ticker.stop()
    assert samples == sorted(samples), "the playhead ran backwards"
    assert len(set(samples)) > len(set(reports)), "position() only repeats the media player's coarse reports"


def test_unload_releases_the_file_and_timers(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    player.play_range(500, 4000)
    qtbot.waitUntil(lambda: player.position() > 700, timeout=10_000)
    assert any(t.isActive() for t in player.findChildren(QTimer))
    player.unload()
    assert not player.has_media() and not player.is_playing() and player.current_file() is None
    assert not any(t.isActive() for t in player.findChildren(QTimer))
    if Path("/proc/self/fd").is_dir():
        open_files = {os.path.realpath(fd) for fd in Path("/proc/self/fd").iterdir()}
        assert str(files[None].resolve()) not in open_files
    files[None].unlink()


# The FFmpeg backend logs the failed open (qt.multimedia.ffmpeg.mediadataholder) before reporting the error.
@pytest.mark.qt_log_ignore("Could not open media")
def test_a_missing_file_is_reported_by_name(qtbot: QtBot, player: Player, tmp_path: Path) -> None:
    with qtbot.waitSignal(player.error, timeout=10_000) as blocker:
        player.load({None: tmp_path / "gone.wav"})
    message = blocker.args[0]
    assert "gone.wav" in message and message.startswith("Cannot play")
    with pytest.raises(ValueError, match="key None"):
        player.load({Party.AGENT: tmp_path / "gone.wav"})


def test_playing_to_the_end_stops_there(qtbot: QtBot, player: Player, files: dict[Party | None, Path]) -> None:
    _load(qtbot, player, files)
    player.seek(DURATION - 300)
    player.play()
    qtbot.waitUntil(lambda: not player.is_playing(), timeout=10_000)
    assert player.position() == DURATION
