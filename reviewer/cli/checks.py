"""`reviewer check`: verdicts on library calls (stored) or on a call document file (no library at all)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reviewer.cli.output import USAGE_ERROR, print_json
from reviewer.cli.progress import drive
from reviewer.domain.problems import CallNotFoundError, InputError
from reviewer.domain.verdict import Verdict
from reviewer.services.checking import CheckedCall, CheckReport, check_calls, check_document
from reviewer.services.context import Services
from reviewer.services.library import chosen_ids
from reviewer.services.policies import DEFAULT_POLICY, policies_dir, read_policy
from reviewer.text.problems import describe
from reviewer.text.verdicts import verdict_data, verdict_lines


def add_check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `check` command's arguments."""
    check = commands.add_parser(
        "check",
        help="check calls against the conduct policy and explain the verdicts",
        description="Check library calls against their team's policy (or --policy FILE) and store the verdicts, "
        "or check a call document (--file DOC.json: duration_ms and tags) without any library. Prints every step "
        "of the check; --json prints one object per call (a list for library calls).",
    )
    check.add_argument("calls", nargs="*", metavar="CALL", help="call ids or external ids")
    check.add_argument("--all", action="store_true", help="every call in the library")
    check.add_argument("--file", type=Path, metavar="DOC.json", help="a call document to check (no library)")
    check.add_argument("--policy", type=Path, metavar="FILE", help="a policy file (default: the team's policy)")
    check.add_argument("--json", action="store_true", help="print the verdicts as JSON")


def usage_problem(args: argparse.Namespace) -> str | None:
    """Exactly one of CALL..., --all and --file."""
    if sum([bool(args.calls), args.all, args.file is not None]) != 1:
        return "give CALL..., --all, or --file DOC.json"
    return None


def cmd_check_file(args: argparse.Namespace) -> int:
    """`reviewer check --file DOC.json`: needs no library."""
    problem = usage_problem(args)
    if problem:
        print(f"reviewer check: {problem}", file=sys.stderr)
        return USAGE_ERROR
    try:
        verdict = check_document(args.file, args.policy or policies_dir() / DEFAULT_POLICY)
    except InputError as error:
        print(f"error: {describe(error.problem)}", file=sys.stderr)
        return 1
    if args.json:
        print_json(verdict_data(verdict))
    else:
        _print_verdict(str(args.file), verdict)
    return 0


def cmd_check(services: Services, args: argparse.Namespace) -> int:
    """`reviewer check CALL... | --all`: check, store, explain."""
    problem = usage_problem(args)
    if problem:
        print(f"reviewer check: {problem}", file=sys.stderr)
        return USAGE_ERROR
    try:
        policy = read_policy(args.policy) if args.policy else None
        ids = chosen_ids(services, args.calls, every=args.all)
    except InputError as error:
        print(f"error: {describe(error.problem)}", file=sys.stderr)
        return 1
    except CallNotFoundError as error:
        print(f"reviewer check: no call {error.ref!r} in the library", file=sys.stderr)
        return 1
    report = CheckReport()
    drive(check_calls(services, ids, report, policy))
    if args.json:
        print_json([_call_data(c) for c in report.checked])
    else:
        for checked in report.checked:
            _print_verdict(checked.external_id, checked.verdict)
    for failure in report.failed:
        print(f"error: {describe(failure)}", file=sys.stderr)
    return 1 if report.failed else 0


def _call_data(checked: CheckedCall) -> dict[str, Any]:
    return {"call": checked.external_id, "id": checked.call_id} | verdict_data(checked.verdict)


def _print_verdict(name: str, verdict: Verdict) -> None:
    lines = verdict_lines(verdict)
    print(f"{name}: {lines[0]}")
    for line in lines[1:]:
        print(f"  {line}")
