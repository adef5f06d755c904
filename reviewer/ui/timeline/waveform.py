"""Waveforms drawn from the peaks pyramid in cached 256-px tiles, one numpy pass per tile and no per-pixel Python."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from reviewer.ui.timeline.colors import premultiplied
from reviewer.ui.timeline.scale import TimeScale
from reviewer.ui.timeline.spans import to_qimage

TILE_PX = 256
MAX_TILES = 160  # about 25 MB at 150 px high: two lanes of a 1,600 px view take 14, the rest is history
_MAX_GAIN = 64.0  # a near-silent channel is magnified, but its noise floor is not blown up to full height

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class PeaksLike(Protocol):
    """What the timeline needs of reviewer.audio.peaks.PeaksPyramid (duck-typed: ui must not import audio)."""

    @property
    def sample_rate(self) -> int:
        """Frames per second."""

    @property
    def frames(self) -> int:
        """Frames in the recording."""

    @property
    def levels(self) -> Mapping[int, npt.NDArray[Any]]:
        """Samples per block -> int16 array (channels, blocks, 2) of [min, max]."""

    def level_for(self, samples_per_pixel: float) -> int:
        """The level to draw at this zoom."""


def channel_gain(peaks: PeaksLike, channel: int) -> float:
    """Scale factor that makes a channel's loudest peak fill 95 % of the lane."""
    coarsest = peaks.levels[max(peaks.levels)][channel]
    loudest = int(np.abs(coarsest.astype(np.int32)).max()) if coarsest.size else 0
    return min(_MAX_GAIN, 0.95 * 32768 / max(1, loudest))


def column_envelope(
    peaks: PeaksLike, channel: int, first_px: int, count: int, ms_per_px: float
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Min and max (as fractions of full scale) of each pixel column, and which columns hold audio.

    Columns spanning whole blocks reduce them (minimum/maximum.reduceat); finer zooms interpolate between
    256-sample blocks, the finest data kept.
    """
    spp = ms_per_px * peaks.sample_rate / 1000.0
    level = peaks.level_for(spp)
    data = peaks.levels[level][channel]
    columns = np.arange(first_px, first_px + count, dtype=np.float64)
    valid = columns * spp < peaks.frames
    if not data.shape[0] or not valid.any():
        empty = np.zeros(count)
        return empty, empty, np.zeros(count, dtype=bool)
    if spp >= level:
        lo, hi = _reduced(data, columns, spp, level)
    else:
        lo, hi = _interpolated(data, columns, spp, level)
    return lo / 32768.0, hi / 32768.0, valid


def _reduced(data: npt.NDArray[Any], columns: FloatArray, spp: float, level: int) -> tuple[FloatArray, FloatArray]:
    blocks = data.shape[0]
    edges = np.floor(np.append(columns, columns[-1] + 1) * spp / level).astype(np.int64)
    starts = np.minimum(edges[:-1], blocks - 1)
    stop = int(min(max(edges[-1], starts[-1] + 1), blocks))
    # reduceat reduces its last index to the end of the array, so slice the array to end where the last column does.
    segment = data[starts[0] : stop]
    local = starts - starts[0]
    lo = np.minimum.reduceat(segment[:, 0], local).astype(np.float64)
    hi = np.maximum.reduceat(segment[:, 1], local).astype(np.float64)
    return lo, hi


def _interpolated(data: npt.NDArray[Any], columns: FloatArray, spp: float, level: int) -> tuple[FloatArray, FloatArray]:
    blocks = data.shape[0]
    position = (columns + 0.5) * spp / level - 0.5  # in block units, block k centred at k
    first = max(0, math.floor(position[0]))
    last = min(blocks - 1, math.ceil(position[-1]) + 1)
    first = min(first, last)
    xp = np.arange(first, last + 1, dtype=np.float64)
    return np.interp(position, xp, data[first : last + 1, 0]), np.interp(position, xp, data[first : last + 1, 1])


def envelope_pixels(lo: FloatArray, hi: FloatArray, valid: BoolArray, height: int, argb: int) -> npt.NDArray[np.uint32]:
    """An (height, columns) ARGB image with each column filled between its min and max (at least one pixel)."""
    mid = (height - 1) / 2.0
    top = np.clip(np.floor(mid - hi * mid), 0, height - 1)
    bottom = np.clip(np.maximum(np.ceil(mid - lo * mid), top), 0, height - 1)
    rows = np.arange(height, dtype=np.float64)[:, None]
    mask = (rows >= top) & (rows <= bottom) & valid
    return np.where(mask, np.uint32(argb), np.uint32(0))


class WaveformTiles:
    """Renders waveform tiles of one pyramid and keeps the most recent ones (LRU) for repaints and scrolling."""

    def __init__(self, max_tiles: int = MAX_TILES) -> None:
        self.max_tiles = max_tiles
        self.peaks: PeaksLike | None = None
        self._gains: list[float] = []
        self._cache: OrderedDict[tuple[Any, ...], QImage] = OrderedDict()
        self.rendered = 0  # tiles built so far, for tests of the cache

    def set_peaks(self, peaks: PeaksLike | None) -> None:
        """A new pyramid (or none): forget every tile."""
        self.peaks = peaks
        self._cache.clear()
        channels = 0 if peaks is None else int(peaks.levels[min(peaks.levels)].shape[0])
        self._gains = [channel_gain(peaks, c) for c in range(channels)] if peaks is not None else []

    def channel(self, wanted: int | None) -> int | None:
        """The channel to draw for a lane: mono (None) and missing channels fall back to channel 0."""
        if not self._gains:
            return None
        return wanted if wanted is not None and 0 <= wanted < len(self._gains) else 0

    def draw(
        self,
        painter: QPainter,
        origin: QPointF,
        *,
        height: int,
        channel: int,
        scale: TimeScale,
        x_span: tuple[int, int],
    ) -> None:
        """Draw the tiles covering timeline pixels x_span (inclusive) with the lane's top-left at `origin`."""
        color = painter.pen().color()
        mpp = scale.ms_per_px
        offset = scale.start_ms / mpp
        first = math.floor((offset + x_span[0]) / TILE_PX)
        last = math.floor((offset + x_span[1]) / TILE_PX)
        for tile in range(first, last + 1):
            image = self.tile(channel, mpp, tile, height=height, color=color)
            # floor(x + 0.5) is the same shift for every tile, so neighbours never overlap or leave a seam.
            x = origin.x() + math.floor(tile * TILE_PX - offset + 0.5)
            painter.drawImage(QPointF(x, origin.y()), image)

    def tile(self, channel: int, ms_per_px: float, tile: int, *, height: int, color: QColor) -> QImage:
        """One tile (cached)."""
        key = (channel, round(ms_per_px, 6), tile, height, color.rgba())
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
            return image
        image = self._render(channel, ms_per_px, (tile * TILE_PX, TILE_PX), height, color)
        self._cache[key] = image
        if len(self._cache) > self.max_tiles:
            self._cache.popitem(last=False)
        return image

    def strip(self, channel: int, *, width: int, height: int, duration_ms: int, color: QColor) -> QImage:
        """The whole call squeezed into `width` columns (the overview strip; its caller caches it)."""
        return self._render(channel, max(1.0, duration_ms) / max(1, width), (0, width), height, color)

    def _render(self, channel: int, mpp: float, columns: tuple[int, int], height: int, color: QColor) -> QImage:
        assert self.peaks is not None
        lo, hi, valid = column_envelope(self.peaks, channel, columns[0], columns[1], mpp)
        gain = self._gains[channel]
        self.rendered += 1
        return to_qimage(envelope_pixels(lo * gain, hi * gain, valid, height, premultiplied(color)))
