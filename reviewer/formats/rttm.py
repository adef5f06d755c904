"""NIST RTTM diarization: one turn without text per `SPEAKER uri chan start dur <NA> <NA> name <NA> <NA>` line.

One file may hold several recordings (uris); `parse` reads one of them: the uri asked for, else the only one, else
the one named like the audio file, else it refuses and lists them. Comment lines (";;", "#") and blank lines are
skipped. Records other than SPEAKER are ignored: SPKR-INFO only describes a speaker (no times), and the rest
(SEGMENT, LEXEME, NON-LEX, NOSCORE...) are scoring regions or word-level annotations, not who speaks when.
The channel field is not used: diarization files write "1" for every turn of a mixed recording, and taking it for
a stereo channel would hand every turn to one party.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.times import seconds_to_ms

NAME = "rttm"

# The record types of the NIST RT-09 evaluation plan (appendix A).
_TYPES = frozenset(
    {
        *("SEGMENT", "NOSCORE", "NO_RT_METADATA", "LEXEME", "NON-LEX", "NON-SPEECH", "FILLER"),
        *("EDIT", "IP", "SU", "CB", "A/P", "SPEAKER", "SPKR-INFO"),
    }
)
_SPEAKER_FIELDS = 8  # type, uri, channel, start, duration, orthography, subtype, name (the last two often omitted)
_SNIFF_LINES = 20


@dataclass(frozen=True, slots=True)
class _Record:
    """One SPEAKER line."""

    line: int
    uri: str
    start_ms: int
    end_ms: int
    name: str


def sniff(text: str) -> bool:
    """The first records are RTTM record types, and at least one is a SPEAKER line with numeric times."""
    lines = [fields for _, fields in _records(text)][:_SNIFF_LINES]
    return bool(lines) and all(fields[0] in _TYPES for fields in lines) and any(_is_speaker(fields) for fields in lines)


def parse(text: str, path: str, encoding: str, uri: str | None = None, audio_name: str | None = None) -> RawTranscript:
    """The turns of one recording of the file, in file order (see the module docstring for which one)."""
    records = [_record(fields, n, path) for n, fields in _records(text) if _is_speaker_line(fields, n, path)]
    uris = list(dict.fromkeys(record.uri for record in records))
    chosen = _choose(uris, uri, audio_name, path)
    turns = (Turn(r.name, r.start_ms, r.end_ms, "", where=f"line {r.line}") for r in records if r.uri == chosen)
    return RawTranscript(NAME, encoding, tuple(turns))


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of every line that is neither blank nor a comment."""
    numbered = enumerate(text.lstrip("\ufeff").split("\n"), 1)
    return [(n, line.split()) for n, line in numbered if line.strip() and not line.lstrip().startswith((";;", "#"))]


def _is_speaker(fields: list[str]) -> bool:
    return fields[0] == "SPEAKER" and len(fields) >= _SPEAKER_FIELDS and _all_numbers(fields[3:5])


def _all_numbers(values: list[str]) -> bool:
    return all(_seconds(value) is not None for value in values)


def _is_speaker_line(fields: list[str], line: int, path: str) -> bool:
    """Whether to read the line; a line that is no RTTM record at all is refused."""
    if fields[0] not in _TYPES:
        raise InputError.of(ProblemKind.BAD_VALUE, path, f"line {line}", f"unknown record type {fields[0][:20]!r}")
    return fields[0] == "SPEAKER"


def _record(fields: list[str], line: int, path: str) -> _Record:
    where = f"line {line}"
    if len(fields) < _SPEAKER_FIELDS:
        detail = f"{len(fields)} fields, SPEAKER needs {_SPEAKER_FIELDS} (type uri channel start duration - - name)"
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, detail)
    start, duration = _seconds(fields[3]), _seconds(fields[4])
    if start is None or duration is None:
        detail = f"start {fields[3][:20]!r} and duration {fields[4][:20]!r} must be non-negative seconds"
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, detail)
    return _Record(line, fields[1], seconds_to_ms(start), seconds_to_ms(start + duration), fields[7])


def _seconds(text: str) -> float | None:
    """A non-negative finite number of seconds, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _choose(uris: list[str], uri: str | None, audio_name: str | None, path: str) -> str | None:
    """The recording to read: the one asked for, the only one, or the one named like the audio."""
    held = ", ".join(uris) or "none"
    if uri is not None:
        if uri not in uris:
            raise InputError.of(ProblemKind.BAD_VALUE, path, detail=f"no recording {uri!r}; the file holds: {held}")
        return uri
    if len(uris) <= 1:
        return uris[0] if uris else None
    if audio_name in uris:
        return audio_name
    detail = f"{len(uris)} recordings ({held}); choose one with --uri"
    raise InputError.of(ProblemKind.AMBIGUOUS_PAIRING, path, detail=detail)
