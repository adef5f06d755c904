"""Trend charts drawn on a matplotlib Figure (never pyplot): the Trends tab, `reviewer trends --out` and the report.

A chart shows one measure for one subject: the subject's value per period (a solid line; no point where there were
no calls), the team's value per period (dashed), the control limits as a band around the team's rate (for a team
charted against its own past, around its average, dotted), and the points the control chart flags ringed in red.
`draw_series` returns what it plotted, so tests assert on data.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator, PercentFormatter

from reviewer.domain.trends import Grain, Period, Rate, Trends, TrendSeries
from reviewer.text.trends import RATE_LABELS, flag_line, is_share, measure_label
from reviewer.text.trends import figure as shown

SUBJECT_COLOR = "#1f5fa8"
BASELINE_COLOR = "#7a7a7a"
BAND_COLOR = "#e3ebf6"
LIMIT_COLOR = "#9db5d6"
FLAG_COLOR = "#c62828"


@dataclass(frozen=True, slots=True)
class Plotted:
    """What a chart shows, point by point: x is the period's index on the axis."""

    labels: tuple[str, ...]  # period labels along the x axis
    subject: tuple[float | None, ...]
    baseline: tuple[float | None, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    flagged: tuple[int, ...]
    title: str


def draw_series(
    figure: Figure, line: TrendSeries, *, title: str | None = None, legend: Literal["inside", "above"] = "inside"
) -> Plotted:
    """Clear the figure and draw one line with its baseline, limits and flags; returns what was drawn.

    The legend goes inside the axes (top left), or above them on the title's line, clear of the data."""
    figure.clear()
    axes = figure.add_subplot(1, 1, 1)
    share = is_share(line.key)
    xs = list(range(len(line.periods)))
    labels = tuple(p.label for p in line.periods)
    chart = line.chart
    heading = title or _title(line)
    if any(v is not None for v in chart.upper):
        _band(axes, xs, chart.lower, chart.upper)
    if line.baseline_name is None and line.periods:  # a team against its own past: the centre is its average
        axes.axhline(chart.center, color=BASELINE_COLOR, linestyle=":", linewidth=1.2, label="Average over the window")
    if line.baseline:
        axes.plot(xs, _nan(line.baseline), color=BASELINE_COLOR, linestyle="--", linewidth=1.4, label=_base_label(line))
    axes.plot(
        xs,
        _nan(line.values),
        color=SUBJECT_COLOR,
        marker="o",
        markersize=4,
        linewidth=2,
        label=line.subject or "Everybody",
    )
    flagged = line.flagged
    if flagged:
        axes.scatter(
            [xs[i] for i in flagged],
            [_nan(line.values)[i] for i in flagged],
            s=140,
            facecolors="none",
            edgecolors=FLAG_COLOR,
            linewidths=2,
            zorder=5,
            label="Significant shift",
        )
    _axes_style(axes, share, heading, line)
    if legend == "above":
        axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False, ncols=4)
    else:
        axes.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
    figure.tight_layout()
    return Plotted(labels, line.values, line.baseline, chart.lower, chart.upper, flagged, heading)


def save_series(line: TrendSeries, path: Path) -> Plotted:
    """Draw one line on a figure of its own and write it as PNG (150 dpi), SVG or PDF, by the path's suffix."""
    suffix = path.suffix.lower()
    if suffix not in {".png", ".svg", ".pdf"}:
        raise ValueError(f"{path}: a chart is written as .png, .svg or .pdf")
    chart = Figure(figsize=(10, 4.5), dpi=150 if suffix == ".png" else 100)
    plotted = draw_series(chart, line)
    chart.savefig(path, format=suffix[1:])
    return plotted


def _title(line: TrendSeries) -> str:
    unit = "share of calls" if is_share(line.key) else RATE_LABELS[line.rate]
    return f"{measure_label(line.key)} ({unit})"


def _base_label(line: TrendSeries) -> str:
    return f"{line.baseline_name} (team)" if line.baseline_name else "Everybody"


def _band(axes: Axes, xs: list[int], lower: tuple[float | None, ...], upper: tuple[float | None, ...]) -> None:
    """The control limits: a shaded band, with gaps where a period had no calls."""
    # Each period's limits span its whole slot, x - 0.5 to x + 0.5: two points per period, so a period between two
    # without calls keeps its band (matplotlib's step="mid" drops a step next to a gap).
    edges = [x + side for x in xs for side in (-0.5, 0.5)]
    low, high = ([v for v in _nan(values) for _ in (0, 1)] for values in (lower, upper))
    axes.fill_between(edges, low, high, color=BAND_COLOR, label="Control limits (3σ)", linewidth=0)
    axes.plot(edges, high, color=LIMIT_COLOR, linewidth=0.8)


class _PeriodFormatter(Formatter):
    """Short period labels, W47 or Nov, with the year under the first one and wherever the year changes."""

    def __init__(self, periods: tuple[Period, ...]) -> None:
        self.periods = periods
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        self.ticks = list(locs)  # every tick at once: a label shows the year when the tick before it has another

    def __call__(self, x: float, pos: int | None = None) -> str:
        index = round(x)
        if not 0 <= index < len(self.periods) or abs(x - index) > 1e-6:
            return ""
        year, part = divmod(self.periods[index].key, 100)
        short = f"W{part:02d}" if self.periods[index].grain is Grain.WEEK else calendar.month_abbr[part]
        shown = [round(t) for t in self.ticks if 0 <= round(t) < index]
        first = not shown or self.periods[shown[-1]].key // 100 != year
        return f"{short}\n{year}" if first else short


def _axes_style(axes: Axes, share: bool, title: str, line: TrendSeries) -> None:
    axes.set_title(title, fontsize=11, loc="left", pad=10)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=14, integer=True, min_n_ticks=1))
    axes.xaxis.set_major_formatter(_PeriodFormatter(line.periods))
    axes.tick_params(axis="both", labelsize=9, color="#b0b0b0")
    axes.set_ylim(bottom=0)
    if share:
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.spines[["left", "bottom"]].set_color("#b0b0b0")
    if line.periods:
        axes.set_xlim(-0.5, len(line.periods) - 0.5)


def _nan(values: tuple[float | None, ...]) -> list[float]:
    """None as NaN, which matplotlib leaves as a gap in the line."""
    return [math.nan if v is None else v for v in values]


def draw_message(figure: Figure, text: str) -> None:
    """Clear the figure and say why there is no chart: an empty state reads better than an empty axis."""
    figure.clear()
    figure.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=11, color="#555555")


# --- pointing at the chart: which point is under the mouse, what it stands for, which one is chosen ----------------


def nearest_point(axes: Any, values: tuple[float | None, ...], x: float, y: float, reach: float) -> int | None:
    """The index of the plotted value nearest to display position (x, y), if it lies within `reach` pixels."""
    shown = [(i, v) for i, v in enumerate(values) if v is not None]
    if not shown:
        return None
    where = axes.transData.transform([(i, v) for i, v in shown])
    distance, index = min((math.hypot(px - x, py - y), i) for (i, _), (px, py) in zip(shown, where, strict=True))
    return index if distance <= reach else None


def point_text(trends: Trends, line: TrendSeries, index: int) -> str:
    """What hovering over a point says (rich text): the period, the value and what it is made of, the baseline's
    value, the control limits and the flags on the point."""
    period, key, chart = line.periods[index], line.key, line.chart
    first, last = period.first_day, period.last_day
    unit = "share of calls" if is_share(key) else ("per call" if line.rate is Rate.PER_CALL else "per hour of talk")
    rows = [(line.subject or "Everybody", f"<b>{shown(line.values[index], key)}</b>", _behind(line, index))]
    if line.baseline:
        rows.append((line.baseline_name or "Everybody", shown(line.baseline[index], key), ""))
    low, high = chart.lower[index], chart.upper[index]
    if low is not None and high is not None:
        centre = "team's rate" if line.baseline_name is not None else "average"
        rows.append(("Control limits", f"{shown(low, key)} – {shown(high, key)}", f"around the {centre} "
                     f"{shown(chart.center, key)}"))  # fmt: skip
    cells = "".join(
        f"<tr><td>{a}&nbsp;&nbsp;</td><td align='right'>{b}</td><td>&nbsp;&nbsp;{c}</td></tr>" for a, b, c in rows
    )
    agent = line.subject if line.baseline_name is not None else None
    team = None if agent else (line.subject or None)
    flags = [f"<p style='color:{FLAG_COLOR}; white-space:pre'>⚑ {flag_line(f)}</p>"
             for f in trends.flags_of(agent, period, team) if f.measure == key]  # fmt: skip
    when = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return (
        f"<p style='white-space:pre'><b>{period.label}</b>  ·  {when}<br>{measure_label(key)}, {unit}</p>"
        f"<table cellspacing='0' cellpadding='1'>{cells}</table>{''.join(flags)}"
    )


def _behind(line: TrendSeries, index: int) -> str:
    count, amount = line.counts[index], line.sizes[index]
    if is_share(line.key):
        return f"{count} of {int(amount)} calls"
    if line.rate is Rate.PER_HOUR:
        return f"{count} in {amount:.1f} h of talk"
    return f"{count} in {int(amount)} call{'s' if int(amount) != 1 else ''}"


def mark_period(figure: Figure, index: int, color: str = "#ffd54f") -> Any:
    """Shade the chosen period's slot, over the limits' band and under the lines; returns the artist (to remove)."""
    span = figure.axes[0].axvspan(index - 0.45, index + 0.45, color=color, alpha=0.45)
    span.set_zorder(1.5)
    return span


def save_figure(figure: Figure, path: Path) -> None:
    """Write a figure as PNG (150 dpi), SVG or PDF by the path's suffix; ValueError names the ones to choose."""
    suffix = path.suffix.lower()
    if suffix not in {".png", ".svg", ".pdf"}:
        raise ValueError(f"{path.name}: a chart is saved as .png, .svg or .pdf; choose one of those extensions")
    figure.savefig(path, format=suffix[1:], dpi=150 if suffix == ".png" else "figure", facecolor="white")
