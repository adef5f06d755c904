"""Reviewing a call: every tag change saved at once, undo-able deletes, the review state, library filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewer.domain.call import ReviewStatus
from reviewer.domain.library import CallFilter
from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import CallNotFoundError, StorageError
from reviewer.domain.tags import Tag
from reviewer.services import review
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import facets, get_call, search_calls
from reviewer.services.opening import OpenedCall, open_call
from tests.testkit import VTT_TWO_PARTIES, write_wav


def _import(services: Services, folder: Path, name: str, seconds: float = 4.0, **meta: object) -> int:
    folder.mkdir(exist_ok=True)
    audio = write_wav(folder / f"{name}.wav", seconds=seconds)  # each length is its own recording (hash)
    transcript = audio.with_suffix(".vtt")
    transcript.write_text(str(meta.pop("vtt", VTT_TWO_PARTIES)))
    report = ImportReport()
    list(import_calls(services, [ImportRequest(audio=audio, transcript=transcript, **meta)], report))  # type: ignore[arg-type]
    assert report.ok and report.imported, report
    return report.imported[0]


def _run_open(services: Services, ref: str) -> OpenedCall:
    steps = open_call(services, ref)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


@pytest.fixture
def call_id(services: Services, tmp_path: Path) -> int:
    return _import(services, tmp_path / "calls", "call-001", agent="Anna", team="North")


def test_add_update_delete_restore_are_saved_at_once(services: Services, call_id: int) -> None:
    added = review.add_tag(services, call_id, Tag("interruption", Actor.CUSTOMER, 1000, 1500))
    assert added.id is not None and added.author == services.author
    assert review.tags_of(services, call_id) == (added,)
    moved = review.update_tag(services, call_id, replace(added, start_ms=1100, end_ms=1700, note="cut in"))
    assert get_call(services, str(call_id)).tags == (moved,)
    assert (moved.start_ms, moved.end_ms, moved.note) == (1100, 1700, "cut in")
    gone = review.delete_tag(services, call_id, added.id)
    assert gone == moved and review.tags_of(services, call_id) == ()
    back = review.restore_tag(services, call_id, gone)
    assert back.id == added.id and review.tags_of(services, call_id) == (moved,)


def test_a_tag_of_another_call_is_never_touched(services: Services, tmp_path: Path, call_id: int) -> None:
    other = _import(services, tmp_path / "other", "call-002", seconds=5)
    tag = review.add_tag(services, other, Tag("hang_up", Actor.AGENT, 3000, 3000))
    assert tag.id is not None
    with pytest.raises(StorageError):
        review.update_tag(services, call_id, replace(tag, note="x"))
    with pytest.raises(StorageError):
        review.delete_tag(services, call_id, tag.id)
    assert review.tags_of(services, other) == (tag,)


def test_tagging_a_missing_call_is_refused(services: Services) -> None:
    with pytest.raises(CallNotFoundError):
        review.add_tag(services, 999, Tag("insult", Actor.CUSTOMER, 0, 10))
    with pytest.raises(CallNotFoundError):
        review.set_review(services, 999, ReviewStatus.DONE, "")


def test_review_status_and_summary(services: Services, call_id: int) -> None:
    review.set_review(services, call_id, ReviewStatus.DONE, "Warned twice, then ended politely.")
    call = get_call(services, str(call_id))
    assert (call.review_status, call.summary) == (ReviewStatus.DONE, "Warned twice, then ended politely.")


def test_number_keys_follow_the_lane() -> None:
    assert review.keyed_kinds(Actor.CUSTOMER)[0] == "interruption"
    assert "hang_up" in review.keyed_kinds(Actor.AGENT)
    assert "profanity" not in review.keyed_kinds(Actor.AGENT)
    assert all(len(review.keyed_kinds(lane)) <= 9 for lane in Actor)
    assert review.kind("custom_kind").default_actor is Actor.CUSTOMER


def test_library_filters(services: Services, tmp_path: Path) -> None:
    anna = _import(
        services, tmp_path / "a", "a1", agent="Anna", team="North", started_at=datetime(2026, 3, 1, 9, tzinfo=UTC)
    )
    vtt = VTT_TWO_PARTIES.replace("my card was blocked", "ЗАБЛОКИРОВАЛИ карту 100%")
    boris = _import(
        services,
        tmp_path / "b",
        "b1",
        seconds=5,
        agent="Boris",
        team="South",
        started_at=datetime(2026, 3, 5, tzinfo=UTC),
        vtt=vtt,
    )
    review.add_tag(services, boris, Tag("profanity", Actor.CUSTOMER, 100, 200))
    review.set_review(services, anna, ReviewStatus.IN_PROGRESS, "")

    def ids(**where: object) -> list[int]:
        return [c.id for c in search_calls(services, CallFilter(**where))]  # type: ignore[arg-type]

    assert ids() == [boris, anna]
    assert ids(team="North") == [anna] and ids(agent="Boris") == [boris]
    assert ids(status=ReviewStatus.IN_PROGRESS) == [anna]
    assert ids(tag_kind="profanity") == [boris]
    assert ids(started_from=datetime(2026, 3, 2, tzinfo=UTC)) == [boris]
    assert ids(started_before=datetime(2026, 3, 2, tzinfo=UTC)) == [anna]
    assert ids(text="card was") == [anna]
    assert ids(text="заблокировали") == [boris]  # case folded beyond ASCII on both databases
    assert ids(text="100%") == [boris] and ids(text="1_0") == []  # LIKE wildcards are literal
    listed = search_calls(services, CallFilter(agent="Boris"))
    assert listed[0].tag_kinds == (("profanity", 1),)
    found = facets(services)
    assert (found.teams, found.agents, found.tag_kinds) == (("North", "South"), ("Anna", "Boris"), ("profanity",))


def test_open_call_decodes_once_then_reuses_the_cache(services: Services, call_id: int) -> None:
    first = _run_open(services, str(call_id))
    assert first.problem is None and first.peaks is not None
    assert set(first.sources) == {None, Party.AGENT, Party.CUSTOMER}
    assert all(path.is_file() for path in first.sources.values())
    stamp = first.sources[None].stat().st_mtime_ns
    steps = list(open_call(services, str(call_id)))
    assert len(steps) == 1  # cached: no decoding step
    assert first.sources[None].stat().st_mtime_ns == stamp


def test_open_call_without_its_recording_still_opens(services: Services, call_id: int) -> None:
    Path(get_call(services, str(call_id)).audio.path).unlink()
    opened = _run_open(services, str(call_id))
    assert opened.call.id == call_id and len(opened.call.utterances) == 2
    assert opened.sources == {} and opened.problem is not None
    assert opened.problem.path.endswith("call-001.wav")
