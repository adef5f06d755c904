"""What the commands print: JSON for scripts, aligned text for people."""

from __future__ import annotations

import json
import sys
from typing import Any

from reviewer.domain.call import Call, CallSummary
from reviewer.domain.tags import Tag
from reviewer.services.importing import ImportReport
from reviewer.services.parsing import ParsedFile
from reviewer.text.problems import describe
from reviewer.text.reports import failure_lines, outcome_lines
from reviewer.text.times import clock
from reviewer.text.verdicts import status_label

USAGE_ERROR = 2  # exit status of a command given the wrong arguments (argparse's own)


def print_json(data: Any) -> None:
    """Stable, UTF-8 JSON on stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def report_data(report: ImportReport) -> dict[str, Any]:
    """The `import --json` contract."""
    return {
        "imported": report.imported,
        "skipped": [{"path": s.path, "id": s.existing_id} for s in report.skipped],
        "failed": [{"path": p.path, "error": describe(p)} for p in report.failed],
        "suggested": {d.external_id: len(d.stored) for d in report.detection.detected},
        "detect_failed": [{"path": p.path, "error": describe(p)} for p in report.detection.failed],
    }


def print_report(report: ImportReport) -> None:
    """Human summary of an import; every failure on its own line on stderr."""
    for line in failure_lines(report):
        print(line, file=sys.stderr)
    for line in outcome_lines(report):
        print(line)


def parsed_data(parsed: ParsedFile) -> dict[str, Any]:
    """The `parse --json` contract."""
    return {
        "format": parsed.format,
        "encoding": parsed.encoding,
        "speakers": [{"label": s.label, "party": s.party.value, "channel": s.channel} for s in parsed.speakers],
        "utterances": [
            {"speaker": u.speaker, "party": u.party.value, "start_ms": u.start_ms, "end_ms": u.end_ms, "text": u.text}
            for u in parsed.utterances
        ],
        "events": [
            {
                "kind": t.kind,
                "actor": t.actor.value,
                "start_ms": t.start_ms,
                "end_ms": t.end_ms,
                "source": t.source.value,
            }
            for t in parsed.events
        ],
    }


def _event_data(tag: Tag) -> dict[str, Any]:
    return {
        "kind": tag.kind,
        "actor": tag.actor.value,
        "start_ms": tag.start_ms,
        "end_ms": tag.end_ms,
        "source": tag.source,
    }


def _span(tag: Tag) -> str:
    return clock(tag.start_ms, millis=True) + ("" if tag.is_point else "-" + clock(tag.end_ms, millis=True))


def print_parsed(parsed: ParsedFile) -> None:
    """A parsed file for reading in a terminal."""
    print(f"format {parsed.format}, encoding {parsed.encoding}")
    for s in parsed.speakers:
        channel = "" if s.channel is None else f" (channel {s.channel})"
        print(f"  speaker {s.label or '(unnamed)'!s} -> {s.party.value}{channel}")
    for u in parsed.utterances:
        print(f"  {clock(u.start_ms, millis=True)} {u.party.value:<8} {u.text}")
    for t in parsed.events:
        print(
            f"  [{t.kind}] {t.actor.value} {clock(t.start_ms, millis=True)}-{clock(t.end_ms, millis=True)} {t.source}"
        )


def summary_data(call: CallSummary) -> dict[str, Any]:
    """One element of the `calls --json` list."""
    return {
        "id": call.id,
        "external_id": call.external_id,
        "agent": call.agent,
        "team": call.team,
        "started_at": call.started_at.isoformat() if call.started_at else None,
        "duration_ms": call.duration_ms,
        "channels": call.channels,
        "utterances": call.utterances,
        "tags": call.tags,
        "audio_sha256": call.audio_sha256,
        "review_status": call.review_status.value,
        "verdict": call.verdict.value if call.verdict else None,
        "verdict_stale": call.verdict_stale,
    }


def print_calls(calls: list[CallSummary]) -> None:
    """The library as a text table."""
    head = f"{'id':>5}  {'call':<20} {'agent':<16} {'team':<12} {'date':<16} {'length':>8} {'utt':>4} {'tags':>4}"
    print(f"{head}  verdict")
    for c in calls:
        date = c.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if c.started_at else ""  # stored as UTC
        print(
            f"{c.id:>5}  {c.external_id[:20]:<20} {(c.agent or '')[:16]:<16} {(c.team or '')[:12]:<12} "
            f"{date:<16} {clock(c.duration_ms):>8} {c.utterances:>4} {c.tags:>4}  {_verdict(c)}"
        )
    print(f"{len(calls)} call(s)")


def print_call(call: Call) -> None:
    """A call for reading in a terminal: header, transcript, tags."""
    print(f"call {call.id} ({call.external_id}) agent {call.agent or '-'} team {call.team or '-'}")
    audio = call.audio
    print(f"  {clock(audio.duration_ms, millis=True)}, {audio.channels} ch, {audio.sample_rate} Hz, {audio.layout}")
    for u in call.utterances:
        print(f"  {clock(u.start_ms, millis=True)} {u.party.value:<8} {u.text}")
    for t in call.tags:
        print(f"  [{t.kind}] {t.actor.value} {_span(t)} {t.source.value} {t.note}")


def _verdict(call: CallSummary) -> str:
    label = status_label(call.verdict).lower()
    return f"{label} (stale)" if call.verdict_stale else label
