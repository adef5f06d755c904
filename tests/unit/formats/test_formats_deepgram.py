"""Deepgram JSON: utterances, diarized words, channels, labels, and refusals with their JSON paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import (
    deepgram,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import claimants


def _word(word: str, start: float, end: float, speaker: int | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"word": word.lower().strip(".,?"), "start": start, "end": end, "confidence": 0.9}
    if speaker is not None:
        item["speaker"] = speaker
    return {**item, "punctuated_word": word, **extra}


def _channel(*words: dict[str, Any]) -> dict[str, Any]:
    transcript = " ".join(w.get("punctuated_word", w["word"]) for w in words)
    return {"alternatives": [{"transcript": transcript, "confidence": 0.9, "words": list(words)}]}


DIARIZED_WORDS = [
    _word("Hello,", 0.5, 0.8, 0),
    _word("Acme.", 0.8, 1.2, 0),
    _word("Hi.", 1.5, 1.7, 1),
    _word("Welcome.", 2.0, 2.4, 0),
]

UTTERANCES: dict[str, Any] = {
    "metadata": {"duration": 3.0, "channels": 1},
    "results": {
        "channels": [_channel(*DIARIZED_WORDS)],
        "utterances": [
            {
                "start": 0.5,
                "end": 1.2,
                "channel": 0,
                "speaker": 0,
                "transcript": "Hello, Acme.",
                "words": DIARIZED_WORDS[:2],
            },
            {"start": 1.5, "end": 1.7, "channel": 0, "speaker": 1, "transcript": "Hi.", "words": DIARIZED_WORDS[2:3]},
        ],
    },
}

STEREO: dict[str, Any] = {
    "results": {
        "channels": [
            _channel(_word("Hello.", 0.25, 0.75), _word("Bye.", 3.0, 3.5)),
            _channel(_word("Hi.", 1.0, 1.4)),
        ]
    }
}


def _parse(data: object) -> RawTranscript:
    return deepgram.parse(json.dumps(data), "dg.json", "utf-8")


def _refusal(data: object) -> tuple[ProblemKind, str]:
    with pytest.raises(InputError) as caught:
        _parse(data)
    return caught.value.problem.kind, caught.value.problem.where


def test_utterances_are_the_turns_when_present() -> None:
    raw = _parse(UTTERANCES)
    assert (raw.format, raw.encoding) == ("deepgram", "utf-8")
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.channel, t.where) for t in raw.turns] == [
        ("0", 500, 1200, "Hello, Acme.", None, "results.utterances[0]"),
        ("1", 1500, 1700, "Hi.", None, "results.utterances[1]"),
    ]
    assert raw.turns[0].words == (Word("Hello,", 500, 800, 0.9), Word("Acme.", 800, 1200, 0.9))


def test_without_utterances_consecutive_words_of_one_speaker_form_a_turn() -> None:
    data = {"results": {"channels": [_channel(*DIARIZED_WORDS)], "utterances": []}}
    raw = _parse(data)
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("0", 500, 1200, "Hello, Acme."),
        ("1", 1500, 1700, "Hi."),
        ("0", 2000, 2400, "Welcome."),
    ]
    words = "results.channels[0].alternatives[0].words"
    assert [t.where for t in raw.turns] == [f"{words}[0]", f"{words}[2]", f"{words}[3]"]


def test_undiarized_mono_words_are_one_unlabelled_turn() -> None:
    data = {"results": {"channels": [_channel(_word("One", 0.0, 0.5), _word("two.", 0.5, 0.9))]}}
    raw = _parse(data)
    assert [(t.speaker, t.channel, t.text, t.start_ms, t.end_ms) for t in raw.turns] == [("", None, "One two.", 0, 900)]


def test_multichannel_words_are_labelled_by_channel() -> None:
    raw = _parse(STEREO)
    assert [(t.speaker, t.channel, t.text) for t in raw.turns] == [
        ("ch_0", 0, "Hello. Bye."),
        ("ch_1", 1, "Hi."),
    ]


def test_multichannel_diarized_utterances_name_channel_and_speaker() -> None:
    # Deepgram numbers speakers per channel: speaker 0 of channel 1 is not speaker 0 of channel 0.
    utterances = [
        {"start": 0.1, "end": 0.5, "channel": 0, "speaker": 0, "transcript": "Hello."},
        {"start": 0.6, "end": 0.9, "channel": 1, "speaker": 0, "transcript": "Hi."},
    ]
    raw = _parse({"results": {"channels": STEREO["results"]["channels"], "utterances": utterances}})
    assert [(t.speaker, t.channel) for t in raw.turns] == [("ch_0/0", 0), ("ch_1/0", 1)]


def test_utterance_channel_above_zero_means_multichannel_even_without_channels() -> None:
    utterances = [{"start": 0, "end": 1, "channel": 1, "transcript": "Hi."}]
    raw = _parse({"results": {"utterances": utterances}})
    assert [(t.speaker, t.channel) for t in raw.turns] == [("ch_1", 1)]


def test_bare_word_is_used_without_punctuated_word() -> None:
    # Deepgram-hosted Whisper and requests without punctuate=true give `word` only.
    data = {"results": {"channels": [{"alternatives": [{"words": [{"word": "yeah", "start": 0.06, "end": 0.56}]}]}]}}
    assert _parse(data).turns[0].words == (Word("yeah", 60, 560, None),)


def test_channel_without_alternatives_gives_no_turns() -> None:
    assert _parse({"results": {"channels": [{"alternatives": []}]}}).turns == ()


def test_missing_utterance_start_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(UTTERANCES))
    del data["results"]["utterances"][1]["start"]
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "results.utterances[1].start")


def test_missing_word_end_is_a_missing_field_at_its_path() -> None:
    data = {"results": {"channels": [_channel(_word("a", 0, 1), {"word": "b", "start": 1})]}}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "results.channels[0].alternatives[0].words[1].end")


def test_missing_results_is_a_missing_field() -> None:
    assert _refusal({"metadata": {}}) == (ProblemKind.MISSING_FIELD, "results")


@pytest.mark.parametrize("value", ["soon", True, [], -0.5, 1e308])
def test_bad_or_negative_time_is_a_bad_value(value: object) -> None:
    data = {"results": {"channels": [_channel(_word("a", 0, 1), {"word": "b", "start": value, "end": 2})]}}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "results.channels[0].alternatives[0].words[1].start")


@pytest.mark.parametrize("channel", [-1, 1.5, "left"])
def test_bad_channel_is_a_bad_value(channel: object) -> None:
    utterances = [{"start": 0, "end": 1, "channel": channel, "transcript": "Hi."}]
    assert _refusal({"results": {"utterances": utterances}}) == (ProblemKind.BAD_VALUE, "results.utterances[0].channel")


def test_invalid_json_is_refused_with_its_position() -> None:
    with pytest.raises(InputError) as caught:
        deepgram.parse('{"results": {', "dg.json", "utf-8")
    assert caught.value.problem.kind is ProblemKind.INVALID_JSON
    assert caught.value.problem.where.startswith("line 1, column")


def test_sniff() -> None:
    assert deepgram.sniff(json.dumps(UTTERANCES))
    assert deepgram.sniff(json.dumps(STEREO))
    assert deepgram.sniff('{"results": {"utterances": []}}')
    assert not deepgram.sniff('{"results": {"items": [], "channels": [{"alternatives": []}]}}')  # AWS
    assert not deepgram.sniff('{"results": [{"alternatives": []}]}')  # Google
    assert not deepgram.sniff('{"results": {"channels": [{"x": 1}]}}')
    assert not deepgram.sniff('{"segments": []}')
    assert not deepgram.sniff("[1, 2]")


def test_no_other_reader_claims_these_samples() -> None:
    samples = [json.dumps(UTTERANCES), json.dumps(STEREO), '{"results": {"utterances": []}}']
    assert [(name, i) for i, sample in enumerate(samples) for name in claimants(sample) if name != "deepgram"] == []
