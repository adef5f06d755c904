"""SubRip (SRT) through pysubs2: one turn per cue, the speaker from a short "Name:" prefix if there is one.

`write` uses two cue shapes that any player shows as plain text and that `parse` reads back exactly:

- speech: `Anna (agent): Good morning`: the speaker, the party in parentheses, the text; `(customer): yes` when
  the speaker label is empty. The party sets `Turn.role`; other "Name: text" cues read as before.
- tag: `[tag customer profanity source=manual author=Anna] the note`: the bracket holds the actor, the kind and
  options (`point` for a point event, `source=`, `author=`), the note follows. A point event is written 1 ms long
  (a cue that ends where it starts is never on screen) and read back with end == start. A file that gives no source
  reads as `imported`.

Inside these two shapes, what SRT readers would eat or misread is percent-encoded (UTF-8 bytes, as in URLs): line
breaks, `{ \\ <`, whitespace at either end, "%" when two hex digits follow, the colons of a timestamp (a line
with two is a timings line); in a name also `(` and `[`, in bracket tokens also spaces, `} > ]` and
unprintable characters. So notes with newlines or "-->" round-trip, and speech that starts like a tag stays speech.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

import pysubs2
from pysubs2.exceptions import Pysubs2Error
from pysubs2.time import TIMESTAMP

from reviewer.domain.call import Call
from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.call_json import tag_from_fields

NAME = "srt"

# "Name: text" with at most three words before the colon and a space after it ("10:30" and URLs never match).
_SPEAKER = re.compile(r"\s*(\w[\w.'-]*(?: [\w.'-]+){0,2})\s*:\s+(\S.*)", re.DOTALL)
_INDEX = re.compile(r"\s*\d+\s*")
# The writer's shapes; escaping keeps "(" and "[" out of names and spaces and brackets out of tokens.
_OWN_TAG = re.compile(r"\[tag ((?:agent|customer|call|unknown)(?: [^\s\[\]]+)+)\](?: (.*))?", re.DOTALL)
_OWN_SPEECH = re.compile(r"(?:([^(\[]+) )?\((agent|customer)\):(?: (.*))?", re.DOTALL)
_HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")
_POINT = "point"
_TAG_OPTIONS = ("source", "author")


def sniff(text: str) -> bool:
    """A first block of an optional cue number followed by a "start --> end" timings line."""
    head = [line for line in text.split("\n", 20)[:20] if line.strip()][:2]
    if not head or head[0].lstrip("\ufeff").startswith("WEBVTT"):
        return False
    timings = head[1] if _INDEX.fullmatch(head[0]) and len(head) > 1 else head[0]
    return "-->" in timings and _is_timings(timings)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in cue order, tag cues as events; each `where` names the cue and its timings line."""
    try:
        events = pysubs2.SSAFile.from_string(text, format_="srt").events
    except Pysubs2Error as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, detail=str(error)) from error
    lines = _timing_lines(text, len(events))
    cues = [
        cue
        for n, (event, line) in enumerate(zip(events, lines, strict=True), 1)
        for cue in _cues(event.start, event.end, event.plaintext, f"cue {n}{line}", path)
    ]
    turns = tuple(cue for cue in cues if isinstance(cue, Turn))
    return RawTranscript(NAME, encoding, turns, tuple(cue for cue in cues if isinstance(cue, Tag)))


def write(call: Call) -> str:
    """SRT with speech and tag cues in time order (speech first at equal starts); "" for a call with neither."""
    items: list[Utterance | Tag] = sorted([*call.utterances, *call.tags], key=lambda item: item.start_ms)
    return "\n".join(_cue_text(n, item) for n, item in enumerate(items, 1))


def _is_timings(line: str) -> bool:
    # pysubs2's own test for a timings line: exactly two timestamps on it.
    return len(TIMESTAMP.findall(line)) == 2


def _timing_lines(text: str, count: int) -> list[str]:
    """The ", line N" suffix of each cue's `where`; blanks if our count of timings lines disagrees."""
    lines = [f", line {number}" for number, line in enumerate(text.split("\n"), 1) if _is_timings(line)]
    return lines if len(lines) == count else [""] * count


def _cues(start_ms: int, end_ms: int, plaintext: str, where: str, path: str) -> list[Turn | Tag]:
    lines = [part.strip() for part in plaintext.split("\n") if part.strip()]
    if len(lines) > 1 and all(line.startswith("-") for line in lines):
        # Subtitle dialogue: "- Customer: hi" / "- Agent: hello" in one cue are two people, each a turn.
        return [_speech(start_ms, end_ms, line.lstrip("-").strip(), where) for line in lines]
    return [_cue(start_ms, end_ms, plaintext, where, path)]


def _speech(start_ms: int, end_ms: int, text: str, where: str) -> Turn:
    speaker, said = split_speaker(text)
    return Turn(speaker=speaker, start_ms=start_ms, end_ms=end_ms, text=said, where=where)


def _cue(start_ms: int, end_ms: int, plaintext: str, where: str, path: str) -> Turn | Tag:
    text = " ".join(part.strip() for part in plaintext.split("\n") if part.strip())
    tag = _OWN_TAG.fullmatch(text)
    if tag is not None:
        return read_tag_tokens(tag.group(1), (start_ms, end_ms), unescape(tag.group(2) or ""), path, where)
    own = _OWN_SPEECH.fullmatch(text)
    if own is not None:
        speaker, party, said = own.groups()
        role = Party(party)
        return Turn(unescape(speaker or ""), start_ms, end_ms, unescape(said or ""), role=role, where=where)
    return _speech(start_ms, end_ms, text, where)


def split_speaker(text: str) -> tuple[str, str]:
    """("Name", "rest") for "Name: rest" with a short name, else ("", text)."""
    match = _SPEAKER.fullmatch(text)
    # "The time is: 10:30" is a sentence, not a speaker: a name starts with no digit, nor does what it says.
    if match is None or match.group(1)[0].isdigit() or match.group(2)[0].isdigit():
        return "", text
    return match.group(1), match.group(2).strip()


def tag_tokens(tag: Tag) -> str:
    """A tag's fields as space-separated tokens: `actor kind [point] source=S [author=A]` (the note apart)."""
    tokens = [tag.actor.value, escape(tag.kind, _unsafe_in_token)]
    tokens += [_POINT] if tag.is_point else []
    tokens.append(f"source={tag.source.value}")
    tokens += [f"author={escape(tag.author, _unsafe_in_token)}"] if tag.author else []
    return " ".join(tokens)


def read_tag_tokens(tokens: str, span: tuple[int, int], note: str, path: str, where: str) -> Tag:
    """The Tag that `tag_tokens` wrote, over a cue's span; BAD_VALUE for an unknown option or field value."""
    actor, kind, *rest = tokens.split(" ")
    options = _tag_options(rest, path, where)
    start, end = span
    return tag_from_fields(
        unescape(kind),
        actor,
        (start, start if _POINT in options else end),
        note=note,
        author=options.get("author", ""),
        source=options.get("source", ""),
        path=path,
        where=where,
    )


def _tag_options(words: list[str], path: str, where: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for word in words:
        name, equals, value = word.partition("=")
        if not (word == _POINT or (equals and name in _TAG_OPTIONS)):
            raise InputError.of(ProblemKind.BAD_VALUE, path, where, f"unknown tag field {word!r}")
        options[name] = unescape(value)
    return options


def _cue_text(number: int, item: Utterance | Tag) -> str:
    if isinstance(item, Tag):
        # A point event gets 1 ms so players show it; the `point` token restores end == start.
        end, line = item.end_ms + (1 if item.is_point else 0), _tag_line(item)
    else:
        end, line = item.end_ms, _speech_line(item)
    return f"{number}\n{_timestamp(item.start_ms)} --> {_timestamp(end)}\n{line}\n"


def _speech_line(utterance: Utterance) -> str:
    party = f"({utterance.party.value}):"
    head = f"{escape(utterance.speaker, _unsafe_in_name)} {party}" if utterance.speaker else party
    return f"{head} {escape(utterance.text, _unsafe_in_text)}" if utterance.text else head


def _tag_line(tag: Tag) -> str:
    head = f"[tag {tag_tokens(tag)}]"
    return f"{head} {escape(tag.note, _unsafe_in_text)}" if tag.note else head


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def _unsafe_in_text(char: str) -> bool:
    # pysubs2 reads "{...}" as override tags, "\N" and "\h" as breaks and spaces, "<x...>" as HTML to strip;
    # a lone "}" or ">" is harmless and stays readable (a note's "-->" shows as written).
    return char in "\n\r{\\<"


def _unsafe_in_name(char: str) -> bool:
    return _unsafe_in_text(char) or char in "(["


def _unsafe_in_token(char: str) -> bool:
    return char.isspace() or not char.isprintable() or char in "[]{}\\<>"


def escape(text: str, unsafe: Callable[[str], bool]) -> str:
    """Percent-encode the unsafe characters, whitespace at either end, "%" before two hex digits, and timestamps."""
    last = len(text) - 1
    escaped = "".join(
        _percent(char) if unsafe(char) or (char.isspace() and i in (0, last)) or _looks_escaped(text, i) else char
        for i, char in enumerate(text)
    )
    # pysubs2 takes any line with two timestamps for a timings line; an encoded colon breaks the pattern.
    return TIMESTAMP.sub(lambda match: match.group().replace(":", "%3A"), escaped)


def unescape(text: str) -> str:
    """Undo `escape`; a "%" not followed by two hex digits is a plain "%"."""
    return unquote(text, errors="replace")


def _looks_escaped(text: str, index: int) -> bool:
    return text[index] == "%" and _HEX_PAIR.match(text, index + 1) is not None


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
