"""Apply the Alembic revisions of db/ from code, backing up an SQLite file first."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from reviewer.bundled import bundled_dir
from reviewer.persistence.database import Database

# Any fixed 64-bit number works; this one spells "reviewr" in ASCII so it is recognisable in pg_locks.
_MIGRATION_LOCK = 0x72657669657772


def alembic_config(database: Database, scripts: Path | None = None) -> Config:
    """An Alembic Config pointing at db/ (or another script directory) and at this database."""
    config = Config()
    config.set_main_option("script_location", str(scripts or bundled_dir("db")))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What start-up migration did."""

    before: str | None
    after: str | None
    backup: Path | None


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(database: Database, scripts: Path | None = None) -> str | None:
    """The newest revision in db/versions."""
    return ScriptDirectory.from_config(alembic_config(database, scripts)).get_current_head()


def backup_sqlite(file: Path, revision: str) -> Path:
    """Copy an SQLite file (WAL included, via SQLite's online backup) next to itself; returns the copy."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = file.with_name(f"{file.name}.{revision}.{stamp}.bak")
    with sqlite3.connect(file) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def migrate(database: Database, scripts: Path | None = None) -> MigrationResult:
    """Bring the schema to head; fresh and existing databases take the same path (upgrade head).

    On PostgreSQL several supervisors may start at once on an empty team database: a transaction-level advisory
    lock makes the others wait, and they re-read the revision inside the lock and find nothing left to do.
    """
    head = head_revision(database, scripts)
    backup = None
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        before = MigrationContext.configure(connection).get_current_revision()
        if before != head:
            if before is not None and database.file is not None:
                backup = backup_sqlite(database.file, before)
            config = alembic_config(database, scripts)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    return MigrationResult(before, current_revision(database), backup)
