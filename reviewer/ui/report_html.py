"""The coaching report as one self-contained HTML document: the period against the team and the agent's own past,
the charts, the calls to discuss with their traces and notes, and ruled space for the coaching conversation.

The same markup feeds the PDF (report_render.py). Qt's rich text reads a subset of HTML 4 and CSS 2, so the layout
keeps to tables, class selectors and per-cell borders, which a browser and QTextDocument draw alike.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from html import escape
from typing import TypeVar

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure

from reviewer.domain.trends import Ending, Grain, Measure, Rate, TrendRow
from reviewer.domain.verdict import Severity, Verdict, VerdictStatus
from reviewer.services.reporting import CoachingReport, ReportCall
from reviewer.services.trends import trend_series
from reviewer.text.tags import kind_label
from reviewer.text.times import clock
from reviewer.text.trends import RATE_LABELS, figure, flag_line, is_share, measure_label
from reviewer.text.verdicts import STATUS_LABELS, finding_line, verdict_lines
from reviewer.ui.trend_charts import draw_series

PRODUCT = "Call Reviewer"
STATUS_COLORS = {
    VerdictStatus.VIOLATION: "#c62828",
    VerdictStatus.COACHING: "#b26a00",
    VerdictStatus.COMPLIANT: "#2e7d32",
    VerdictStatus.INCOMPLETE: "#616161",
}
STATUS_TINTS = {
    VerdictStatus.VIOLATION: "#fdecea",
    VerdictStatus.COACHING: "#fff3e0",
    VerdictStatus.COMPLIANT: "#e8f5e9",
    VerdictStatus.INCOMPLETE: "#eeeeee",
}
SEVERITY_COLORS = {
    Severity.VIOLATION: STATUS_COLORS[VerdictStatus.VIOLATION],
    Severity.COACHING: STATUS_COLORS[VerdictStatus.COACHING],
    Severity.INCOMPLETE: STATUS_COLORS[VerdictStatus.INCOMPLETE],
    Severity.INFO: "#90a4ae",
}
# A browser takes the first it has; the PDF passes the families Qt has installed (each missing one costs a warning).
WEB_FONTS = "'DejaVu Sans', 'Segoe UI', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
CHART_SIZE = (4.4, 2.7)  # inches: two charts side by side across an A4 page
CHART_FONTS = ("DejaVu Sans", "Noto Sans CJK JP", "Droid Sans Fallback")  # Latin and Cyrillic, then CJK

# Which way is better: fewer interruptions and violations; customer abuse and incomplete verdicts are nobody's merit
# (None: only "higher" or "lower" is said).
_LOWER_IS_BETTER: dict[str, bool | None] = {m.value: True for m in Measure} | {Measure.CUSTOMER_ABUSE.value: None}
_STATUSES: dict[VerdictStatus, bool | None] = {
    VerdictStatus.VIOLATION: True,
    VerdictStatus.COACHING: True,
    VerdictStatus.INCOMPLETE: None,
    VerdictStatus.COMPLIANT: False,
}
_HANGUPS = (
    ("Permitted", (Ending.PERMITTED,)),
    ("Premature", (Ending.PREMATURE,)),
    ("By the customer", (Ending.CUSTOMER,)),
    ("Other", (Ending.UNOBJECTED, Ending.LINE_DROP, Ending.UNKNOWN)),
)
_GRAIN_WORDS = {Grain.WEEK: ("week", "Weekly"), Grain.MONTH: ("month", "Monthly")}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_USUAL = (Measure.AGENT_INTERRUPTION.value, Measure.CUSTOMER_ABUSE.value)  # charted when no measure happened
_SHARES = ("status:violation", "ending:premature")
_K = TypeVar("_K")
_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_SVG_REFS = re.compile(r'(\bid="|href="#|url\(#)')

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
    if charts == "svg":
        markup = [_inline_svg(image.decode(), f"c{i}-") for i, image in enumerate(chart_images(report, "svg"))]
    elif charts == "png":
        markup = [_png_img(image) for image in chart_images(report, "png")]
    elif charts == "none":
        markup = []
    else:
        raise ValueError(f"charts must be 'svg', 'png' or 'none', not {charts!r}")
    return compose(report, markup, WEB_FONTS)


def compose(report: CoachingReport, charts: Sequence[str], fonts: str) -> str:
    """The document around already-rendered chart markup, in the given CSS font families."""
    title = f"{_grain(report)[1]} coaching report: {report.agent}, {report.period.label}"
    parts = [
        _header(report),
        _key_figures(report),
        _this_period(report),
        _verdicts_and_hangups(report),
        _findings(report),
        _flags(report),
        _charts(charts, report),
        _calls(report),
        _conversation(report),
    ]
    head = f'<meta charset="utf-8"><title>{escape(title)}</title><style>{_CSS % {"fonts": fonts}}</style>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>{''.join(parts)}</body></html>\n"


# --- charts -------------------------------------------------------------------------------------------------------


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


def _charts(charts: Sequence[str], report: CoachingReport) -> str:
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
    return f"<h2>The last {len(report.trends.periods)} {_grain(report)[0]}s</h2><p class='note'>{legend}</p>{rows}"


# --- header and figures -------------------------------------------------------------------------------------------


def _grain(report: CoachingReport) -> tuple[str, str]:
    return _GRAIN_WORDS[report.period.grain]


def _day(day: date) -> str:
    """'Mon 16 Nov 2026' whatever the machine's locale (strftime's names follow it)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _when(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{_day(local.date())} {local:%H:%M}"


def _talk(ms: float | None) -> str:
    """Talk time as h:mm."""
    if ms is None:
        return "–"
    minutes = round(ms / 60_000)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _header(report: CoachingReport) -> str:
    period = report.period
    team = escape(report.team) if report.team else "No team"
    by = f" by {escape(report.author)}" if report.author else ""
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td><span class="product">{PRODUCT.upper()}</span><br>'
        f'<span class="doctitle">{_grain(report)[1]} coaching report</span></td>'
        f'<td align="right" class="meta">Generated {_when(report.generated_at)}{by}</td></tr></table>'
        f"<h1>{escape(report.agent)}</h1>"
        f'<p class="sub">{team} &nbsp;·&nbsp; <b>{period.label}</b> &nbsp;·&nbsp; '
        f"{_day(period.first_day)} – {_day(period.last_day)}</p>"
    )


def _key_figures(report: CoachingReport) -> str:
    this = report.this
    figures = [
        (str(this.calls if this else 0), "calls reviewed"),
        (_talk(this.talk_ms if this else 0), "talk time (h:mm)"),
        (str(this.statuses.get(VerdictStatus.VIOLATION, 0) if this else 0), "with a violation"),
        (str(this.statuses.get(VerdictStatus.COACHING, 0) if this else 0), "for coaching"),
        (str(len(report.trends.flags_of(report.agent, report.period))), "significant shifts"),
    ]
    cells = "".join(
        f'<td class="kpi" width="20%"><span class="kpinum">{n}</span><br><span class="kpilabel">{label}</span></td>'
        for n, label in figures
    )
    return f'<table width="100%" cellspacing="6" cellpadding="0" style="margin-top:8px"><tr>{cells}</tr></table>'


def _pool(rows: Sequence[TrendRow]) -> TrendRow | None:
    """The earlier periods added up into one row, so their rates are pooled (weighted by calls)."""
    if not rows:
        return None
    return TrendRow(
        period=rows[-1].period,
        agent=rows[-1].agent,
        team=rows[-1].team,
        calls=sum(r.calls for r in rows),
        talk_ms=sum(r.talk_ms for r in rows),
        counts=_summed(r.counts for r in rows),
        endings=_summed(r.endings for r in rows),
        statuses=_summed(r.statuses for r in rows),
        findings=_summed(r.findings for r in rows),
    )


def _summed(counts: Iterable[Mapping[_K, int]]) -> dict[_K, int]:
    total: Counter[_K] = Counter()
    for one in counts:
        total.update(one)
    return dict(total)


def _this_period(report: CoachingReport) -> str:
    this, team, earlier = report.this, report.team_row, report.previous
    before, n, word = _pool(earlier), len(earlier), _grain(report)[0]
    team_name = escape(report.team) if report.team else "Everybody"
    head = ["", f"This {word}", "Per hour", team_name, f"Earlier {word}s", "vs team", "vs earlier"]
    rows = _volume_rows(this, team, before, n)
    rows += [_measure_row(m.value, this, team, before) for m in Measure]
    note = f"Rates are per call. {_earlier_note(report, n)}"
    widths = (28, 12, 9, 12, 15, 12, 12)
    return f"<h2>This {word}</h2>{_grid(head, rows, 'l', widths)}<p class='note'>{note}</p>"


def _earlier_note(report: CoachingReport, n: int) -> str:
    word, total = _grain(report)[0], len(report.trends.periods) - 1
    if n == 0:
        return f"{escape(report.agent)} had no reviewed calls in the {total} {word}s before this one."
    which = f"the {total} {word}s" if n == total else f"the {n} of the {total} {word}s"
    return (
        f"Earlier {word}s: {which} before this one in which {escape(report.agent)} had reviewed calls, taken "
        f"together; calls and talk time are their average per {word}."
    )


def _volume_rows(this: TrendRow | None, team: TrendRow | None, before: TrendRow | None, n: int) -> list[list[str]]:
    """Calls reviewed and talk time: the agent's, the team's, and the agent's earlier average per period."""
    calls = [_count(row.calls if row else None) for row in (this, team)]
    talk = [_talk(row.talk_ms if row else None) for row in (this, team)]
    earlier_calls = f"{before.calls / n:.1f}" if before else "–"
    earlier_talk = _talk(before.talk_ms / n) if before else "–"
    return [
        ["Calls reviewed", calls[0], "", calls[1], earlier_calls, "", ""],
        ["Talk time (h:mm)", talk[0], "", talk[1], earlier_talk, "", ""],
    ]


def _measure_row(key: str, this: TrendRow | None, team: TrendRow | None, before: TrendRow | None) -> list[str]:
    mine, theirs, earlier = (_rate(row, key) for row in (this, team, before))
    lower = _LOWER_IS_BETTER[key]
    per_hour = this.per_hour(key) if this else None
    cells = [figure(mine, key), figure(per_hour, key), figure(theirs, key), figure(earlier, key)]
    return [escape(measure_label(key)), *cells, _versus(mine, theirs, lower, key), _versus(mine, earlier, lower, key)]


def _rate(row: TrendRow | None, key: str) -> float | None:
    return row.per_call(key) if row else None


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _versus(value: float | None, other: float | None, lower_is_better: bool | None, key: str) -> str:
    """An arrow and a word: better or worse (higher or lower when neither is better), as the reader sees it."""
    if value is None or other is None:
        return ""
    if figure(value, key) == figure(other, key):  # equal at the precision shown reads as the same
        return '<span class="same">= same</span>'
    arrow = "▲" if value > other else "▼"
    if lower_is_better is None:
        return f'<span class="same">{arrow} {"higher" if value > other else "lower"}</span>'
    worse = (value > other) == lower_is_better
    return f'<span class="{"worse" if worse else "better"}">{arrow} {"worse" if worse else "better"}</span>'


def _verdicts_and_hangups(report: CoachingReport) -> str:
    return (
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:6px"><tr>'
        f'<td width="57%" style="padding-right:14px"><h4>Verdicts</h4>{_verdicts(report)}</td>'
        f'<td width="43%"><h4>Hang-ups</h4>{_hangups(report)}</td></tr></table>'
    )


def _verdicts(report: CoachingReport) -> str:
    this, team, before = report.this, report.team_row, _pool(report.previous)
    rows = []
    for status, lower in _STATUSES.items():
        key = f"status:{status.value}"
        mine, theirs, earlier = (row.share(status) if row else None for row in (this, team, before))
        label = f'<span style="color:{STATUS_COLORS[status]}">■</span> {STATUS_LABELS[status]}'
        count = str(this.statuses.get(status, 0) if this else 0)
        rows.append([label, count, figure(mine, key), figure(theirs, key), figure(earlier, key)])
        rows[-1].append(_versus(mine, theirs, lower, key))
    word = _grain(report)[0]
    return _grid(["", "Calls", "Share", "Team", f"Earlier {word}s", "vs team"], rows, "l")


def _hangups(report: CoachingReport) -> str:
    this, team = report.this, report.team_row
    rows = []
    for label, endings in _HANGUPS:
        count = _ended(this, endings)
        mine = count / this.calls if this and this.calls else None
        theirs = _ended(team, endings) / team.calls if team and team.calls else None
        rows.append([label, str(count), _percent(mine), _percent(theirs)])
    note = "Other: agent hang-ups no rule objected to, line drops, and calls whose ending side is unknown."
    return f"{_grid(['', 'Calls', 'Share', 'Team'], rows, 'l')}<p class='note'>{note}</p>"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _ended(row: TrendRow | None, endings: Iterable[Ending]) -> int:
    return sum(row.endings.get(e, 0) for e in endings) if row else 0


def _findings(report: CoachingReport) -> str:
    this, team, before = report.this, report.team_row, _pool(report.previous)
    word = _grain(report)[0]
    rules = sorted({*(this.findings if this else ()), *(before.findings if before else ())}, key=_rule_order)
    if not rules:
        return f"<h4>Findings by rule</h4><p class='muted'>No findings this {word} or in the earlier {word}s.</p>"
    rows = [
        [escape(rule)] + [str(row.findings.get(rule, 0)) if row else "–" for row in (this, before, team)]
        for rule in rules
    ]
    head = ["Finding", f"This {word}", f"Earlier {word}s (all)", f"Team this {word}"]
    return f"<h4>Findings by rule</h4>{_grid(head, rows, 'l', (46, 18, 18, 18))}"


def _rule_order(rule: str) -> tuple[int, str]:
    """R2 before R10."""
    number = re.match(r"R(\d+)", rule)
    return (int(number[1]) if number else 1_000, rule)


def _flags(report: CoachingReport) -> str:
    flags = report.trends.flags_of(report.agent, report.period)
    if not flags:
        word = _grain(report)[0]
        body = f"<p class='muted'>No measure of {escape(report.agent)} shifted significantly this {word}.</p>"
    else:
        body = "<ul>" + "".join(f"<li>{escape(flag_line(f))}</li>" for f in flags) + "</ul>"
    return f"<h4>Significant shifts</h4>{body}"


def _grid(
    head: Sequence[str], rows: Sequence[Sequence[str]], align: str = "", widths: Sequence[int] = (), css: str = ""
) -> str:
    """A table with light rules; `align` has l (text) or r (figures) per column, figures when not given."""

    def cells(values: Sequence[str], tag: str) -> str:
        out = []
        for i, value in enumerate(values):
            css = "" if align[i : i + 1] == "l" else ' class="num"'
            width = f' width="{widths[i]}%"' if tag == "th" and i < len(widths) else ""
            out.append(f"<{tag}{css}{width}>{value}</{tag}>")
        return "".join(out)

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f'<table class="grid {css}" width="100%" cellspacing="0"><tr>{cells(head, "th")}</tr>{body}</table>'


# --- the calls and the conversation -------------------------------------------------------------------------------


def _calls(report: CoachingReport) -> str:
    if not report.calls:  # one line: no page of its own
        word = _grain(report)[0]
        nothing = f"No call this {word} had a violation or a coaching finding."
        return f"<h2>Calls to discuss (0)</h2><p class='muted'>{nothing}</p>"
    head = f'<h2 class="pagebreak">Calls to discuss ({len(report.calls)})</h2>'
    intro = (
        "<p class='note'>Each call with a violation or a coaching finding: what was found, every step the policy "
        "check took, the supervisor's notes, and room for notes from the conversation.</p>"
    )
    return head + intro + "".join(_call(item) for item in report.calls)


def _call(item: ReportCall) -> str:
    return "".join(
        [
            '<div class="call">',
            _call_heading(item),
            f"<h4>Findings</h4>{_finding_list(item)}",
            f"<h4>How the policy check reached the verdict</h4>{_trace(item.verdict)}",
            f"<h4>Supervisor's note</h4>{_summary(item.call.summary)}",
            _tag_notes(item),
            _ruled_box("Notes from the conversation", 4),
            "</div>",
        ]
    )


def _call_heading(item: ReportCall) -> str:
    call, status = item.call, item.verdict.status
    when = _when(call.started_at) if call.started_at else "date unknown"
    color, tint = STATUS_COLORS[status], STATUS_TINTS[status]
    badge = f'<span class="badge" style="background-color:{color}">&nbsp;{STATUS_LABELS[status].upper()}&nbsp;</span>'
    return (
        f'<table width="100%" cellspacing="0" cellpadding="5" style="margin-top:16px; background-color:{tint}; '
        f'border-left: 4px solid {color}"><tr>'
        f'<td><span style="font-size:11pt; font-weight:600">{escape(call.external_id)}</span>'
        f'&nbsp;&nbsp;<span class="meta">{when} &nbsp;·&nbsp; {clock(call.duration_ms)} long</span></td>'
        f'<td align="right">{badge}</td></tr></table>'
    )


def _finding_list(item: ReportCall) -> str:
    """The findings to act on (the informational ones are in the trace)."""
    shown = [f for f in item.verdict.findings if f.severity is not Severity.INFO]
    lines = (
        f'<span style="color:{SEVERITY_COLORS[f.severity]}">■</span>&nbsp; {escape(finding_line(f))}' for f in shown
    )
    return f"<p>{'<br>'.join(lines)}</p>"


def _trace(verdict: Verdict) -> str:
    """The verdict's explanation, its findings coloured by severity so they stand out among the steps."""
    policy, *lines = verdict_lines(verdict)
    items = []
    for line, step in zip(lines, verdict.trace, strict=True):
        severity = step.severity
        style = f' style="color:{SEVERITY_COLORS[severity]}"' if severity and severity is not Severity.INFO else ""
        items.append(f"<li{style}>{escape(line)}</li>")
    return f"<p class='note'>{escape(policy)}</p><ol class='trace'>{''.join(items)}</ol>"


def _summary(text: str) -> str:
    if not text.strip():
        return "<p class='muted'>No note written.</p>"
    lines = "<br>".join(escape(line) for line in text.strip().splitlines())
    return f'<table width="100%" cellspacing="0"><tr><td class="quote">{lines}</td></tr></table>'


def _tag_notes(item: ReportCall) -> str:
    noted = sorted((t for t in item.call.tags if t.note.strip()), key=lambda t: t.start_ms)
    if not noted:
        return ""
    rows = [[clock(t.start_ms), escape(kind_label(t.kind)), escape(t.actor.value), escape(t.note)] for t in noted]
    return f"<h4>Notes on tags</h4>{_grid(['Time', 'Tag', 'By', 'Note'], rows, 'llll', (9, 20, 12, 59))}"


def _ruled_box(label: str, lines: int) -> str:
    """A framed box with ruled lines to write on."""
    ruled = '<tr><td class="line">&nbsp;</td></tr>' * lines
    return f'<table class="box" width="100%" cellspacing="0"><tr><td class="label">{label}</td></tr>{ruled}</table>'


def _conversation(report: CoachingReport) -> str:
    agent = escape(report.agent)
    blank = ["&nbsp;", "", ""]
    actions = _grid(["Action", "Who", "By when"], [blank] * 5, "lll", (64, 18, 18), css="actions")
    return (
        '<h2 class="pagebreak">Coaching conversation</h2>'
        f"<p class='note'>{agent}, {report.period.label}. Held on ______________ by ______________________.</p>"
        + _ruled_box("What went well", 6)
        + _ruled_box("What to work on", 6)
        + f"<h4>Agreed actions</h4>{actions}<h4>Signatures</h4>"
        + _signatures(f"{agent}, agent")
    )


def _signatures(agent: str) -> str:
    """Two lines to sign on, each with one for the date, captioned underneath."""
    gap = '<td width="6%"></td>'
    lines = f'<tr><td class="line" width="44%">&nbsp;</td>{gap}<td class="line" width="20%">&nbsp;</td><td></td></tr>'
    captions = "<tr><td class='caption'>{}</td><td></td><td class='caption'>Date</td><td></td></tr>"
    rows = "".join(lines + captions.format(who) for who in (agent, "Supervisor"))
    return f'<table class="sign" width="100%" cellspacing="0">{rows}</table>'
