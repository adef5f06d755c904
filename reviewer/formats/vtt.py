"""WebVTT through webvtt-py: one turn per cue, the `<v Name>` voice as the speaker, cue tags stripped."""

from __future__ import annotations

import io
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.base import RawTranscript, Turn

NAME = "vtt"

# The same leniency as webvtt-py's non-strict reader: hours optional, short fields allowed.
_TIMESTAMP = r"(?:\d+:)?(\d{1,2}):(\d{1,2})\.\d{1,3}"
_TIMINGS = re.compile(rf"\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}")


def sniff(text: str) -> bool:
    """The WebVTT signature on the first line."""
    return text.lstrip("\ufeff").startswith("WEBVTT")


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in cue order; each turn's `where` names the cue and its timings line."""
    lines = _timing_lines(text)
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
    except MalformedFileError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, "line 1", f"not WebVTT: {error}") from error
    except MalformedCaptionError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, _first_bad_line(text, lines), str(error)) from error
    if len(captions) != len(lines):
        # The non-strict reader drops cues it cannot read; refuse rather than lose speech silently.
        where = _first_bad_line(text, lines)
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, "cue timings not readable")
    numbered = enumerate(zip(captions, lines, strict=True), 1)
    turns = (_turn(caption, n, line) for n, (caption, line) in numbered)
    return RawTranscript(NAME, encoding, tuple(turns))


def _turn(caption: webvtt.Caption, number: int, line: int) -> Turn:
    text = " ".join(part.strip() for part in caption.text.split("\n") if part.strip())
    return Turn(
        speaker=(caption.voice or "").strip(),
        start_ms=caption.start_time.in_milliseconds(),
        end_ms=caption.end_time.in_milliseconds(),
        text=text,
        where=f"cue {number}, line {line}",
    )


def _timing_lines(text: str) -> list[int]:
    """1-based line numbers of the cue timings lines: a line with "-->" first or second in its block."""
    found: list[int] = []
    block_line = 0
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            block_line = 0
            continue
        block_line += 1
        if "-->" in line and block_line <= 2 and number > 1:
            found.append(number)
    return found


def _first_bad_line(text: str, lines: list[int]) -> str:
    """Where the first timings line that webvtt-py would not read is ("line N"), or "" when none is found."""
    all_lines = text.split("\n")
    return next((f"line {number}" for number in lines if not _readable(all_lines[number - 1])), "")


def _readable(timings: str) -> bool:
    match = _TIMINGS.match(timings)
    return match is not None and all(int(field) <= 59 for field in match.groups())
