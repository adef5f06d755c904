"""Everything around the lanes: the ruler, the overview strip, the lane names, and the playhead, time selection and
snap guide drawn over the lanes."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF

from reviewer.domain.parties import Actor
from reviewer.ui.timeline.colors import TimelineColors
from reviewer.ui.timeline.geometry import GUTTER_PX, OVERVIEW_TICKS_H
from reviewer.ui.timeline.index import LANES
from reviewer.ui.timeline.spans import raster_rows, stack_rows, to_qimage
from reviewer.ui.timeline.state import TimelineState

STEPS_MS = (
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
    60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
)  # fmt: skip
LABEL_SPACING_PX = 90
MINOR_SPACING_PX = 8
LANE_NAMES = {Actor.AGENT: "Agent", Actor.CUSTOMER: "Customer", Actor.CALL: "Call events"}


def ruler_steps(ms_per_px: float) -> tuple[int, int]:
    """Major (labelled) and minor tick spacing in ms for a zoom."""
    major = next((s for s in STEPS_MS if s / ms_per_px >= LABEL_SPACING_PX), STEPS_MS[-1])
    minor = next((s for s in STEPS_MS if major % s == 0 and s / ms_per_px >= MINOR_SPACING_PX), major)
    return major, minor


def format_time(ms: int, step_ms: int = 1000, hours: bool = False) -> str:
    """A ruler label: m:ss or h:mm:ss, with as many decimals as the tick spacing needs."""
    seconds, millis = divmod(int(ms), 1000)
    minutes, secs = divmod(seconds, 60)
    text = f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    decimals = 0 if step_ms % 1000 == 0 else 1 if step_ms % 100 == 0 else 2 if step_ms % 10 == 0 else 3
    return text + (f".{millis:03d}"[: decimals + 1] if decimals else "")


class Chrome:
    """Paints the ruler, the overview (its waveforms and tag ticks cached as one image), names and overlays."""

    def __init__(self) -> None:
        self._overview_key: tuple[object, ...] | None = None
        self._overview = QImage()

    def paint_ruler(self, p: QPainter, s: TimelineState, colors: TimelineColors, font: QFont) -> None:
        """Tick marks and time labels for the visible range."""
        rect = s.geometry.ruler
        p.fillRect(rect, colors.window)
        scale = s.scale
        major, minor = ruler_steps(scale.ms_per_px)
        first = math.floor(scale.start_ms / minor) * minor
        ticks = np.arange(first, scale.end_ms + minor, minor, dtype=np.int64).tolist()
        bottom = rect.bottom() + 1
        p.setPen(colors.muted)
        p.drawLines([QLineF(s.x_of(t), bottom - (8 if t % major == 0 else 4), s.x_of(t), bottom) for t in ticks])
        p.setFont(font)
        p.setPen(colors.window_text)
        hours = s.duration_ms >= 3_600_000
        for t in ticks:
            if t % major == 0:
                p.drawText(QPointF(s.x_of(t) + 3, bottom - 9), format_time(t, major, hours))

    def paint_overview(self, p: QPainter, s: TimelineState, colors: TimelineColors, font: QFont) -> None:
        """The whole call: both channels, tags as ticks, the visible window and the playhead."""
        rect = s.geometry.overview
        width = s.geometry.timeline_width
        p.save()
        p.setClipRect(rect)  # pens are wider than a pixel: keep them off the ruler, which repaints separately
        p.fillRect(rect, colors.call_lane)
        p.setFont(font)
        p.setPen(colors.muted)
        p.drawText(QRect(6, rect.top(), GUTTER_PX - 8, rect.height()), Qt.AlignmentFlag.AlignVCenter, "Overview")
        key: tuple[object, ...] = (width, rect.height(), colors.key, s.tags_version, s.ghosts_version)
        key += (id(s.waveforms.peaks), s.duration_ms, *s.channels)
        if key != self._overview_key:
            self._overview_key, self._overview = key, self._build_overview(s, colors, width, rect.height())
        p.drawImage(QPointF(GUTTER_PX, rect.top()), self._overview)
        per_ms = width / max(1, s.duration_ms)
        left = GUTTER_PX + s.scale.start_ms * per_ms
        window = QRectF(
            left, rect.top() + 0.5, max(3.0, (s.scale.end_ms - s.scale.start_ms) * per_ms), rect.height() - 1
        )
        p.setPen(QPen(colors.highlight, 1.5))
        p.setBrush(colors.selection)
        p.drawRect(window)
        for at_ms, severity in s.markers:
            p.setPen(QPen(colors.severity(severity), 2.0))
            mx = GUTTER_PX + at_ms * per_ms
            p.drawLine(QLineF(mx, rect.top(), mx, rect.top() + 6))
        p.setPen(QPen(colors.playhead, 1.5))
        x = GUTTER_PX + s.playhead * per_ms
        p.drawLine(QLineF(x, rect.top(), x, rect.bottom()))
        p.restore()

    def _build_overview(self, s: TimelineState, colors: TimelineColors, width: int, height: int) -> QImage:
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        half = (height - OVERVIEW_TICKS_H) // 2
        painter = QPainter(image)
        for i, lane in enumerate((Actor.AGENT, Actor.CUSTOMER)):
            channel = s.waveforms.channel(s.channels[lane])
            if channel is not None:
                strip = s.waveforms.strip(
                    channel, width=width, height=half, duration_ms=s.duration_ms, color=colors.waveform(lane)
                )
                painter.drawImage(QPointF(0, i * half), strip)
        painter.drawImage(QPointF(0, height - OVERVIEW_TICKS_H), self._ticks(s, colors, width))
        self._ghost_ticks(painter, s, colors, width, height - OVERVIEW_TICKS_H)
        painter.end()
        return image

    @staticmethod
    def _ticks(s: TimelineState, colors: TimelineColors, width: int) -> QImage:
        lanes = [s.index.lane(lane) for lane in LANES]
        starts = np.concatenate([lane.starts for lane in lanes]).astype(np.float64)
        ends = np.concatenate([lane.ends for lane in lanes]).astype(np.float64)
        argb = colors.kind_argb([t.kind for lane in lanes for t in lane.tags], border=True)
        per_ms = width / max(1, s.duration_ms)
        row = raster_rows(starts * per_ms, ends * per_ms, np.zeros(starts.size, np.int64), argb, n_rows=1, width=width)
        return to_qimage(stack_rows(row, OVERVIEW_TICKS_H, gap=0))

    @staticmethod
    def _ghost_ticks(p: QPainter, s: TimelineState, colors: TimelineColors, width: int, bottom: int) -> None:
        """Pending suggestions as short dashes just above the tag ticks (only when the overview is rebuilt)."""
        per_ms = width / max(1, s.duration_ms)
        for lane in LANES:
            for ghost in s.ghosts.lane(lane).tags:
                p.setPen(QPen(colors.kind(ghost.kind).border, 1.0))
                x0 = ghost.start_ms * per_ms
                p.drawLine(QLineF(x0, bottom - 4, max(x0 + 1, ghost.end_ms * per_ms), bottom - 4))
                p.drawLine(QLineF(x0, bottom - 6, x0, bottom - 2))

    def paint_gutter(self, p: QPainter, s: TimelineState, colors: TimelineColors, font: QFont) -> None:
        """Lane names on the left; the current lane's in bold with an accent bar."""
        geometry = s.geometry
        for lane in LANES:
            rect = geometry.lanes[lane]
            current = lane is s.current_lane
            p.fillRect(
                QRect(0, rect.top(), GUTTER_PX, rect.height()), colors.lane_current if current else colors.window
            )
            if current:
                p.fillRect(QRect(0, rect.top(), 3, rect.height()), colors.highlight)
            bold = QFont(font)
            bold.setBold(current)
            p.setFont(bold)
            p.setPen(colors.window_text if current else colors.muted)
            label = QRect(8, rect.top() + 3, GUTTER_PX - 12, rect.height() - 3)
            p.drawText(label, Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, LANE_NAMES[lane])
            p.setPen(colors.divider)
            p.drawLine(0, rect.bottom(), geometry.width, rect.bottom())
        p.drawLine(GUTTER_PX - 1, geometry.ruler.top(), GUTTER_PX - 1, geometry.height)

    def paint_overlays(self, p: QPainter, s: TimelineState, colors: TimelineColors) -> None:
        """Time selection, snap guide and playhead over the lanes (clipped to the time axis)."""
        geometry = s.geometry
        p.save()
        p.setClipRect(QRect(GUTTER_PX, 0, geometry.timeline_width, geometry.height))
        lanes_top, lanes_bottom = geometry.lanes[Actor.AGENT].top(), geometry.lanes[Actor.CALL].bottom()
        if s.selection is not None:
            lane, start, end = s.selection
            rect = geometry.lanes[lane]
            x0, x1 = s.x_of(start), s.x_of(end)
            p.fillRect(QRectF(x0, rect.top(), max(1.0, x1 - x0), rect.height()), colors.selection)
            p.setPen(QPen(colors.highlight, 1.5))
            p.drawLines([QLineF(x, rect.top(), x, rect.bottom()) for x in (x0, x1)])
        if s.guide_ms is not None:
            p.setPen(QPen(colors.guide, 1.5, Qt.PenStyle.DashLine))
            x = s.x_of(s.guide_ms)
            p.drawLine(QLineF(x, lanes_top, x, lanes_bottom))
        self._paint_markers(p, s, colors, lanes_top, lanes_bottom)
        self._paint_playhead(p, s, colors, lanes_top, lanes_bottom)
        p.restore()

    @staticmethod
    def _paint_markers(p: QPainter, s: TimelineState, colors: TimelineColors, top: int, bottom: int) -> None:
        """Policy findings: a diamond on the ruler and a faint line through the lanes, in the severity's colour."""
        ruler = s.geometry.ruler
        y = ruler.top() + ruler.height() * 0.55
        for at_ms, severity in s.markers:
            if not s.scale.start_ms - 1000 <= at_ms <= s.scale.end_ms + 1000:
                continue
            x, color = s.x_of(at_ms), colors.severity(severity)
            faint = QColor(color)
            faint.setAlpha(110)
            p.setPen(QPen(faint, 1.0, Qt.PenStyle.DotLine))
            p.drawLine(QLineF(x, top, x, bottom))
            p.setPen(QPen(colors.base, 1.0))
            p.setBrush(color)
            p.drawPolygon(QPolygonF([QPointF(x, y - 6), QPointF(x + 5, y), QPointF(x, y + 6), QPointF(x - 5, y)]))

    @staticmethod
    def _paint_playhead(p: QPainter, s: TimelineState, colors: TimelineColors, top: int, bottom: int) -> None:
        x = s.x_of(s.playhead)
        ruler = s.geometry.ruler
        p.setPen(QPen(colors.playhead, 1.5))
        p.drawLine(QLineF(x, ruler.top(), x, ruler.bottom()))
        p.drawLine(QLineF(x, top, x, bottom))
        p.setBrush(colors.playhead)
        p.drawPolygon(
            QPolygonF([QPointF(x - 5, ruler.top()), QPointF(x + 5, ruler.top()), QPointF(x, ruler.top() + 7)])
        )
