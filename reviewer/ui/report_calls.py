"""The coaching report's calls to discuss (findings, trace, notes) and the pages for the coaching conversation."""

from __future__ import annotations

from html import escape

from reviewer.domain.verdict import Severity, Verdict
from reviewer.services.reporting import CoachingReport, ReportCall
from reviewer.text.tags import kind_label
from reviewer.text.times import clock
from reviewer.text.verdicts import STATUS_LABELS, finding_line, verdict_lines
from reviewer.ui.report_markup import SEVERITY_COLORS, STATUS_COLORS, STATUS_TINTS, day_and_time, grain_words, grid

# Marks the first cell of a call's heading, so that the PDF (report_render.py) finds where each call begins: Qt's
# rich text keeps this CSS property of its own as the cell's block's user state, and browsers ignore it. Qt drops a
# class, and turns an id into an anchor that it writes into the PDF (which then reads the heading back split in two).
CALL_HEADING_STATE = 1


def calls_section(report: CoachingReport) -> str:
    """Every call with a violation or a coaching finding, from a new page; one line when there is none."""
    if not report.calls:  # one line: no page of its own
        word = grain_words(report)[0]
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
    when = day_and_time(call.started_at) if call.started_at else "date unknown"
    color, tint = STATUS_COLORS[status], STATUS_TINTS[status]
    badge = f'<span class="badge" style="background-color:{color}">&nbsp;{STATUS_LABELS[status].upper()}&nbsp;</span>'
    return (
        f'<table width="100%" cellspacing="0" cellpadding="5" style="margin-top:16px; background-color:{tint}; '
        f'border-left: 4px solid {color}"><tr><td style="-qt-user-state:{CALL_HEADING_STATE}">'
        f'<span style="font-size:11pt; font-weight:600">{escape(call.external_id)}</span>'
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
    return f"<h4>Notes on tags</h4>{grid(['Time', 'Tag', 'By', 'Note'], rows, 'llll', (9, 20, 12, 59))}"


def _ruled_box(label: str, lines: int) -> str:
    """A framed box with ruled lines to write on."""
    ruled = '<tr><td class="line">&nbsp;</td></tr>' * lines
    return f'<table class="box" width="100%" cellspacing="0"><tr><td class="label">{label}</td></tr>{ruled}</table>'


def conversation(report: CoachingReport) -> str:
    """A page for the coaching conversation: what went well, what to work on, agreed actions and signatures."""
    agent = escape(report.agent)
    blank = ["&nbsp;", "", ""]
    actions = grid(["Action", "Who", "By when"], [blank] * 5, "lll", (64, 18, 18), css="actions")
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
