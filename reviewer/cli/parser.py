"""The command-line contract (scripts rely on it: keep it stable). `--db URL` comes before the command."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer import __version__
from reviewer.cli.checks import add_check_parser
from reviewer.cli.detects import add_detect_parser
from reviewer.cli.trends import add_trends_parsers
from reviewer.domain.parties import ChannelLayout
from reviewer.services.exporting import EXPORT_FORMATS

_LAYOUTS = [ChannelLayout.AGENT_LEFT.value, ChannelLayout.AGENT_RIGHT.value, ChannelLayout.MONO.value]


def _import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub = commands.add_parser(
        "import",
        help="import recordings with their transcripts",
        description="Import one recording, every recording in a folder (transcripts paired by base name), "
        "or the rows of a manifest CSV. Each call is stored in its own transaction; a refused file is "
        "reported and the batch goes on. Exit status 1 if anything failed.",
    )
    sub.add_argument("audio", nargs="?", type=Path, help="a recording, or a folder of recordings")
    sub.add_argument("--transcript", type=Path, help="the transcript of a single recording")
    sub.add_argument("--agent-audio", type=Path, help="the agent's mono recording (with --customer-audio)")
    sub.add_argument("--customer-audio", type=Path, help="the customer's mono recording (with --agent-audio)")
    sub.add_argument("--manifest", type=Path, help="CSV: call_id,agent,team,started_at,audio,transcript,layout,...")
    sub.add_argument("--agent", help="agent name for these calls")
    sub.add_argument("--team", help="team of that agent")
    sub.add_argument("--call-id", help="external call id (default: the recording's base name)")
    sub.add_argument(
        "--layout",
        choices=_LAYOUTS,
        help="which channel is the agent (default: agent-left; mono for 1 channel)",
    )
    sub.add_argument("--format", dest="transcript_format", help="transcript format, when detection guesses wrong")
    sub.add_argument("--encoding", help="transcript text encoding, e.g. cp1251 (default: detected)")
    sub.add_argument("--uri", help="which recording of a transcript file that holds several (RTTM)")
    sub.add_argument("--no-detect", action="store_true", help="do not run the suggestion detectors after importing")
    sub.add_argument("--json", action="store_true", help='print {"imported", "skipped", "failed"} as JSON')


def build_parser() -> argparse.ArgumentParser:
    """The whole `reviewer` command line."""
    parser = argparse.ArgumentParser(
        prog="reviewer",
        description="Review recorded contact-centre calls. With no command, the app window opens.",
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: $REVIEWER_DB or the local library)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _import_parser(commands)
    calls = commands.add_parser("calls", help="list the calls in the library")
    calls.add_argument("--agent", help="only this agent's calls")
    calls.add_argument("--json", action="store_true", help="print a JSON list")
    show = commands.add_parser("show", help="show one call: metadata, transcript, tags")
    show.add_argument("call", help="call id or external id")
    show.add_argument("--json", action="store_true", help="print the call document as JSON")
    swap = commands.add_parser(
        "swap",
        help="exchange agent and customer of a call",
        description="Agent and customer came out swapped: exchange them in the transcript and tags and in the "
        "channel layout (both by default).",
    )
    swap.add_argument("call", help="call id or external id")
    only = swap.add_mutually_exclusive_group()
    only.add_argument("--speakers-only", action="store_true", help="only the transcript's parties and the tags")
    only.add_argument("--channels-only", action="store_true", help="only which channel is the agent's")
    lasting = swap.add_mutually_exclusive_group()
    lasting.add_argument(
        "--always", action="store_true", help="also swap every call imported from this call's folder from now on"
    )
    lasting.add_argument("--never", action="store_true", help="stop swapping calls imported from this call's folder")
    swap.add_argument("--json", action="store_true", help="print the call document after the swap")
    parse = commands.add_parser(
        "parse",
        help="read a transcript file and show how it would import (the library is not touched)",
        description="Show the detected format and encoding, the speakers and the party each maps to, the "
        "utterances and the vendor events (interruptions, non-talk time) of a transcript file.",
    )
    parse.add_argument("file", type=Path, help="a transcript or annotation file")
    parse.add_argument("--format", dest="transcript_format", help="the format, when detection guesses wrong")
    parse.add_argument("--encoding", help="text encoding, e.g. cp1251 (default: detected)")
    parse.add_argument("--uri", help="which recording of a file that holds several (RTTM)")
    parse.add_argument("--json", action="store_true", help="print the result as JSON")
    export = commands.add_parser(
        "export",
        help="write a call (transcript and tags) for another tool",
        description="Export one call: WebVTT or SRT (speech and tags as cues), ELAN EAF or Praat TextGrid (a tier "
        "per party for speech, one per party and tag kind for tags), CSV, or the call document JSON.",
    )
    export.add_argument("call", help="call id or external id")
    export.add_argument("--format", dest="export_format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("--out", type=Path, required=True, help="the file to write ('-' for standard output)")
    demo = commands.add_parser("demo", help="build (or rebuild) the demo library")
    demo.add_argument("--open", action="store_true", help="open the app on the demo library afterwards")
    demo.add_argument("--json", action="store_true", help="print the import report as JSON")
    add_check_parser(commands)
    add_detect_parser(commands)
    add_trends_parsers(commands)
    _gui_parser(commands)
    return parser


def window_size(text: str) -> tuple[int, int]:
    """'1280x800' as (1280, 800)."""
    width, sep, height = text.lower().partition("x")
    fits = sep and width.isdigit() and height.isdigit() and 320 <= int(width) <= 8000 and 240 <= int(height) <= 8000
    if not fits:
        raise argparse.ArgumentTypeError(f"{text!r} is not a window size such as 1280x800")
    return int(width), int(height)


def _gui_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gui = commands.add_parser(
        "gui",
        help="open the app window (the default with no command)",
        description="Open the app window, optionally on one call. With --screenshot, save a PNG of the window "
        "once the call is loaded and drawn, then exit (for documentation and bug reports).",
    )
    gui.add_argument("--call", help="open this call (id or external id)")
    gui.add_argument("--screenshot", type=Path, metavar="FILE.png", help="save a screenshot and exit")
    gui.add_argument("--tab", choices=["calls", "trends"], help="open on this tab of the main window")
    gui.add_argument("--size", type=window_size, default=(1280, 800), metavar="WxH", help="window size (1280x800)")
