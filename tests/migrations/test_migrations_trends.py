"""Revision 0004 (trends) gives the calls already stored their talk time, starts the facts empty (a refresh checks
those calls again and fills them), and downgrades again without losing a call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from reviewer.app.main import open_services
from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import alembic_config, current_revision, migrate
from reviewer.services.checking import CheckReport
from reviewer.services.trends import refresh_facts

CALL = (
    "INSERT INTO calls (id, external_id, agent_id, started_at, duration_ms, sample_rate, channels, layout, audio_path,"
    " audio_sha256, review_status, summary, parties_swapped, imported_at, tags_revision)"
    " VALUES (:id, :ext, 1, '2026-11-10 09:00:00.000000', :duration, 8000, 2, 'agent-left', '/calls/x.wav', :sha,"
    " 'done', '', 0, '2026-11-10 10:00:00.000000', 0)"
)
SPEECH = (
    "INSERT INTO utterances (call_id, seq, party, speaker, start_ms, end_ms, text, words)"
    " VALUES (7, :seq, :party, 's', :start, :end, 'x', '[]')"
)


@pytest.fixture
def at_0003(tmp_path: Path) -> Iterator[Database]:
    """A library at 0003: a call with overlapping speech and a profanity, and a call without a transcript."""
    database = Database(sqlite_url(tmp_path / "lib.sqlite3"))
    command.upgrade(alembic_config(database), "0003")
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO agents (id, name) VALUES (1, 'Olga')"))
        connection.execute(text(CALL), {"id": 7, "ext": "c7", "duration": 60_000, "sha": "a" * 64})
        connection.execute(text(CALL), {"id": 8, "ext": "c8", "duration": 45_000, "sha": "b" * 64})
        for seq, (party, start, end) in enumerate(
            [("agent", 0, 10_000), ("customer", 8_000, 12_000), ("agent", 20_000, 25_000)]
        ):
            connection.execute(text(SPEECH), {"seq": seq, "party": party, "start": start, "end": end})
        connection.execute(
            text(
                "INSERT INTO tags (call_id, kind, actor, start_ms, end_ms, note, author, source, created_at,"
                " updated_at) VALUES (7, 'profanity', 'customer', 9000, 9500, '', 'anna', 'manual',"
                " '2026-11-10 10:00:00.000000', '2026-11-10 10:00:00.000000')"
            )
        )
    yield database
    database.dispose()


def test_upgrade_fills_talk_time_and_a_refresh_fills_the_facts(at_0003: Database) -> None:
    migrate(at_0003)
    with at_0003.engine.connect() as connection:
        talk = {row[0]: row[1] for row in connection.execute(text("SELECT id, talk_ms FROM calls")).all()}
        facts = connection.execute(text("SELECT count(*) FROM call_facts")).scalar_one()
    assert talk == {7: 17_000, 8: 45_000}  # the union of the speech; the whole recording without a transcript
    assert facts == 0
    services = open_services(at_0003.url)
    report = CheckReport()
    list(refresh_facts(services, report))
    services.database.dispose()
    assert not report.failed and {c.external_id for c in report.checked} == {"c7", "c8"}
    with at_0003.engine.connect() as connection:
        rows = connection.execute(text("SELECT call_id, week, talk_ms, customer_abuse, reviewed FROM call_facts")).all()
    assert sorted(tuple(r) for r in rows) == [(7, 202646, 17_000, 1, True), (8, 202646, 45_000, 0, True)]


def test_downgrade_drops_the_facts_and_keeps_the_calls(at_0003: Database) -> None:
    migrate(at_0003)
    command.downgrade(alembic_config(at_0003), "0003")
    assert current_revision(at_0003) == "0003"
    tables = inspect(at_0003.engine)
    assert not {"call_facts", "call_fact_kinds", "call_fact_findings"} & set(tables.get_table_names())
    assert "talk_ms" not in {c["name"] for c in tables.get_columns("calls")}
    with at_0003.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM calls")).scalar_one() == 2


# Revision 0005 (trend indexes): what the trend queries read of the facts is in their indexes.
COVERED = [
    "reviewed",
    "talk_ms",
    "status",
    "ending",
    "agent_interruption",
    "agent_rudeness",
    "banned_phrase",
    "customer_abuse",
    "hangup_after_interruption",
    "day",
]
COVERING = {
    ("call_facts", "ix_call_facts_agent_week"): ["agent_id", "week", *COVERED],
    ("call_facts", "ix_call_facts_agent_month"): ["agent_id", "month", *COVERED],
    ("call_fact_kinds", "ix_call_fact_kinds_kind"): ["kind", "actor", "call_id", "n"],
    ("call_fact_findings", "ix_call_fact_findings_call"): ["call_id", "rule", "n"],
}
NARROW = {
    ("call_facts", "ix_call_facts_agent_week"): ["agent_id", "week"],
    ("call_facts", "ix_call_facts_agent_month"): ["agent_id", "month"],
    ("call_fact_kinds", "ix_call_fact_kinds_kind"): ["kind", "actor"],
    ("call_fact_findings", "ix_call_fact_findings_call"): None,
}


def _indexes(database: Database) -> dict[tuple[str, str], list[str | None] | None]:
    tables = inspect(database.engine)
    found = {
        (table, index["name"]): list(index["column_names"])
        for table in ("call_facts", "call_fact_kinds", "call_fact_findings")
        for index in tables.get_indexes(table)
        if index["name"]
    }
    return {key: found.get(key) for key in COVERING}


def _downgrade(database: Database, revision: str) -> None:
    """On the database's own connection (Alembic's env would open an engine of its own and leave it open)."""
    with database.engine.begin() as connection:
        config = alembic_config(database)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _fact_counts(database: Database) -> tuple[int, ...]:
    with database.engine.connect() as connection:
        return tuple(
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - our table names
            for table in ("call_facts", "call_fact_kinds", "call_fact_findings")
        )


def test_trend_indexes_cover_the_trend_queries_and_downgrade_to_the_narrow_ones(db_url: str) -> None:
    database = Database(db_url)
    migrate(database)
    assert _indexes(database) == COVERING
    _downgrade(database, "0004")
    assert current_revision(database) == "0004"
    assert _indexes(database) == NARROW
    migrate(database)
    assert _indexes(database) == COVERING
    database.dispose()


def test_trend_indexes_keep_the_facts_both_ways(at_0003: Database) -> None:
    with at_0003.engine.begin() as connection:  # the agent hangs up on c8: findings too
        connection.execute(
            text(
                "INSERT INTO tags (call_id, kind, actor, start_ms, end_ms, note, author, source, created_at,"
                " updated_at) VALUES (8, 'hang_up', 'agent', 40000, 40000, '', 'anna', 'manual',"
                " '2026-11-10 10:00:00.000000', '2026-11-10 10:00:00.000000')"
            )
        )
    migrate(at_0003)
    services = open_services(at_0003.url)
    list(refresh_facts(services, CheckReport()))
    services.database.dispose()
    filled = _fact_counts(at_0003)
    assert filled[0] == 2 and filled[1] > 0 and filled[2] > 0
    _downgrade(at_0003, "0004")
    assert _fact_counts(at_0003) == filled
    migrate(at_0003)
    assert _fact_counts(at_0003) == filled
