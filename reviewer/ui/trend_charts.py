"""Trend charts drawn on a matplotlib Figure (never pyplot): the Trends tab, `reviewer trends --out` and the report.

A chart shows one measure for one subject: the subject's value per period (a solid line; no point where there were
no calls), the team's value per period (dashed), the control limits as a band around the team's rate, and the
points the control chart flags ringed in red. `draw_series` returns what it plotted, so tests assert on data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from reviewer.domain.trends import TrendSeries
from reviewer.text.trends import RATE_LABELS, is_share, measure_label

SUBJECT_COLOR = "#1f5fa8"
BASELINE_COLOR = "#7a7a7a"
BAND_COLOR = "#d9e4f2"
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


def draw_series(figure: Figure, line: TrendSeries, *, title: str | None = None) -> Plotted:
    """Clear the figure and draw one line with its baseline, limits and flags; returns what was drawn."""
    figure.clear()
    axes = figure.add_subplot(1, 1, 1)
    share = is_share(line.key)
    xs = list(range(len(line.periods)))
    labels = tuple(p.label for p in line.periods)
    chart = line.chart
    heading = title or _title(line)
    if line.baseline_name is not None and any(v is not None for v in chart.upper):
        _band(axes, xs, chart.lower, chart.upper)
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
    _axes_style(axes, labels, share, heading, line)
    figure.tight_layout()
    return Plotted(labels, line.values, line.baseline, chart.lower, chart.upper, flagged, heading)


def _title(line: TrendSeries) -> str:
    unit = "share of calls" if is_share(line.key) else RATE_LABELS[line.rate]
    return f"{measure_label(line.key)} ({unit})"


def _base_label(line: TrendSeries) -> str:
    return f"{line.baseline_name} (team)" if line.baseline_name else "Everybody"


def _band(axes: Axes, xs: list[int], lower: tuple[float | None, ...], upper: tuple[float | None, ...]) -> None:
    """The control limits: a shaded band, with gaps where a period had no calls."""
    low, high = _nan(lower), _nan(upper)
    axes.fill_between(xs, low, high, color=BAND_COLOR, step="mid", label="Control limits (3σ)", linewidth=0)


def _axes_style(axes: Axes, labels: tuple[str, ...], share: bool, title: str, line: TrendSeries) -> None:
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    axes.xaxis.set_major_locator(MaxNLocator(nbins=14, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: labels[int(x)] if 0 <= int(x) < len(labels) else ""))
    axes.set_ylim(bottom=0)
    if share:
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    if line.periods:
        axes.set_xlim(-0.5, len(labels) - 0.5)
    axes.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)


def _nan(values: tuple[float | None, ...]) -> list[float]:
    """None as NaN, which matplotlib leaves as a gap in the line."""
    return [math.nan if v is None else v for v in values]
