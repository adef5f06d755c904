"""Playback copies of a recording: the decoded samples written once as WAV, plus one file per channel for solo.

The player plays these rather than the original: playback then uses exactly the samples the waveform was drawn
from (long compressed files otherwise drift against their peaks), and soloing a party is switching files.
"""

from __future__ import annotations

import os
import tempfile
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

_CHUNK_FRAMES = 1 << 18  # written a slice at a time so no second full-size copy is ever built


class PlaybackCache:
    """WAV files named by the recording's SHA-256: `<sha>.wav` (all channels) and `<sha>.ch<n>.wav`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def paths(self, sha256: str, channels: int) -> list[Path]:
        """The mixed file, then one per channel when there is more than one."""
        per_channel = [self.directory / f"{sha256}.ch{n}.wav" for n in range(channels)] if channels > 1 else []
        return [self.directory / f"{sha256}.wav", *per_channel]

    def has(self, sha256: str, channels: int) -> bool:
        """Whether every file is there."""
        return all(path.is_file() for path in self.paths(sha256, channels))

    def write(self, sha256: str, samples: npt.NDArray[np.int16], sample_rate: int) -> list[Path]:
        """Write all files atomically; returns their paths in `paths()` order."""
        self.directory.mkdir(parents=True, exist_ok=True)
        targets = self.paths(sha256, int(samples.shape[1]))
        _write_wav(targets[0], samples, sample_rate)
        for channel, target in enumerate(targets[1:]):
            _write_wav(target, samples[:, channel : channel + 1], sample_rate)
        return targets


def _write_wav(target: Path, samples: npt.NDArray[np.int16], sample_rate: int) -> None:
    handle, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        with wave.open(temp, "wb") as out:
            out.setnchannels(int(samples.shape[1]))
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            for start in range(0, samples.shape[0], _CHUNK_FRAMES):
                chunk = np.ascontiguousarray(samples[start : start + _CHUNK_FRAMES], dtype="<i2")
                out.writeframesraw(chunk.tobytes())
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
