"""The coaching report's charts: each measure, the agent against the team, as SVG or PNG, two to a row."""

from __future__ import annotations

import base64
import io
import re
import textwrap
from collections.abc import Sequence
from html import escape

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure

from reviewer.domain.trends import Measure, Rate
from reviewer.services.reporting import CoachingReport
from reviewer.services.trends import trend_series
from reviewer.text.trends import RATE_LABELS, is_share, measure_label
from reviewer.ui.report_markup import grain_words
from reviewer.ui.trend_charts import draw_series

CHART_SIZE = (4.4, 2.7)  # inches: two charts side by side across an A4 page
CHART_FONTS = ("DejaVu Sans", "Noto Sans CJK JP", "Droid Sans Fallback")  # Latin and Cyrillic, then CJK
_USUAL = (Measure.AGENT_INTERRUPTION.value, Measure.CUSTOMER_ABUSE.value)  # charted when no measure happened
_SHARES = ("status:violation", "ending:premature")
_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_SVG_REFS = re.compile(r'(\bid="|href="#|url\(#)')


def chart_keys(report: CoachingReport) -> list[str]:
    """What is charted: the measures that happened to the agent or the team in the window (else the two usual
    ones), then the shares of calls with a violation and of premature hang-ups."""
    rows = [*report.trends.of_agent(report.agent).values(), *report.trends.of_team(report.team).values()]
    happened = [m.value for m in Measure if any(r.count(m.value) for r in rows)]
    return (happened or list(_USUAL)) + list(_SHARES)


def chart_images(report: CoachingReport, fmt: str, dpi: int = 200) -> list[bytes]:
    """Each chart of the agent against the team over the window, saved as `fmt` ("svg" or "png")."""
    images = []
    # The fonts are looked up while drawing and saving, so both happen inside the context.
    with rc_context({"font.family": _chart_fonts(), "svg.fonttype": "path", "svg.hashsalt": "report"}):
        for key in chart_keys(report):
            chart = Figure(figsize=CHART_SIZE, dpi=100)
            line = trend_series(report.trends, key, Rate.PER_CALL, agent=report.agent)
            draw_series(chart, line, title=_chart_title(key))
            _headroom(chart)
            buffer = io.BytesIO()
            chart.savefig(buffer, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
            images.append(buffer.getvalue())
    return images


def chart_markup(report: CoachingReport, charts: str) -> list[str]:
    """The charts as markup to put in a page: inline "svg", "png" data, or none at all ("none")."""
    if charts == "svg":
        return [_inline_svg(image.decode(), f"c{i}-") for i, image in enumerate(chart_images(report, "svg"))]
    if charts == "png":
        return [_png_img(image) for image in chart_images(report, "png")]
    if charts == "none":
        return []
    raise ValueError(f"charts must be 'svg', 'png' or 'none', not {charts!r}")


def _chart_fonts() -> list[str]:
    """The installed ones only: matplotlib logs a warning for every family it cannot find."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [family for family in CHART_FONTS if family in installed] or ["DejaVu Sans"]


def _chart_title(key: str) -> str:
    unit = "share of calls" if is_share(key) else RATE_LABELS[Rate.PER_CALL]
    return textwrap.fill(f"{measure_label(key)} ({unit})", 44)  # half a page is narrow for the longest names


def _headroom(chart: Figure) -> None:
    """Room above the highest point: on a chart this small the legend would hide the first periods' points."""
    for axes in chart.axes:
        bottom, top = axes.get_ylim()
        axes.set_ylim(bottom, top * 1.35 if top > 0 else 1)


def _inline_svg(svg: str, prefix: str) -> str:
    """The <svg> element alone (no XML prolog), scaled to the width of its cell, its ids made unique in the page:
    matplotlib names the glyphs, markers and clip paths of every chart alike."""
    element = _SVG_REFS.sub(lambda found: found[1] + prefix, svg[svg.index("<svg") :])
    return _SVG_SIZE.sub(r'<svg\1 style="width:100%;height:auto"', element, count=1)


def _png_img(png: bytes) -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" style="width:100%" alt="">'


def charts_section(charts: Sequence[str], report: CoachingReport) -> str:
    """The charts two to a row under a heading and a legend; nothing without charts."""
    if not charts:
        return ""
    cells = [f'<td class="chart" width="50%">{chart}</td>' for chart in charts]
    if len(cells) % 2:  # a browser would stretch a lone chart across the row
        cells.append('<td width="50%"></td>')
    # A table per row of charts, so that a page may break between rows (a row never splits).
    rows = "".join(
        f'<table width="100%" cellspacing="0" cellpadding="0"><tr>{"".join(cells[i : i + 2])}</tr></table>'
        for i in range(0, len(cells), 2)
    )
    team = escape(report.team) if report.team else "everybody"
    legend = (
        f"Solid line: {escape(report.agent)}; dashed: {team}; shaded band: the control limits around {team}'s rate; "
        "a red ring marks a significant shift."
    )
    heading = f"<h2>The last {len(report.trends.periods)} {grain_words(report)[0]}s</h2>"
    return f"{heading}<p class='note'>{legend}</p>{rows}"
