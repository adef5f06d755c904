"""Whisper and whisper-timestamped JSON: `segments[]` in seconds, optional `words[]` with confidences."""

from __future__ import annotations

from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object

NAME = "whisper"


def sniff(text: str) -> bool:
    """A JSON object whose `segments` is an array of objects with `start` and `end`."""
    root = sniff_object(text)
    if root is None or "results" in root:
        return False
    segments = root.get("segments")
    if not isinstance(segments, list):
        return False
    if not segments:
        return True  # Whisper writes an empty list for a silent recording
    first = segments[0]
    return isinstance(first, dict) and "start" in first and "end" in first


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """One turn per segment, in file order."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    segments = fields.array(fields.get(root, "segments", ""), "segments")
    turns = tuple(_turn(fields, segment, join("segments", i)) for i, segment in enumerate(segments))
    return RawTranscript(NAME, encoding, turns)


def _turn(fields: JsonFields, value: object, where: str) -> Turn:
    segment = fields.obj(value, where)
    words = _words(fields, segment, where)
    raw_text = segment.get("text")
    joined = " ".join(w.text for w in words)
    text = fields.text(raw_text, join(where, "text")) if raw_text is not None else joined
    speaker = segment.get("speaker")
    return Turn(
        speaker=fields.text(speaker, join(where, "speaker")) if speaker is not None else "",
        start_ms=fields.seconds_ms(fields.get(segment, "start", where), join(where, "start")),
        end_ms=fields.seconds_ms(fields.get(segment, "end", where), join(where, "end")),
        text=text.strip(),
        words=words,
        where=where,
    )


def _words(fields: JsonFields, segment: JsonObject, where: str) -> tuple[Word, ...]:
    raw = segment.get("words")
    if raw is None:
        return ()
    items = fields.array(raw, join(where, "words"))
    words = (_word(fields, item, join(join(where, "words"), i)) for i, item in enumerate(items))
    return tuple(word for word in words if word is not None)


def _word(fields: JsonFields, value: object, where: str) -> Word | None:
    item = fields.obj(value, where)
    if item.get("start") is None or item.get("end") is None:
        # WhisperX leaves tokens it cannot align (often numerals) without times; the segment text keeps them.
        return None
    key = "word" if "word" in item else "text"
    confidence = item.get("probability", item.get("confidence"))
    return Word(
        text=fields.text(fields.get(item, key, where), join(where, key)).strip(),
        start_ms=fields.seconds_ms(item["start"], join(where, "start")),
        end_ms=fields.seconds_ms(item["end"], join(where, "end")),
        confidence=optional_number(confidence),
    )
