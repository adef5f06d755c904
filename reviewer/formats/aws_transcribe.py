"""Amazon Transcribe JSON (current and old jobName/accountId layout): items grouped into turns per speaker.

With speaker labels, each `speaker_labels.segments[]` entry (a pause-delimited stretch of one speaker) is
a turn. With channel identification there are no segments: consecutive items of one channel, in time order,
form a turn. Punctuation is appended to the word before it; masked ("***") and redacted ("[PII]") words stay
as written and carry a WordMark, so reviews and detectors can tell a hidden word from a spoken one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reviewer.domain.transcript import Word, WordMark
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object
from reviewer.formats.times import MAX_MS

NAME = "aws_transcribe"

_CHANNEL_LABEL = re.compile(r"ch_(\d+)")
# A vocabulary filter in "mask" mode writes "***" for each filtered word.
_MASKED = re.compile(r"\*+")
# PII redaction writes "[PII]"; entity-typed tokens ("[NAME]", "[CREDIT_DEBIT_NUMBER]") take the same shape.
_REDACTED = re.compile(r"\[\w[\w-]*\]")


def word_mark(content: str) -> WordMark | None:
    """Why a Transcribe word is not what was said: masked by a vocabulary filter, or redacted; None when spoken."""
    content = content.strip()
    if _MASKED.fullmatch(content):
        return WordMark.MASKED
    return WordMark.REDACTED if _REDACTED.fullmatch(content) else None


def sniff(text: str) -> bool:
    """A JSON object with `results.items` as an array."""
    root = sniff_object(text)
    results = root.get("results") if root is not None else None
    return isinstance(results, dict) and isinstance(results.get("items"), list)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns in the order of `results.items` (time order, as Transcribe writes it)."""
    fields = JsonFields(path)
    results = fields.obj(fields.get(fields.load_object(text), "results", ""), "results")
    items = fields.array(fields.get(results, "items", "results"), "results.items")
    labels = _Labels(_speaker_segments(fields, results), _channels(fields, results))
    runs: list[_Run] = []
    for index, value in enumerate(items):
        _add_item(fields, labels, runs, value, index)
    return RawTranscript(NAME, encoding, tuple(run.turn() for run in runs if run.words))


@dataclass(frozen=True, slots=True)
class _Label:
    """Which turn an item belongs to: grouping key, speaker label, and where the turn is in the file."""

    key: tuple[str, str | int]
    speaker: str
    where: str


@dataclass(slots=True)
class _Run:
    """A turn being collected."""

    label: _Label
    words: list[Word] = field(default_factory=list)

    def turn(self) -> Turn:
        """The finished turn; its span is its words' span."""
        match = _CHANNEL_LABEL.fullmatch(self.label.speaker)
        return Turn(
            speaker=self.label.speaker,
            start_ms=self.words[0].start_ms,
            end_ms=max(word.end_ms for word in self.words),
            text=" ".join(word.text for word in self.words),
            words=tuple(self.words),
            channel=int(match.group(1)) if match else None,
            where=self.label.where,
        )


@dataclass(frozen=True, slots=True)
class _Labels:
    """Item-to-speaker lookups built from `speaker_labels` or `channel_labels`."""

    # (start_time, end_time) exactly as the file writes them -> (segment index, speaker label). AWS repeats the
    # item's own strings inside the segment, so the raw strings are the key: no second parse of every time.
    segments: dict[tuple[object, object], tuple[int, str]]
    channels: dict[tuple[int, int, str], str]  # (start, end, content) -> channel label

    def of(self, item: JsonObject, start: int, end: int, content: str, index: int) -> _Label:
        """The label of a pronunciation item."""
        segment = self.segments.get(_raw_times(item))
        if segment is not None:
            where = f"results.speaker_labels.segments[{segment[0]}]"
            return _Label(("segment", segment[0]), segment[1], where)
        # Newer outputs also label the items themselves; use that when the lookups do not cover an item.
        own = item.get("speaker_label") or item.get("channel_label") or ""
        speaker = self.channels.get((start, end, content), str(own))
        return _Label(("speaker", speaker), speaker, f"results.items[{index}]")


# A two-hour file has tens of thousands of items: the common, well-formed case is read directly, and only an
# item that fails it takes the checked route that builds JSON paths for the error message (same results).
def _add_item(fields: JsonFields, labels: _Labels, runs: list[_Run], value: object, index: int) -> None:
    where = f"results.items[{index}]"
    item = value if isinstance(value, dict) else fields.obj(value, where)
    content, confidence = _quick_alternative(item) or _best_alternative(fields, item, where)
    if item.get("type") == "punctuation" or "start_time" not in item:
        if runs and runs[-1].words:
            last = runs[-1].words[-1]
            runs[-1].words[-1] = replace(last, text=last.text + content)
        return
    start = _quick_seconds_ms(item["start_time"])
    if start is None:
        start = fields.seconds_ms(item["start_time"], join(where, "start_time"))
    end = _quick_seconds_ms(item.get("end_time"))
    if end is None:
        end = fields.seconds_ms(fields.get(item, "end_time", where), join(where, "end_time"))
    label = labels.of(item, start, end, content, index)
    if not runs or runs[-1].label.key != label.key:
        runs.append(_Run(label))
    runs[-1].words.append(Word(content, start, end, confidence, word_mark(content)))


def _quick_alternative(item: JsonObject) -> tuple[str, float | None] | None:
    alternatives = item.get("alternatives")
    if not (isinstance(alternatives, list) and alternatives and isinstance(alternatives[0], dict)):
        return None
    content = alternatives[0].get("content")
    return (content, optional_number(alternatives[0].get("confidence"))) if isinstance(content, str) else None


def _quick_seconds_ms(value: object) -> int | None:
    """A time written as AWS writes it ("12.34"), or None to take the checked route."""
    if type(value) is not str:
        return None
    try:
        ms = float(value) * 1000
    except ValueError:
        return None
    return round(ms) if 0 <= ms <= MAX_MS else None  # NaN fails the comparison too


def _best_alternative(fields: JsonFields, item: JsonObject, where: str) -> tuple[str, float | None]:
    alternatives = fields.array(fields.get(item, "alternatives", where), join(where, "alternatives"))
    if not alternatives:
        return "", None
    first = join(join(where, "alternatives"), 0)
    best = fields.obj(alternatives[0], first)
    content = fields.text(fields.get(best, "content", first), join(first, "content"))
    return content, optional_number(best.get("confidence"))


def _speaker_segments(fields: JsonFields, results: JsonObject) -> dict[tuple[object, object], tuple[int, str]]:
    labels = results.get("speaker_labels")
    if labels is None:
        return {}
    base = "results.speaker_labels"
    segments = fields.array(fields.get(fields.obj(labels, base), "segments", base), join(base, "segments"))
    lookup: dict[tuple[object, object], tuple[int, str]] = {}
    for i, value in enumerate(segments):
        where = join(join(base, "segments"), i)
        segment = fields.obj(value, where)
        speaker = fields.text(segment.get("speaker_label", ""), join(where, "speaker_label"))
        for j, item in enumerate(fields.array(segment.get("items", []), join(where, "items"))):
            item_object = fields.obj(item, join(join(where, "items"), j))
            lookup[_raw_times(item_object)] = (i, speaker)
    return lookup


def _raw_times(item: JsonObject) -> tuple[object, object]:
    """The item's time values as written, for lookups; anything but a plain scalar never matches."""
    start, end = item.get("start_time"), item.get("end_time")
    return (start if isinstance(start, _SCALARS) else None, end if isinstance(end, _SCALARS) else None)


_SCALARS = (str, int, float)


def _channels(fields: JsonFields, results: JsonObject) -> dict[tuple[int, int, str], str]:
    labels = results.get("channel_labels")
    if labels is None:
        return {}
    base = "results.channel_labels"
    channels = fields.array(fields.get(fields.obj(labels, base), "channels", base), join(base, "channels"))
    lookup: dict[tuple[int, int, str], str] = {}
    for i, value in enumerate(channels):
        where = join(join(base, "channels"), i)
        channel = fields.obj(value, where)
        label = fields.text(fields.get(channel, "channel_label", where), join(where, "channel_label"))
        for j, item_value in enumerate(fields.array(channel.get("items", []), join(where, "items"))):
            item_where = join(join(where, "items"), j)
            item = fields.obj(item_value, item_where)
            if "start_time" in item:
                start, end = _times(fields, item, item_where)
                content, _ = _best_alternative(fields, item, item_where)
                lookup[(start, end, content)] = label
    return lookup


def _times(fields: JsonFields, item: JsonObject, where: str) -> tuple[int, int]:
    start = fields.seconds_ms(fields.get(item, "start_time", where), join(where, "start_time"))
    end = fields.seconds_ms(fields.get(item, "end_time", where), join(where, "end_time"))
    return start, end
