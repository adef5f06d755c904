"""Google Speech-to-Text JSON: `results[].alternatives[0]`, times as "1.500s" strings or {seconds, nanos}.

Accepts the REST/JSON field names (`startTime`, `speakerTag`, `resultEndTime`), the snake_case ones of
protobuf's `preserving_proto_field_name`, and v2's (`startOffset`, `speakerLabel`, `resultEndOffset`); a
long-running operation saved whole keeps them under `response`.

With diarization, v1 repeats every word of the recording, speaker-tagged, in the last result; when that
result is there it alone gives the turns (runs of one speaker), so no word is counted twice. Otherwise each
result is a turn, cut where the speaker changes; a result without word times spans from the previous
result's end on its channel to its own `resultEndTime`. Speaker labels follow the vendor readers'
convention (see deepgram.py): the speaker tag ("1", "2"); "ch_<n>" for `channelTag` n+1 when the file has
more than one channel; "ch_<n>/<tag>" with both; "" with neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn, speaker_label
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object
from reviewer.formats.times import MAX_MS

NAME = "google_stt"

_START = ("startTime", "start_time", "startOffset", "start_offset")
_END = ("endTime", "end_time", "endOffset", "end_offset")
_RESULT_END = ("resultEndTime", "result_end_time", "resultEndOffset", "result_end_offset")
_SPEAKER = ("speakerTag", "speaker_tag", "speakerLabel", "speaker_label")
_CHANNEL = ("channelTag", "channel_tag")
_SECONDS = re.compile(r"(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)s")  # protobuf Duration JSON: "1.500s"
_MAX_CHANNELS = 1024


@dataclass(frozen=True, slots=True)
class _Result:
    """One result as read: where it is, its channel (from 0), its transcript, words with speakers, end."""

    where: str
    channel: int
    transcript: str
    words: tuple[tuple[Word, str | None], ...]
    words_where: str
    end_ms: int | None


def sniff(text: str) -> bool:
    """A JSON object (or saved operation's `response`) whose `results` is a list of objects with `alternatives`."""
    root = sniff_object(text)
    if root is None:
        return False
    results = _holder(root)[0].get("results")
    if not isinstance(results, list) or not results:
        return False
    return any(isinstance(result, dict) and isinstance(result.get("alternatives"), list) for result in results)


def _holder(root: JsonObject) -> tuple[JsonObject, str]:
    """The object that holds `results` and its path: the root, or a saved operation's `response`."""
    response = root.get("response")
    return (response, "response") if "results" not in root and isinstance(response, dict) else (root, "")


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Turns from the speaker-tagged summary result when there is one, else from every result in order."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    holder, base = _holder(root)
    values = fields.array(fields.get(holder, "results", base), join(base, "results"))
    results = [_result(fields, value, join(join(base, "results"), i)) for i, value in enumerate(values)]
    multichannel = any(result.channel > 0 for result in results)
    if _is_summary(results):
        return RawTranscript(NAME, encoding, tuple(_runs(fields, results[-1], multichannel, 0)))
    turns: list[Turn] = []
    previous_end: dict[int, int] = {}
    for result in results:
        turns += _runs(fields, result, multichannel, previous_end.get(result.channel, 0))
        # The next untimed result on this channel starts where this one ended.
        if result.end_ms is not None:
            previous_end[result.channel] = result.end_ms
        elif result.words:
            previous_end[result.channel] = max(word.end_ms for word, _ in result.words)
    return RawTranscript(NAME, encoding, tuple(turns))


def _is_summary(results: list[_Result]) -> bool:
    """Whether the last result is v1's diarization summary: every word again, each with a speaker tag."""
    if len(results) < 2:
        return False
    last = results[-1].words
    if not last or any(speaker is None for _, speaker in last):
        return False
    earlier = [word for result in results[:-1] for word, _ in result.words]
    # v2 tags the words of every result; only v1's summary starts again from the first word and holds them all.
    return len(last) >= len(earlier) and (not earlier or last[0][0].start_ms <= earlier[0].start_ms)


def _runs(fields: JsonFields, result: _Result, multichannel: bool, previous_end: int) -> list[Turn]:
    channel = result.channel if multichannel else None
    if not result.words:
        return _untimed(fields, result, channel, previous_end)
    runs = [(speaker, tuple(word for word, _ in run)) for speaker, run in groupby(result.words, key=lambda p: p[1])]
    turns: list[Turn] = []
    first = 0
    for speaker, words in runs:
        whole = len(runs) == 1 and result.transcript
        text = result.transcript if whole else " ".join(word.text for word in words if word.text)
        where = result.where if whole else join(result.words_where, first)
        end = max(word.end_ms for word in words)
        turns.append(Turn(speaker_label(channel, speaker), words[0].start_ms, end, text, words, channel, where=where))
        first += len(words)
    return turns


def _untimed(fields: JsonFields, result: _Result, channel: int | None, previous_end: int) -> list[Turn]:
    if not result.transcript:
        return []  # no speech
    if result.end_ms is None:
        where = join(result.where, _RESULT_END[0])
        raise InputError.of(ProblemKind.MISSING_FIELD, fields.path, where, "no word times and no result end time")
    return [
        Turn(
            speaker_label(channel, None),
            previous_end,
            result.end_ms,
            result.transcript,
            channel=channel,
            where=result.where,
        )
    ]


def _result(fields: JsonFields, value: object, where: str) -> _Result:
    result = fields.obj(value, where)
    alternatives = fields.array(result.get("alternatives") or [], join(where, "alternatives"))
    best_where = join(join(where, "alternatives"), 0)
    best = fields.obj(alternatives[0], best_where) if alternatives else {}
    transcript = best.get("transcript")
    words_where = join(best_where, "words")
    words = fields.array(best.get("words") or [], words_where)
    end_key = _key(result, _RESULT_END)
    return _Result(
        where=where,
        channel=_channel(fields, result, where),
        transcript=fields.text(transcript, join(best_where, "transcript")).strip() if transcript is not None else "",
        words=tuple(_word(fields, item, join(words_where, i)) for i, item in enumerate(words)),
        words_where=words_where,
        end_ms=_duration_ms(fields, result[end_key], join(where, end_key)) if end_key else None,
    )


def _word(fields: JsonFields, value: object, where: str) -> tuple[Word, str | None]:
    item = fields.obj(value, where)
    start_key = _key(item, _START) or _START[0]
    end_key = _key(item, _END) or _END[0]
    word = Word(
        text=fields.text(fields.get(item, "word", where), join(where, "word")).strip(),
        # Protobuf JSON leaves out zero values, so a first word starting at 0 s has no start at all.
        start_ms=_duration_ms(fields, item.get(start_key, "0s"), join(where, start_key)),
        end_ms=_duration_ms(fields, fields.get(item, end_key, where), join(where, end_key)),
        confidence=optional_number(item.get("confidence")),
    )
    return word, _speaker(fields, item, where)


def _key(item: JsonObject, names: tuple[str, ...]) -> str | None:
    """The first of the spellings of a field that the object has (not null)."""
    return next((name for name in names if item.get(name) is not None), None)


def _speaker(fields: JsonFields, item: JsonObject, where: str) -> str | None:
    key = _key(item, _SPEAKER)
    if key is None:
        return None
    speaker = fields.text(item[key], join(where, key))
    return None if speaker in ("", "0") else speaker  # 0 is protobuf's "not set"


def _channel(fields: JsonFields, result: JsonObject, where: str) -> int:
    """The channel index from 0; `channelTag` counts from 1 and is absent (or 0) for one channel."""
    key = _key(result, _CHANNEL)
    if key is None:
        return 0
    number = fields.number(result[key], join(where, key))
    if not number.is_integer() or not 0 <= number <= _MAX_CHANNELS:
        detail = f"expected a channel tag from 1, found {number:g}"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, join(where, key), detail)
    return max(int(number) - 1, 0)


def _duration_ms(fields: JsonFields, value: object, where: str) -> int:
    """A protobuf Duration ("1.5s", {seconds, nanos}, or a bare number of seconds) as whole milliseconds."""
    if isinstance(value, dict):
        seconds = fields.number(value.get("seconds", 0), join(where, "seconds"))
        nanos = fields.number(value.get("nanos", 0), join(where, "nanos"))
        ms = seconds * 1000 + nanos / 1_000_000
    elif isinstance(value, str) and (match := _SECONDS.fullmatch(value.strip())):
        ms = float(match.group(1)) * 1000
    else:
        ms = fields.number(value, where) * 1000
    if not 0 <= ms <= MAX_MS:  # also refuses infinities from huge inputs
        raise InputError.of(
            ProblemKind.BAD_VALUE, fields.path, where, f"expected a time of 0 or more, found {value!r:.40}"
        )
    return round(ms)
