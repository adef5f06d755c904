"""Shared fixtures: an isolated data/cache directory, and a database on SQLite and (when running) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import: GUI tests run real widgets without a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reviewer.app.main import open_services
from reviewer.persistence.database import sqlite_url
from reviewer.services.context import Services
from tests.testkit import write_wav

PG_URL_VAR = "REVIEWER_TEST_PG_URL"  # set by the test command, which starts a throwaway server
REQUIRE_PG_VAR = "REVIEWER_REQUIRE_PG"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real library or caches."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("REVIEWER_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("REVIEWER_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("REVIEWER_DB", raising=False)


def _postgres_admin_url() -> str | None:
    url = os.environ.get(PG_URL_VAR)
    if not url and os.environ.get(REQUIRE_PG_VAR) == "1":
        pytest.fail(f"{REQUIRE_PG_VAR}=1 but {PG_URL_VAR} is not set: the test command should have started PostgreSQL")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = _postgres_admin_url()
    if not admin:
        pytest.skip(f"no PostgreSQL server: {PG_URL_VAR} is not set (the README test command starts one)")
    import psycopg  # noqa: PLC0415 - only PostgreSQL tests need the driver

    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once per backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "library.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def services(db_url: str) -> Iterator[Services]:
    """Migrated services on an empty database of each backend."""
    opened = open_services(db_url)
    yield opened
    opened.database.dispose()


@pytest.fixture
def sqlite_services(tmp_path: Path) -> Iterator[Services]:
    """Migrated services on SQLite only, for tests about files rather than databases."""
    opened = open_services(sqlite_url(tmp_path / "library.sqlite3"))
    yield opened
    opened.database.dispose()


@pytest.fixture
def stereo_call(tmp_path: Path) -> Path:
    """A 4-second two-channel 8 kHz recording in its own folder."""
    folder = tmp_path / "calls"
    folder.mkdir()
    return write_wav(folder / "call-001.wav")
