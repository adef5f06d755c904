"""Open a call for review: the call, its waveform peaks and the files the player plays, prepared off the GUI thread."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.audio.decode import decode_audio
from reviewer.audio.peaks import PeaksPyramid, build_peaks
from reviewer.domain.call import Call
from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, Problem, ProblemKind
from reviewer.domain.progress import Progress
from reviewer.services.context import Services
from reviewer.services.library import get_call

STEPS = 3


@dataclass(frozen=True, slots=True)
class OpenedCall:
    """Everything the review window shows; without audio (moved or unreadable) it still opens, with the reason."""

    call: Call
    peaks: PeaksPyramid | None
    sources: dict[Party | None, Path] = field(default_factory=dict)  # None: both parties; a party: its channel alone
    problem: Problem | None = None


def open_call(services: Services, ref: str) -> Generator[Progress, None, OpenedCall]:
    """Read the call, then reuse cached peaks and playback files, decoding the recording once only if one is missing."""
    yield Progress(0, STEPS, "reading the call")
    call = get_call(services, ref)
    sha, channels = call.audio.sha256, call.audio.channels
    peaks = services.peaks.load(sha)
    if peaks is not None and services.playback.has(sha, channels):
        return OpenedCall(call, peaks, _sources(call, services.playback.paths(sha, channels)))
    yield Progress(1, STEPS, f"decoding {Path(call.audio.path).name}")
    try:
        decoded = decode_audio(call.audio)
    except InputError as error:
        return OpenedCall(call, peaks, problem=error.problem)
    yield Progress(2, STEPS, "drawing the waveform")
    try:
        if peaks is None:
            peaks = build_peaks(decoded.samples, decoded.sample_rate)
            services.peaks.save(sha, peaks)
        paths = services.playback.write(sha, decoded.samples, decoded.sample_rate)
    except OSError as error:
        where = str(services.playback.directory)
        return OpenedCall(call, peaks, problem=Problem(ProblemKind.STORAGE, call.audio.path, where, str(error)))
    return OpenedCall(call, peaks, _sources(call, paths))


def _sources(call: Call, paths: list[Path]) -> dict[Party | None, Path]:
    sources: dict[Party | None, Path] = {None: paths[0]}
    for party in Party:
        channel = call.audio.layout.channel_of(party)
        if channel is not None and channel + 1 < len(paths):
            sources[party] = paths[channel + 1]
    return sources
