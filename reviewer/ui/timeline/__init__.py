"""The review timeline widget and its Qt-free parts (time scale, tag index, snapping)."""

from reviewer.ui.timeline.scale import TimeScale
from reviewer.ui.timeline.waveform import PeaksLike
from reviewer.ui.timeline.widget import TimelineWidget

__all__ = ["PeaksLike", "TimeScale", "TimelineWidget"]
