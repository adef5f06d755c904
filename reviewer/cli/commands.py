"""One function per command; each returns the process exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from reviewer.cli.checks import cmd_check, cmd_check_file, usage_problem
from reviewer.cli.detects import cmd_detect
from reviewer.cli.output import (
    USAGE_ERROR,
    parsed_data,
    print_call,
    print_calls,
    print_json,
    print_parsed,
    print_report,
    report_data,
    summary_data,
)
from reviewer.cli.progress import drive
from reviewer.domain.call import Call
from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import CallNotFoundError, InputError
from reviewer.services.batches import plan_folder, plan_manifest
from reviewer.services.checking import CheckReport, refresh_verdicts
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.exporting import export_call, render
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import call_json, get_call, list_calls, remember_source_swapped, swap_parties
from reviewer.services.parsing import parse_file
from reviewer.text.problems import describe


def _template(args: argparse.Namespace) -> ImportRequest:
    return ImportRequest(
        audio=args.agent_audio or args.audio or args.manifest,
        customer_audio=args.customer_audio,
        transcript=args.transcript,
        external_id=args.call_id,
        agent=args.agent,
        team=args.team,
        layout=ChannelLayout(args.layout) if args.layout else None,
        transcript_format=args.transcript_format,
        transcript_encoding=args.encoding,
        transcript_uri=args.uri,
    )


def _usage_problem(args: argparse.Namespace) -> str | None:
    sources = [args.audio is not None, args.manifest is not None, args.agent_audio is not None]
    if sum(sources) != 1:
        return "give one of: AUDIO (a file or folder), --manifest FILE, or --agent-audio A --customer-audio B"
    if (args.agent_audio is None) != (args.customer_audio is None):
        return "--agent-audio and --customer-audio go together"
    if args.transcript and (args.manifest or (args.audio and args.audio.is_dir())):
        return "--transcript is for a single recording; a folder pairs transcripts by base name"
    return None


def _finish(report: ImportReport, as_json: bool) -> int:
    if as_json:
        print_json(report_data(report))
    else:
        print_report(report)
    return 0 if report.ok else 1


def cmd_import(services: Services, args: argparse.Namespace) -> int:
    """`reviewer import`."""
    problem = _usage_problem(args)
    if problem:
        print(f"reviewer import: {problem}", file=sys.stderr)
        return USAGE_ERROR
    template = _template(args)
    report = ImportReport()
    if args.manifest:
        requests, problems = plan_manifest(args.manifest, template)
    elif args.audio is not None and args.audio.is_dir():
        requests, problems = plan_folder(args.audio, template)
    else:
        requests, problems = [template], []
    report.failed.extend(problems)
    drive(import_calls(services, requests, report, detect=not args.no_detect))
    return _finish(report, args.json)


def cmd_calls(services: Services, args: argparse.Namespace) -> int:
    """`reviewer calls`: verdicts that are missing or stale are checked first."""
    report = CheckReport()
    drive(refresh_verdicts(services, report))
    for line in dict.fromkeys(describe(failure) for failure in report.failed):  # a broken policy: said once
        print(f"warning: verdicts not checked: {line}", file=sys.stderr)
    calls = list_calls(services, agent=args.agent)
    if args.json:
        print_json([summary_data(c) for c in calls])
    else:
        print_calls(calls)
    return 0


def cmd_show(services: Services, args: argparse.Namespace) -> int:
    """`reviewer show CALL` and `reviewer swap CALL`."""
    try:
        call = _swap(services, args) if args.command == "swap" else get_call(services, args.call)
    except CallNotFoundError as error:
        print(f"reviewer {args.command}: no call {error.ref!r} in the library", file=sys.stderr)
        return 1
    if args.json:
        print_json(call_json(call))
    else:
        print_call(call)
    return 0


def _swap(services: Services, args: argparse.Namespace) -> Call:
    if args.always or args.never:
        source = remember_source_swapped(services, args.call, swapped=args.always)
        verb = "will be swapped on import" if args.always else "will no longer be swapped"
        print(f"calls from {source} {verb}", file=sys.stderr)
    if args.never:
        return get_call(services, args.call)
    speakers, channels = not args.channels_only, not args.speakers_only
    return swap_parties(services, args.call, speakers=speakers, channels=channels)


def cmd_parse(args: argparse.Namespace) -> int:
    """`reviewer parse FILE`: needs no library, so it takes no services."""
    try:
        parsed = parse_file(args.file, args.transcript_format, args.encoding, args.uri)
    except InputError as error:
        print(f"error: {describe(error.problem)}", file=sys.stderr)
        return 1
    if args.json:
        print_json(parsed_data(parsed))
    else:
        print_parsed(parsed)
    return 0


def cmd_export(services: Services, args: argparse.Namespace) -> int:
    """`reviewer export CALL --format NAME --out FILE`."""
    try:
        if str(args.out) == "-":
            sys.stdout.write(render(get_call(services, args.call), args.export_format))
            return 0
        written = export_call(services, args.call, args.export_format, args.out)
    except CallNotFoundError as error:
        print(f"reviewer export: no call {error.ref!r} in the library", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"reviewer export: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"wrote {written}", file=sys.stderr)
    return 0


def cmd_demo(services: Services, args: argparse.Namespace) -> int:
    """`reviewer demo`: (re)build the demo calls."""
    report = ImportReport()
    drive(build_demo(services, report))
    return _finish(report, args.json)


# Commands that never open the library (nor migrate it).
OFFLINE_COMMANDS = {"parse": cmd_parse}


def offline_command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int] | None:
    """The command to run without a library, if this is one (`parse`, `check --file`)."""
    if args.command == "check" and (args.file is not None or usage_problem(args)):
        return cmd_check_file  # it also reports a usage error, before any library is opened
    return OFFLINE_COMMANDS.get(args.command)


COMMANDS = {
    "export": cmd_export,
    "import": cmd_import,
    "calls": cmd_calls,
    "show": cmd_show,
    "swap": cmd_show,
    "demo": cmd_demo,
    "check": cmd_check,
    "detect": cmd_detect,
}
