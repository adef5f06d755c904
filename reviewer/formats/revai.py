"""Rev.ai transcript JSON: one turn per `monologues[]` entry, words from its `elements[]`.

Elements of type "text" are timed words (`ts`/`end_ts` in seconds); "punct" elements (punctuation and the
spaces between words) join the word before them; other types ("unknown" for tags such as <inaudible>) stay
in the text and count toward the span when timed. The turn text is the elements' values joined, as Rev.ai
renders it. The speaker label is `speaker_name` when a person named the speaker, else the number ("0", "1").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object

NAME = "revai"


@dataclass(slots=True)
class _Monologue:
    """A monologue being read: its text pieces, words, and the span of its timed elements."""

    pieces: list[str] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


def sniff(text: str) -> bool:
    """A JSON object whose `monologues` is a list of objects with `elements`."""
    root = sniff_object(text)
    monologues = root.get("monologues") if root is not None else None
    if not isinstance(monologues, list):
        return False
    return not monologues or (isinstance(monologues[0], dict) and "elements" in monologues[0])


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Monologues in file order; one with no timed element (nothing but punctuation) gives no turn."""
    fields = JsonFields(path)
    values = fields.array(fields.get(fields.load_object(text), "monologues", ""), "monologues")
    turns = (_turn(fields, value, join("monologues", i)) for i, value in enumerate(values))
    return RawTranscript(NAME, encoding, tuple(turn for turn in turns if turn is not None))


def _turn(fields: JsonFields, value: object, where: str) -> Turn | None:
    monologue = fields.obj(value, where)
    speaker = _speaker(fields, monologue, where)
    elements_where = join(where, "elements")
    read = _Monologue()
    for i, element in enumerate(fields.array(fields.get(monologue, "elements", where), elements_where)):
        _add(fields, read, element, join(elements_where, i))
    if not read.spans:
        return None
    start = min(span[0] for span in read.spans)
    end = max(span[1] for span in read.spans)
    return Turn(speaker, start, end, "".join(read.pieces).strip(), tuple(read.words), where=where)


def _speaker(fields: JsonFields, monologue: JsonObject, where: str) -> str:
    name = monologue.get("speaker_name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return fields.text(fields.get(monologue, "speaker", where), join(where, "speaker"))


def _add(fields: JsonFields, read: _Monologue, value: object, where: str) -> None:
    element = fields.obj(value, where)
    kind = element.get("type")
    text = fields.text(fields.get(element, "value", where), join(where, "value"))
    read.pieces.append(text)
    if kind == "punct":
        if read.words and text.strip():
            read.words[-1] = replace(read.words[-1], text=read.words[-1].text + text.strip())
        return
    if kind != "text" and element.get("ts") is None:
        return  # an untimed tag: text only
    start = fields.seconds_ms(fields.get(element, "ts", where), join(where, "ts"))
    end = fields.seconds_ms(fields.get(element, "end_ts", where), join(where, "end_ts"))
    read.spans.append((start, end))
    if kind == "text":
        read.words.append(Word(text.strip(), start, end, optional_number(element.get("confidence"))))
