"""The coaching report as one self-contained HTML document: the period against the team and the agent's own past,
the charts, the calls to discuss with their traces and notes, and ruled space for the coaching conversation.

The same markup feeds the PDF (report_render.py). Qt's rich text reads a subset of HTML 4 and CSS 2, so the layout
keeps to tables, class selectors and per-cell borders, which a browser and QTextDocument draw alike. The sections
are written by report_figures.py, report_charts.py and report_calls.py; this module puts them in a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from reviewer.services.reporting import CoachingReport
from reviewer.ui.report_calls import calls_section, conversation
from reviewer.ui.report_charts import chart_markup, charts_section
from reviewer.ui.report_figures import findings, flags, key_figures, this_period, verdicts_and_hangups
from reviewer.ui.report_markup import day, day_and_time, grain_words

PRODUCT = "Call Reviewer"
# A browser takes the first it has; the PDF passes the families Qt has installed (each missing one costs a warning).
WEB_FONTS = "'DejaVu Sans', 'Segoe UI', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"

_CSS = """
body { font-family: %(fonts)s; font-size: 9pt; color: #212121; }
h1 { font-size: 19pt; font-weight: 600; margin: 2px 0 0 0; color: #1a237e; }
h2 { font-size: 12.5pt; font-weight: 600; color: #1a237e; margin: 16px 0 5px 0; }
h4 { font-size: 9pt; font-weight: 600; color: #37474f; margin: 12px 0 3px 0; }
p { margin: 2px 0 4px 0; }
table.grid { border-collapse: collapse; margin: 2px 0 4px 0; }
table.grid th { background-color: #eceff1; color: #37474f; font-weight: 600; text-align: left;
  border-bottom: 1px solid #90a4ae; padding: 3px 6px; font-size: 8pt; }
table.grid td { border-bottom: 1px solid #cfd8dc; padding: 3px 6px; vertical-align: top; }
table.grid td.num, table.grid th.num { text-align: right; }
.product { font-size: 8pt; font-weight: 700; color: #1a237e; }
.doctitle { font-size: 10pt; color: #546e7a; }
.meta, .note, .muted { color: #607d8b; font-size: 8pt; }
.sub { font-size: 10pt; color: #455a64; }
td.kpi { background-color: #f5f7f8; border: 1px solid #dfe4e7; padding: 6px 10px; }
.kpinum { font-size: 15pt; font-weight: 600; color: #263238; }
.kpilabel { font-size: 7.5pt; color: #607d8b; }
.better { color: #2e7d32; } .worse { color: #c62828; } .same { color: #607d8b; }
.badge { font-weight: 700; color: #ffffff; }
ol.trace { font-size: 8pt; color: #37474f; margin: 0; }
td.quote { background-color: #f5f7f8; border-left: 3px solid #b0bec5; padding: 5px 8px; }
table.box { border-collapse: collapse; border: 1px solid #90a4ae; margin: 8px 0 6px 0; }
table.box td.label { font-size: 8pt; color: #37474f; font-weight: 600; padding: 4px 6px; background-color: #f5f7f8; }
table.box td.line { border-bottom: 1px solid #cfd8dc; padding: 17px 6px 0 6px; }
table.actions td { padding: 13px 6px 3px 6px; }
table.sign td.line { border-bottom: 1px solid #546e7a; padding: 34px 4px 0 4px; }
table.sign td.caption { font-size: 8pt; color: #607d8b; padding: 2px 4px 0 4px; }
td.chart { padding: 4px; }
.pagebreak { page-break-before: always; }
h2, h4 { page-break-after: avoid; }
table, div.call { page-break-inside: avoid; }
"""


def report_html(report: CoachingReport, *, charts: str = "svg") -> str:
    """The report as a complete HTML document; its charts inline as "svg", as "png" data, or "none"."""
    return compose(report, chart_markup(report, charts), WEB_FONTS)


def compose(report: CoachingReport, charts: Sequence[str], fonts: str) -> str:
    """The document around already-rendered chart markup, in the given CSS font families."""
    title = f"{grain_words(report)[1]} coaching report: {report.agent}, {report.period.label}"
    parts = [
        _header(report),
        key_figures(report),
        this_period(report),
        verdicts_and_hangups(report),
        findings(report),
        flags(report),
        charts_section(charts, report),
        calls_section(report),
        conversation(report),
    ]
    head = f'<meta charset="utf-8"><title>{escape(title)}</title><style>{_CSS % {"fonts": fonts}}</style>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>{''.join(parts)}</body></html>\n"


def _header(report: CoachingReport) -> str:
    period = report.period
    team = escape(report.team) if report.team else "No team"
    by = f" by {escape(report.author)}" if report.author else ""
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><span class="product">{PRODUCT.upper()}</span><br>'
        f'<span class="doctitle">{grain_words(report)[1]} coaching report</span></td>'
        f'<td align="right" class="meta">Generated {day_and_time(report.generated_at)}{by}</td></tr></table>'
        f"<h1>{escape(report.agent)}</h1>"
        f'<p class="sub">{team} &nbsp;·&nbsp; <b>{period.label}</b> &nbsp;·&nbsp; '
        f"{day(period.first_day)} – {day(period.last_day)}</p>"
    )
