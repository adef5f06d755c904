"""Detection over the library: the demo calls' suggestions find what each call acts out, accepting them
reproduces the policy verdicts, decisions are kept, batches go on past a broken call, and both cores are used."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reviewer.detect.lexical import KIND_OF
from reviewer.domain.call import Call
from reviewer.domain.parties import Actor
from reviewer.domain.problems import ProblemKind
from reviewer.domain.suggestions import Suggestion, SuggestionState
from reviewer.domain.tags import Tag, TagSource
from reviewer.services import detecting, review
from reviewer.services.checking import check_call
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call, list_calls

# What the detectors can find; the rest (procedure steps, transfers, the facts ticked after the call) stay manual.
DETECTABLE = frozenset(KIND_OF.values()) | {"interruption", "yelling", "hang_up", "non_talk"}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the demo folder, so a test may break a recording without touching resources/."""
    from reviewer.bundled import bundled_dir  # noqa: PLC0415

    target = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(bundled_dir("resources") / "demo", target)
    return target


@pytest.fixture
def demo(sqlite_services: Services, demo_dir: Path) -> Iterator[Services]:
    services = replace(sqlite_services, demo_dir=demo_dir)
    report = ImportReport()
    list(build_demo(services, report, history=False))
    assert report.failed == [] and report.detection.failed == []
    yield services


def _calls(services: Services) -> list[Call]:
    return sorted((get_call(services, str(s.id)) for s in list_calls(services)), key=lambda c: c.external_id)


def _covers(found: Suggestion, tag: Tag) -> bool:
    if found.kind != tag.kind or found.actor is not tag.actor:
        return False
    if tag.is_point:
        return abs(found.start_ms - tag.start_ms) <= 2000
    return found.start_ms < tag.end_ms and tag.start_ms < found.end_ms


def test_the_suggestions_find_what_each_demo_call_acts_out(demo: Services) -> None:
    roots = detecting.lexicon_roots(demo)
    for call in _calls(demo):
        found = detecting.detection_of(replace(call, tags=()), roots)[0].suggestions
        for tag in call.tags:
            if tag.kind in DETECTABLE and tag.source is TagSource.MANUAL:  # the demo supervisor's, not AWS's
                assert any(_covers(s, tag) for s in found), f"{call.external_id}: nothing found for {tag}"


def _outcome(services: Services, call_id: int) -> tuple[str, list[str]]:
    verdict = check_call(services, call_id).verdict
    return verdict.status.value, sorted(f.rule for f in verdict.findings)


def test_accepting_the_suggestions_reproduces_the_verdicts(demo: Services) -> None:
    for call in _calls(demo):
        assert call.id is not None
        expected = _outcome(demo, call.id)
        for tag in call.tags:
            if tag.kind in DETECTABLE and tag.id is not None:
                review.delete_tag(demo, call.id, tag.id)
        detecting.detect_call(demo, call.id)
        for suggestion in detecting.pending_suggestions(demo, call.id):
            detecting.accept(demo, call.id, suggestion)
        assert _outcome(demo, call.id) == expected, call.external_id


def test_the_demo_library_waits_with_suggestions_for_what_its_tags_do_not_say(demo: Services) -> None:
    calls = _calls(demo)
    assert detecting.detected_calls(demo) == {c.id for c in calls}
    first = next(c for c in calls if c.external_id == "demo-01")
    assert first.id is not None
    pending = detecting.pending_suggestions(demo, first.id)
    # "Бездельники" is an insult and the third offence is shouted too: the demo's supervisor tagged neither.
    assert [(s.kind, s.actor, s.start_ms // 1000) for s in pending] == [
        ("insult", Actor.CUSTOMER, 23),
        ("yelling", Actor.CUSTOMER, 33),
    ]
    latest = detecting.latest_detection(demo, first.id)
    assert latest is not None and not latest.hangup_conflict and latest.thresholds["grace_ms"] == 500


def test_only_accepted_suggestions_count_and_every_decision_is_kept(demo: Services) -> None:
    call = next(c for c in _calls(demo) if c.external_id == "demo-07")
    assert call.id is not None
    banned = next(t for t in call.tags if t.kind == "banned_phrase")
    assert banned.id is not None
    review.delete_tag(demo, call.id, banned.id)
    detecting.detect_call(demo, call.id)
    [suggested] = [s for s in detecting.pending_suggestions(demo, call.id) if s.kind == "banned_phrase"]
    before = _outcome(demo, call.id)
    assert before[0] == "compliant"  # an open suggestion of "calm down" is no finding yet
    accepted, tag = detecting.accept(demo, call.id, suggested)
    assert tag.source.value == "accepted" and accepted.tag_id == tag.id
    assert _outcome(demo, call.id)[0] == "coaching" and "R7.banned_phrase" in _outcome(demo, call.id)[1]
    reopened = detecting.reopen(demo, call.id, accepted)
    assert reopened.state is SuggestionState.PENDING and _outcome(demo, call.id) == before
    detecting.reject(demo, call.id, reopened)
    detecting.detect_call(demo, call.id)  # a re-run does not propose the rejected warning again
    assert not any(s.kind == "banned_phrase" for s in detecting.pending_suggestions(demo, call.id))
    rates = {(r.detector, r.kind): r for r in detecting.detector_rates(demo)}
    assert rates["lexicon", "banned_phrase"].rejected == 1


def test_import_runs_the_detectors_unless_told_not_to(sqlite_services: Services, demo_dir: Path) -> None:
    audio = demo_dir / "calls" / "demo-07.mp3"
    json = demo_dir / "calls" / "demo-07.json"
    report = ImportReport()
    list(import_calls(sqlite_services, [ImportRequest(audio=audio, transcript=json)], report))
    [detected] = report.detection.detected
    assert {(s.kind, s.actor) for s in detected.stored} >= {("banned_phrase", Actor.AGENT)}
    skipped = ImportReport()
    other = demo_dir / "calls" / "demo-02.mp3"
    list(import_calls(sqlite_services, [ImportRequest(audio=other)], skipped, detect=False))
    assert skipped.imported and skipped.detection.detected == []
    assert detecting.detected_calls(sqlite_services) == set(report.imported)


def test_a_broken_recording_is_reported_and_the_batch_goes_on(demo: Services, demo_dir: Path) -> None:
    calls = _calls(demo)
    broken = next(c for c in calls if c.external_id == "demo-03")
    saved = Path(broken.audio.path).read_bytes()
    Path(broken.audio.path).write_bytes(b"not audio at all")
    try:
        report = detecting.DetectReport()
        list(detecting.detect_calls(demo, [c.id or 0 for c in calls] + [999_999], report))
    finally:
        Path(broken.audio.path).write_bytes(saved)
    assert len(report.detected) == len(calls)  # the broken one still gets its transcript's suggestions
    assert sorted(p.path for p in report.failed) == sorted([broken.audio.path, "call 999999"])
    assert next(p for p in report.failed if p.path == broken.audio.path).kind is ProblemKind.NOT_AUDIO


def test_a_long_batch_uses_worker_processes(demo: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detecting, "PARALLEL_FROM_MS", 0)
    calls = _calls(demo)[:3]
    report = detecting.DetectReport()
    steps = list(detecting.detect_calls(demo, [c.id or 0 for c in calls], report))
    assert report.failed == [] and sorted(d.external_id for d in report.detected) == [c.external_id for c in calls]
    assert steps[-1].done == steps[-1].total == 3
    inline, _ = detecting.detection_of(calls[0], detecting.lexicon_roots(demo))
    from_worker = next(d for d in report.detected if d.call_id == calls[0].id).detection
    assert from_worker.suggestions == inline.suggestions


def test_a_centre_extends_the_lexicons(demo: Services) -> None:
    call = next(c for c in _calls(demo) if c.external_id == "demo-08")
    assert call.id is not None
    own = demo.preferences.path.parent / "lexicons" / "en"
    own.mkdir(parents=True)
    (own / "banned.txt").write_text("# our own\nthat's a relief\n", encoding="utf-8")
    detecting.detect_call(demo, call.id)
    found = [s for s in detecting.pending_suggestions(demo, call.id) if s.kind == "banned_phrase"]
    assert [(s.actor, s.evidence) for s in found] == []  # the customer said it: not the agent's banned phrase
    (own / "banned.txt").write_text("let's sort this out\n", encoding="utf-8")
    detecting.detect_call(demo, call.id)
    found = [s for s in detecting.pending_suggestions(demo, call.id) if s.kind == "banned_phrase"]
    assert [(s.actor, s.evidence.casefold()) for s in found] == [(Actor.AGENT, "let's sort this out")]


def test_a_broken_recording_in_a_worker_batch_fails_that_call_only(
    demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(detecting, "PARALLEL_FROM_MS", 0)
    calls = _calls(demo)[:3]
    broken = Path(calls[1].audio.path)
    saved = broken.read_bytes()
    broken.write_bytes(b"not audio at all")
    try:
        report = detecting.DetectReport()
        list(detecting.detect_calls(demo, [c.id or 0 for c in calls], report))
    finally:
        broken.write_bytes(saved)
    assert [(p.kind, p.path) for p in report.failed] == [(ProblemKind.NOT_AUDIO, str(broken))]
    assert len(report.detected) == 3  # the broken call keeps what its transcript says


def test_an_unreadable_centre_lexicon_is_one_problem_and_the_import_stands(
    sqlite_services: Services, demo_dir: Path
) -> None:
    own = sqlite_services.preferences.path.parent / "lexicons" / "en"
    own.mkdir(parents=True)
    (own / "insult.txt").write_bytes(b"\xff\xfe not utf-8")
    report = ImportReport()
    request = ImportRequest(audio=demo_dir / "calls" / "demo-02.mp3", transcript=demo_dir / "calls" / "demo-02.csv")
    list(import_calls(sqlite_services, [request, replace(request, audio=demo_dir / "calls" / "demo-03.mp3")], report))
    assert len(report.imported) == 2 and report.failed == []
    [problem] = report.detection.failed
    assert problem.kind is ProblemKind.BAD_LEXICON and problem.path.endswith("insult.txt")


def test_swapping_the_parties_proposes_again_under_the_new_labels(demo: Services) -> None:
    from reviewer.services.library import swap_parties  # noqa: PLC0415

    call = next(c for c in _calls(demo) if c.external_id == "demo-01")
    assert call.id is not None
    assert ("insult", Actor.CUSTOMER) in {(s.kind, s.actor) for s in detecting.pending_suggestions(demo, call.id)}
    swap_parties(demo, "demo-01")
    after = {(s.kind, s.actor) for s in detecting.pending_suggestions(demo, call.id)}
    # "бездельники" is now the agent's word: agent rudeness, not a customer's insult.
    assert ("insult", Actor.CUSTOMER) not in after and ("agent_rudeness", Actor.AGENT) in after


def test_reopening_never_deletes_a_tag_that_took_the_old_id(demo: Services) -> None:
    call = next(c for c in _calls(demo) if c.external_id == "demo-01")
    assert call.id is not None
    [insult] = [s for s in detecting.pending_suggestions(demo, call.id) if s.kind == "insult"]
    accepted, tag = detecting.accept(demo, call.id, insult)
    assert tag.id is not None
    review.delete_tag(demo, call.id, tag.id)
    mine = review.add_tag(demo, call.id, Tag("empathy", Actor.AGENT, 1000, 2000))
    detecting.reopen(demo, call.id, accepted)  # the caller's copy still names the deleted tag's id
    assert any(t.id == mine.id for t in review.tags_of(demo, call.id))
