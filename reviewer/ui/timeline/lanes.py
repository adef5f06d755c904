"""Painting of one lane: its waveform, its party's utterance blocks, its tags stacked in rows, and the detectors'
pending suggestions as ghost tags (dashed, translucent, italic) in rows below the tags.

Up to DETAIL_LIMIT visible items are drawn one by one with outlines and labels; beyond that (a long call zoomed
out) they are rasterised with numpy into one image per layer, cached until the view or the tags change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.ui.timeline.colors import TimelineColors, premultiplied
from reviewer.ui.timeline.geometry import GUTTER_PX
from reviewer.ui.timeline.index import LaneIndex, lane_of
from reviewer.ui.timeline.spans import raster_rows, stack_rows, to_qimage
from reviewer.ui.timeline.state import TimelineState

DETAIL_LIMIT = 300
LABEL_MIN_PX = 28
POINT_FLAG_PX = 6


def _label(kind: str) -> str:
    return kind.replace("_", " ")


class LanePainter:
    """Paints lanes, keeping the last raster of each (lane, layer) and the kind colours of each lane's tags."""

    def __init__(self) -> None:
        self._rasters: dict[tuple[Actor, str], tuple[tuple[Any, ...], QImage]] = {}
        self._luts: dict[Actor, tuple[tuple[Any, ...], npt.NDArray[np.uint32], npt.NDArray[np.uint32]]] = {}
        self._italic: tuple[QFont, QFont, QFontMetrics] | None = None  # (base font, italic, its metrics)

    def paint(self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, exposed: QRect) -> None:
        """Draw one lane inside the exposed rectangle."""
        rect = s.geometry.lanes[lane]
        area = QRect(GUTTER_PX, rect.top(), s.geometry.timeline_width, rect.height()) & exposed
        if area.isEmpty():
            return
        p.save()
        p.setClipRect(area)
        background = colors.lane_current if lane is s.current_lane else colors.base
        p.fillRect(area, colors.call_lane if lane is Actor.CALL and lane is not s.current_lane else background)
        span = (s.ms_at(area.left() - 1), s.ms_at(area.right() + 1))
        if lane is not Actor.CALL:
            self._waveform(p, s, colors, lane, area)
            self._utterances(p, s, colors, lane, span)
        self._ghosts(p, s, colors, lane, span)
        self._tags(p, s, colors, lane, span)
        p.restore()

    def _waveform(self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, area: QRect) -> None:
        channel = s.waveforms.channel(s.channels[lane])
        if channel is None:
            return
        top, height = s.geometry.tag_area(lane)
        p.setPen(colors.waveform(lane))
        x_span = (area.left() - GUTTER_PX, area.right() - GUTTER_PX)
        s.waveforms.draw(p, QPointF(GUTTER_PX, top), height=height, channel=channel, scale=s.scale, x_span=x_span)

    def _utterances(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, span: tuple[float, float]
    ) -> None:
        items = s.utterances[lane]
        view = s.scale
        lo, hi = items.visible(view.start_ms, view.end_ms)
        top, height = s.geometry.utterance_band(lane)
        if hi - lo > DETAIL_LIMIT:
            key = (view.start_ms, view.ms_per_px, view.width_px, height, colors.key, s.tags_version)
            x0, x1 = self._xs(s, items.starts[lo:hi], items.ends[lo:hi])
            argb = np.full(hi - lo, premultiplied(colors.utterance_border(lane)), np.uint32)
            self._raster(p, (lane, "utterances"), key, top, lambda: stack_rows(
                raster_rows(x0, x1, np.zeros(hi - lo, np.int64), argb, n_rows=1, width=view.width_px), height - 2, gap=0
            ))  # fmt: skip
            return
        lo, hi = items.visible(*span)
        p.setPen(colors.utterance_border(lane))
        p.setBrush(colors.utterance(lane))
        rects = []
        for i in range(lo, hi):
            x0, x1 = s.x_of(items.starts[i]), s.x_of(items.ends[i])
            rects.append(QRectF(x0, top + 0.5, max(1.0, x1 - x0), height - 2))
        p.drawRects(rects)
        p.setPen(colors.text)
        metrics = QFontMetrics(p.font())
        for i, rect in zip(range(lo, hi), rects, strict=True):
            if rect.width() >= LABEL_MIN_PX:
                self._text(p, s, metrics, rect, items.items[i].text)

    @staticmethod
    def _text(p: QPainter, s: TimelineState, metrics: QFontMetrics, rect: QRectF, text: str) -> None:
        # Only the on-screen part of a long block is labelled, so its text stays in view while scrolling; measured
        # against the whole time axis, not the repainted strip, so a partial repaint puts it in the same place.
        axis = QRectF(GUTTER_PX, rect.top(), s.geometry.timeline_width, rect.height())
        inner = rect.intersected(axis).adjusted(3, 0, -3, 0)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
        if elided and elided != "…":
            p.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)

    def _tags(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, span: tuple[float, float]
    ) -> None:
        index = s.index.lane(lane)
        view = s.scale
        visible = index.overlapping(view.start_ms, view.end_ms)
        on_top = sorted({i for i in (s.selected_id, s.preview.tag_id if s.preview else None) if i is not None})
        metrics = QFontMetrics(p.font())
        if visible.size > DETAIL_LIMIT:
            self._tag_raster(p, s, colors, lane, visible=visible, on_top=on_top)
        else:
            exposed = index.overlapping(*span)
            exposed = np.concatenate([exposed[index.rows[exposed] >= 0], exposed[index.rows[exposed] < 0]])
            for i in exposed.tolist():  # spans first: point markers go on top
                if int(index.ids[i]) not in on_top:
                    self._tag(p, s, colors, index.tags[i], row=int(index.rows[i]), metrics=metrics, outline=False)
        for tag_id in on_top:
            original = s.index.get(tag_id)
            if original is None or lane_of(original) is not lane:
                continue
            tag = original
            if s.preview is not None and s.preview.tag_id == tag_id:
                tag = replace(original, start_ms=s.preview.start_ms, end_ms=s.preview.end_ms)
            self._tag(p, s, colors, tag, row=s.index.row_of(original), metrics=metrics, outline=tag_id == s.selected_id)

    def _tag(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, tag: Tag, *, row: int, metrics: QFontMetrics,
        outline: bool,
    ) -> None:  # fmt: skip
        style = colors.kind(tag.kind)
        lane = lane_of(tag)
        top, _ = s.geometry.tag_area(lane)
        x0 = s.x_of(tag.start_ms)
        p.setPen(QPen(colors.highlight if outline else style.border, 2.5 if outline else 1.0))
        if row < 0:
            self._point(p, s, style.border, x0, lane)
            return
        row_h = s.geometry.row_height(lane, s.rows_in(lane))
        rect = QRectF(x0, top + row * row_h + 0.5, max(2.0, s.x_of(tag.end_ms) - x0), row_h - 1.5)
        p.setBrush(style.fill)
        if rect.width() > 6:
            p.drawRoundedRect(rect, 2.5, 2.5)
        else:
            p.drawRect(rect)
        if rect.width() >= LABEL_MIN_PX and row_h >= 12:
            p.setPen(style.text)
            self._text(p, s, metrics, rect, _label(tag.kind))

    def _ghosts(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, span: tuple[float, float]
    ) -> None:
        """Only the exposed ones (a few hundred at most per call); the current one last, highlighted."""
        index = s.ghosts.lane(lane)
        if not len(index):
            return
        font, metrics = self._italic_of(p.font())
        p.save()
        p.setFont(font)
        first_row = s.index.lane(lane).row_count
        row_h = s.geometry.row_height(lane, s.rows_in(lane))
        current = None
        for i in index.overlapping(*span).tolist():
            ghost, row = index.tags[i], int(index.rows[i])
            if ghost.id == s.current_ghost:
                current = (ghost, row)
            else:
                self._ghost(p, s, colors, ghost, row=row, first_row=first_row, row_h=row_h, metrics=metrics)
        if current is not None:
            ghost, row = current
            self._ghost(p, s, colors, ghost, row=row, first_row=first_row, row_h=row_h, metrics=metrics, on=True)
        p.restore()

    def _italic_of(self, base: QFont) -> tuple[QFont, QFontMetrics]:
        """Ghost labels are italic: the font and its metrics, made once per label font (painting runs 60×/s)."""
        if self._italic is None or self._italic[0] != base:
            italic = QFont(base)
            italic.setItalic(True)
            self._italic = (QFont(base), italic, QFontMetrics(italic))
        return self._italic[1], self._italic[2]

    def _ghost(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, ghost: Tag, *, row: int, first_row: int,
        row_h: int, metrics: QFontMetrics, on: bool = False,
    ) -> None:  # fmt: skip
        style = colors.kind(ghost.kind)
        lane = lane_of(ghost)
        x0 = s.x_of(ghost.start_ms)
        top, _ = s.geometry.tag_area(lane)
        bounds = s.geometry.lanes[lane]
        rect = QRectF(x0, top + (first_row + row) * row_h + 0.5, max(3.0, s.x_of(ghost.end_ms) - x0), row_h - 1.5)
        if on:  # a halo in the selection colour, whatever the kind's colour, so the current one stands out
            halo = QColor(colors.highlight)
            halo.setAlpha(110)
            p.setPen(QPen(halo, 5.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            if row < 0:
                p.drawLine(QPointF(x0, bounds.top() + 1), QPointF(x0, bounds.bottom() - 1))
            else:
                p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3.5, 3.5)
        pen = QPen(colors.highlight if on else style.border, 1.6 if on else 1.2, Qt.PenStyle.DashLine)
        pen.setDashPattern([3.0, 2.0])
        fill = QColor(style.fill)
        fill.setAlpha(150 if on else 95)
        p.setPen(pen)
        p.setBrush(fill)
        if row < 0:
            p.drawLine(QPointF(x0, bounds.top() + 1), QPointF(x0, bounds.bottom() - 1))
            p.drawRect(QRectF(x0, top, 2 * POINT_FLAG_PX, 1.4 * POINT_FLAG_PX))
            return
        p.drawRoundedRect(rect, 2.5, 2.5)
        if rect.width() >= LABEL_MIN_PX and row_h >= 12:
            p.setPen(colors.text)
            self._text(p, s, metrics, rect, _label(ghost.kind))

    @staticmethod
    def _point(p: QPainter, s: TimelineState, color: QColor, x: float, lane: Actor) -> None:
        rect = s.geometry.lanes[lane]
        top, _ = s.geometry.tag_area(lane)
        p.drawLine(QPointF(x, rect.top() + 1), QPointF(x, rect.bottom() - 1))
        p.setBrush(QBrush(color))
        p.drawRect(QRectF(x, top, 2 * POINT_FLAG_PX, 1.4 * POINT_FLAG_PX))

    def _tag_raster(
        self, p: QPainter, s: TimelineState, colors: TimelineColors, lane: Actor, *, visible: Any, on_top: list[int]
    ) -> None:
        index = s.index.lane(lane)
        view = s.scale
        top, height = s.geometry.tag_area(lane)
        row_h = s.geometry.row_height(lane, s.rows_in(lane))
        fills, borders = self._lut(index, colors, lane, s.tags_version)
        key = (view.start_ms, view.ms_per_px, view.width_px, height, row_h, colors.key, s.tags_version, *on_top)
        hidden = np.array(on_top, dtype=np.int64)

        def build() -> npt.NDArray[np.uint32]:
            keep = visible[~np.isin(index.ids[visible], hidden)]
            n_rows = max(1, min(index.row_count, height // row_h + 1))
            rows = index.rows[keep]
            spans, points = keep[(rows >= 0) & (rows < n_rows)], keep[rows < 0]
            x0, x1 = self._xs(s, index.starts[spans], index.ends[spans])
            image = stack_rows(
                raster_rows(x0, x1, index.rows[spans], fills[spans], n_rows=n_rows, width=view.width_px), row_h
            )
            image = np.vstack([image, np.zeros((max(0, height - image.shape[0]), view.width_px), np.uint32)])[:height]
            px, _ = self._xs(s, index.starts[points], index.starts[points])
            marks = raster_rows(
                px, px + 1, np.zeros(points.size, np.int64), borders[points], n_rows=1, width=view.width_px
            )
            return np.where(marks != 0, marks, image)

        self._raster(p, (lane, "tags"), key, top, build)

    def _lut(
        self, index: LaneIndex, colors: TimelineColors, lane: Actor, version: int
    ) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
        key = (version, colors.key)
        cached = self._luts.get(lane)
        if cached is None or cached[0] != key:
            kinds = [t.kind for t in index.tags]
            cached = self._luts[lane] = (key, colors.kind_argb(kinds), colors.kind_argb(kinds, border=True))
        return cached[1], cached[2]

    def _raster(self, p: QPainter, slot: tuple[Actor, str], key: tuple[Any, ...], top: int, build: Any) -> None:
        cached = self._rasters.get(slot)
        if cached is None or cached[0] != key:
            cached = self._rasters[slot] = (key, to_qimage(build()))
        p.drawImage(QPointF(GUTTER_PX, top), cached[1])

    @staticmethod
    def _xs(s: TimelineState, starts: Any, ends: Any) -> tuple[Any, Any]:
        view = s.scale
        return (starts - view.start_ms) / view.ms_per_px, (ends - view.start_ms) / view.ms_per_px


def label_font(base: QFont) -> QFont:
    """The smaller font of tag and utterance labels."""
    font = QFont(base)
    font.setPointSizeF(max(6.0, base.pointSizeF() - 1))
    return font
