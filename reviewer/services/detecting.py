"""Run the detectors over library calls, store their suggestions, and record the supervisors' decisions.

Detection is pure (reviewer.detect) and runs where the audio is decoded; only this module touches the database.
A batch of long calls is spread over the machine's cores in worker processes, which decode and detect and hand
back a Detection: sessions never leave this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Generator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.audio.decode import decode_audio
from reviewer.bundled import bundled_dir
from reviewer.detect.lexicon import Lexicons, load_lexicons
from reviewer.detect.suggest import DetectSettings, Recording, already_tagged, detect
from reviewer.domain.call import Call
from reviewer.domain.problems import CallNotFoundError, InputError, Problem, ProblemKind, StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.suggestions import Detection, DetectorRate, Suggestion, SuggestionState
from reviewer.domain.tags import Tag
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.suggestions import SuggestionRepository
from reviewer.persistence.tags import TagRepository
from reviewer.services.context import Services

# Worker processes pay a start-up of about a second each: worth it only when there is this much audio to go over.
PARALLEL_FROM_MS = 10 * 60 * 1000
_LOADED: dict[tuple[tuple[str, int, int], ...], Lexicons] = {}


@dataclass(frozen=True, slots=True)
class DetectedCall:
    """A call after a detection pass: what was found and which suggestions were stored (new ones only)."""

    call_id: int
    external_id: str
    detection: Detection
    stored: tuple[Suggestion, ...]
    states: tuple[str, ...]  # per suggestion found: "pending" (stored), "tagged" (a tag says it), or the decision


@dataclass(slots=True)
class DetectReport:
    """What a batch did: the calls gone over, and those that could not be (with why)."""

    detected: list[DetectedCall] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)


def lexicon_roots(services: Services) -> list[Path]:
    """The shipped lexicons, then the centre's own folder beside the preferences (it adds and removes entries)."""
    roots = [bundled_dir("resources") / "lexicons"]
    own = services.preferences.path.parent / "lexicons"
    return [*roots, own] if own.is_dir() else roots


def lexicons_at(roots: list[Path]) -> Lexicons:
    """The lexicons under these roots, loaded once per version of their files."""
    files = sorted(p for root in roots for p in root.glob("*/*.txt"))
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load_lexicons(*roots)
    return _LOADED[key]


def detection_of(call: Call, roots: list[Path], settings: DetectSettings | None = None) -> Detection:
    """Decode the call's recording and run every detector (safe to run in a worker process)."""
    decoded = decode_audio(call.audio)
    recording = Recording(decoded.samples, decoded.sample_rate)
    return detect(call, lexicons_at(roots), recording, settings)


def _load(services: Services, call_id: int) -> Call:
    with services.database.session() as session:
        call = CallRepository(session).get(call_id)
    if call is None:
        raise CallNotFoundError(str(call_id))
    return call


def store_detection(services: Services, call: Call, detection: Detection) -> DetectedCall:
    """Store a pass's suggestions, leaving out what the call's tags (as they are now) already say."""
    assert call.id is not None
    with services.database.session() as session:
        tags = TagRepository(session).for_call(call.id)
        repo = SuggestionRepository(session)
        decided = {s.key: s.state.value for s in repo.for_call(call.id) if s.state is not SuggestionState.PENDING}
        states = tuple(
            "tagged" if already_tagged(s, tags) else decided.get(s.key, SuggestionState.PENDING.value)
            for s in detection.suggestions
        )
        fresh = tuple(s for s, state in zip(detection.suggestions, states, strict=True) if state != "tagged")
        stored = repo.store_run(call.id, _with(detection, fresh))
    return DetectedCall(call.id, call.external_id, detection, stored, states)


def _with(detection: Detection, suggestions: tuple[Suggestion, ...]) -> Detection:
    return Detection(
        suggestions,
        detection.thresholds,
        detection.versions,
        detection.hangups,
        detection.disagreements,
        detection.backchannels,
    )


def detect_call(services: Services, call_id: int, settings: DetectSettings | None = None) -> DetectedCall:
    """Go over one library call and store what was found."""
    call = _load(services, call_id)
    return store_detection(services, call, detection_of(call, lexicon_roots(services), settings))


def _failure(call_id: int, error: Exception) -> Problem:
    if isinstance(error, InputError):
        return error.problem
    if isinstance(error, StorageError):
        return Problem(ProblemKind.STORAGE, f"call {call_id}", "", error.detail)
    return Problem(ProblemKind.STORAGE, f"call {call_id}", "", "no such call")


def detect_calls(
    services: Services, call_ids: list[int], report: DetectReport, settings: DetectSettings | None = None
) -> Generator[Progress, None, None]:
    """Go over a batch, on every core when there is enough audio; a call that fails is reported, the rest go on."""
    calls: list[Call] = []
    for call_id in call_ids:
        try:
            calls.append(_load(services, call_id))
        except CallNotFoundError as error:
            report.failed.append(_failure(call_id, error))
    total_ms = sum(c.duration_ms for c in calls)
    workers = min(os.cpu_count() or 1, len(calls))
    if workers > 1 and total_ms >= PARALLEL_FROM_MS:
        yield from _in_workers(services, calls, report, settings, workers)
    else:
        yield from _in_process(services, calls, report, settings)
    yield Progress(len(calls), len(calls), "")


def _in_process(
    services: Services, calls: list[Call], report: DetectReport, settings: DetectSettings | None
) -> Generator[Progress, None, None]:
    roots = lexicon_roots(services)
    for done, call in enumerate(calls):
        yield Progress(done, len(calls), call.external_id)
        assert call.id is not None
        try:
            report.detected.append(store_detection(services, call, detection_of(call, roots, settings)))
        except (InputError, StorageError) as error:
            report.failed.append(_failure(call.id, error))


def _in_workers(
    services: Services, calls: list[Call], report: DetectReport, settings: DetectSettings | None, workers: int
) -> Generator[Progress, None, None]:
    roots = lexicon_roots(services)
    # spawn, not fork: the GUI has threads, and a forked copy of a threaded process can deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures: dict[Future[Detection], Call] = {pool.submit(detection_of, c, roots, settings): c for c in calls}
        yield Progress(0, len(calls), calls[0].external_id)
        for done, future in enumerate(as_completed(futures), start=1):
            call = futures[future]
            assert call.id is not None
            try:
                report.detected.append(store_detection(services, call, future.result()))
            except (InputError, StorageError) as error:
                report.failed.append(_failure(call.id, error))
            yield Progress(done, len(calls), call.external_id)


def pending_suggestions(services: Services, call_id: int) -> tuple[Suggestion, ...]:
    """The call's suggestions nobody has decided on yet, in time order."""
    with services.database.session() as session:
        return SuggestionRepository(session).for_call(call_id, SuggestionState.PENDING)


def latest_detection(services: Services, call_id: int) -> Detection | None:
    """The call's last detection pass with its open suggestions (who hung up by each basis, disagreements)."""
    with services.database.session() as session:
        return SuggestionRepository(session).latest_run(call_id)


def accept(services: Services, call_id: int, suggestion: Suggestion) -> tuple[Suggestion, Tag]:
    """Make a suggestion a tag (the verdict counts it from now on), in one transaction with the decision."""
    assert suggestion.id is not None
    with services.database.session() as session:
        tag = TagRepository(session).add(call_id, suggestion.as_tag(services.author))
        decided = SuggestionRepository(session).decide(
            call_id, suggestion.id, SuggestionState.ACCEPTED, services.author, tag.id
        )
    return decided, tag


def reject(services: Services, call_id: int, suggestion: Suggestion) -> Suggestion:
    """Turn a suggestion down; it stays, as a rejection, in the detector's figures."""
    assert suggestion.id is not None
    with services.database.session() as session:
        return SuggestionRepository(session).decide(call_id, suggestion.id, SuggestionState.REJECTED, services.author)


def reopen(services: Services, call_id: int, suggestion: Suggestion) -> Suggestion:
    """Undo a decision: the suggestion is open again and the tag it became (if any) is gone."""
    assert suggestion.id is not None
    with services.database.session() as session:
        if suggestion.tag_id is not None:
            TagRepository(session).delete(call_id, suggestion.tag_id)
        return SuggestionRepository(session).decide(call_id, suggestion.id, SuggestionState.PENDING, "")


def detector_rates(services: Services) -> list[DetectorRate]:
    """Each detector's record with the supervisors: accepted, rejected and open suggestions per kind."""
    with services.database.session() as session:
        return SuggestionRepository(session).rates()


def detected_calls(services: Services) -> set[int]:
    """The calls the detectors have gone over at least once."""
    with services.database.session() as session:
        return SuggestionRepository(session).detected_calls()
