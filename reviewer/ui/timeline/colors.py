"""Colours of the timeline: one per tag kind (stable for unknown kinds) and the lanes', for light and dark palettes."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QColor, QPalette

from reviewer.domain.parties import Actor
from reviewer.domain.tags import DEFAULT_KINDS, KINDS_BY_NAME, KindGroup

# Hue ranges per family, so a glance tells customer behaviour (warm) from agent actions (cool).
_GROUP_HUES: dict[KindGroup, tuple[float, float]] = {
    KindGroup.CUSTOMER_BEHAVIOUR: (350.0, 55.0),
    KindGroup.AGENT_ACTION: (95.0, 170.0),
    KindGroup.CALL_FACT: (280.0, 35.0),
    KindGroup.MEASURE: (210.0, 0.0),
}
_PARTY_HUES = {Actor.AGENT: 210, Actor.CUSTOMER: 150, Actor.CALL: 280}


def kind_hue(name: str) -> tuple[int, float]:
    """Hue (0-359) and saturation factor of a kind: spread within its family, or hashed for unknown kinds."""
    kind = KINDS_BY_NAME.get(name)
    if kind is None:
        # crc32, not hash(): Python salts str hashes per process and the colour must not change between runs.
        return zlib.crc32(name.encode("utf-8")) % 360, 0.8
    if kind.group is KindGroup.MEASURE:
        return 210, 0.12
    members = [k for k in DEFAULT_KINDS if k.group is kind.group]
    start, spread = _GROUP_HUES[kind.group]
    step = spread / max(1, len(members) - 1)
    return round(start + step * members.index(kind)) % 360, 0.8


def premultiplied(color: QColor) -> int:
    """The colour as a premultiplied ARGB32 integer, for images built with numpy."""
    a = color.alpha()
    r, g, b = (round(c * a / 255) for c in (color.red(), color.green(), color.blue()))
    return (a << 24) | (r << 16) | (g << 8) | b


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` towards `b`."""
    pairs = ((a.redF(), b.redF()), (a.greenF(), b.greenF()), (a.blueF(), b.blueF()))
    return QColor.fromRgbF(*(x + (y - x) * t for x, y in pairs))


def _hsv(hue: float, sat: float, val: float, alpha: int = 255) -> QColor:
    return QColor.fromHsvF((hue % 360) / 360.0, min(1.0, sat), min(1.0, val), alpha / 255.0)


@dataclass(frozen=True, slots=True)
class KindStyle:
    """How one tag kind is painted."""

    fill: QColor
    border: QColor
    text: QColor
    fill_argb: int
    border_argb: int


class TimelineColors:
    """Every colour the timeline paints, derived from a QPalette; `key` changes whenever any colour would."""

    def __init__(self, palette: QPalette) -> None:
        window = palette.color(QPalette.ColorRole.Window)
        self.dark = window.lightness() < 128
        self.base = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.window = window
        self.window_text = palette.color(QPalette.ColorRole.WindowText)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.muted = blend(self.text, self.base, 0.45)
        self.divider = blend(self.window_text, window, 0.7)
        self.lane_current = blend(self.base, self.highlight, 0.10)
        self.call_lane = blend(self.base, window, 0.5)
        self.playhead = QColor("#ff5252") if self.dark else QColor("#d32f2f")
        self.guide = QColor("#ffb74d") if self.dark else QColor("#e65100")
        self.selection = QColor(self.highlight)
        self.selection.setAlpha(70)
        # Policy findings: the severity decides the marker's colour (light, dark).
        self._severities = {
            "violation": QColor("#ff6b6b") if self.dark else QColor("#c62828"),
            "incomplete": QColor("#ffa94d") if self.dark else QColor("#e65100"),
            "coaching": QColor("#ffd43b") if self.dark else QColor("#b28704"),
            "info": blend(self.text, self.base, 0.35),
        }
        self.key = (self.dark, self.base.rgba(), self.text.rgba(), self.highlight.rgba())
        self._kinds: dict[str, KindStyle] = {}

    def severity(self, severity: str) -> QColor:
        """The colour of a policy finding's marker (violation, incomplete, coaching, info)."""
        return self._severities.get(severity, self.muted)

    def waveform(self, lane: Actor) -> QColor:
        """Waveform colour of a party lane: soft, so tags stay readable on top of it."""
        hue = _PARTY_HUES[lane]
        return _hsv(hue, 0.45, 0.62, 200) if self.dark else _hsv(hue, 0.40, 0.78, 190)

    def utterance(self, lane: Actor) -> QColor:
        """Fill of an utterance block."""
        hue = _PARTY_HUES[lane]
        return _hsv(hue, 0.35, 0.38, 235) if self.dark else _hsv(hue, 0.16, 0.95, 235)

    def utterance_border(self, lane: Actor) -> QColor:
        """Outline of an utterance block."""
        hue = _PARTY_HUES[lane]
        return _hsv(hue, 0.35, 0.62) if self.dark else _hsv(hue, 0.35, 0.72)

    def kind_argb(self, kinds: Sequence[str], *, border: bool = False) -> npt.NDArray[np.uint32]:
        """Premultiplied fill (or outline) colour of each kind in a sequence, for numpy rasters."""
        styles = {name: self.kind(name) for name in set(kinds)}
        table = {name: st.border_argb if border else st.fill_argb for name, st in styles.items()}
        return np.array([table[name] for name in kinds], dtype=np.uint32)

    def kind(self, name: str) -> KindStyle:
        """Fill, outline and label colours of a tag kind (cached)."""
        style = self._kinds.get(name)
        if style is None:
            style = self._kinds[name] = self._make_kind(name)
        return style

    def _make_kind(self, name: str) -> KindStyle:
        hue, sat = kind_hue(name)
        if self.dark:
            fill, border, text = _hsv(hue, 0.70 * sat, 0.50, 230), _hsv(hue, 0.45 * sat, 1.0), QColor("#ffffff")
        else:
            fill, border, text = _hsv(hue, 0.50 * sat, 0.98, 225), _hsv(hue, 0.95 * sat, 0.55), QColor("#111111")
        return KindStyle(fill, border, text, premultiplied(fill), premultiplied(border))
