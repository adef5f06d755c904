"""Where the top-level folders shipped with the app live: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """resources/ or db/: `reviewer/_<name>` in an installed wheel, `<checkout>/<name>` in the source tree."""
    for candidate in (_PACKAGE / f"_{name}", _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{name}/ is missing from this installation (looked in {_PACKAGE})")
