"""`reviewer trends` and `reviewer report`: per-agent trends as text, JSON, CSV or a chart; the coaching report.

Charts and PDFs need matplotlib and Qt, which only ui/ may import: app/ hands the two drawing functions in.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reviewer.cli.output import USAGE_ERROR, print_json
from reviewer.cli.progress import drive
from reviewer.domain.trends import Ending, Flag, Grain, Measure, Period, Rate, TrendQuery, TrendRow, Trends, TrendSeries
from reviewer.domain.verdict import VerdictStatus
from reviewer.services.checking import CheckReport
from reviewer.services.context import Services
from reviewer.services.reporting import AgentNotFoundError
from reviewer.services.trends import known_agents, refresh_facts, trend_series, trends
from reviewer.text.problems import describe
from reviewer.text.trends import MEASURE_LABELS, figure, flag_line, measure_label

CHART_SUFFIXES = (".png", ".svg", ".pdf")
REPORT_SUFFIXES = (".pdf", ".html")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting with these


@dataclass(frozen=True, slots=True)
class Drawing:
    """What app/ hands in from ui/: write a chart of one line, write the coaching report."""

    chart: Callable[[TrendSeries, Path], None]
    report: Callable[[Services, str, Period, Path], Path]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-23") from None


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_trends_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `trends` and `report` commands' arguments."""
    trend = commands.add_parser(
        "trends",
        help="per-agent and per-team trends over reviewed calls, with control-chart flags",
        description="Rates per call of agent interruptions, agent rudeness, banned phrases, customer abuse handled "
        "and customer hang-ups after an agent interruption; hang-ups split by how the verdict judged them; verdict "
        "shares; findings by rule. One row per agent and period, then per team, then everybody. Flags mark only "
        'significant shifts (control charts). --json rows: {"agent", "team", "period", "calls", "talk_ms", '
        '"tags", "hangups", "status", "findings", "flags"}.',
    )
    trend.add_argument("--team", help="only this team's agents")
    trend.add_argument("--agent", help="only this agent (compared with the team)")
    trend.add_argument("--from", dest="first", type=_day, metavar="DATE", help="first day (2026-09-01)")
    trend.add_argument("--to", dest="last", type=_day, metavar="DATE", help="last day, included")
    trend.add_argument("--by", choices=[g.value for g in Grain], default="week", help="one point per week or month")
    trend.add_argument("--kind", help="also count this tag kind (interruption, or interruption/customer)")
    trend.add_argument("--rule", help="also count findings of this rule (R1, or R1.premature_hangup)")
    trend.add_argument("--all-calls", action="store_true", help="include calls not marked done")
    trend.add_argument(
        "--measure",
        default=Measure.AGENT_INTERRUPTION.value,
        help="what --out charts: a measure (agent_interruption, status:violation, ...), the --kind, or rule:<--rule>",
    )
    trend.add_argument("--per", choices=["call", "hour"], default="call", help="what --out rates by")
    out = trend.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the rows as JSON")
    out.add_argument("--csv", type=Path, metavar="FILE", help="write the rows as CSV")
    out.add_argument("--out", type=Path, metavar="FILE.png", help="draw --measure as a chart (.png, .svg, .pdf)")
    report = commands.add_parser(
        "report",
        help="the weekly coaching report for one agent (PDF or HTML)",
        description="The period's figures against the team and the agent's previous periods, the charts, each "
        "call with a violation or coaching finding with its trace and the supervisor's notes, and space for the "
        "coaching conversation.",
    )
    report.add_argument("--agent", required=True, help="the agent's name")
    report.add_argument("--period", required=True, type=_period, help="a week (2026-W47) or a month (2026-11)")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the file (.pdf or .html)")


def _refresh(services: Services) -> None:
    report = CheckReport()
    drive(refresh_facts(services, report))
    for line in dict.fromkeys(describe(failure) for failure in report.failed):
        print(f"warning: verdicts not checked: {line}", file=sys.stderr)


def _known_agent(services: Services, agent: str, command: str) -> bool:
    """False (with a hint) when no agent of that name has checked calls."""
    names = [name for name, _ in known_agents(services)]
    if agent in names:
        return True
    close = difflib.get_close_matches(agent, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    print(f"reviewer {command}: no agent {agent!r} has checked calls{hint}", file=sys.stderr)
    return False


def cmd_trends(services: Services, args: argparse.Namespace, drawing: Drawing) -> int:
    """`reviewer trends`."""
    if args.out is not None and args.out.suffix.lower() not in CHART_SUFFIXES:
        print(f"reviewer trends: {args.out}: the chart is written as .png, .svg or .pdf", file=sys.stderr)
        return USAGE_ERROR
    _refresh(services)
    if args.agent and not _known_agent(services, args.agent, "trends"):
        return 1
    query = TrendQuery(
        grain=Grain(args.by),
        team=args.team,
        agent=args.agent,
        first=args.first,
        last=args.last,
        kind=args.kind,
        rule=args.rule,
        reviewed_only=not args.all_calls,
    )
    chartable = [*MEASURE_LABELS, *(k for k in (query.kind, query.rule_key) if k)]
    if args.out is not None and args.measure not in chartable:
        print(f"reviewer trends: --measure {args.measure!r}: give one of {', '.join(chartable)}", file=sys.stderr)
        return USAGE_ERROR
    found = trends(services, query)
    try:
        _write_trends(found, args, drawing)
    except OSError as error:
        target = args.out or args.csv
        print(f"reviewer trends: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def _write_trends(found: Trends, args: argparse.Namespace, drawing: Drawing) -> None:
    if args.out is not None:
        rate = Rate.PER_HOUR if args.per == "hour" else Rate.PER_CALL
        drawing.chart(trend_series(found, args.measure, rate, args.agent, args.team), args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    elif args.json:
        print_json(trend_data(found))
    elif args.csv is not None:
        _write_csv(args.csv, trend_data(found))
        print(f"wrote {args.csv}", file=sys.stderr)
    else:
        _print_trends(found)


def cmd_report(services: Services, args: argparse.Namespace, drawing: Drawing) -> int:
    """`reviewer report --agent NAME --period P --out FILE`."""
    if args.out.suffix.lower() not in REPORT_SUFFIXES:
        print(f"reviewer report: {args.out}: the report is written as .pdf or .html", file=sys.stderr)
        return USAGE_ERROR
    _refresh(services)
    if not _known_agent(services, args.agent, "report"):
        return 1
    try:
        written = drawing.report(services, args.agent, args.period, args.out)
    except AgentNotFoundError:
        print(f"reviewer report: no agent {args.agent!r} has checked calls", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"reviewer report: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"wrote {written}", file=sys.stderr)
    return 0


def trend_data(found: Trends) -> list[dict[str, Any]]:
    """Every row as JSON: agents, then teams (agent null), then everybody (agent and team null)."""
    rows = [*found.agents, *found.teams, *found.overall]
    flags = found.flags_by_point()  # one pass: looking each row's flags up in the whole list is quadratic
    return [_row_data(row, flags.get(found.point_key(row), [])) for row in rows]


def _row_data(row: TrendRow, flags: list[Flag]) -> dict[str, Any]:
    return {
        "agent": row.agent,
        "team": row.team,
        "period": row.period.label,
        "calls": row.calls,
        "talk_ms": row.talk_ms,
        "tags": dict(row.counts),
        "hangups": {e.value: row.endings.get(e, 0) for e in Ending if e is not Ending.NONE},
        "status": {s.value: row.statuses.get(s, 0) for s in VerdictStatus},
        "findings": dict(row.findings),
        "flags": [_flag_data(flag) for flag in flags],
    }


def _flag_data(flag: Flag) -> dict[str, Any]:
    return {
        "measure": flag.measure,
        "signal": flag.signal.value,
        "value": flag.value,
        "center": flag.center,
        "limit": flag.limit,
        "text": flag_line(flag),
    }


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """One line per row; nested figures flattened to columns such as tags.agent_interruption, hangups.premature."""
    flat = [_flatten(row) for row in rows]
    columns = list(dict.fromkeys(key for row in flat for key in row if not key.startswith("findings.")))
    findings = sorted({key for row in flat for key in row if key.startswith("findings.")})
    columns = [c for c in columns if c != "flags"] + findings + ["flags"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval=0)
        writer.writeheader()
        writer.writerows(flat)


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if key == "flags":
            flat["flags"] = _safe("; ".join(f["text"] for f in value))
        elif isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = _safe(value) if isinstance(value, str) else value
    return flat


def _safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (an agent named "=HYPERLINK(...)")."""
    return "'" + text if text.startswith(_FORMULA) else text


def _print_trends(found: Trends) -> None:
    measures = [m.value for m in Measure]
    heading = ["period", "agent", "team", "calls", "talk"] + [measure_label(m).lower() for m in measures]
    print("\t".join(heading))
    for row in [*found.agents, *found.teams, *found.overall]:
        talk = f"{row.talk_ms // 3_600_000}:{row.talk_ms // 60_000 % 60:02d}"
        rates = [figure(row.per_call(m), m) for m in measures]
        who = [row.agent or "–", row.team or ("–" if row.agent else "everybody")]
        print("\t".join([row.period.label, *who, str(row.calls), talk, *rates]))
    if found.flags:
        print("\nsignificant shifts:")
        for flag in found.flags:
            print(f"  {flag_line(flag)}")
