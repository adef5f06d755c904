"""Praat TextGrid through praatio: interval tiers in as turns, a reviewed call out as a long-format TextGrid.

Reading (long or short text format; the caller decodes UTF-8 or UTF-16): every interval tier gives turns, one per
interval with text (empty intervals are Praat's gaps), the tier name as the speaker; "agent", "customer#2" and
"Anna (agent)" also give the role. Tiers named after the tag convention of eaf.py ("customer:profanity",
"call:lead_notified#2") give `events`: interval tiers spans, point tiers points. Other point tiers (pitch marks,
phonetic landmarks) are not speech and are ignored.

Writing follows eaf.py's convention, with three differences Praat forces: a speech tier is named after its speaker
and party ("Anna (agent)", "Anna (agent)#2" for her overlapping speech) because a TextGrid tier has no participant;
point tags go to point tiers (TextTier), which hold points natively; and an interval cannot be empty, so speech
without text is written "@speech" and a manual tag without a note "@manual". The grid runs from 0 to the call's
duration (or its last annotation, if later). praatio strips labels, so surrounding whitespace is not kept; its
long-format parser also splits on "item [" and "intervals [", so labels must not contain those words.
"""

from __future__ import annotations

import math
import re
from typing import Any

from praatio.utilities import textgrid_io
from praatio.utilities.constants import INTERVAL_TIER, POINT_TIER
from praatio.utilities.errors import PraatioException

from reviewer.domain.call import Call
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.eaf import (
    SpeechTier,
    TagTier,
    encode_tag_value,
    escape_at,
    make_tag,
    parse_tag_tier_name,
    speech_tier_label,
    speech_tiers,
    tag_tiers,
    unescape_at,
    written_span,
)
from reviewer.formats.times import parse_number, seconds_to_ms

NAME = "textgrid"

_SPEECH_WITHOUT_TEXT = "@speech"
# praatio's long-format parser reads "xmin = -1.5" as 1.5 (its pattern skips the sign, to accept "-0").
_NEGATIVE = re.compile(r"^[ \t]*(?:xmin|xmax|number)[ \t]*=[ \t]*-[ \t]*(\S+)", re.MULTILINE)
# What praatio's parseTextgridStr can raise on text that is not a well-formed TextGrid.
_PARSE_ERRORS = (PraatioException, ValueError, IndexError, KeyError, TypeError, AttributeError)


def sniff(text: str) -> bool:
    """Praat's text-file header naming a TextGrid."""
    head = text.lstrip("\ufeff \t\n")[:200]
    return head.startswith("File type") and "ooTextFile" in head and '"TextGrid"' in head


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns from interval tiers and tags from tag tiers, tiers and intervals in file order."""
    if not sniff(text):
        raise InputError.of(ProblemKind.BAD_VALUE, path, "line 1", 'no "ooTextFile" TextGrid header')
    _refuse_negative_times(text, path)
    try:
        grid = textgrid_io.parseTextgridStr(text, includeEmptyIntervals=True)
        tiers = list(grid["tiers"])
    except _PARSE_ERRORS as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, detail=f"not a readable TextGrid: {error}") from error
    # praatio unescapes doubled quotes in intervals of both formats but in points of the short format only.
    quoted_points = "ooTextFile short" not in text and "item [" in text
    turns: list[Turn] = []
    events: list[Tag] = []
    for number, tier in enumerate(tiers, 1):
        reader = _Tier(tier, number, path, quoted_points)
        turns += reader.turns()
        events += reader.tags()
    return RawTranscript(NAME, encoding, tuple(turns), tuple(events))


def _refuse_negative_times(text: str, path: str) -> None:
    for match in _NEGATIVE.finditer(text):
        value = parse_number(match.group(1))
        if value != 0:
            line = text.count("\n", 0, match.start()) + 1
            raise InputError.of(ProblemKind.BAD_VALUE, path, f"line {line}", f"negative time -{match.group(1)}")


class _Tier:
    """One tier of praatio's dictionary, read as turns or tags with refusals that name the tier and entry."""

    def __init__(self, tier: Any, number: int, path: str, quoted_points: bool) -> None:
        if not isinstance(tier, dict):
            raise InputError.of(ProblemKind.BAD_VALUE, path, f"tier {number}", "not a tier")
        self._name = str(tier.get("name", ""))
        self._points = tier.get("class") == POINT_TIER
        self._entries: list[Any] = list(tier.get("entries", []))
        self._where = f"tier {number} ({self._name!r})"
        self._path = path
        self._quoted_points = quoted_points

    def turns(self) -> list[Turn]:
        """Speech: the labelled intervals of an interval tier that is not a tag tier."""
        if self._points or parse_tag_tier_name(self._name) is not None:
            return []
        speaker, role = speech_tier_label(self._name)
        turns: list[Turn] = []
        for n, entry in enumerate(self._entries, 1):
            start, end, label = self._interval(entry, n)
            if label:
                text = "" if label == _SPEECH_WITHOUT_TEXT else unescape_at(label)
                turns.append(Turn(speaker, start, end, text, role=role, where=f"{self._where}, interval {n}"))
        return turns

    def tags(self) -> list[Tag]:
        """Tags: the labelled intervals, or every point, of a tier named after the tag convention."""
        tier = parse_tag_tier_name(self._name)
        if tier is None:
            return []
        tags: list[Tag] = []
        for n, entry in enumerate(self._entries, 1):
            where = f"{self._where}, {'point' if self._points else 'interval'} {n}"
            start, end, label = self._point(entry, n) if self._points else self._interval(entry, n)
            if label or self._points:
                tags.append(make_tag(*tier, (start, end), label, path=self._path, where=where))
        return tags

    def _interval(self, entry: Any, n: int) -> tuple[int, int, str]:
        where = f"{self._where}, interval {n}"
        if not isinstance(entry, tuple | list) or len(entry) != 3:  # xmin, xmax, text
            raise InputError.of(ProblemKind.BAD_VALUE, self._path, where, "not an interval")
        return self._ms(entry[0], where), self._ms(entry[1], where), str(entry[2]).strip()

    def _point(self, entry: Any, n: int) -> tuple[int, int, str]:
        where = f"{self._where}, point {n}"
        if not isinstance(entry, tuple | list) or len(entry) != 2:  # number, mark
            raise InputError.of(ProblemKind.BAD_VALUE, self._path, where, "not a point")
        mark = str(entry[1]).strip()
        time = self._ms(entry[0], where)
        return time, time, mark.replace('""', '"') if self._quoted_points else mark

    def _ms(self, value: object, where: str) -> int:
        # praatio hands times over as the text it found in the file.
        seconds = parse_number(str(value))
        if seconds is None or seconds < 0 or not math.isfinite(seconds):
            raise InputError.of(ProblemKind.BAD_VALUE, self._path, where, f"not a time: {value!r}")
        return seconds_to_ms(seconds)


# ---------------------------------------------------------------------------------------------------------------
# Writing.


def write(call: Call) -> str:
    """The call as a long-format TextGrid: speech tiers per speaker and party, tag tiers per actor and kind."""
    speech = speech_tiers(call.utterances)
    tags = tag_tiers(call.tags, separate_points=True)
    xmax = _end_ms(call) / 1000
    grid = {
        "xmin": 0,
        "xmax": xmax,
        "tiers": [_speech_tier(tier, xmax) for tier in speech] + [_tag_tier(tier, xmax) for tier in tags],
    }
    text: str = textgrid_io.getTextgridAsStr(
        grid, "long_textgrid", includeBlankSpaces=True, minTimestamp=0, maxTimestamp=xmax, minimumIntervalLength=None
    )
    return text


def _end_ms(call: Call) -> int:
    """The call's duration, or the end of its last annotation when that is later; Praat wants xmax > xmin."""
    spans = [(u.start_ms, u.end_ms) for u in call.utterances] + [(t.start_ms, t.end_ms) for t in call.tags]
    return max([1, call.duration_ms, *(written_span(*span)[1] for span in spans)])


def _speech_tier(tier: SpeechTier, xmax: float) -> dict[str, Any]:
    name = f"{tier.speaker} ({tier.party.value})" if tier.speaker else f"({tier.party.value})"
    entries = [(*_seconds(*written_span(u.start_ms, u.end_ms)), _speech_label(u.text)) for u in tier.utterances]
    return _tier(INTERVAL_TIER, name + (f"#{tier.lane + 1}" if tier.lane else ""), xmax, entries)


def _speech_label(text: str) -> str:
    return escape_at(text.strip()) or _SPEECH_WITHOUT_TEXT


def _tag_tier(tier: TagTier, xmax: float) -> dict[str, Any]:
    if tier.points:
        points = [(t.start_ms / 1000, encode_tag_value(t, mark_point=False, never_empty=True)) for t in tier.tags]
        return _tier(POINT_TIER, tier.name, xmax, points)
    intervals = [
        (*_seconds(*written_span(t.start_ms, t.end_ms)), encode_tag_value(t, mark_point=True, never_empty=True))
        for t in tier.tags
    ]
    return _tier(INTERVAL_TIER, tier.name, xmax, intervals)


def _tier(kind: str, name: str, xmax: float, entries: list[Any]) -> dict[str, Any]:
    return {"class": kind, "name": name, "xmin": 0, "xmax": xmax, "entries": entries}


def _seconds(start_ms: int, end_ms: int) -> tuple[float, float]:
    return start_ms / 1000, end_ms / 1000
