"""The timeline's time axis without Qt: visible start, milliseconds per pixel and width, with zoom and scroll."""

from __future__ import annotations

MIN_MS_PER_PX = 1.0  # 1,000 px per second: word boundaries (tens of ms apart) are already far apart
_FIT_TOLERANCE = 1e-9


class TimeScale:
    """Which stretch of the call is visible and how many milliseconds one pixel spans; always kept in bounds."""

    def __init__(self, duration_ms: int = 0, width_px: int = 1) -> None:
        self._duration = max(0, int(duration_ms))
        self._width = max(1, int(width_px))
        self._start = 0.0
        self._mpp = self.max_ms_per_px

    @property
    def duration_ms(self) -> int:
        """Length of the whole call."""
        return self._duration

    @property
    def width_px(self) -> int:
        """Width of the time axis in pixels."""
        return self._width

    @property
    def start_ms(self) -> float:
        """Time at the left edge."""
        return self._start

    @property
    def ms_per_px(self) -> float:
        """Milliseconds one pixel spans."""
        return self._mpp

    @property
    def end_ms(self) -> float:
        """Time at the right edge."""
        return self._start + self._width * self._mpp

    @property
    def max_ms_per_px(self) -> float:
        """The coarsest zoom: the whole call fits the width."""
        return max(MIN_MS_PER_PX, self._duration / self._width)

    @property
    def is_fit(self) -> bool:
        """Whether the whole call is visible."""
        return self._mpp >= self.max_ms_per_px - _FIT_TOLERANCE

    def visible_range(self) -> tuple[int, int]:
        """Visible (start, end) in whole milliseconds, end capped at the call's length."""
        return round(self._start), min(self._duration, round(self.end_ms))

    def x_of(self, ms: float) -> float:
        """Pixel offset of a time from the left edge (may be outside the width)."""
        return (ms - self._start) / self._mpp

    def ms_at(self, x: float) -> float:
        """Time under a pixel offset (not clamped)."""
        return self._start + x * self._mpp

    def clamp_ms(self, ms: float) -> int:
        """A time rounded and kept inside the call."""
        return min(self._duration, max(0, round(ms)))

    def contains(self, ms: float) -> bool:
        """Whether a time is inside the visible range."""
        return self._start <= ms < self.end_ms

    def samples_per_pixel(self, sample_rate: int) -> float:
        """Audio samples one pixel spans at this zoom."""
        return self._mpp * sample_rate / 1000.0

    def set_duration(self, duration_ms: int) -> None:
        """A new call: remember its length and show all of it."""
        self._duration = max(0, int(duration_ms))
        self.fit()

    def set_width(self, width_px: int) -> None:
        """The widget was resized: a fitted view stays fitted, any other keeps its start and zoom."""
        was_fit = self.is_fit
        self._width = max(1, int(width_px))
        if was_fit:
            self.fit()
        else:
            self._set(self._start, self._mpp)

    def fit(self) -> None:
        """Show the whole call."""
        self._set(0.0, self.max_ms_per_px)

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Magnify by `factor` (>1 zooms in) keeping the time under `anchor_x` (default: the centre) in place."""
        anchor = self._width / 2 if anchor_x is None else anchor_x
        anchor_ms = self.ms_at(anchor)
        mpp = self._clamp_mpp(self._mpp / factor)
        self._set(anchor_ms - anchor * mpp, mpp)

    def zoom_to(self, start_ms: float, end_ms: float) -> None:
        """Show [start, end]; when the zoom limit stops short of it, the span is centred instead."""
        low, high = sorted((start_ms, end_ms))
        mpp = self._clamp_mpp((high - low) / self._width)
        centre = (low + high) / 2
        self._set(centre - self._width * mpp / 2, mpp)

    def scroll_px(self, dx: float) -> None:
        """Move the view by pixels (positive = later)."""
        self._set(self._start + dx * self._mpp, self._mpp)

    def scroll_ms(self, dms: float) -> None:
        """Move the view by milliseconds (positive = later)."""
        self._set(self._start + dms, self._mpp)

    def set_start(self, ms: float) -> None:
        """Put a time at the left edge (clamped)."""
        self._set(ms, self._mpp)

    def center_on(self, ms: float) -> None:
        """Put a time in the middle (clamped)."""
        self._set(ms - self._width * self._mpp / 2, self._mpp)

    def reveal(self, start_ms: float, end_ms: float, margin: float = 0.02) -> bool:
        """Scroll (never zoom) until [start, end] shows: centred when it fits, else starting near the left edge.

        Returns whether the view moved.
        """
        if end_ms >= self._start and start_ms < self.end_ms:
            return False
        span = self.end_ms - self._start
        if end_ms - start_ms < span:
            self.center_on((start_ms + end_ms) / 2)
        else:
            self.set_start(start_ms - margin * span)
        return True

    def _clamp_mpp(self, mpp: float) -> float:
        return min(self.max_ms_per_px, max(MIN_MS_PER_PX, mpp))

    def _set(self, start: float, mpp: float) -> None:
        self._mpp = self._clamp_mpp(mpp)
        latest = max(0.0, self._duration - self._width * self._mpp)
        self._start = min(latest, max(0.0, start))
