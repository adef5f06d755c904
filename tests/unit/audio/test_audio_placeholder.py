"""write_silent_wav(): a valid silent recording every reader accepts, sparse on disk, hashed as read."""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from reviewer.audio.decode import decode
from reviewer.audio.files import file_sha256
from reviewer.audio.placeholder import write_silent_wav


def test_the_stdlib_reads_it_back_with_the_right_format_and_length(tmp_path: Path) -> None:
    path = tmp_path / "call.wav"
    write_silent_wav(path, 90_250, "hist-tb-2026w36-1")
    with wave.open(str(path), "rb") as read:
        assert (read.getnchannels(), read.getsampwidth(), read.getframerate()) == (1, 2, 8000)
        assert read.getnframes() == 90_250 * 8
        assert not any(read.readframes(read.getnframes()))
    assert b"ICMT" in path.read_bytes()[:200] and b"hist-tb-2026w36-1\0" in path.read_bytes()[:200]


def test_the_hash_is_that_of_the_bytes_and_the_marker_makes_it_unique(tmp_path: Path) -> None:
    first = write_silent_wav(tmp_path / "a.wav", 5_000, "call a")
    assert first == file_sha256(tmp_path / "a.wav")
    assert write_silent_wav(tmp_path / "again.wav", 5_000, "call a") == first  # deterministic
    assert write_silent_wav(tmp_path / "b.wav", 5_000, "call b") != first
    assert write_silent_wav(tmp_path / "odd.wav", 5_000, "odd") == file_sha256(tmp_path / "odd.wav")  # padded


def test_stereo_and_other_rates(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    write_silent_wav(path, 1_000, "stereo", sample_rate=16_000, channels=2)
    with wave.open(str(path), "rb") as read:
        assert (read.getnchannels(), read.getframerate(), read.getnframes()) == (2, 16_000, 16_000)


def test_the_samples_are_a_hole_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    write_silent_wav(path, 8 * 60_000, "eight minutes")
    size = path.stat().st_size
    assert size > 7_000_000
    blocks = getattr(path.stat(), "st_blocks", None)
    if blocks is None or os.name == "nt":
        pytest.skip("no block counts on this platform")
    if blocks * 512 >= size:
        pytest.skip("this filesystem does not keep sparse files")
    assert blocks * 512 < size / 20


def test_pydub_and_ffmpeg_decode_it(tmp_path: Path) -> None:
    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe is not installed")
    path = tmp_path / "call.wav"
    write_silent_wav(path, 2_500, "decoded")
    decoded = decode(path)
    assert (decoded.codec, decoded.sample_rate, decoded.channels, decoded.frames) == ("pcm_s16le", 8000, 1, 20_000)
    assert decoded.duration_ms == 2_500 and not np.any(decoded.samples)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed")
    command = [ffmpeg, "-nostdin", "-v", "error", "-i", str(path), "-f", "s16le", "-"]
    raw = subprocess.run(command, capture_output=True, check=True).stdout  # what playback and import run
    assert len(raw) == 20_000 * 2 and not any(raw)


def test_a_negative_length_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="-1 ms"):
        write_silent_wav(tmp_path / "x.wav", -1, "x")
