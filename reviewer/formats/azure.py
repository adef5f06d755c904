"""Azure Speech JSON: batch transcription results and real-time (Speech SDK) detailed results.

Batch: `recognizedPhrases[]` with `channel`, optional `speaker`, `offset`/`duration` as ISO-8601 durations
("PT1.23S") next to `offsetInTicks`/`durationInTicks` (100 ns; preferred, being exact), `nBest[0].display`
and `nBest[0].words[]` (or `displayWords[]`). Real-time: a JSON list of results, a single result, or JSON
lines, each with `RecognitionStatus`, `Offset`/`Duration` in ticks, `SpeakerId`, `NBest[0].Display` or
`DisplayText`, and `NBest[0].Words[]`. One code path reads both: the layouts differ only in the case and
spelling of their keys. Results whose status is not "Success" (NoMatch, InitialSilenceTimeout...) hold no
speech and are skipped.

Speaker labels follow the vendor readers' convention (see deepgram.py): the speaker ("1", "2", "Guest-1");
"ch_<n>" in a multichannel file (Azure diarizes mono audio only); "ch_<n>/<speaker>" with both; "" with neither.

ISO-8601 durations: the stdlib has no parser for them (`datetime.fromisoformat` reads instants, not
durations), and a dependency such as isodate is not worth one pattern: Azure writes .NET TimeSpans, which
only use days, hours, minutes and seconds ("P1DT2H3M4.5S"); years and months (of no fixed length) are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn, speaker_label
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object
from reviewer.formats.times import MAX_MS

NAME = "azure"

_TICKS_PER_MS = 10_000  # .NET ticks are 100 ns
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_ISO_DURATION = re.compile(rf"P(?:{_NUMBER}D)?(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?")
_SECONDS_PER_UNIT = (86_400, 3_600, 60, 1)  # D, H, M, S in the pattern's group order
_MAX_CHANNELS = 1024


@dataclass(frozen=True, slots=True)
class _Keys:
    """A layout's key spellings, preferred first; the first is the one a refusal names."""

    offset: tuple[str, ...]
    duration: tuple[str, ...]
    speaker: tuple[str, ...]
    word_text: tuple[str, ...]


_BATCH = _Keys(("offsetInTicks", "offset"), ("durationInTicks", "duration"), ("speaker",), ("word", "displayText"))
_REALTIME = _Keys(("Offset",), ("Duration",), ("SpeakerId", "Speaker"), ("Word",))


def sniff(text: str) -> bool:
    """Batch: an object with `recognizedPhrases`. Real-time: results with `RecognitionStatus` (list, object, lines)."""
    root = sniff_object(text)
    if root is not None:
        return isinstance(root.get("recognizedPhrases"), list) or _is_realtime(root)
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            value = JsonFields("").load(text)
        except InputError:
            return False
        return isinstance(value, list) and bool(value) and _is_realtime(value[0])
    return stripped.startswith("{") and _is_realtime(_first_line_value(stripped))


def _is_realtime(value: object) -> bool:
    return isinstance(value, dict) and "RecognitionStatus" in value


def _first_line_value(text: str) -> object:
    try:
        return json.loads(text.split("\n", 1)[0])
    except (ValueError, RecursionError):
        return None


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """One turn per recognised phrase or result, in file order."""
    fields = JsonFields(path)
    keys, entries = _entries(fields, text)
    phrases = [(where, fields.obj(value, where)) for where, value in entries]
    spoken = [(where, phrase) for where, phrase in phrases if _is_success(phrase)]
    channels = [_channel(fields, phrase, where) for where, phrase in spoken]
    multichannel = any(channels)
    turns = (
        _turn(fields, keys, phrase, where, channel if multichannel else None)
        for (where, phrase), channel in zip(spoken, channels, strict=True)
    )
    return RawTranscript(NAME, encoding, tuple(turn for turn in turns if turn.text or turn.words))


def _entries(fields: JsonFields, text: str) -> tuple[_Keys, list[tuple[str, object]]]:
    """The layout and its (where, value) results: batch phrases, a list, one object, or JSON lines."""
    try:
        value = fields.load(text)
    except InputError as error:
        lines = _json_lines(fields, text)
        if lines is None:
            raise error from None
        return _REALTIME, lines
    if isinstance(value, list):
        return _REALTIME, [(f"[{i}]", item) for i, item in enumerate(value)]
    root = fields.obj(value, "")
    if _is_realtime(root):
        return _REALTIME, [("", root)]
    phrases = fields.array(fields.get(root, "recognizedPhrases", ""), "recognizedPhrases")
    return _BATCH, [(join("recognizedPhrases", i), phrase) for i, phrase in enumerate(phrases)]


def _json_lines(fields: JsonFields, text: str) -> list[tuple[str, object]] | None:
    """One result per line, when the first line alone is a JSON object; None when the text is not JSON lines."""
    numbered = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not numbered or not isinstance(_first_line_value(numbered[0][1]), dict):
        return None
    entries: list[tuple[str, object]] = []
    for number, line in numbered:
        try:
            entries.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as error:
            raise InputError.of(
                ProblemKind.INVALID_JSON, fields.path, f"line {number}, column {error.colno}", error.msg
            ) from None
        except ValueError as error:  # e.g. an integer past Python's 4300-digit conversion limit
            raise InputError.of(ProblemKind.INVALID_JSON, fields.path, f"line {number}", str(error)) from None
        except RecursionError:
            raise InputError.of(ProblemKind.INVALID_JSON, fields.path, f"line {number}", "nested too deeply") from None
    return entries


def _is_success(phrase: JsonObject) -> bool:
    status = _find(phrase, ("recognitionStatus",))
    return status is None or str(phrase[status]).lower() == "success"


def _turn(fields: JsonFields, keys: _Keys, phrase: JsonObject, where: str, channel: int | None) -> Turn:
    start = _time_ms(fields, phrase, keys.offset, where)
    best, best_where = _best(fields, phrase, where)
    words = _words(fields, keys, best, best_where)
    speaker_key = _find(phrase, keys.speaker)
    speaker = fields.text(phrase[speaker_key], join(where, speaker_key)) if speaker_key else None
    return Turn(
        speaker=speaker_label(channel, speaker),
        start_ms=start,
        end_ms=start + _time_ms(fields, phrase, keys.duration, where),
        text=_text(fields, phrase, best, where, best_where) or " ".join(word.text for word in words),
        words=words,
        channel=channel,
        where=where,
    )


def _best(fields: JsonFields, phrase: JsonObject, where: str) -> tuple[JsonObject, str]:
    """The first (most likely) alternative, or {} when the result has none (simple output format)."""
    key = _find(phrase, ("nBest",))
    if key is None:
        return {}, where
    alternatives = fields.array(phrase[key], join(where, key))
    best_where = join(join(where, key), 0)
    return (fields.obj(alternatives[0], best_where), best_where) if alternatives else ({}, where)


def _text(fields: JsonFields, phrase: JsonObject, best: JsonObject, where: str, best_where: str) -> str:
    """Display text (capitals, punctuation, numerals) when there is one, else the lexical form."""
    for item, item_where, names in ((best, best_where, ("display",)), (phrase, where, ("DisplayText",))):
        key = _find(item, names)
        if key is not None:
            return fields.text(item[key], join(item_where, key)).strip()
    key = _find(best, ("lexical",))
    return fields.text(best[key], join(best_where, key)).strip() if key else ""


def _words(fields: JsonFields, keys: _Keys, best: JsonObject, where: str) -> tuple[Word, ...]:
    # Batch's `displayWords` match the display text ("0030"); `words` are lexical ("zero zero three zero").
    key = _find(best, ("displayWords", "words"))
    if key is None:
        return ()
    base = join(where, key)
    return tuple(_word(fields, keys, item, join(base, i)) for i, item in enumerate(fields.array(best[key], base)))


def _word(fields: JsonFields, keys: _Keys, value: object, where: str) -> Word:
    item = fields.obj(value, where)
    key = _find(item, keys.word_text) or keys.word_text[0]
    start = _time_ms(fields, item, keys.offset, where)
    confidence = _find(item, ("confidence",))
    return Word(
        text=fields.text(fields.get(item, key, where), join(where, key)).strip(),
        start_ms=start,
        end_ms=start + _time_ms(fields, item, keys.duration, where),
        confidence=optional_number(item[confidence]) if confidence else None,
    )


def _find(item: JsonObject, names: tuple[str, ...]) -> str | None:
    """The key the object spells one of the names with (any case, not null): batch is camelCase, SDK PascalCase."""
    spelled = {key.lower(): key for key, value in item.items() if value is not None}
    return next((spelled[name.lower()] for name in names if name.lower() in spelled), None)


def _channel(fields: JsonFields, phrase: JsonObject, where: str) -> int:
    key = _find(phrase, ("channel",))
    if key is None:
        return 0
    number = fields.number(phrase[key], join(where, key))
    if not number.is_integer() or not 0 <= number < _MAX_CHANNELS:
        detail = f"expected a channel index, found {number:g}"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, join(where, key), detail)
    return int(number)


def _time_ms(fields: JsonFields, item: JsonObject, names: tuple[str, ...], where: str) -> int:
    """A time in whole milliseconds from an ISO-8601 duration or a number of ticks; refuses negative ones."""
    key = _find(item, names) or names[0]
    value = fields.get(item, key, where)
    key_where = join(where, key)
    ms = _iso_ms(fields, value, key_where) if isinstance(value, str) and "P" in value else None
    if ms is None:
        ms = fields.number(value, key_where) / _TICKS_PER_MS
    if not 0 <= ms <= MAX_MS:
        detail = f"expected a time of 0 or more, found {value!r:.40}"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, key_where, detail)
    return round(ms)


def _iso_ms(fields: JsonFields, value: str, where: str) -> float:
    """An ISO-8601 duration of days, hours, minutes and seconds in milliseconds."""
    match = _ISO_DURATION.fullmatch(value.strip())
    if match is None or value.strip() in ("P", "PT") or value.strip().endswith("T"):
        detail = f"expected an ISO-8601 duration such as PT1.5S, found {value!r:.40}"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, where, detail)
    parts = (float(part.replace(",", ".")) if part else 0.0 for part in match.groups())
    return sum(part * unit for part, unit in zip(parts, _SECONDS_PER_UNIT, strict=True)) * 1000
