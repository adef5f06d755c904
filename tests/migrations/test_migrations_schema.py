"""The Alembic revisions and the SQLAlchemy models describe the same schema, on both backends."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from reviewer.bundled import bundled_dir
from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import alembic_config, current_revision, head_revision, migrate
from reviewer.persistence.tables import Base


def test_models_and_migrations_agree(db_url: str) -> None:
    database = Database(db_url)
    result = migrate(database)
    assert result.before is None
    assert result.after == head_revision(database)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    database.dispose()


def test_revisions_form_one_chain() -> None:
    scripts = ScriptDirectory(str(bundled_dir("db")))
    assert len(scripts.get_heads()) == 1
    assert len(scripts.get_bases()) == 1
    revisions = list(scripts.walk_revisions())
    assert all(len(r._normalized_down_revisions) <= 1 for r in revisions)


def test_second_start_does_not_migrate_again(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "lib.sqlite3"))
    migrate(database)
    again = migrate(database)
    assert again.before == again.after == head_revision(database)
    assert again.backup is None


def test_sqlite_pragmas_are_on(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "lib.sqlite3"))
    migrate(database)
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


_EXTRA_REVISION = '''"""test-only: add a column"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("colour")
'''


def test_existing_sqlite_file_is_backed_up_before_migrating_and_keeps_its_data(tmp_path: Path) -> None:
    file = tmp_path / "lib.sqlite3"
    database = Database(sqlite_url(file))
    migrate(database)
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO teams (name) VALUES ('North')"))
    old_head = current_revision(database)
    scripts = tmp_path / "db"
    shutil.copytree(bundled_dir("db"), scripts)
    (scripts / "versions" / "9999_extra.py").write_text(_EXTRA_REVISION.format(head=old_head))

    result = migrate(database, scripts)

    assert (result.before, result.after) == (old_head, "9999")
    assert result.backup is not None and result.backup.is_file()
    with sqlite3.connect(result.backup) as copy:
        assert copy.execute("SELECT name FROM teams").fetchall() == [("North",)]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
    columns = {c["name"] for c in inspect(database.engine).get_columns("teams")}
    assert "colour" in columns
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM teams")).scalar() == "North"
    assert alembic_config(database, scripts).get_main_option("script_location") == str(scripts)
    database.dispose()
