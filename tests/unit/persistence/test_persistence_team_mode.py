"""Team mode: several supervisors on one PostgreSQL database at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from reviewer.persistence.database import Database
from reviewer.persistence.migrations import head_revision, migrate
from reviewer.persistence.people import agent_row


def _in_threads(*work: Callable[[], object]) -> list[object]:
    results: list[object] = [None] * len(work)

    def run(i: int) -> None:
        try:
            results[i] = work[i]()
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_first_starts_on_an_empty_database_both_succeed(postgres_url: str) -> None:
    databases = [Database(postgres_url) for _ in range(3)]
    barrier = threading.Barrier(3)

    def start(database: Database) -> Callable[[], object]:
        def go() -> object:
            barrier.wait()
            return migrate(database).after

        return go

    results = _in_threads(*(start(d) for d in databases))
    assert results == [head_revision(databases[0])] * 3
    for database in databases:
        database.dispose()


def test_a_new_agent_created_by_two_imports_at_once_is_one_agent(postgres_url: str) -> None:
    database = Database(postgres_url)
    migrate(database)
    first_inserted = threading.Event()

    def first() -> object:
        with database.session() as session:
            row = agent_row(session, "New Guy", "North")
            first_inserted.set()
            time.sleep(0.5)  # the other import now waits on our uncommitted row
            return row.id

    def second() -> object:
        first_inserted.wait(10)
        with database.session() as session:
            return agent_row(session, "New Guy", None).id

    ids = _in_threads(first, second)
    assert ids[0] == ids[1] and isinstance(ids[0], int)
    database.dispose()
