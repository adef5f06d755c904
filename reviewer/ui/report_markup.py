"""What the coaching report's sections share: the verdict palette, days, talk time and the ruled table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reviewer.domain.trends import Grain
from reviewer.domain.verdict import Severity, VerdictStatus
from reviewer.services.reporting import CoachingReport

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
_GRAIN_WORDS = {Grain.WEEK: ("week", "Weekly"), Grain.MONTH: ("month", "Monthly")}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def grain_words(report: CoachingReport) -> tuple[str, str]:
    """The report's period as a noun and as an adjective: ("week", "Weekly") or ("month", "Monthly")."""
    return _GRAIN_WORDS[report.period.grain]


def day(when: date) -> str:
    """'Mon 16 Nov 2026' whatever the machine's locale (strftime's names follow it)."""
    return f"{_DAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]} {when.year}"


def day_and_time(when: datetime) -> str:
    """A day and a time of day, in the machine's time zone."""
    local = when.astimezone()
    return f"{day(local.date())} {local:%H:%M}"


def talk(ms: float | None) -> str:
    """Talk time as h:mm."""
    if ms is None:
        return "–"
    minutes = round(ms / 60_000)
    return f"{minutes // 60}:{minutes % 60:02d}"


def grid(
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
