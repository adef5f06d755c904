"""AssemblyAI transcript JSON: `utterances[]` when speaker labels were on, else `words[]` cut by speaker.

Times are milliseconds. Multichannel transcripts (`multichannel`, formerly `dual_channel`) put the channel,
counted from 1, on every utterance and word. Speaker labels follow the vendor readers' convention (see
deepgram.py): "A", "B" as AssemblyAI writes them; "ch_<n>" with n from 0 when a channel's speaker is just its
channel number; "ch_<n>/<speaker>" for diarization within a channel; "" with neither.
"""

from __future__ import annotations

from itertools import groupby

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn, joined_text, speaker_label
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object

NAME = "assemblyai"

# Members that belong to other vendors' layouts: such a file is theirs even if it also has `words`.
_OTHER_LAYOUTS = ("results", "segments", "monologues", "recognizedPhrases")
_MAX_CHANNELS = 1024


def sniff(text: str) -> bool:
    """A JSON object with both of AssemblyAI's `words` and `utterances` members, one a list of timed texts."""
    root = sniff_object(text)
    if root is None or "words" not in root or "utterances" not in root:
        return False
    if any(key in root for key in _OTHER_LAYOUTS):
        return False
    return any(_timed_texts(root.get(key)) for key in ("utterances", "words"))


def _timed_texts(value: object) -> bool:
    if not isinstance(value, list):
        return False
    return not value or (isinstance(value[0], dict) and "start" in value[0] and "text" in value[0])


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """One turn per utterance; without utterances, one per run of words by one speaker on one channel."""
    fields = JsonFields(path)
    root = fields.load_object(text)
    utterances = root.get("utterances")
    if utterances:  # null without speaker labels, [] for a silent recording
        values = enumerate(fields.array(utterances, "utterances"))
        turns = tuple(_utterance_turn(fields, value, join("utterances", i)) for i, value in values)
    else:
        turns = _word_turns(fields, fields.array(fields.get(root, "words", ""), "words"))
    return RawTranscript(NAME, encoding, turns)


def _utterance_turn(fields: JsonFields, value: object, where: str) -> Turn:
    utterance = fields.obj(value, where)
    words = _utterance_words(fields, utterance, where)
    channel = _channel(fields, utterance, where)
    raw_text = utterance.get("text")
    text = fields.text(raw_text, join(where, "text")) if raw_text is not None else joined_text(words)
    return Turn(
        speaker=_label(channel, _speaker(fields, utterance, where)),
        start_ms=fields.millis(fields.get(utterance, "start", where), join(where, "start")),
        end_ms=fields.millis(fields.get(utterance, "end", where), join(where, "end")),
        text=text.strip(),
        words=words,
        channel=channel,
        where=where,
    )


def _utterance_words(fields: JsonFields, utterance: JsonObject, where: str) -> tuple[Word, ...]:
    base = join(where, "words")
    items = fields.array(utterance.get("words") or [], base)
    return tuple(_word(fields, item, join(base, i))[0] for i, item in enumerate(items))


def _word_turns(fields: JsonFields, values: list[object]) -> tuple[Turn, ...]:
    words = [_word(fields, value, join("words", i)) for i, value in enumerate(values)]
    turns: list[Turn] = []
    first = 0
    for (channel, speaker), run in groupby(words, key=lambda pair: pair[1]):
        run_words = tuple(word for word, _ in run)
        end = max(word.end_ms for word in run_words)
        label = _label(channel, speaker)
        where = join("words", first)
        turns.append(Turn(label, run_words[0].start_ms, end, joined_text(run_words), run_words, channel, where=where))
        first += len(run_words)
    return tuple(turns)


def _word(fields: JsonFields, value: object, where: str) -> tuple[Word, tuple[int | None, str | None]]:
    """A word with the (channel, speaker) it belongs to."""
    item = fields.obj(value, where)
    word = Word(
        text=fields.text(fields.get(item, "text", where), join(where, "text")).strip(),
        start_ms=fields.millis(fields.get(item, "start", where), join(where, "start")),
        end_ms=fields.millis(fields.get(item, "end", where), join(where, "end")),
        confidence=optional_number(item.get("confidence")),
    )
    return word, (_channel(fields, item, where), _speaker(fields, item, where))


def _speaker(fields: JsonFields, item: JsonObject, where: str) -> str | None:
    speaker = item.get("speaker")
    return fields.text(speaker, join(where, "speaker")) if speaker is not None else None


def _channel(fields: JsonFields, item: JsonObject, where: str) -> int | None:
    """The channel index from 0; AssemblyAI counts from 1 and writes it only for multichannel audio."""
    value = item.get("channel")
    if value is None:
        return None
    number = fields.number(value, join(where, "channel"))
    if not number.is_integer() or not 1 <= number <= _MAX_CHANNELS:
        detail = f"expected a channel number from 1, found {number:g}"
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, join(where, "channel"), detail)
    return int(number) - 1


def _label(channel: int | None, speaker: str | None) -> str:
    if channel is None:
        return speaker or ""
    # Without diarization AssemblyAI names each channel's speaker after the channel ("1", "2").
    return speaker_label(channel, None if speaker == str(channel + 1) else speaker)
