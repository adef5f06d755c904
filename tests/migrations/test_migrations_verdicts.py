"""Revision 0002 (verdicts) upgrades a library made at 0001 without losing anything, and downgrades again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import alembic_config, current_revision, head_revision, migrate

SHA = "ab" * 32


@pytest.fixture
def at_0001(tmp_path: Path) -> Iterator[Database]:
    """An SQLite library at revision 0001 holding one call with an utterance and a tag."""
    database = Database(sqlite_url(tmp_path / "lib.sqlite3"))
    command.upgrade(alembic_config(database), "0001")
    assert current_revision(database) == "0001"
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO teams (id, name) VALUES (1, 'North')"))
        connection.execute(text("INSERT INTO agents (id, name, team_id) VALUES (1, 'Olga', 1)"))
        connection.execute(
            text(
                "INSERT INTO calls (id, external_id, agent_id, duration_ms, sample_rate, channels, layout, audio_path,"
                " audio_sha256, review_status, summary, parties_swapped, imported_at)"
                " VALUES (7, 'demo-01', 1, 44700, 8000, 2, 'agent-left', '/calls/demo-01.mp3', :sha, 'done',"
                " 'warned twice', 0, '2026-09-08 07:12:00.000000')"
            ),
            {"sha": SHA},
        )
        connection.execute(
            text(
                "INSERT INTO utterances (call_id, seq, party, speaker, start_ms, end_ms, text, words)"
                " VALUES (7, 0, 'agent', 'Olga', 500, 1800, 'Здравствуйте', '[]')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO tags (call_id, kind, actor, start_ms, end_ms, note, author, source, created_at,"
                " updated_at) VALUES (7, 'profanity', 'customer', 14223, 16838, '', 'anna', 'manual',"
                " '2026-09-08 07:20:00.000000', '2026-09-08 07:20:00.000000')"
            )
        )
    yield database
    database.dispose()


def _counts(database: Database) -> tuple[int, int, int]:
    with database.engine.connect() as connection:
        return (
            connection.execute(text("SELECT count(*) FROM calls")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM utterances")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM tags")).scalar_one(),
        )


def test_upgrade_from_0001_keeps_the_call_and_starts_it_at_revision_0(at_0001: Database) -> None:
    assert "verdicts" not in inspect(at_0001.engine).get_table_names()
    result = migrate(at_0001)
    assert (result.before, result.after) == ("0001", head_revision(at_0001))
    assert result.after != "0001"
    assert result.backup is not None and result.backup.is_file()

    assert _counts(at_0001) == (1, 1, 1)
    with at_0001.engine.connect() as connection:
        call = connection.execute(
            text("SELECT id, external_id, agent_id, review_status, summary, tags_revision FROM calls")
        ).one()
        verdicts = connection.execute(text("SELECT count(*) FROM verdicts")).scalar_one()
        tag = connection.execute(text("SELECT call_id, kind, actor FROM tags")).one()
    assert tuple(call) == (7, "demo-01", 1, "done", "warned twice", 0)
    assert tuple(tag) == (7, "profanity", "customer")
    assert verdicts == 0

    tables = inspect(at_0001.engine)
    columns = {c["name"]: c for c in tables.get_columns("verdicts")}
    assert {"call_id", "status", "policy_name", "policy_version", "policy_sha256", "tags_revision", "checked_at",
            "data"} == set(columns)  # fmt: skip
    assert [fk["referred_table"] for fk in tables.get_foreign_keys("verdicts")] == ["calls"]
    assert tables.get_foreign_keys("verdicts")[0]["options"].get("ondelete") == "CASCADE"
    assert "ix_verdicts_status" in {i["name"] for i in tables.get_indexes("verdicts")}
    revision = {c["name"]: c for c in tables.get_columns("calls")}["tags_revision"]
    assert revision["nullable"] is False


def test_a_call_added_after_the_upgrade_starts_at_revision_0(at_0001: Database) -> None:
    migrate(at_0001)
    with at_0001.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO calls (external_id, duration_ms, sample_rate, channels, layout, audio_path,"
                " audio_sha256, review_status, summary, parties_swapped, imported_at)"
                " VALUES ('new', 1000, 8000, 2, 'agent-left', '/calls/new.wav', :sha, 'todo', '', 0,"
                " '2026-11-23 00:00:00.000000')"
            ),
            {"sha": "cd" * 32},
        )
        revisions = connection.execute(text("SELECT tags_revision FROM calls ORDER BY id")).scalars().all()
    assert revisions == [0, 0]


def test_downgrade_to_0001_drops_the_verdicts_and_keeps_the_calls(at_0001: Database) -> None:
    migrate(at_0001)
    with at_0001.engine.begin() as connection:
        connection.execute(text("UPDATE calls SET tags_revision = 3"))
        connection.execute(
            text(
                "INSERT INTO verdicts (call_id, status, policy_name, policy_version, policy_sha256, tags_revision,"
                " checked_at, data) VALUES (7, 'violation', 'Default conduct policy', '1.0', :sha, 3,"
                " '2026-11-23 00:00:00.000000', '{}')"
            ),
            {"sha": "ef" * 32},
        )

    command.downgrade(alembic_config(at_0001), "0001")

    assert current_revision(at_0001) == "0001"
    tables = inspect(at_0001.engine)
    assert "verdicts" not in tables.get_table_names()
    assert "tags_revision" not in {c["name"] for c in tables.get_columns("calls")}
    assert _counts(at_0001) == (1, 1, 1)
    with at_0001.engine.connect() as connection:
        call = connection.execute(text("SELECT id, external_id, audio_sha256, summary FROM calls")).one()
    assert tuple(call) == (7, "demo-01", SHA, "warned twice")

    again = migrate(at_0001)  # and up again: the column comes back at 0
    assert (again.before, again.after) == ("0001", head_revision(at_0001))
    with at_0001.engine.connect() as connection:
        assert connection.execute(text("SELECT tags_revision FROM calls")).scalar_one() == 0
        assert connection.execute(text("SELECT count(*) FROM verdicts")).scalar_one() == 0
    assert _counts(at_0001) == (1, 1, 1)
