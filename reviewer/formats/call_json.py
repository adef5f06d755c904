"""The app's own call document (the JSON of `reviewer show --json`) as a format: written out and read back.

Reading keeps what a transcript can carry: utterances with their party, speaker and words (marks included), tags
as events with their source, author and note, and the disconnect reason. The call's metadata (agent, audio, review
state) is not a transcript's business, and tag ids are dropped because an imported call gets new ones.

`tag_from_fields` is also how the other writers' readers (vtt, srt, csv) turn the document's field values back
into a Tag, so every format refuses an unknown actor or source the same way.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TypeVar

from reviewer.domain.call import Call
from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagError, TagSource
from reviewer.domain.transcript import Word, WordMark
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.document import call_document
from reviewer.formats.json_fields import JsonFields, JsonObject, join, sniff_object

NAME = "call_json"

_E = TypeVar("_E", bound=StrEnum)


def sniff(text: str) -> bool:
    """A JSON object with `utterances` and `tags` arrays whose first utterance has a `party` and `start_ms`."""
    root = sniff_object(text)
    if root is None:
        return False
    utterances, tags = root.get("utterances"), root.get("tags")
    if not isinstance(utterances, list) or not isinstance(tags, list):
        return False
    # AssemblyAI also has top-level `utterances` (with `speaker`, `start`), but never `tags` nor `party`.
    first = utterances[0] if utterances else {"party": None, "start_ms": None}
    return isinstance(first, dict) and "party" in first and "start_ms" in first


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns with the parties the document states, in document order; tags as events."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    utterances = fields.array(fields.get(root, "utterances", ""), "utterances")
    tags = _optional_array(fields, root, "tags", "")
    turns = tuple(_turn(fields, value, join("utterances", i)) for i, value in enumerate(utterances))
    events = tuple(_tag(fields, value, join("tags", i)) for i, value in enumerate(tags))
    reason = _optional_text(fields, root, "disconnect_reason", "") or None
    return RawTranscript(NAME, encoding, turns, events, reason)


def write(call: Call) -> str:
    """The call document, indented, with non-ASCII text as itself (not as \\u escapes)."""
    return json.dumps(call_document(call), ensure_ascii=False, indent=2)


def tag_from_fields(
    kind: str,
    actor: str,
    span: tuple[int, int],
    *,
    note: str = "",
    author: str = "",
    source: str = "",
    path: str,
    where: str,
) -> Tag:
    """A Tag from the document's field values; BAD_VALUE for an unknown actor or source, an empty kind, a bad span.

    A file that does not say where a tag came from gets `imported`: it was not made in this library.
    """
    known_actor = _member(Actor, actor, "actor", path, where)
    known_source = _member(TagSource, source, "source", path, where) if source else TagSource.IMPORTED
    try:
        return Tag(kind, known_actor, span[0], span[1], note=note, author=author, source=known_source)
    except TagError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, f"bad tag: {error}") from error


def _member(enum: type[_E], value: str, field: str, path: str, where: str) -> _E:
    try:
        return enum(value)
    except ValueError as error:
        choices = ", ".join(member.value for member in enum)
        detail = f"unknown {field} {value!r} (one of: {choices})"
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, detail) from error


def _turn(fields: JsonFields, value: object, where: str) -> Turn:
    item = fields.obj(value, where)
    words = _optional_array(fields, item, "words", where)
    return Turn(
        speaker=_optional_text(fields, item, "speaker", where),
        start_ms=fields.millis(fields.get(item, "start_ms", where), join(where, "start_ms")),
        end_ms=fields.millis(fields.get(item, "end_ms", where), join(where, "end_ms")),
        text=_optional_text(fields, item, "text", where),
        words=tuple(_word(fields, word, join(join(where, "words"), i)) for i, word in enumerate(words)),
        role=_enum_field(fields, item, "party", Party, where),
        where=where,
    )


def _word(fields: JsonFields, value: object, where: str) -> Word:
    item = fields.obj(value, where)
    confidence = item.get("confidence")
    return Word(
        text=fields.text(fields.get(item, "text", where), join(where, "text")),
        start_ms=fields.millis(fields.get(item, "start_ms", where), join(where, "start_ms")),
        end_ms=fields.millis(fields.get(item, "end_ms", where), join(where, "end_ms")),
        confidence=None if confidence is None else fields.number(confidence, join(where, "confidence")),
        mark=None if item.get("mark") is None else _enum_field(fields, item, "mark", WordMark, where),
    )


def _tag(fields: JsonFields, value: object, where: str) -> Tag:
    item = fields.obj(value, where)
    span = (
        fields.millis(fields.get(item, "start_ms", where), join(where, "start_ms")),
        fields.millis(fields.get(item, "end_ms", where), join(where, "end_ms")),
    )
    return tag_from_fields(
        _clean(fields.text(fields.get(item, "kind", where), join(where, "kind"))),
        fields.text(fields.get(item, "actor", where), join(where, "actor")),
        span,
        note=_clean(_optional_text(fields, item, "note", where)),
        author=_clean(_optional_text(fields, item, "author", where)),
        source=_optional_text(fields, item, "source", where),
        path=fields.path,
        where=where,
    )


def _enum_field(fields: JsonFields, item: JsonObject, key: str, enum: type[_E], where: str) -> _E:
    """A required member naming a member of `enum`."""
    at = join(where, key)
    return _member(enum, fields.text(fields.get(item, key, where), at), key, fields.path, at)


def _clean(text: str) -> str:
    # A JSON "\u0000" survives decoding; PostgreSQL refuses NUL in text (map_parties cleans utterances alike).
    return text.replace("\x00", "")


def _optional_text(fields: JsonFields, item: JsonObject, key: str, where: str) -> str:
    """A text member, "" when absent or null."""
    value = item.get(key)
    return "" if value is None else fields.text(value, join(where, key))


def _optional_array(fields: JsonFields, item: JsonObject, key: str, where: str) -> list[object]:
    """An array member, empty when absent or null."""
    value = item.get(key)
    return [] if value is None else fields.array(value, join(where, key))
