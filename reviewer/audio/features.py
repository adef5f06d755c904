"""Cheap measurements over a decoded timeline that importers and detectors share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def span_energy(
    samples: npt.NDArray[np.int16], sample_rate: int, spans: Sequence[tuple[int, int]]
) -> npt.NDArray[np.float64]:
    """Mean square amplitude of every channel over each (start_ms, end_ms) span: shape (spans, channels)."""
    frames, channels = samples.shape
    energy = np.zeros((len(spans), channels), dtype=np.float64)
    for row, (start_ms, end_ms) in enumerate(spans):
        first = min(frames, start_ms * sample_rate // 1000)
        last = min(frames, max(first + 1, end_ms * sample_rate // 1000))
        if last > first:
            part = samples[first:last].astype(np.float64)
            energy[row] = np.mean(part * part, axis=0)
    return energy
