"""The coaching report's figures: the period against the team and the agent's past, verdicts, hang-ups, shifts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TypeVar

from reviewer.domain.trends import Ending, Measure, TrendRow
from reviewer.domain.verdict import VerdictStatus
from reviewer.services.reporting import CoachingReport
from reviewer.text.trends import figure, flag_line, measure_label
from reviewer.text.verdicts import STATUS_LABELS
from reviewer.ui.report_markup import STATUS_COLORS, grain_words, grid, talk

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
_K = TypeVar("_K")


def key_figures(report: CoachingReport) -> str:
    """A row of boxes: calls, talk time, violations, coaching and shifts in the period."""
    this = report.this
    figures = [
        (str(this.calls if this else 0), "calls reviewed"),
        (talk(this.talk_ms if this else 0), "talk time (h:mm)"),
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


def this_period(report: CoachingReport) -> str:
    """Each measure this period, per hour, the team's and the agent's earlier periods', and how it compares."""
    this, team, earlier = report.this, report.team_row, report.previous
    before, n, word = _pool(earlier), len(earlier), grain_words(report)[0]
    team_name = escape(report.team) if report.team else "Everybody"
    head = ["", f"This {word}", "Per hour", team_name, f"Earlier {word}s", "vs team", "vs earlier"]
    rows = _volume_rows(this, team, before, n)
    rows += [_measure_row(m.value, this, team, before) for m in Measure]
    note = f"Rates are per call. {_earlier_note(report, n)}"
    widths = (28, 12, 9, 12, 15, 12, 12)
    return f"<h2>This {word}</h2>{grid(head, rows, 'l', widths)}<p class='note'>{note}</p>"


def _earlier_note(report: CoachingReport, n: int) -> str:
    word, total = grain_words(report)[0], len(report.trends.periods) - 1
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
    times = [talk(row.talk_ms if row else None) for row in (this, team)]
    earlier_calls = f"{before.calls / n:.1f}" if before else "–"
    earlier_talk = talk(before.talk_ms / n) if before else "–"
    return [
        ["Calls reviewed", calls[0], "", calls[1], earlier_calls, "", ""],
        ["Talk time (h:mm)", times[0], "", times[1], earlier_talk, "", ""],
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


def verdicts_and_hangups(report: CoachingReport) -> str:
    """The verdicts' shares beside how the calls ended."""
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
    word = grain_words(report)[0]
    return grid(["", "Calls", "Share", "Team", f"Earlier {word}s", "vs team"], rows, "l")


def _hangups(report: CoachingReport) -> str:
    this, team = report.this, report.team_row
    rows = []
    for label, endings in _HANGUPS:
        count = _ended(this, endings)
        mine = count / this.calls if this and this.calls else None
        theirs = _ended(team, endings) / team.calls if team and team.calls else None
        rows.append([label, str(count), _percent(mine), _percent(theirs)])
    note = "Other: agent hang-ups no rule objected to, line drops, and calls whose ending side is unknown."
    return f"{grid(['', 'Calls', 'Share', 'Team'], rows, 'l')}<p class='note'>{note}</p>"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _ended(row: TrendRow | None, endings: Iterable[Ending]) -> int:
    return sum(row.endings.get(e, 0) for e in endings) if row else 0


def findings(report: CoachingReport) -> str:
    """How often each rule found something: this period, the earlier ones together, and the team."""
    this, team, before = report.this, report.team_row, _pool(report.previous)
    word = grain_words(report)[0]
    rules = sorted({*(this.findings if this else ()), *(before.findings if before else ())}, key=_rule_order)
    if not rules:
        return f"<h4>Findings by rule</h4><p class='muted'>No findings this {word} or in the earlier {word}s.</p>"
    rows = [
        [escape(rule)] + [str(row.findings.get(rule, 0)) if row else "–" for row in (this, before, team)]
        for rule in rules
    ]
    head = ["Finding", f"This {word}", f"Earlier {word}s (all)", f"Team this {word}"]
    return f"<h4>Findings by rule</h4>{grid(head, rows, 'l', (46, 18, 18, 18))}"


def _rule_order(rule: str) -> tuple[int, str]:
    """R2 before R10."""
    number = re.match(r"R(\d+)", rule)
    return (int(number[1]) if number else 1_000, rule)


def flags(report: CoachingReport) -> str:
    """The control chart's significant shifts of the agent in the period, as sentences."""
    shifts = report.trends.flags_of(report.agent, report.period)
    if not shifts:
        word = grain_words(report)[0]
        body = f"<p class='muted'>No measure of {escape(report.agent)} shifted significantly this {word}.</p>"
    else:
        body = "<ul>" + "".join(f"<li>{escape(flag_line(f))}</li>" for f in shifts) + "</ul>"
    return f"<h4>Significant shifts</h4>{body}"
