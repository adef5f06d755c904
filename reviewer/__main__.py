"""`python -m reviewer` and the `reviewer` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line, or the GUI when no command is given."""
    from reviewer.app.main import run  # noqa: PLC0415 - keeps `reviewer --help` fast

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
