"""Start-up order: parse arguments, open the database, migrate it, then run a command or the window."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.exc import OperationalError

from reviewer.app.paths import cache_dir, demo_url, library_url
from reviewer.audio.peaks import PeaksCache
from reviewer.bundled import bundled_dir
from reviewer.cli.commands import COMMANDS
from reviewer.cli.parser import build_parser
from reviewer.persistence.database import Database
from reviewer.persistence.migrations import migrate
from reviewer.services.context import Services


def open_services(url: str) -> Services:
    """Connect, migrate (backing up an SQLite file first) and wire the use cases."""
    database = Database(url)
    migrate(database)
    return Services(
        database=database,
        peaks=PeaksCache(cache_dir() / "peaks"),
        demo_dir=bundled_dir("resources") / "demo",
        author=getpass.getuser(),
    )


def _database_url(args: argparse.Namespace) -> str:
    return demo_url(args.db) if args.command == "demo" else library_url(args.db)


def run(argv: list[str]) -> int:
    """The whole program; returns the exit status."""
    args = build_parser().parse_args(argv)
    url = _database_url(args)
    try:
        services = open_services(url)
    except OperationalError as error:
        shown = Database(url).redacted_url()
        print(f"reviewer: cannot open the database {shown}: {error.orig}", file=sys.stderr)
        return 2
    try:
        status = 0 if args.command is None else COMMANDS[args.command](services, args)
        if args.command is None or (args.command == "demo" and args.open and status == 0):
            from reviewer.ui.application import run_gui  # noqa: PLC0415 - Qt loads only when a window is wanted

            status = run_gui(services)
        return status
    finally:
        services.database.dispose()
