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
from dataclasses import dataclass, field, replace
from pathlib import Path

from reviewer.audio.decode import decode_audio
from reviewer.bundled import bundled_dir
from reviewer.detect.lexicon import LexiconError, Lexicons, load_lexicons
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


def detection_of(
    call: Call, roots: list[Path], settings: DetectSettings | None = None
) -> tuple[Detection, Problem | None]:
    """Decode the call's recording and run every detector (safe in a worker process). A recording that cannot be
    decoded (moved, broken) still leaves the transcript's findings, and the problem to report."""
    try:
        decoded = decode_audio(call.audio)
    except InputError as error:
        return detect(call, lexicons_at(roots), None, settings), error.problem
    recording = Recording(decoded.samples, decoded.sample_rate)
    return detect(call, lexicons_at(roots), recording, settings), None


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
        stored = repo.store_run(call.id, replace(detection, suggestions=fresh))
    return DetectedCall(call.id, call.external_id, detection, stored, states)


def detect_call(services: Services, call_id: int, settings: DetectSettings | None = None) -> DetectedCall:
    """Go over one library call and store what was found; InputError when its recording or a lexicon is unusable."""
    call = _load(services, call_id)
    roots = lexicon_roots(services)
    _check_lexicons(roots)
    detection, problem = detection_of(call, roots, settings)
    detected = store_detection(services, call, detection)
    if problem is not None:
        raise InputError(problem)
    return detected


def _check_lexicons(roots: list[Path]) -> None:
    try:
        lexicons_at(roots)
    except LexiconError as error:
        path = str(error).split(":", 1)[0]
        raise InputError.of(ProblemKind.BAD_LEXICON, path, "", str(error)) from error


def _failure(call: Call, error: BaseException) -> Problem:
    """What to report for a call the detectors could not go over; the batch goes on."""
    if isinstance(error, InputError):
        return error.problem
    detail = error.detail if isinstance(error, StorageError) else f"{type(error).__name__}: {error}"
    kind = ProblemKind.STORAGE if isinstance(error, StorageError) else ProblemKind.DETECTOR_FAILED
    return Problem(kind, call.audio.path or f"call {call.id}", call.external_id, detail)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def detect_calls(
    services: Services, call_ids: list[int], report: DetectReport, settings: DetectSettings | None = None
) -> Generator[Progress, None, None]:
    """Go over a batch, on every core when there is enough audio; a call that fails is reported, the rest go on."""
    calls: list[Call] = []
    for call_id in call_ids:
        try:
            calls.append(_load(services, call_id))
        except CallNotFoundError:
            report.failed.append(Problem(ProblemKind.STORAGE, f"call {call_id}", "", "no such call"))
    roots = lexicon_roots(services)
    try:
        _check_lexicons(roots)
    except InputError as error:
        report.failed.append(error.problem)  # one report for the whole batch, not one per call
        return
    workers = min(_usable_cores(), len(calls))
    if workers > 1 and sum(c.duration_ms for c in calls) >= PARALLEL_FROM_MS:
        yield from _in_workers(services, calls, report, (roots, settings), workers)
    else:
        yield from _in_process(services, calls, report, (roots, settings))
    yield Progress(len(calls), len(calls), "")


_Job = tuple[list[Path], DetectSettings | None]


def _store(services: Services, call: Call, found: tuple[Detection, Problem | None], report: DetectReport) -> None:
    detection, problem = found
    report.detected.append(store_detection(services, call, detection))
    if problem is not None:
        report.failed.append(problem)


def _in_process(
    services: Services, calls: list[Call], report: DetectReport, job: _Job
) -> Generator[Progress, None, None]:
    for done, call in enumerate(calls):
        yield Progress(done, len(calls), call.external_id)
        try:
            _store(services, call, detection_of(call, *job), report)
        except Exception as error:
            report.failed.append(_failure(call, error))


def _in_workers(
    services: Services, calls: list[Call], report: DetectReport, job: _Job, workers: int
) -> Generator[Progress, None, None]:
    # spawn, not fork: the GUI has threads, and a forked copy of a threaded process can deadlock.
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures: dict[Future[tuple[Detection, Problem | None]], Call] = {
            pool.submit(detection_of, c, *job): c for c in calls
        }
        yield Progress(0, len(calls), calls[0].external_id)
        for done, future in enumerate(as_completed(futures), start=1):
            call = futures[future]
            try:
                _store(services, call, future.result(), report)
            except Exception as error:
                report.failed.append(_failure(call, error))
            yield Progress(done, len(calls), call.external_id)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # a cancelled job stops after the calls under way


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
        repo = SuggestionRepository(session)
        # The tag as the database links it now: if it was deleted meanwhile, its id may belong to another tag.
        tag_id = repo.current(call_id, suggestion.id).tag_id
        if tag_id is not None:
            TagRepository(session).delete(call_id, tag_id)
        return repo.decide(call_id, suggestion.id, SuggestionState.PENDING, "")


def detector_rates(services: Services) -> list[DetectorRate]:
    """Each detector's record with the supervisors: accepted, rejected and open suggestions per kind."""
    with services.database.session() as session:
        return SuggestionRepository(session).rates()


def detected_calls(services: Services) -> set[int]:
    """The calls the detectors have gone over at least once."""
    with services.database.session() as session:
        return SuggestionRepository(session).detected_calls()
