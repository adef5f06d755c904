"""Read a transcript file without the library: what format, which encoding, who speaks as whom, which events."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Speaker, Utterance
from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.registry import read_raw


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A transcript as the importer would see it, before any recording is involved."""

    format: str
    encoding: str
    speakers: tuple[Speaker, ...]
    utterances: tuple[Utterance, ...]
    events: tuple[Tag, ...]


def parse_file(
    path: Path, format: str | None = None, encoding: str | None = None, uri: str | None = None
) -> ParsedFile:
    """Parse and map speakers exactly as import does without audio (no channel layout): InputError if unusable."""
    raw = read_raw(str(path), format, encoding, uri=uri, audio_name=path.stem)
    validate_times(raw, str(path), None)
    speakers, utterances = map_parties(raw, None)
    return ParsedFile(raw.format, raw.encoding, speakers, utterances, raw.events)
