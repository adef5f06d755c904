"""Where the app keeps its library, caches and bundled resources (overridable by environment for tests)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from reviewer.persistence.database import sqlite_url

APP_NAME = "call-reviewer"


def data_dir() -> Path:
    """The platform data directory ($REVIEWER_DATA_DIR wins)."""
    return Path(os.environ.get("REVIEWER_DATA_DIR") or platformdirs.user_data_path(APP_NAME))


def cache_dir() -> Path:
    """The platform cache directory ($REVIEWER_CACHE_DIR wins)."""
    return Path(os.environ.get("REVIEWER_CACHE_DIR") or platformdirs.user_cache_path(APP_NAME))


def config_dir() -> Path:
    """The platform config directory ($REVIEWER_CONFIG_DIR wins)."""
    return Path(os.environ.get("REVIEWER_CONFIG_DIR") or platformdirs.user_config_path(APP_NAME))


def library_url(explicit: str | None) -> str:
    """--db URL, else $REVIEWER_DB, else the embedded SQLite library in the data directory."""
    return explicit or os.environ.get("REVIEWER_DB") or sqlite_url(data_dir() / "library.sqlite3")


def demo_url(explicit: str | None) -> str:
    """The demo library: --db URL if given, else its own SQLite file (never the user's own library)."""
    return explicit or sqlite_url(data_dir() / "demo.sqlite3")
