"""SubRip (SRT) through pysubs2: one turn per cue, the speaker from a short "Name:" prefix if there is one."""

from __future__ import annotations

import re

import pysubs2
from pysubs2.exceptions import Pysubs2Error
from pysubs2.time import TIMESTAMP

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.base import RawTranscript, Turn

NAME = "srt"

# "Name: text" with at most three words before the colon and a space after it ("10:30" and URLs never match).
_SPEAKER = re.compile(r"\s*(\w[\w.'-]*(?: [\w.'-]+){0,2})\s*:\s+(\S.*)", re.DOTALL)
_INDEX = re.compile(r"\s*\d+\s*")


def sniff(text: str) -> bool:
    """A first block of an optional cue number followed by a "start --> end" timings line."""
    head = [line for line in text.split("\n", 20)[:20] if line.strip()][:2]
    if not head or head[0].lstrip("\ufeff").startswith("WEBVTT"):
        return False
    timings = head[1] if _INDEX.fullmatch(head[0]) and len(head) > 1 else head[0]
    return "-->" in timings and _is_timings(timings)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in cue order; each turn's `where` names the cue and its timings line."""
    try:
        events = pysubs2.SSAFile.from_string(text, format_="srt").events
    except Pysubs2Error as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, detail=str(error)) from error
    lines = _timing_lines(text, len(events))
    turns = (
        _turn(event.start, event.end, event.plaintext, f"cue {n}{line}")
        for n, (event, line) in enumerate(zip(events, lines, strict=True), 1)
    )
    return RawTranscript(NAME, encoding, tuple(turns))


def _is_timings(line: str) -> bool:
    # pysubs2's own test for a timings line: exactly two timestamps on it.
    return len(TIMESTAMP.findall(line)) == 2


def _timing_lines(text: str, count: int) -> list[str]:
    """The ", line N" suffix of each cue's `where`; blanks if our count of timings lines disagrees."""
    lines = [f", line {number}" for number, line in enumerate(text.split("\n"), 1) if _is_timings(line)]
    return lines if len(lines) == count else [""] * count


def _turn(start_ms: int, end_ms: int, plaintext: str, where: str) -> Turn:
    text = " ".join(part.strip() for part in plaintext.split("\n") if part.strip())
    speaker, text = split_speaker(text)
    return Turn(speaker=speaker, start_ms=start_ms, end_ms=end_ms, text=text, where=where)


def split_speaker(text: str) -> tuple[str, str]:
    """("Name", "rest") for "Name: rest" with a short name, else ("", text)."""
    match = _SPEAKER.fullmatch(text)
    if match is None or match.group(1)[0].isdigit():
        return "", text
    return match.group(1), match.group(2).strip()
