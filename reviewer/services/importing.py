"""Import recordings with their transcripts: one call per transaction, failures reported, duplicates skipped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from reviewer.audio.decode import Decoded, decode, join_mono
from reviewer.audio.files import sha256_of
from reviewer.audio.peaks import build_peaks
from reviewer.domain.call import AudioInfo, Call, TranscriptInfo
from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import InputError, Problem, ProblemKind
from reviewer.domain.progress import Progress
from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.registry import read_raw
from reviewer.persistence.calls import CallRepository
from reviewer.services.context import Services


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One call to import: its audio (one file, or agent + customer files), transcript and metadata."""

    audio: Path
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

    @property
    def ok(self) -> bool:
        """Nothing failed."""
        return not self.failed


def _layout_for(request: ImportRequest, decoded: Decoded) -> ChannelLayout:
    if request.customer_audio is not None:
        return ChannelLayout.SEPARATE_FILES
    layout = request.layout or (ChannelLayout.MONO if decoded.channels == 1 else ChannelLayout.AGENT_LEFT)
    if layout in (ChannelLayout.AGENT_LEFT, ChannelLayout.AGENT_RIGHT) and decoded.channels < 2:
        raise InputError.of(
            ProblemKind.CHANNEL_MISMATCH,
            str(request.audio),
            detail=f"layout {layout} needs two channels; the recording has {decoded.channels}",
        )
    return layout


def _decode_request(request: ImportRequest) -> Decoded:
    agent = decode(request.audio)
    if request.customer_audio is None:
        return agent
    customer = decode(request.customer_audio)
    if agent.channels != 1 or customer.channels != 1:
        raise InputError.of(
            ProblemKind.CHANNEL_MISMATCH,
            str(request.customer_audio if agent.channels == 1 else request.audio),
            detail="separate agent and customer files must each be mono",
        )
    return join_mono(agent, customer)


def _prepare(request: ImportRequest, decoded: Decoded, sha: str) -> Call:
    """Everything about the call except storing it; raises InputError for a bad transcript."""
    layout = _layout_for(request, decoded)
    audio_paths = [request.audio, *([request.customer_audio] if request.customer_audio else [])]
    audio = AudioInfo(
        path=str(audio_paths[0].resolve()),
        customer_path=str(audio_paths[1].resolve()) if len(audio_paths) > 1 else None,
        sha256=sha,
        duration_ms=decoded.duration_ms,
        sample_rate=decoded.sample_rate,
        channels=decoded.channels,
        layout=layout,
    )
    call = Call(
        external_id=request.external_id or request.audio.stem,
        audio=audio,
        started_at=request.started_at,
        agent=request.agent,
        team=request.team,
        disconnect_reason=request.disconnect_reason,
    )
    if request.transcript is None:
        return call
    raw = read_raw(str(request.transcript), request.transcript_format, request.transcript_encoding)
    validate_times(raw, str(request.transcript), decoded.duration_ms)
    _, utterances = map_parties(raw, layout)
    return replace(
        call,
        disconnect_reason=request.disconnect_reason or raw.disconnect_reason,
        transcript=TranscriptInfo(str(request.transcript.resolve()), raw.format, raw.encoding),
        utterances=utterances,
        tags=raw.events,
    )


def import_one(services: Services, request: ImportRequest, report: ImportReport) -> None:
    """Import one call in its own transaction; a refusal lands in the report and stores nothing."""
    try:
        decoded = _decode_request(request)
        sha = sha256_of([request.audio, *([request.customer_audio] if request.customer_audio else [])])
        with services.database.session() as session:
            existing = CallRepository(session).id_by_sha(sha)
        if existing is not None:
            report.skipped.append(Skipped(request.label, existing))
            return
        call = _prepare(request, decoded, sha)
        if services.peaks.load(sha) is None:
            services.peaks.save(sha, build_peaks(decoded.samples, decoded.sample_rate))
        with services.database.session() as session:
            report.imported.append(CallRepository(session).add(call))
    except InputError as error:
        report.failed.append(error.problem)


def import_calls(services: Services, requests: list[ImportRequest], report: ImportReport) -> Iterator[Progress]:
    """Import a batch, yielding progress before each call; the batch goes on past failures."""
    for done, request in enumerate(requests):
        yield Progress(done, len(requests), request.label)
        import_one(services, request, report)
    yield Progress(len(requests), len(requests), "")
