"""The verdict repository keeps the latest verdict per call and notices when the call's tags changed since, on
both backends; every tag change and a speaker swap move the call's tag revision."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select

from reviewer.domain.call import AudioInfo, Call
from reviewer.domain.library import CallFilter
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.domain.verdict import (
    Facts,
    Finding,
    PolicyRef,
    Severity,
    Step,
    TraceStep,
    Verdict,
    VerdictStatus,
)
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.tables import VerdictRow
from reviewer.persistence.tags import TagRepository
from reviewer.persistence.verdicts import VerdictRepository
from reviewer.services.context import Services

MOSCOW = timezone(timedelta(hours=3))
DEFAULT = PolicyRef("Default conduct policy", "1.0", "d" * 64)
STRICT = PolicyRef("Strict conduct policy (three warnings)", "1.0", "5" * 64)


def _call(n: int, agent: str | None = "Olga", team: str | None = "North", minute: int = 0) -> Call:
    return Call(
        external_id=f"c-{n}",
        audio=AudioInfo(f"/calls/c{n}.wav", f"{n:064x}", 44_700, 8000, 2, ChannelLayout.AGENT_LEFT),
        started_at=datetime(2026, 9, 8, 10, minute, tzinfo=MOSCOW),
        agent=agent,
        team=team if agent else None,
        utterances=(
            Utterance(Party.AGENT, "Olga", 500, 1800, "Hello"),
            Utterance(Party.CUSTOMER, "c", 1900, 3500, "Hi"),
        ),
        tags=(
            Tag("profanity", Actor.CUSTOMER, 14_223, 16_838, note="first"),
            Tag("hang_up", Actor.AGENT, 44_042, 44_042),
        ),
    )


def _violation(policy: PolicyRef = DEFAULT, checked_at: datetime | None = None) -> Verdict:
    """A verdict using every field: a finding with facts (ref_ms 0 is a time), steps with and without severity."""
    facts = Facts(kind="warning", count=0, of=2, ref_kind="profanity", ref_ms=0, detail="")
    return Verdict(
        status=VerdictStatus.VIOLATION,
        findings=(
            Finding("R1.premature_hangup", Severity.VIOLATION, 44_042, (2, 1), facts),
            Finding("R8.customer_ended", Severity.INFO, 44_042, (2,), Facts(detail="customer")),
        ),
        trace=(
            TraceStep(14_223, "R1", Step.OFFENCE, (1,), Facts(kind="profanity", count=1, of=2, detail="warning")),
            TraceStep(44_042, "R1.premature_hangup", Step.FINDING, (2, 1), facts, Severity.VIOLATION),
            TraceStep(44_042, "R6", Step.HANGUP_UNOBJECTED),
        ),
        policy=policy,
        checked_at=checked_at,
    )


def _compliant(policy: PolicyRef = DEFAULT) -> Verdict:
    return Verdict(VerdictStatus.COMPLIANT, (), (TraceStep(0, "R8", Step.HANGUP_BY_CUSTOMER),), policy)


def _add(services: Services, *calls: Call) -> list[int]:
    with services.database.session() as session:
        repo = CallRepository(session)
        return [repo.add(c) for c in calls]


def _revision(services: Services, call_id: int) -> int:
    with services.database.session() as session:
        subject = VerdictRepository(session).subject(call_id)
    assert subject is not None
    return subject[2]


def _store(services: Services, call_id: int, verdict: Verdict) -> None:
    """Store a verdict resting on the call's current tag revision, as check_call does."""
    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        subject = verdicts.subject(call_id)
        assert subject is not None
        verdicts.store(call_id, verdict, subject[2])


def test_get_is_none_before_any_check(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        assert verdicts.get(call_id) is None
        assert verdicts.get(call_id + 1000) is None
        assert verdicts.subject(call_id + 1000) is None
        assert verdicts.subject(call_id) == ("c-1", "North", 0)
        assert verdicts.statuses() == {}


def test_store_and_get_round_trip(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    checked_at = datetime(2026, 11, 23, 12, 30, 5, tzinfo=MOSCOW)
    verdict = _violation(checked_at=checked_at)
    _store(services, call_id, verdict)
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
    assert stored is not None
    assert stored.verdict == verdict
    assert stored.verdict.to_data() == verdict.to_data()
    assert stored.verdict.findings[0].facts.ref_ms == 0  # a time, not "none"
    assert stored.verdict.trace[1].finding() == verdict.findings[0]
    assert stored.verdict.checked_at == checked_at and stored.verdict.checked_at.utcoffset() is not None
    assert (stored.tags_revision, stored.tags_changed) == (0, False)


def test_storing_again_replaces_the_verdict(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    _store(services, call_id, _violation())
    _store(services, call_id, _compliant(STRICT))
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
        rows = session.scalar(select(func.count()).select_from(VerdictRow))
        statuses = VerdictRepository(session).statuses()
    assert stored is not None and stored.verdict == _compliant(STRICT)
    assert stored.verdict.checked_at is not None  # stamped on store when the verdict had none
    assert rows == 1
    assert statuses == {call_id: (VerdictStatus.COMPLIANT, STRICT.sha256, False)}


def test_tag_add_update_delete_each_bump_the_revision_and_stale_the_verdict(services: Services) -> None:
    call_id, other = _add(services, _call(1), _call(2, minute=5))
    _store(services, call_id, _violation())
    _store(services, other, _violation())
    assert _revision(services, call_id) == 0

    with services.database.session() as session:
        added = TagRepository(session).add(call_id, Tag("warning", Actor.AGENT, 17_244, 22_702))
    assert _revision(services, call_id) == 1
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
    assert stored is not None and (stored.tags_revision, stored.tags_changed) == (0, True)
    assert stored.verdict == _violation()  # the stored verdict itself is kept until it is checked again

    with services.database.session() as session:
        TagRepository(session).update(call_id, replace(added, note="1 of 2"))
    assert _revision(services, call_id) == 2
    with services.database.session() as session:
        assert added.id is not None
        TagRepository(session).delete(call_id, added.id)
    assert _revision(services, call_id) == 3

    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        stale, untouched = verdicts.get(call_id), verdicts.get(other)
        statuses = verdicts.statuses()
    assert stale is not None and stale.tags_changed
    assert untouched is not None and not untouched.tags_changed  # another call's tags did not move
    assert _revision(services, other) == 0
    assert statuses == {
        call_id: (VerdictStatus.VIOLATION, DEFAULT.sha256, True),
        other: (VerdictStatus.VIOLATION, DEFAULT.sha256, False),
    }

    _store(services, call_id, _violation())  # checked again: rests on the new revision
    with services.database.session() as session:
        fresh = VerdictRepository(session).get(call_id)
    assert fresh is not None and (fresh.tags_revision, fresh.tags_changed) == (3, False)


def test_several_tag_changes_in_one_session_each_count(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    with services.database.session() as session:
        tags = TagRepository(session)
        first = tags.add(call_id, Tag("warning", Actor.AGENT, 17_000, 18_000))
        tags.add(call_id, Tag("warning", Actor.AGENT, 27_000, 28_000))
        tags.update(call_id, replace(first, start_ms=17_100))
    assert _revision(services, call_id) == 3


def test_swapping_speakers_bumps_the_revision_but_swapping_channels_only_does_not(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    _store(services, call_id, _violation())
    with services.database.session() as session:
        assert CallRepository(session).swap_parties(call_id, speakers=False, channels=True)
    assert _revision(services, call_id) == 0  # the tags' actors did not change
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
    assert stored is not None and not stored.tags_changed

    with services.database.session() as session:
        assert CallRepository(session).swap_parties(call_id, speakers=True, channels=False)
    assert _revision(services, call_id) == 1
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
        call = CallRepository(session).get(call_id)
    assert stored is not None and stored.tags_changed
    assert call is not None and [t.actor for t in call.tags] == [Actor.AGENT, Actor.CUSTOMER]

    with services.database.session() as session:
        assert CallRepository(session).swap_parties(call_id)  # both, the usual fix
    assert _revision(services, call_id) == 2


def test_summaries_carry_the_verdict_and_whether_it_is_stale(services: Services) -> None:
    checked, unchecked = _add(services, _call(1, minute=10), _call(2, minute=0))
    _store(services, checked, _violation())
    with services.database.session() as session:
        rows = {s.id: s for s in CallRepository(session).summaries()}
    assert (rows[checked].verdict, rows[checked].verdict_stale) == (VerdictStatus.VIOLATION, False)
    assert rows[checked].verdict_policy_sha256 == DEFAULT.sha256
    assert (rows[unchecked].verdict, rows[unchecked].verdict_stale) == (None, False)
    assert rows[unchecked].verdict_policy_sha256 == ""

    with services.database.session() as session:
        TagRepository(session).add(checked, Tag("farewell", Actor.AGENT, 36_000, 43_000))
    with services.database.session() as session:
        rows = {s.id: s for s in CallRepository(session).summaries()}
    assert (rows[checked].verdict, rows[checked].verdict_stale) == (VerdictStatus.VIOLATION, True)
    assert rows[checked].tags == 3
    assert (rows[unchecked].verdict, rows[unchecked].verdict_stale) == (None, False)


def test_filter_by_verdict_lists_only_calls_with_that_stored_status(services: Services) -> None:
    violating, compliant, unchecked, stale_violating = _add(
        services, _call(1, minute=1), _call(2, minute=2), _call(3, minute=3), _call(4, agent="Tom", minute=4)
    )
    _store(services, violating, _violation())
    _store(services, compliant, _compliant())
    _store(services, stale_violating, _violation(STRICT))
    with services.database.session() as session:
        TagRepository(session).add(stale_violating, Tag("warning", Actor.AGENT, 17_000, 18_000))

    def ids(where: CallFilter) -> list[int]:
        with services.database.session() as session:
            return [s.id for s in CallRepository(session).summaries(where=where)]

    assert ids(CallFilter(verdict=VerdictStatus.VIOLATION)) == [stale_violating, violating]  # newest first
    assert ids(CallFilter(verdict=VerdictStatus.COMPLIANT)) == [compliant]
    assert ids(CallFilter(verdict=VerdictStatus.COACHING)) == []
    assert ids(CallFilter(verdict=VerdictStatus.VIOLATION, agent="Olga")) == [violating]
    assert ids(CallFilter()) == [stale_violating, unchecked, compliant, violating]
    with services.database.session() as session:
        rows = CallRepository(session).summaries(where=CallFilter(verdict=VerdictStatus.VIOLATION))
    assert all(r.verdict is VerdictStatus.VIOLATION for r in rows)
    assert [r.verdict_stale for r in rows] == [True, False]


def test_deleting_a_call_deletes_its_verdict(services: Services) -> None:
    gone, kept = _add(services, _call(1), _call(2, minute=5))
    _store(services, gone, _violation())
    _store(services, kept, _compliant())
    with services.database.session() as session:
        CallRepository(session).delete(gone)
    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        assert verdicts.get(gone) is None
        remaining = list(session.scalars(select(VerdictRow.call_id)))
        statuses = verdicts.statuses()
    assert remaining == [kept]
    assert statuses == {kept: (VerdictStatus.COMPLIANT, DEFAULT.sha256, False)}


def test_states_list_every_call_and_unchecked_ones_have_no_verdict_revision(services: Services) -> None:
    north, south, teamless = _add(
        services, _call(1), _call(2, agent="Tom", team="South", minute=5), _call(3, agent=None, minute=9)
    )
    _store(services, south, _violation(STRICT))
    with services.database.session() as session:
        TagRepository(session).add(north, Tag("warning", Actor.AGENT, 17_000, 18_000))
    with services.database.session() as session:
        states = VerdictRepository(session).states()
        some = VerdictRepository(session).states([south, teamless])
    assert [s.call_id for s in states] == [north, south, teamless]
    by_id = {s.call_id: s for s in states}
    assert (by_id[north].team, by_id[north].tags_revision) == ("North", 1)
    assert (by_id[north].verdict_revision, by_id[north].policy_sha256) == (None, None)
    assert (by_id[south].team, by_id[south].tags_revision) == ("South", 0)
    assert (by_id[south].verdict_revision, by_id[south].policy_sha256) == (0, STRICT.sha256)
    assert (by_id[teamless].team, by_id[teamless].verdict_revision) == (None, None)
    assert [s.call_id for s in some] == [south, teamless]
    assert some[0] == by_id[south]


def test_checked_at_is_stored_in_utc(services: Services) -> None:
    [call_id] = _add(services, _call(1))
    _store(services, call_id, _compliant())
    with services.database.session() as session:
        stored = VerdictRepository(session).get(call_id)
    assert stored is not None and stored.verdict.checked_at is not None
    assert stored.verdict.checked_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stored.verdict.checked_at) < timedelta(minutes=5)
