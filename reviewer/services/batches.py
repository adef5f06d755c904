"""Turn a folder or a manifest CSV into import requests; a bad row is a Problem, the other rows go on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import InputError, Problem, ProblemKind
from reviewer.formats.text import read_text
from reviewer.services.importing import ImportRequest

AUDIO_SUFFIXES = frozenset(
    {
        *(".wav", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac", ".wma", ".au"),
        *(".aif", ".aiff", ".amr", ".gsm", ".caf", ".wv", ".mka", ".webm", ".3gp"),  # recorders and ffmpeg output
    }
)
# Only extensions a transcript reader handles today; the issue adding .txt/.eaf/.textgrid/.rttm readers extends this.
TRANSCRIPT_SUFFIXES = frozenset({".vtt", ".srt", ".json", ".csv", ".tsv"})
MANIFEST_COLUMNS = (
    "call_id",
    "agent",
    "team",
    "started_at",
    "audio",
    "transcript",
    "layout",
    "disconnect_reason",
)
_DELIMITERS = ("\t", ";", ",")  # on a tie the earlier one wins; a header with none of them is one column

Row = dict[str, str]


# --- folders ------------------------------------------------------------------------------------------------------


def plan_folder(folder: Path, template: ImportRequest) -> tuple[list[ImportRequest], list[Problem]]:
    """One request per recording in the folder, paired with the one transcript named after it.

    A recording that several transcripts match, or whose transcript also matches another recording, is
    reported (AMBIGUOUS_PAIRING) and left out: the user decides, we never guess or parse a file for two calls.
    """
    pairing = _pairing(_visible_files(folder))
    owners = _owners(pairing)
    requests, problems = [], []
    for recording, candidates in pairing.items():
        problem = _pairing_problem(recording, candidates, owners)
        if problem is not None:
            problems.append(problem)
            continue
        transcript = candidates[0] if candidates else None
        requests.append(replace(template, audio=recording, transcript=transcript, external_id=None))
    return requests, problems


def plan_drop(paths: list[Path], template: ImportRequest) -> tuple[list[ImportRequest], list[Problem]]:
    """Files and folders dropped on the window: folders as by `plan_folder`, a '*manifest*.csv' as a manifest,
    loose files paired by name among themselves; a transcript dropped without its recording is reported."""
    requests: list[ImportRequest] = []
    problems: list[Problem] = []
    loose: list[Path] = []
    for path in paths:
        if path.is_dir():
            planned = plan_folder(path, template)
        elif path.suffix.lower() in {".csv", ".tsv"} and "manifest" in path.stem.lower():
            planned = plan_manifest(path, template)
        else:
            loose.append(path)
            continue
        requests += planned[0]
        problems += planned[1]
    planned = _plan_files(loose, template)
    return requests + planned[0], problems + planned[1]


def _plan_files(files: list[Path], template: ImportRequest) -> tuple[list[ImportRequest], list[Problem]]:
    pairing = _pairing(sorted(files))
    owners = _owners(pairing)
    requests, problems = [], []
    for recording, candidates in pairing.items():
        problem = _pairing_problem(recording, candidates, owners)
        if problem is not None:
            problems.append(problem)
            continue
        requests.append(replace(template, audio=recording, transcript=candidates[0] if candidates else None))
    for path in files:
        if path not in owners and path not in pairing:
            problems.append(Problem(ProblemKind.UNKNOWN_FORMAT, str(path), detail=_unpaired_reason(path)))
    return requests, problems


def _unpaired_reason(path: Path) -> str:
    if path.suffix.lower() in TRANSCRIPT_SUFFIXES:
        return "a transcript needs its recording: drop both together (same name), or the folder"
    return "neither a recording nor a transcript this app reads"


def _visible_files(folder: Path) -> list[Path]:
    """Regular files, without hidden ones and the '._name' AppleDouble companions macOS leaves on shared drives."""
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())


def _pairing(files: list[Path]) -> dict[Path, list[Path]]:
    """Each recording with the transcripts that belong to it."""
    recordings = [p for p in files if p.suffix.lower() in AUDIO_SUFFIXES]
    transcripts = [p for p in files if p.suffix.lower() in TRANSCRIPT_SUFFIXES]
    return {r: [t for t in transcripts if _belongs(t, r)] for r in recordings}


def _belongs(transcript: Path, recording: Path) -> bool:
    """'call7.vtt' and 'call7.wav.json' (Whisper appends to the full name) belong to 'call7.wav'; 'call7.1.vtt' not."""
    if transcript.stem.lower() == recording.stem.lower():
        return True
    return transcript.name.lower().startswith(recording.name.lower() + ".")


def _owners(pairing: dict[Path, list[Path]]) -> dict[Path, list[Path]]:
    """Each matched transcript with the recordings it matches."""
    owners: dict[Path, list[Path]] = {}
    for recording, candidates in pairing.items():
        for transcript in candidates:
            owners.setdefault(transcript, []).append(recording)
    return owners


def _pairing_problem(recording: Path, candidates: list[Path], owners: dict[Path, list[Path]]) -> Problem | None:
    """Why this recording cannot be paired on its own, or None when it can."""
    if len(candidates) > 1:
        detail = f"several transcripts match: {_names(candidates)}; keep one, or import with a manifest"
        return Problem(ProblemKind.AMBIGUOUS_PAIRING, str(recording), detail=detail)
    others = [r for t in candidates for r in owners[t] if r != recording]
    if others:
        detail = f"transcript {candidates[0].name} also matches {_names(others)}; rename one, or import with a manifest"
        return Problem(ProblemKind.AMBIGUOUS_PAIRING, str(recording), detail=detail)
    return None


def _names(paths: list[Path]) -> str:
    return ", ".join(p.name for p in paths)


# --- manifests ----------------------------------------------------------------------------------------------------


def plan_manifest(
    manifest: Path, template: ImportRequest, *, encoding: str | None = None
) -> tuple[list[ImportRequest], list[Problem]]:
    """Requests from a manifest CSV (paths relative to the manifest's folder); encoding detected unless given."""
    try:
        text, _ = read_text(str(manifest), encoding)
    except InputError as error:
        return [], [error.problem]
    rows = _numbered_rows(text)
    header_line, header_cells = next(rows, (1, []))
    header = [_column_name(cell) for cell in header_cells]
    if "audio" not in header:
        return [], [_no_audio_column(manifest, header_line, header)]
    requests, problems = [], []
    for number, cells in rows:
        try:
            requests.append(_row_request(dict(zip(header, cells, strict=False)), manifest.parent, template))
        except ValueError as error:
            problems.append(Problem(ProblemKind.BAD_MANIFEST, str(manifest), f"line {number}", str(error)))
    return requests, problems


def _numbered_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on, split by the delimiter the header line uses."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.split("\n", 1)[0]))
    while True:
        first_line = reader.line_num + 1
        cells = next(reader, None)
        if cells is None:
            return
        if any(cell.strip() for cell in cells):
            yield first_line, cells


def _delimiter(header: str) -> str:
    """Spreadsheets save ';' in comma-decimal locales and tabs as 'text'; the header says which one was used."""
    return max(_DELIMITERS, key=header.count) if any(d in header for d in _DELIMITERS) else ","


def _column_name(cell: str) -> str:
    return cell.strip().lower()


def _no_audio_column(manifest: Path, line: int, header: list[str]) -> Problem:
    found = ", ".join(name for name in header if name) or "none"
    detail = f"no 'audio' column (found: {found}); expected {', '.join(MANIFEST_COLUMNS)}"
    return Problem(ProblemKind.BAD_MANIFEST, str(manifest), f"line {line}", detail)


def _row_request(row: Row, base: Path, template: ImportRequest) -> ImportRequest:
    """One manifest row as a request; ValueError names the bad column."""
    audio = _cell(row, "audio")
    if not audio:
        raise ValueError("audio: empty")
    transcript = _cell(row, "transcript")
    return replace(
        template,
        audio=_resolve(base, audio),
        transcript=_resolve(base, transcript) if transcript else None,
        external_id=_cell(row, "call_id") or None,
        agent=_cell(row, "agent") or template.agent,
        team=_cell(row, "team") or template.team,
        started_at=_started_at(_cell(row, "started_at")),
        layout=_layout(_cell(row, "layout"), template.layout),
        disconnect_reason=_cell(row, "disconnect_reason") or None,
    )


def _cell(row: Row, column: str) -> str:
    return (row.get(column) or "").strip()


def _resolve(base: Path, given: str) -> Path:
    """A path relative to the manifest; 'calls\\a.wav' from a Windows-made manifest also resolves on POSIX."""
    path = base / given
    if "\\" not in given or path.exists():
        return path
    return base / given.replace("\\", "/")


def _started_at(text: str) -> datetime | None:
    if not text:
        return None
    try:
        started_at = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"started_at: {text!r} is not an ISO-8601 date") from error
    # No offset given: the recorder's clock is this machine's zone.
    return started_at if started_at.tzinfo is not None else started_at.astimezone()


def _layout(text: str, default: ChannelLayout | None) -> ChannelLayout | None:
    if not text:
        return default
    try:
        return ChannelLayout(text.lower())
    except ValueError as error:
        raise ValueError(f"layout: {text!r} is not agent-left, agent-right or mono") from error
