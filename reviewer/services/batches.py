"""Turn a folder or a manifest CSV into import requests; a bad row is a Problem, the other rows go on."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import Problem, ProblemKind
from reviewer.services.importing import ImportRequest

AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".ogg", ".oga", ".opus", ".flac", ".m4a", ".aac", ".wma", ".au"})
TRANSCRIPT_SUFFIXES = frozenset({".vtt", ".srt", ".json", ".csv", ".tsv", ".txt", ".eaf", ".textgrid", ".rttm"})
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


def _matches(transcript: Path, audio: Path) -> bool:
    """'call7.vtt' and 'call7.wav.json' both belong to 'call7.wav' (Whisper appends its suffix to the name)."""
    name = transcript.name.lower()
    return any(name.startswith(key.lower() + ".") for key in (audio.stem, audio.name))


def plan_folder(folder: Path, template: ImportRequest) -> tuple[list[ImportRequest], list[Problem]]:
    """One request per recording in the folder, paired with the transcript that shares its base name."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    audio = [p for p in files if p.suffix.lower() in AUDIO_SUFFIXES]
    transcripts = [p for p in files if p.suffix.lower() in TRANSCRIPT_SUFFIXES]
    requests, problems = [], []
    for recording in audio:
        candidates = [t for t in transcripts if _matches(t, recording)]
        if len(candidates) > 1:
            names = ", ".join(c.name for c in candidates)
            problems.append(
                Problem(ProblemKind.BAD_MANIFEST, str(recording), detail=f"several transcripts match: {names}")
            )
            continue
        transcript = candidates[0] if candidates else None
        requests.append(replace(template, audio=recording, transcript=transcript, external_id=None))
    return requests, problems


def _row_request(row: dict[str, str], base: Path, template: ImportRequest) -> ImportRequest:
    """One manifest row as a request; ValueError names the bad column."""
    audio = (row.get("audio") or "").strip()
    if not audio:
        raise ValueError("audio: empty")
    layout_text = (row.get("layout") or "").strip()
    started_text = (row.get("started_at") or "").strip()
    transcript = (row.get("transcript") or "").strip()
    try:
        started_at = datetime.fromisoformat(started_text) if started_text else None
    except ValueError as error:
        raise ValueError(f"started_at: {started_text!r} is not an ISO-8601 date") from error
    if started_at is not None and started_at.tzinfo is None:
        started_at = started_at.astimezone()  # no offset given: the recorder's clock is this machine's zone
    try:
        layout = ChannelLayout(layout_text) if layout_text else template.layout
    except ValueError as error:
        raise ValueError(f"layout: {layout_text!r} is not agent-left, agent-right or mono") from error
    return replace(
        template,
        audio=base / audio,
        transcript=base / transcript if transcript else None,
        external_id=(row.get("call_id") or "").strip() or None,
        agent=(row.get("agent") or "").strip() or template.agent,
        team=(row.get("team") or "").strip() or template.team,
        started_at=started_at,
        layout=layout,
        disconnect_reason=(row.get("disconnect_reason") or "").strip() or None,
    )


def plan_manifest(manifest: Path, template: ImportRequest) -> tuple[list[ImportRequest], list[Problem]]:
    """Requests from a manifest CSV (paths relative to the manifest's folder)."""
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(ProblemKind.UNREADABLE, str(manifest), detail=str(error))]
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("audio",) if c not in (reader.fieldnames or [])]
    if missing:
        columns = ", ".join(MANIFEST_COLUMNS)
        return [], [
            Problem(ProblemKind.BAD_MANIFEST, str(manifest), "line 1", f"no 'audio' column; expected {columns}")
        ]
    requests, problems = [], []
    for row in reader:
        try:
            requests.append(_row_request(row, manifest.parent, template))
        except ValueError as error:
            problems.append(Problem(ProblemKind.BAD_MANIFEST, str(manifest), f"line {reader.line_num}", str(error)))
    return requests, problems
