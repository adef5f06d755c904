"""The suggestion repository keeps proposals apart from tags, one decision per finding, on both backends."""

from __future__ import annotations

import pytest

from reviewer.domain.call import AudioInfo, Call
from reviewer.domain.parties import Actor, ChannelLayout
from reviewer.domain.problems import StorageError
from reviewer.domain.suggestions import (
    Basis,
    Detection,
    HangupCue,
    HangupEstimate,
    HangupSide,
    Suggestion,
    SuggestionState,
    TurnDisagreement,
)
from reviewer.domain.tags import Tag
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.suggestions import SuggestionRepository
from reviewer.persistence.tags import TagRepository
from reviewer.services.context import Services

YELL = Suggestion("yelling", Actor.CUSTOMER, 33_211, 35_496, "raised_voice", 0.7, "+4.9 dB", detector_version="1")
HANG = Suggestion("hang_up", Actor.AGENT, 43_642, 43_642, "hangup", 0.9, "disconnect_reason", detector_version="1")
CUT = Suggestion("interruption", Actor.AGENT, 19_491, 20_491, "interruption", 0.9, "transcript+audio")


def _detection(*suggestions: Suggestion) -> Detection:
    return Detection(
        suggestions=suggestions,
        thresholds={"grace_ms": 500, "silence_ms": 5000},
        versions={"hangup": "1", "lexicon": "1+abc"},
        hangups=(
            HangupEstimate(HangupSide.AGENT, Basis.METADATA, 43_642, 0.9, (HangupCue.DISCONNECT_REASON,)),
            HangupEstimate(
                HangupSide.CUSTOMER, Basis.TRANSCRIPT, 43_642, 0.75, (HangupCue.LAST_SPEAKER, HangupCue.FAREWELL)
            ),
        ),
        disagreements=(TurnDisagreement(Basis.AUDIO, Actor.CUSTOMER, 5000, 6000),),
        backchannels={"customer": 3},
    )


@pytest.fixture
def call_id(services: Services) -> int:
    call = Call("c-1", AudioInfo("/calls/c1.wav", "1" * 64, 44_700, 8000, 2, ChannelLayout.AGENT_LEFT))
    with services.database.session() as session:
        return CallRepository(session).add(call)


def test_a_run_stores_its_suggestions_and_findings(services: Services, call_id: int) -> None:
    with services.database.session() as session:
        stored = SuggestionRepository(session).store_run(call_id, _detection(HANG, YELL))
    assert [s.kind for s in stored] == ["hang_up", "yelling"] and all(s.id and s.run_id for s in stored)
    with services.database.session() as session:
        repo = SuggestionRepository(session)
        latest = repo.latest_run(call_id)
        assert [s.kind for s in repo.for_call(call_id)] == ["yelling", "hang_up"]  # time order
        assert repo.detected_calls() == {call_id}
    assert latest is not None
    assert latest.thresholds == {"grace_ms": 500, "silence_ms": 5000}
    assert latest.hangups == _detection().hangups and latest.hangup_conflict
    assert latest.disagreements == _detection().disagreements and latest.backchannels == {"customer": 3}
    assert {s.key for s in latest.suggestions} == {HANG.key, YELL.key}


def test_a_new_run_replaces_open_suggestions_but_never_reproposes_a_decided_one(
    services: Services, call_id: int
) -> None:
    with services.database.session() as session:
        repo = SuggestionRepository(session)
        first = repo.store_run(call_id, _detection(HANG, YELL))
        repo.decide(call_id, first[1].id or 0, SuggestionState.REJECTED, "olga")
        again = repo.store_run(call_id, _detection(HANG, YELL, CUT))
        states = {s.kind: s.state for s in repo.for_call(call_id)}
    assert sorted(s.kind for s in again) == ["hang_up", "interruption"]
    assert states == {"hang_up": SuggestionState.PENDING, "yelling": SuggestionState.REJECTED,
                      "interruption": SuggestionState.PENDING}  # fmt: skip


def test_one_decision_per_finding_and_undo_reopens(services: Services, call_id: int) -> None:
    with services.database.session() as session:
        [stored] = SuggestionRepository(session).store_run(call_id, _detection(YELL))
    assert stored.id is not None
    with services.database.session() as session:
        tag = TagRepository(session).add(call_id, stored.as_tag("olga"))
        accepted = SuggestionRepository(session).decide(call_id, stored.id, SuggestionState.ACCEPTED, "olga", tag.id)
    assert (accepted.state, accepted.decided_by, accepted.tag_id) == (SuggestionState.ACCEPTED, "olga", tag.id)
    assert accepted.decided_at is not None
    with services.database.session() as session, pytest.raises(StorageError, match="already accepted"):
        SuggestionRepository(session).decide(call_id, stored.id, SuggestionState.REJECTED, "tom")
    with services.database.session() as session:
        reopened = SuggestionRepository(session).decide(call_id, stored.id, SuggestionState.PENDING, "")
    assert (reopened.state, reopened.tag_id, reopened.decided_at) == (SuggestionState.PENDING, None, None)
    with services.database.session() as session, pytest.raises(StorageError, match="no longer exists"):
        SuggestionRepository(session).decide(call_id + 1, stored.id, SuggestionState.REJECTED, "tom")


def test_rates_count_decisions_per_detector_and_kind(services: Services, call_id: int) -> None:
    other = Suggestion("yelling", Actor.AGENT, 1000, 3000, "raised_voice", 0.6)
    with services.database.session() as session:
        repo = SuggestionRepository(session)
        yell, _hang, agent_yell = repo.store_run(call_id, _detection(YELL, HANG, other))
        repo.decide(call_id, yell.id or 0, SuggestionState.ACCEPTED, "olga")
        repo.decide(call_id, agent_yell.id or 0, SuggestionState.REJECTED, "olga")
        rates = {(r.detector, r.kind): r for r in repo.rates()}
    assert (rates["raised_voice", "yelling"].accepted, rates["raised_voice", "yelling"].rejected) == (1, 1)
    assert rates["raised_voice", "yelling"].precision == 0.5
    assert rates["hangup", "hang_up"].pending == 1 and rates["hangup", "hang_up"].precision is None


def test_deleting_the_accepted_tag_keeps_the_decision_and_deleting_the_call_drops_all(
    services: Services, call_id: int
) -> None:
    with services.database.session() as session:
        [stored] = SuggestionRepository(session).store_run(call_id, _detection(YELL))
        tag = TagRepository(session).add(call_id, Tag("yelling", Actor.CUSTOMER, 33_211, 35_496))
        SuggestionRepository(session).decide(call_id, stored.id or 0, SuggestionState.ACCEPTED, "olga", tag.id)
    with services.database.session() as session:
        TagRepository(session).delete(call_id, tag.id or 0)
    with services.database.session() as session:
        [kept] = SuggestionRepository(session).for_call(call_id)
    assert (kept.state, kept.tag_id) == (SuggestionState.ACCEPTED, None)
    with services.database.session() as session:
        CallRepository(session).delete(call_id)
    with services.database.session() as session:
        repo = SuggestionRepository(session)
        assert repo.for_call(call_id) == () and repo.latest_run(call_id) is None and repo.rates() == []
