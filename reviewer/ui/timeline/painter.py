"""One frame of the timeline: the bands in order, each painted only where the exposed rectangle needs it."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QPainter, QPalette

from reviewer.ui.timeline.chrome import Chrome
from reviewer.ui.timeline.colors import TimelineColors
from reviewer.ui.timeline.index import LANES
from reviewer.ui.timeline.lanes import LanePainter, label_font
from reviewer.ui.timeline.state import TimelineState


class TimelinePainter:
    """Holds the painters' caches and the colours and fonts of the current palette and font."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.chrome = Chrome()
        self.lanes = LanePainter()
        self.colors = TimelineColors(palette)
        self.font = QFont(font)
        self.label_font = label_font(font)

    def set_style(self, palette: QPalette, font: QFont) -> None:
        """Follow a palette (light/dark) or font change."""
        self.colors = TimelineColors(palette)
        self.font = QFont(font)
        self.label_font = label_font(font)

    def paint(self, p: QPainter, s: TimelineState, exposed: QRect) -> None:
        """Ruler, overview, lanes, lane names, then selection, guide and playhead on top."""
        colors = self.colors
        p.fillRect(exposed, colors.base)
        if exposed.intersects(s.geometry.ruler):
            self.chrome.paint_ruler(p, s, colors, self.label_font)
        if exposed.intersects(s.geometry.overview):
            self.chrome.paint_overview(p, s, colors, self.label_font)
        p.setFont(self.label_font)
        for lane in LANES:
            self.lanes.paint(p, s, colors, lane, exposed)
        self.chrome.paint_gutter(p, s, colors, self.font)
        self.chrome.paint_overlays(p, s, colors)
