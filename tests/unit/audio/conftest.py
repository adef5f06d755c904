"""Real recordings for the audio tests: numpy-synthesised, written as 16-bit WAV, re-encoded by ffmpeg."""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

# Encoding name -> (suffix, ffmpeg output arguments). "s16" is the source WAV itself, written by the stdlib.
ENCODINGS: dict[str, tuple[str, list[str]]] = {
    "s16": (".wav", []),
    "u8": (".wav", ["-c:a", "pcm_u8"]),
    "f32": (".wav", ["-c:a", "pcm_f32le"]),
    "mulaw": (".wav", ["-c:a", "pcm_mulaw"]),
    "alaw": (".wav", ["-c:a", "pcm_alaw"]),
    "mp3": (".mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
    "ogg": (".ogg", ["-c:a", "libvorbis", "-q:a", "4"]),
    "flac": (".flac", ["-c:a", "flac"]),
}

# One tone per channel, so a test can tell which channel it is looking at (left 440 Hz, right 1250 Hz, ...).
TONES_HZ = (440.0, 1250.0, 2000.0, 300.0)
BURST_S = 0.1  # channels after the first are switched on and off every 100 ms, like turn-taking

# (path, the int16 frames x channels the file was encoded from)
Recording = tuple[Path, npt.NDArray[np.int16]]
MakeAudio = Callable[..., Recording]


def synthesise(frames: int, channels: int, rate: int, seed: int = 0) -> npt.NDArray[np.int16]:
    """A tone per channel (bursts on all but the first) plus a little noise, so every LSB carries information."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / rate
    columns = []
    for channel in range(channels):
        tone = 0.5 * np.sin(2 * np.pi * TONES_HZ[channel] * t)
        if channel:
            tone *= (np.floor(t / BURST_S) % 2 == 0) * 0.8
        noise = rng.normal(0.0, 0.01, frames)
        columns.append(np.clip(tone + noise, -1.0, 1.0) * 32767)
    return np.round(np.stack(columns, axis=1)).astype(np.int16)


def write_wav(path: Path, samples: npt.NDArray[np.int16], rate: int) -> Path:
    """A plain 16-bit PCM WAV via the stdlib, independent of the code under test."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(int(samples.shape[1]))
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def _convert(source: Path, target: Path, arguments: list[str]) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed")
    command = [ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(source), *arguments, str(target)]
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture
def make_audio(tmp_path: Path) -> MakeAudio:
    """Factory: make_audio(encoding="s16", channels=2, rate=8000, seconds=1.0, seed=0, name=None) -> (path, source)."""

    def make(
        encoding: str = "s16",
        *,
        channels: int = 2,
        rate: int = 8000,
        seconds: float = 1.0,
        seed: int = 0,
        name: str | None = None,
    ) -> Recording:
        suffix, arguments = ENCODINGS[encoding]
        stem = name or f"{encoding}_{channels}ch_{rate}hz_{seconds}s_{seed}"
        source = synthesise(round(seconds * rate), channels, rate, seed)
        wav = write_wav(tmp_path / f"{stem}.source.wav", source, rate)
        if encoding == "s16":
            return wav.rename(tmp_path / f"{stem}{suffix}"), source
        target = tmp_path / f"{stem}{suffix}"
        _convert(wav, target, arguments)
        wav.unlink()
        return target, source

    return make
