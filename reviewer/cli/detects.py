"""`reviewer detect`: run the suggestion detectors over library calls, store and print what they found."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from reviewer.cli.output import USAGE_ERROR, print_json
from reviewer.cli.progress import drive
from reviewer.domain.problems import CallNotFoundError
from reviewer.services.context import Services
from reviewer.services.detecting import DetectedCall, DetectReport, detect_calls, detector_rates
from reviewer.services.library import chosen_ids
from reviewer.text.problems import describe
from reviewer.text.suggestions import detection_data, detection_lines, rate_line, suggestion_data, suggestion_line


def add_detect_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `detect` command's arguments."""
    detect = commands.add_parser(
        "detect",
        help="propose tags: interruptions, silences, raised voices, abuse, warnings, who hung up",
        description="Run the detectors over library calls and store their suggestions for review (a finding a tag "
        "already covers, or one a supervisor already decided, is not proposed again). --json prints "
        '{"suggestions": [...], "thresholds": {...}, "calls": [...]}. --rates prints how often supervisors '
        "accepted each detector's suggestions.",
    )
    detect.add_argument("calls", nargs="*", metavar="CALL", help="call ids or external ids")
    detect.add_argument("--all", action="store_true", help="every call in the library")
    detect.add_argument("--rates", action="store_true", help="print each detector's acceptance rate and stop")
    detect.add_argument("--json", action="store_true", help="print the suggestions as JSON")


def _usage_problem(args: argparse.Namespace) -> str | None:
    if args.rates:
        return "give --rates alone" if args.calls or args.all else None
    if bool(args.calls) == args.all:
        return "give CALL... or --all"
    return None


def cmd_detect(services: Services, args: argparse.Namespace) -> int:
    """`reviewer detect CALL... | --all | --rates`."""
    problem = _usage_problem(args)
    if problem:
        print(f"reviewer detect: {problem}", file=sys.stderr)
        return USAGE_ERROR
    if args.rates:
        return _print_rates(services, args.json)
    try:
        ids = chosen_ids(services, args.calls, every=args.all)
    except CallNotFoundError as error:
        print(f"reviewer detect: no call {error.ref!r} in the library", file=sys.stderr)
        return 1
    report = DetectReport()
    drive(detect_calls(services, ids, report))
    if args.json:
        print_json(_data(report))
    else:
        for detected in report.detected:
            _print_call(detected)
    for failure in report.failed:
        print(f"error: {describe(failure)}", file=sys.stderr)
    return 1 if report.failed else 0


def _data(report: DetectReport) -> dict[str, Any]:
    suggestions = [
        {"call": d.external_id} | suggestion_data(s, state)
        for d in report.detected
        for s, state in zip(d.detection.suggestions, d.states, strict=True)
    ]
    thresholds = report.detected[0].detection.thresholds if report.detected else {}
    calls = [{"call": d.external_id, "id": d.call_id} | detection_data(d.detection) for d in report.detected]
    return {"suggestions": suggestions, "thresholds": thresholds, "calls": calls}


def _print_call(detected: DetectedCall) -> None:
    found = detected.detection.suggestions
    new = sum(1 for state in detected.states if state == "pending")
    print(f"{detected.external_id}: {len(found)} found, {new} open for review")
    for suggestion, state in zip(found, detected.states, strict=True):
        marker = "" if state == "pending" else f"  [{state}]"
        print(f"  {suggestion_line(suggestion)}{marker}")
    for line in detection_lines(detected.detection):
        print(f"  {line}")


def _print_rates(services: Services, as_json: bool) -> int:
    rates = detector_rates(services)
    if as_json:
        print_json([asdict(r) | {"precision": r.precision} for r in rates])
        return 0
    if not rates:
        print("no suggestions yet: run `reviewer detect --all`")
    for rate in rates:
        print(rate_line(rate))
    return 0
