"""The call repository round-trips whole calls and answers the library's questions, on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance, Word
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.tags import TagRepository
from reviewer.services.context import Services

MOSCOW = timezone(timedelta(hours=3))


def _call(sha: str = "a" * 64, agent: str = "Olga", external_id: str = "c-1") -> Call:
    return Call(
        external_id=external_id,
        audio=AudioInfo("/calls/c.wav", sha, 61_500, 8000, 2, ChannelLayout.AGENT_RIGHT, second_path=None),
        started_at=datetime(2026, 9, 8, 10, 12, tzinfo=MOSCOW),
        agent=agent,
        team="North",
        disconnect_reason="AGENT_DISCONNECT",
        utterances=(
            Utterance(Party.AGENT, "Olga", 500, 1800, "Здравствуйте", (Word("Здравствуйте", 500, 1700, 0.93),)),
            Utterance(Party.CUSTOMER, "spk_1", 1900, 3500, "Hi"),
        ),
        tags=(
            Tag("profanity", Actor.CUSTOMER, 2000, 2600, note="first", author="anna"),
            Tag("hang_up", Actor.AGENT, 61_000, 61_000, source=TagSource.IMPORTED),
        ),
    )


def test_a_call_round_trips(services: Services) -> None:
    call = _call()
    with services.database.session() as session:
        call_id = CallRepository(session).add(call)
    with services.database.session() as session:
        stored = CallRepository(session).get(call_id)
    assert stored is not None and stored.id == call_id
    assert stored.started_at is not None and stored.started_at == call.started_at
    assert stored.started_at.utcoffset() == timedelta(0)
    assert stored.utterances == call.utterances
    assert [replace(t, id=None) for t in stored.tags] == list(call.tags)
    assert all(t.id is not None and t.created_at is not None for t in stored.tags)
    unchanged = ("external_id", "audio", "agent", "team", "disconnect_reason", "review_status")
    assert all(getattr(stored, name) == getattr(call, name) for name in unchanged)
    assert stored.review_status is ReviewStatus.TODO


def test_summaries_count_filter_and_order(services: Services) -> None:
    with services.database.session() as session:
        repo = CallRepository(session)
        older = repo.add(
            replace(_call("b" * 64, agent="Tom", external_id="old"), started_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
        newer = repo.add(_call())
        TagRepository(session).add(newer, Tag("profanity", Actor.CUSTOMER, 10_000, 11_000))
    with services.database.session() as session:
        repo = CallRepository(session)
        rows = repo.summaries()
        olga = repo.summaries(agent="Olga")
    assert [r.id for r in rows] == [newer, older]
    assert (rows[0].utterances, rows[0].tags, rows[0].team) == (2, 3, "North")
    assert rows[0].tag_kinds == (("profanity", 2), ("hang_up", 1))
    assert [r.id for r in olga] == [newer] and olga[0].tag_kinds == rows[0].tag_kinds


def test_swap_and_delete(services: Services) -> None:
    with services.database.session() as session:
        repo = CallRepository(session)
        call_id = repo.add(_call())
        assert repo.swap_parties(call_id) and not repo.swap_parties(call_id + 1000)
    with services.database.session() as session:
        swapped = CallRepository(session).get(call_id)
    assert swapped is not None and swapped.audio.layout is ChannelLayout.AGENT_LEFT
    assert [u.party for u in swapped.utterances] == [Party.CUSTOMER, Party.AGENT]
    assert [t.actor for t in swapped.tags] == [Actor.AGENT, Actor.CUSTOMER]
    with services.database.session() as session:
        repo = CallRepository(session)
        repo.delete(call_id)
        assert repo.get(call_id) is None and repo.summaries() == []


def test_same_recording_cannot_be_stored_twice(services: Services) -> None:
    with services.database.session() as session:
        CallRepository(session).add(_call())
    try:
        with services.database.session() as session:
            CallRepository(session).add(_call(external_id="again"))
    except Exception as error:
        assert type(error).__name__ == "StorageError"
    else:
        raise AssertionError("a second call with the same audio hash was stored")
    with services.database.session() as session:
        assert [s.external_id for s in CallRepository(session).summaries()] == ["c-1"]
