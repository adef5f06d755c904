"""WebVTT through webvtt-py: one turn per cue, the `<v Name>` voice as the speaker, cue tags stripped.

`write` keeps what players do not show in cue identifiers, which players ignore and `parse` reads back:

- speech: identifier `agent-7` or `customer-7` (cue number) sets `Turn.role`; the cue is `<v Anna>text</v>`.
  An empty speaker label is shown as `<v Agent>`/`<v Customer>` and marked `agent-7 unlabelled`.
- tag: identifier `tag-8 customer profanity point source=manual author=Anna` (the token grammar of
  `srt.tag_tokens`: actor, kind, `point` for a point event, source, author; percent-encoded where needed);
  the cue is `<c.tag.profanity>[tag customer profanity]</c> the note`, placed at the top (`line:0`) so it does
  not cover the speech. A point event is written 1 ms long (WebVTT wants the end after the start) and read back
  with end == start. Identifiers that follow neither pattern (numbers, anything else) change nothing.

Text is escaped as WebVTT wants (`&amp; &lt; &gt;`) and read back unescaped; line breaks and whitespace at either
end are written as character references (`&#10;`), so texts and notes round-trip exactly.
"""

from __future__ import annotations

import html
import io
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from reviewer.domain.call import Call
from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.srt import read_tag_tokens, tag_tokens

NAME = "vtt"

# The same leniency as webvtt-py's non-strict reader: hours optional, short fields allowed.
_TIMESTAMP = r"(?:\d+:)?(\d{1,2}):(\d{1,2})\.\d{1,3}"
_TIMINGS = re.compile(rf"\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}")
# The writer's identifiers; tokens are percent-encoded, so single spaces separate them.
_SPEECH_ID = re.compile(r"(agent|customer)-\d+( unlabelled)?")
_TAG_ID = re.compile(r"tag-\d+ ((?:agent|customer|call|unknown)(?: \S+)+)")
_TAG_LABEL = re.compile(r"<c(?:\.[^\s.<>&]+)*>[^<]*</c> ?")
_CUE_TAG = re.compile(r"<[^>]*>")
_CLASS_SAFE = re.compile(r"\w+", re.ASCII)
_HEADER = (
    "WEBVTT\n\n"
    "NOTE Written by Call Reviewer. Cue identifiers carry the review: agent-N and customer-N give the party\n"
    "of a speech cue; tag-N ACTOR KIND [point] source=SOURCE [author=AUTHOR] marks a tag cue, whose text after\n"
    "the [tag ...] label is the tag's note.\n"
)


def sniff(text: str) -> bool:
    """The WebVTT signature on the first line."""
    return text.lstrip("\ufeff").startswith("WEBVTT")


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in cue order, tag cues as events; each `where` names the cue and its timings line."""
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
    cues = [_cue(caption, f"cue {n}, line {line}", path) for n, (caption, line) in numbered]
    turns = tuple(cue for cue in cues if isinstance(cue, Turn))
    return RawTranscript(NAME, encoding, turns, tuple(cue for cue in cues if isinstance(cue, Tag)))


def write(call: Call) -> str:
    """WebVTT with speech and tag cues in time order (speech first at equal starts)."""
    items: list[Utterance | Tag] = sorted([*call.utterances, *call.tags], key=lambda item: item.start_ms)
    return "\n".join([_HEADER, *(_cue_text(n, item) for n, item in enumerate(items, 1))])


def _cue(caption: webvtt.Caption, where: str, path: str) -> Turn | Tag:
    identifier = caption.identifier or ""
    tag = _TAG_ID.fullmatch(identifier)
    if tag is not None:
        span = (caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds())
        return read_tag_tokens(tag.group(1), span, _note(caption.lines), path, where)
    return _turn(caption, _SPEECH_ID.fullmatch(identifier), where)


def _turn(caption: webvtt.Caption, own: re.Match[str] | None, where: str) -> Turn:
    # Strip the file's layout whitespace first, then unescape: an escaped edge space is part of the text.
    text = " ".join(html.unescape(part.strip()) for part in caption.text.split("\n") if part.strip())
    unlabelled = own is not None and own.group(2) is not None
    return Turn(
        speaker="" if unlabelled else html.unescape((caption.voice or "").strip()),
        start_ms=caption.start_time.in_milliseconds(),
        end_ms=caption.end_time.in_milliseconds(),
        text=text,
        role=Party(own.group(1)) if own is not None else None,
        where=where,
    )


def _note(lines: list[str]) -> str:
    """The text after the `[tag ...]` label: the rest of the first line, then any further lines."""
    first = lines[0] if lines else ""
    label = _TAG_LABEL.match(first)
    parts = ([first[label.end() :]] if label is not None else [first]) + lines[1:]
    return "\n".join(html.unescape(_CUE_TAG.sub("", part)) for part in parts if part)


def _cue_text(number: int, item: Utterance | Tag) -> str:
    if isinstance(item, Tag):
        # A point event gets 1 ms, as a cue must end after it starts; the `point` token restores end == start.
        end = item.end_ms + (1 if item.is_point else 0)
        head = f"tag-{number} {tag_tokens(item)}\n{_timestamp(item.start_ms)} --> {_timestamp(end)} line:0"
        return f"{head}\n{_tag_payload(item)}\n"
    unlabelled = "" if item.speaker else " unlabelled"
    head = f"{item.party.value}-{number}{unlabelled}\n{_timestamp(item.start_ms)} --> {_timestamp(item.end_ms)}"
    return f"{head}\n<v {_voice(item)}>{_escape(item.text)}</v>\n"


def _voice(utterance: Utterance) -> str:
    if not utterance.speaker:
        return utterance.party.value.capitalize()
    voice = _escape(utterance.speaker)
    # A name ending in "--" would make "-->" with the tag's ">": a cue timings arrow, which ends the cue.
    return voice[:-1] + "&#45;" if voice.endswith("-") else voice


def _tag_payload(tag: Tag) -> str:
    kind_class = f".{tag.kind}" if _CLASS_SAFE.fullmatch(tag.kind) else ""
    label = f"<c.tag{kind_class}>[tag {tag.actor.value} {_escape(tag.kind)}]</c>"
    return f"{label} {_escape(tag.note)}" if tag.note else label


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _escape(text: str) -> str:
    """Cue text for `text`: markup characters as entities, line breaks and edge whitespace as references.

    Escaping ">" also keeps "-->" out of the cue, where it would start a new one.
    """
    last = len(text) - 1
    return "".join(_reference(char) if _needs_reference(char, i, last) else char for i, char in enumerate(text))


def _needs_reference(char: str, index: int, last: int) -> bool:
    # U+0080..U+009F cannot be written as references (HTML maps them to Windows-1252), so they stay raw.
    edge = char.isspace() and index in (0, last) and not "\x80" <= char <= "\x9f"
    return edge or char in "&<>\n\r"


def _reference(char: str) -> str:
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char) or f"&#{ord(char)};"


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
