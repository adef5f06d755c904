"""Start-up order: parse arguments, open the database, migrate it, then run a command or the window."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import traceback
from collections.abc import Callable, Generator
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from reviewer.app.paths import cache_dir, config_dir, demo_url, library_url
from reviewer.audio.peaks import PeaksCache
from reviewer.audio.playback import PlaybackCache
from reviewer.bundled import bundled_dir
from reviewer.cli.commands import COMMANDS, offline_command
from reviewer.cli.parser import build_parser
from reviewer.cli.trends import Drawing, cmd_report, cmd_trends
from reviewer.domain.problems import StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.trends import Period, TrendSeries
from reviewer.persistence.database import Database
from reviewer.persistence.migrations import migrate
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport
from reviewer.services.preferences import PreferencesStore

# Exit statuses: 0 done, 1 some inputs refused (or the call asked for does not exist), 2 usage,
# 3 the database could not be opened or migrated, 4 no display for the window,
# 70 an internal error (a bug: the traceback is printed).
EXIT_DATABASE = 3
EXIT_ENVIRONMENT = 4  # no display for the window
EXIT_INTERNAL = 70


def open_services(url: str) -> Services:
    """Connect, migrate (backing up an SQLite file first) and wire the use cases."""
    database = Database(url)
    migrate(database)
    return Services(
        database=database,
        peaks=PeaksCache(cache_dir() / "peaks"),
        playback=PlaybackCache(cache_dir() / "playback"),
        demo_dir=bundled_dir("resources") / "demo",
        preferences=PreferencesStore(config_dir() / "preferences.json"),
        author=getpass.getuser(),
    )


def _database_url(args: argparse.Namespace) -> str:
    return demo_url(args.db) if args.command == "demo" else library_url(args.db)


def _open(url: str) -> Services | None:
    try:
        return open_services(url)
    except ArgumentError:
        print(f"reviewer: {url!r} is not a database URL (e.g. postgresql+psycopg://user@host/db)", file=sys.stderr)
    except (SQLAlchemyError, StorageError, CommandError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"reviewer: cannot open the database {_shown(url)}: {reason}", file=sys.stderr)
    return None


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _display_problem() -> str | None:
    """Why no window can open here, before Qt aborts with a platform-plugin error."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "reviewer: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset). "
        "Run it in a desktop session, or headless with: xvfb-run -a reviewer"
    )


def _demo_opener(explicit: str | None) -> Callable[[], Generator[Progress, None, Services]]:
    def build() -> Generator[Progress, None, Services]:
        services = open_services(demo_url(explicit))
        report = ImportReport()
        yield from build_demo(services, report)
        return services

    return build


def _run_window(services: Services, args: argparse.Namespace) -> int:
    problem = _display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_ENVIRONMENT
    from reviewer.ui.application import GuiOptions, run_gui  # noqa: PLC0415 - Qt loads only when a window is wanted

    options = GuiOptions()
    if args.command == "gui":
        options = GuiOptions(call=args.call, screenshot=args.screenshot, size=args.size, tab=args.tab)
    return run_gui(services, options, _demo_opener(None))


def _drawing() -> Drawing:
    """Charts and PDFs come from ui/ (matplotlib, Qt), loaded only by the commands that draw."""

    def chart(line: TrendSeries, path: Path) -> None:
        from reviewer.ui.trend_charts import save_series  # noqa: PLC0415 - matplotlib loads only to draw

        save_series(line, path)

    def report(services: Services, agent: str, period: Period, path: Path) -> Path:
        from reviewer.ui.report_render import write_report  # noqa: PLC0415 - Qt loads only to print

        return write_report(services, agent, period, path)

    return Drawing(chart, report)


DRAWING_COMMANDS = {"trends": cmd_trends, "report": cmd_report}


def _command(services: Services, args: argparse.Namespace) -> int:
    """Run the command (or the window) on an open library."""
    if args.command in (None, "gui"):
        return _run_window(services, args)
    if args.command in DRAWING_COMMANDS:
        return DRAWING_COMMANDS[args.command](services, args, _drawing())
    status = COMMANDS[args.command](services, args)
    if args.command == "demo" and args.open and status == 0:
        status = _run_window(services, args)
    return status


def run(argv: list[str]) -> int:
    """The whole program; returns the exit status."""
    args = build_parser().parse_args(argv)
    offline = offline_command(args)
    if offline is not None:
        return offline(args)
    services = _open(_database_url(args))
    if services is None:
        return EXIT_DATABASE
    try:
        return _command(services, args)
    except BrokenPipeError:  # `reviewer trends --json | head`: the reader left; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the interpreter flushes stdout at exit
        return 0
    except StorageError as error:
        print(f"reviewer: the database failed: {error.detail}", file=sys.stderr)
        return EXIT_DATABASE
    except Exception:  # the last line of defence: report with the traceback, never crash silently
        traceback.print_exc()
        print("reviewer: internal error (a bug); the message above helps us fix it", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        services.database.dispose()
