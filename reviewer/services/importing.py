"""Import recordings with their transcripts: one call per transaction, failures reported, duplicates skipped.

Order of work per call, cheapest refusal first: hash the files and skip a known recording, parse the transcript,
decode the audio, check the transcript against it, build peaks, store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from reviewer.audio.decode import Decoded, decode, join_mono
from reviewer.audio.files import check_readable, file_sha256, recording_sha256
from reviewer.audio.peaks import build_peaks
from reviewer.domain.call import AudioInfo, Call, TranscriptInfo
from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import InputError, Problem, ProblemKind, StorageError
from reviewer.domain.progress import Progress
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.registry import read_raw
from reviewer.persistence.calls import CallRepository
from reviewer.services.context import Services
from reviewer.services.detecting import DetectReport, detect_calls
from reviewer.services.speakers import assign_channels


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One call to import: its audio (one file, or agent + customer files), transcript and metadata."""

    audio: Path  # the recording, or the agent's own file when customer_audio is given
    customer_audio: Path | None = None
    transcript: Path | None = None
    external_id: str | None = None
    agent: str | None = None
    team: str | None = None
    started_at: datetime | None = None
    layout: ChannelLayout | None = None  # None: agent-left for two channels, mono for one
    disconnect_reason: str | None = None
    transcript_format: str | None = None
    transcript_encoding: str | None = None
    transcript_uri: str | None = None  # which recording of a multi-recording RTTM file
    swap: bool = False  # the source is known to label the parties the other way round

    @property
    def label(self) -> str:
        """How progress and reports name this call."""
        return str(self.audio)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A recording already in the library."""

    path: str
    existing_id: int


@dataclass(slots=True)
class ImportReport:
    """What a batch did: new call ids, duplicates skipped, files refused (with the reason as data)."""

    imported: list[int] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)
    detection: DetectReport = field(default_factory=DetectReport)  # the detectors' pass over the imported calls

    @property
    def ok(self) -> bool:
        """Nothing failed."""
        return not self.failed


@dataclass(frozen=True, slots=True)
class Recording:
    """The files of one recording in channel order, and its identity."""

    files: tuple[Path, ...]
    sha256: str


def identify(request: ImportRequest) -> Recording:
    """Hash the file(s). Separate party files are put in a canonical channel order (by hash), so the pair given
    the other way round is the same recording with the same peaks; the layout then says which channel is whose."""
    given = [request.audio] if request.customer_audio is None else [request.audio, request.customer_audio]
    for path in given:
        check_readable(path)
    digests = [file_sha256(path) for path in given]
    if len(given) == 2 and digests[0] == digests[1]:
        detail = f"it is the same recording as the agent's file {request.audio.name}"
        raise InputError.of(ProblemKind.CHANNEL_MISMATCH, str(given[1]), detail=detail)
    ordered = tuple(path for _, path in sorted(zip(digests, given, strict=True)))
    return Recording(ordered, recording_sha256(digests))


def _layout(request: ImportRequest, recording: Recording, decoded: Decoded) -> ChannelLayout:
    if len(recording.files) == 2:
        return ChannelLayout.AGENT_LEFT if recording.files[0] == request.audio else ChannelLayout.AGENT_RIGHT
    layout = request.layout or (ChannelLayout.MONO if decoded.channels == 1 else ChannelLayout.AGENT_LEFT)
    if layout is not ChannelLayout.MONO and decoded.channels < 2:
        detail = f"layout {layout} needs two channels; the recording has {decoded.channels}"
        raise InputError.of(ProblemKind.CHANNEL_MISMATCH, str(request.audio), detail=detail)
    return layout


def _audio_info(recording: Recording, decoded: Decoded, layout: ChannelLayout) -> AudioInfo:
    second = str(recording.files[1].resolve()) if len(recording.files) == 2 else None
    return AudioInfo(
        path=str(recording.files[0].resolve()),
        second_path=second,
        sha256=recording.sha256,
        duration_ms=decoded.duration_ms,
        sample_rate=decoded.sample_rate,
        channels=decoded.channels,
        layout=layout,
    )


def _with_transcript(call: Call, transcript: Path, raw: RawTranscript, decoded: Decoded) -> Call:
    validate_times(raw, str(transcript), decoded.duration_ms)
    _, utterances = map_parties(assign_channels(raw, decoded, call.audio.layout), call.audio.layout)
    return replace(
        call,
        disconnect_reason=call.disconnect_reason or raw.disconnect_reason,
        transcript=TranscriptInfo(str(transcript.resolve()), raw.format, raw.encoding),
        utterances=utterances,
        tags=raw.events,
    )


def prepare(request: ImportRequest, recording: Recording) -> tuple[Call, Decoded]:
    """Everything about a new call except storing it; InputError for anything unusable."""
    raw = None
    if request.transcript is not None:  # parsed before the costly decode: a bad transcript fails fast
        raw = read_raw(
            str(request.transcript),
            request.transcript_format,
            request.transcript_encoding,
            uri=request.transcript_uri,
            audio_name=request.audio.stem,
        )
    files = recording.files
    decoded = decode(files[0]) if len(files) == 1 else join_mono(files[0], files[1])
    call = Call(
        external_id=request.external_id or request.audio.stem,
        audio=_audio_info(recording, decoded, _layout(request, recording, decoded)),
        started_at=request.started_at,
        agent=request.agent,
        team=request.team,
        disconnect_reason=request.disconnect_reason,
    )
    if request.transcript is not None and raw is not None:
        call = _with_transcript(call, request.transcript, raw, decoded)
    return (call.swapped() if request.swap else call), decoded


def _existing(services: Services, sha256: str) -> int | None:
    with services.database.session() as session:
        return CallRepository(session).id_by_sha(sha256)


def _save_peaks(services: Services, call: Call, decoded: Decoded) -> None:
    if services.peaks.has(call.audio.sha256):
        return
    try:
        services.peaks.save(call.audio.sha256, build_peaks(decoded.samples, decoded.sample_rate))
    except OSError as error:
        where = str(services.peaks.path_for(call.audio.sha256))
        raise InputError.of(ProblemKind.STORAGE, call.audio.path, where, f"waveform cache: {error}") from error


def _store(services: Services, request: ImportRequest, call: Call, report: ImportReport) -> None:
    try:
        with services.database.session() as session:
            report.imported.append(CallRepository(session).add(call))
    except StorageError as error:
        winner = _existing(services, call.audio.sha256)  # a colleague imported the same recording meanwhile
        if winner is None:
            raise InputError.of(ProblemKind.STORAGE, request.label, detail=error.detail) from error
        report.skipped.append(Skipped(request.label, winner))


def import_one(services: Services, request: ImportRequest, report: ImportReport) -> None:
    """Import one call in its own transaction; a refusal lands in the report and stores nothing."""
    try:
        recording = identify(request)
        existing = _existing(services, recording.sha256)
        if existing is not None:
            report.skipped.append(Skipped(request.label, existing))
            return
        call, decoded = prepare(request, recording)
        _save_peaks(services, call, decoded)
        _store(services, request, call, report)
    except InputError as error:
        report.failed.append(error.problem)
    except StorageError as error:
        report.failed.append(Problem(ProblemKind.STORAGE, request.label, detail=error.detail))


def source_of(audio: Path) -> str:
    """The import source a recording belongs to: the folder a recorder exported it to."""
    return str(audio.resolve().parent)


def import_calls(
    services: Services, requests: list[ImportRequest], report: ImportReport, *, detect: bool = True
) -> Iterator[Progress]:
    """Import a batch, yielding progress before each call (the batch goes on past failures); then, unless told not
    to, run the detectors over the calls imported, so their suggestions wait in the review window."""
    swapped_sources = services.preferences.load().swapped_sources
    for done, request in enumerate(requests):
        yield Progress(done, len(requests), request.label)
        swap = request.swap or source_of(request.audio) in swapped_sources
        import_one(services, replace(request, swap=swap), report)
    yield Progress(len(requests), len(requests), "")
    if detect and report.imported:
        yield from detect_calls(services, list(report.imported), report.detection)
        yield Progress(len(requests), len(requests), "")
