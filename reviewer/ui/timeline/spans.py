"""Many time spans drawn at once: numpy rasters of coloured rows, and utterances sorted for range queries.

When thousands of tags or utterances are visible (a one-hour call fitted to the window), one QPainter call per item
costs more than a frame; painting them into a numpy image and drawing that once does not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage

from reviewer.domain.parties import Actor
from reviewer.domain.transcript import Utterance

Pixels = npt.NDArray[np.uint32]
FloatArray = npt.NDArray[np.float64]


def to_qimage(pixels: Pixels) -> QImage:
    """A premultiplied-ARGB QImage owning a copy of an (height, width) uint32 array."""
    height, width = pixels.shape
    buffer = np.ascontiguousarray(pixels, dtype=np.uint32)
    # copy(): the QImage would otherwise point into numpy memory freed when `buffer` goes.
    return QImage(buffer.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()


def raster_rows(
    x0: FloatArray,
    x1: FloatArray,
    rows: npt.NDArray[np.integer],
    argb: npt.NDArray[np.uint32],
    *,
    n_rows: int,
    width: int,
) -> Pixels:
    """An (n_rows, width) image with each span [x0, x1) painted in its row and colour, at least one pixel wide."""
    out = np.zeros((max(1, n_rows), width), dtype=np.uint32)
    left = np.clip(np.floor(x0), 0, width).astype(np.int64)
    right = np.clip(np.maximum(np.ceil(x1), np.floor(x0) + 1), 0, width).astype(np.int64)
    lengths = np.maximum(right - left, 0)
    total = int(lengths.sum())
    if total == 0:
        return out
    owner = np.repeat(np.arange(left.size), lengths)
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    # Spans in one row never overlap in time, so which one wins a shared rounding pixel does not matter.
    out[rows[owner], left[owner] + offsets] = argb[owner]
    return out


def stack_rows(row_pixels: Pixels, row_height: int, gap: int = 1) -> Pixels:
    """Each row of a raster repeated `row_height` times, its last `gap` lines left clear between rows."""
    n_rows, width = row_pixels.shape
    image = np.repeat(row_pixels, row_height, axis=0)
    if gap and row_height > gap:
        image.reshape(n_rows, row_height, width)[:, row_height - gap :, :] = 0
    return image


class UtteranceLane:
    """One party's utterances sorted by start, with a running maximum of ends so a range query is two bisections."""

    def __init__(self, utterances: Sequence[Utterance]) -> None:
        self.items = sorted(utterances, key=lambda u: (u.start_ms, u.end_ms))
        self.starts = np.array([u.start_ms for u in self.items], dtype=np.int64)
        self.ends = np.array([u.end_ms for u in self.items], dtype=np.int64)
        self._reach = np.maximum.accumulate(self.ends) if self.items else self.ends

    def __len__(self) -> int:
        return len(self.items)

    def visible(self, start_ms: float, end_ms: float) -> tuple[int, int]:
        """Positions [lo, hi) that may intersect the range (an item inside may end before it: filter when drawing)."""
        lo = int(np.searchsorted(self._reach, start_ms, side="left"))
        hi = int(np.searchsorted(self.starts, end_ms, side="right"))
        return lo, max(lo, hi)


def utterance_lanes(utterances: Sequence[Utterance]) -> dict[Actor, UtteranceLane]:
    """Utterances split by party into the two party lanes."""
    return {
        lane: UtteranceLane([u for u in utterances if Actor.of(u.party) is lane])
        for lane in (Actor.AGENT, Actor.CUSTOMER)
    }
