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
