"""Deepgram pre-recorded JSON (Deepgram-hosted Whisper writes the same schema): utterances, else words.

With `utterances=true` each `results.utterances[]` entry is a turn. Otherwise each channel's
`alternatives[0].words[]` is cut into turns of consecutive words by one speaker. Times are seconds.

Speaker labels, shared by the vendor readers: the vendor's speaker ("0", "1") in a one-channel file;
"ch_<n>" (n from 0, like the AWS reader's "ch_0") in a multichannel file without diarization; "ch_<n>/<speaker>"
with both, because Deepgram numbers speakers per channel; "" with neither. `Turn.channel` is set only in
multichannel files: channel 0 of a mono transcript says nothing about who sits on which channel.
"""

from __future__ import annotations

from itertools import groupby

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats.base import RawTranscript, Turn, joined_text, speaker_label
from reviewer.formats.json_fields import JsonFields, JsonObject, join, optional_number, sniff_object

NAME = "deepgram"

_UTTERANCES = "results.utterances"
# Far past any recording; beyond it floats stop being exact integers and SQLite's 64-bit integers are near.
_MAX_CHANNELS = 1024  # Deepgram accepts 20; anything near this is not a channel index


def sniff(text: str) -> bool:
    """A JSON object whose `results` object (without AWS's `items`) has `channels[].alternatives` or `utterances`."""
    root = sniff_object(text)
    results = root.get("results") if root is not None else None
    if not isinstance(results, dict) or "items" in results:
        return False
    channels = results.get("channels")
    if isinstance(channels, list) and channels:
        return isinstance(channels[0], dict) and "alternatives" in channels[0]
    return isinstance(results.get("utterances"), list)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """Utterances when the file has any, else word runs per channel; turns in file order."""
    fields = JsonFields(path)
    results = fields.obj(fields.get(fields.load_object(text), "results", ""), "results")
    utterances = results.get("utterances")
    if utterances:  # a silent recording gives [], and its (empty) words say the same
        values = fields.array(utterances, _UTTERANCES)
        channel_count = len(fields.array(results.get("channels") or [], "results.channels"))
        turns = _utterance_turns(fields, values, channel_count)
    else:
        channels = fields.array(fields.get(results, "channels", "results"), "results.channels")
        multichannel = len(channels) > 1
        turns = tuple(
            turn for c, value in enumerate(channels) for turn in _channel_turns(fields, value, c, multichannel)
        )
    return RawTranscript(NAME, encoding, turns)


def _utterance_turns(fields: JsonFields, values: list[object], channel_count: int) -> tuple[Turn, ...]:
    utterances = [(join(_UTTERANCES, i), fields.obj(value, join(_UTTERANCES, i))) for i, value in enumerate(values)]
    channels = [_channel(fields, utterance, where) for where, utterance in utterances]
    # `results.channels` may have been trimmed from a saved file; a channel index above 0 still says stereo.
    multichannel = channel_count > 1 or any(channels)
    return tuple(
        _utterance_turn(fields, utterance, where, channel if multichannel else None)
        for (where, utterance), channel in zip(utterances, channels, strict=True)
    )


def _utterance_turn(fields: JsonFields, utterance: JsonObject, where: str, channel: int | None) -> Turn:
    words = tuple(word for word, _ in _words(fields, utterance.get("words", []), join(where, "words")))
    transcript = utterance.get("transcript")
    text = fields.text(transcript, join(where, "transcript")) if transcript is not None else joined_text(words)
    return Turn(
        speaker=speaker_label(channel, _speaker(fields, utterance, where)),
        start_ms=fields.seconds_ms(fields.get(utterance, "start", where), join(where, "start")),
        end_ms=fields.seconds_ms(fields.get(utterance, "end", where), join(where, "end")),
        text=text.strip(),
        words=words,
        channel=channel,
        where=where,
    )


def _channel_turns(fields: JsonFields, value: object, index: int, multichannel: bool) -> tuple[Turn, ...]:
    where = join("results.channels", index)
    alternatives = fields.array(
        fields.get(fields.obj(value, where), "alternatives", where), join(where, "alternatives")
    )
    if not alternatives:
        return ()  # Deepgram's documented answer for a channel with no speech
    best_where = join(join(where, "alternatives"), 0)
    best = fields.obj(alternatives[0], best_where)
    words_where = join(best_where, "words")
    words = _words(fields, best.get("words", []), words_where)
    channel = index if multichannel else None
    turns: list[Turn] = []
    first = 0
    for speaker, run in groupby(words, key=lambda pair: pair[1]):
        run_words = tuple(word for word, _ in run)
        turns.append(_run_turn(run_words, speaker_label(channel, speaker), channel, join(words_where, first)))
        first += len(run_words)
    return tuple(turns)


def _run_turn(words: tuple[Word, ...], speaker: str, channel: int | None, where: str) -> Turn:
    """A turn of consecutive words by one speaker; its span is its words' span."""
    end = max(word.end_ms for word in words)
    return Turn(speaker, words[0].start_ms, end, joined_text(words), words, channel=channel, where=where)


def _words(fields: JsonFields, value: object, where: str) -> list[tuple[Word, str | None]]:
    """Each word with its speaker (None without diarization)."""
    items = fields.array(value, where)
    return [_word(fields, item, join(where, i)) for i, item in enumerate(items)]


def _word(fields: JsonFields, value: object, where: str) -> tuple[Word, str | None]:
    item = fields.obj(value, where)
    # `punctuated_word` (punctuate/smart_format) keeps capitals and punctuation; `word` is the bare token.
    key = "punctuated_word" if item.get("punctuated_word") is not None else "word"
    word = Word(
        text=fields.text(fields.get(item, key, where), join(where, key)).strip(),
        start_ms=fields.seconds_ms(fields.get(item, "start", where), join(where, "start")),
        end_ms=fields.seconds_ms(fields.get(item, "end", where), join(where, "end")),
        confidence=optional_number(item.get("confidence")),
    )
    return word, _speaker(fields, item, where)


def _speaker(fields: JsonFields, item: JsonObject, where: str) -> str | None:
    speaker = item.get("speaker")
    return fields.text(speaker, join(where, "speaker")) if speaker is not None else None


def _channel(fields: JsonFields, item: JsonObject, where: str) -> int:
    value = item.get("channel")
    return 0 if value is None else _index(fields, value, join(where, "channel"))


def _index(fields: JsonFields, value: object, where: str) -> int:
    number = fields.number(value, where)
    if not number.is_integer() or not 0 <= number < _MAX_CHANNELS:
        raise InputError.of(ProblemKind.BAD_VALUE, fields.path, where, f"expected a channel index, found {number:g}")
    return int(number)
