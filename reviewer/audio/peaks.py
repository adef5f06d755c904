"""The Audacity-style peaks pyramid: min/max per 256 and per 65,536 samples, per channel, cached by audio hash."""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FINE = 256
COARSE = 65_536
LEVELS = (FINE, COARSE)
_CHUNK_FRAMES = 65_536  # frames de-interleaved at a time while reducing

Peaks2 = npt.NDArray[np.int16]  # shape (channels, blocks, 2): [..., 0] = min, [..., 1] = max


@dataclass(frozen=True, slots=True)
class PeaksPyramid:
    """Min/max envelopes of every channel at each level (samples per block)."""

    sample_rate: int
    frames: int
    levels: dict[int, Peaks2]

    @property
    def channels(self) -> int:
        """Number of channels."""
        return int(self.levels[FINE].shape[0])

    def level_for(self, samples_per_pixel: float) -> int:
        """The coarsest level that still has at least one block per pixel."""
        usable = [level for level in LEVELS if level <= max(samples_per_pixel, FINE)]
        return max(usable)


def _reduce(samples: npt.NDArray[np.int16], block: int) -> Peaks2:
    """Min/max of each block of rows of a (frames, channels) array; the last block may be short."""
    frames, channels = samples.shape
    whole = frames // block
    out = np.empty((channels, whole + (frames % block > 0), 2), dtype=np.int16)
    # numpy reduces a contiguous last axis with SIMD but crawls along a middle one (18x slower on interleaved
    # stereo, see benchmarks/import_speed.py), so each chunk is de-interleaved to (channels, blocks, block) first:
    # a copy of 128 KiB per channel that stays in the CPU cache.
    step = max(1, _CHUNK_FRAMES // block) * block
    for start in range(0, whole * block, step):
        chunk = np.ascontiguousarray(samples[start : min(start + step, whole * block)].T)
        grouped = chunk.reshape(channels, -1, block)
        first = start // block
        out[:, first : first + grouped.shape[1], 0] = grouped.min(axis=2)
        out[:, first : first + grouped.shape[1], 1] = grouped.max(axis=2)
    if frames % block:
        tail = samples[whole * block :]
        out[:, whole, 0] = tail.min(axis=0)
        out[:, whole, 1] = tail.max(axis=0)
    return out


def _coarsen(fine: Peaks2, factor: int) -> Peaks2:
    """A coarser level from a finer one: min of mins, max of maxes over `factor` blocks."""
    channels, blocks, _ = fine.shape
    whole = blocks // factor
    out = np.empty((channels, whole + (blocks % factor > 0), 2), dtype=np.int16)
    if whole:
        grouped = fine[:, : whole * factor].reshape(channels, whole, factor, 2)
        out[:, :whole, 0] = grouped[..., 0].min(axis=2)
        out[:, :whole, 1] = grouped[..., 1].max(axis=2)
    if blocks % factor:
        out[:, whole, 0] = fine[:, whole * factor :, 0].min(axis=1)
        out[:, whole, 1] = fine[:, whole * factor :, 1].max(axis=1)
    return out


def build_peaks(samples: npt.NDArray[np.int16], sample_rate: int) -> PeaksPyramid:
    """Both levels from interleaved int16 frames; the coarse level is derived from the fine one (one pass)."""
    fine = _reduce(samples, FINE)
    return PeaksPyramid(sample_rate, int(samples.shape[0]), {FINE: fine, COARSE: _coarsen(fine, COARSE // FINE)})


class PeaksCache:
    """Pyramids stored as .npz files named by the audio's SHA-256."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, sha256: str) -> Path:
        """Where the pyramid of this recording lives."""
        return self.directory / f"{sha256}.npz"

    def has(self, sha256: str) -> bool:
        """Whether a pyramid is cached (without reading it)."""
        return self.path_for(sha256).is_file()

    def load(self, sha256: str) -> PeaksPyramid | None:
        """The cached pyramid, or None when absent or unreadable (it is only a cache)."""
        try:
            # Our own handle: given a path, np.load leaks its file when the zip directory is unreadable.
            with self.path_for(sha256).open("rb") as handle, np.load(handle) as data:
                levels = {level: data[f"l{level}"] for level in LEVELS}
                return PeaksPyramid(int(data["rate"]), int(data["frames"]), levels)
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
            # BadZipFile is none of the others: a cut-off or bit-flipped .npz (bad CRC) raises it.
            return None

    def save(self, sha256: str, peaks: PeaksPyramid) -> Path:
        """Write atomically (temp file + rename) so a crash never leaves half a pyramid."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path_for(sha256)
        handle, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                # Key names follow LEVELS (l256, l65536); load() reads them back the same way.
                np.savez(
                    out,
                    l256=peaks.levels[FINE],
                    l65536=peaks.levels[COARSE],
                    rate=peaks.sample_rate,
                    frames=peaks.frames,
                )
            Path(temp).replace(target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target
