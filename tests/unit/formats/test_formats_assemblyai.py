"""AssemblyAI JSON: utterances, words by speaker, multichannel labels, refusals with their JSON paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import (
    assemblyai,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import claimants


def _word(text: str, start: object, end: int, speaker: str | None, **extra: Any) -> dict[str, Any]:
    return {"text": text, "start": start, "end": end, "confidence": 0.5, "speaker": speaker, **extra}


WORDS = [
    _word("Thanks", 170, 500, "A"),
    _word("for", 500, 650, "A"),
    _word("calling.", 650, 900, "A"),
    _word("Hi.", 1200, 1500, "B"),
    _word("Hello?", 2000, 2300, "A"),
]

TRANSCRIPT: dict[str, Any] = {
    "id": "abc",
    "status": "completed",
    "text": "Thanks for calling. Hi. Hello?",
    "words": WORDS,
    "utterances": [
        {
            "speaker": "A",
            "start": 170,
            "end": 900,
            "text": "Thanks for calling.",
            "confidence": 0.9,
            "words": WORDS[:3],
        },
        {"speaker": "B", "start": 1200, "end": 1500, "text": "Hi.", "confidence": 0.9, "words": WORDS[3:4]},
        {"speaker": "A", "start": 2000, "end": 2300, "text": "Hello?", "confidence": 0.9, "words": WORDS[4:]},
    ],
    "audio_duration": 3,
    "dual_channel": False,
}


def _parse(data: object) -> RawTranscript:
    return assemblyai.parse(json.dumps(data), "aai.json", "utf-8")


def _refusal(data: object) -> tuple[ProblemKind, str]:
    with pytest.raises(InputError) as caught:
        _parse(data)
    return caught.value.problem.kind, caught.value.problem.where


def test_utterances_are_the_turns() -> None:
    raw = _parse(TRANSCRIPT)
    assert raw.format == "assemblyai"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.channel, t.where) for t in raw.turns] == [
        ("A", 170, 900, "Thanks for calling.", None, "utterances[0]"),
        ("B", 1200, 1500, "Hi.", None, "utterances[1]"),
        ("A", 2000, 2300, "Hello?", None, "utterances[2]"),
    ]
    assert raw.turns[1].words == (Word("Hi.", 1200, 1500, 0.5),)


def test_without_utterances_words_are_cut_where_the_speaker_changes() -> None:
    raw = _parse({**TRANSCRIPT, "utterances": None})
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.where) for t in raw.turns] == [
        ("A", 170, 900, "Thanks for calling.", "words[0]"),
        ("B", 1200, 1500, "Hi.", "words[3]"),
        ("A", 2000, 2300, "Hello?", "words[4]"),
    ]


def test_words_without_speaker_labels_are_one_unlabelled_turn() -> None:
    words = [_word("One", 0, 400, None), _word("two.", 400, 800, None)]
    raw = _parse({"words": words, "utterances": None})
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in raw.turns] == [("", "One two.", 0, 800)]


def test_multichannel_counts_channels_from_one() -> None:
    # Without diarization AssemblyAI names each channel's speaker after the channel number.
    utterances = [
        {"speaker": "1", "channel": "1", "start": 0, "end": 900, "text": "Hello.", "words": []},
        {"speaker": "2", "channel": "2", "start": 1000, "end": 1500, "text": "Hi.", "words": []},
        {"speaker": "2B", "channel": "2", "start": 1600, "end": 1900, "text": "Me too.", "words": []},
    ]
    raw = _parse({"words": [], "utterances": utterances})
    assert [(t.speaker, t.channel) for t in raw.turns] == [("ch_0", 0), ("ch_1", 1), ("ch_1/2B", 1)]


def test_multichannel_words_are_cut_by_channel() -> None:
    words = [_word("Hello.", 0, 500, "1", channel="1"), _word("Hi.", 400, 800, "2", channel="2")]
    raw = _parse({"words": words, "utterances": []})
    assert [(t.speaker, t.channel, t.text) for t in raw.turns] == [("ch_0", 0, "Hello."), ("ch_1", 1, "Hi.")]


def test_silent_recording_gives_no_turns() -> None:
    assert _parse({"words": [], "utterances": []}).turns == ()


def test_missing_utterance_end_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(TRANSCRIPT))
    del data["utterances"][2]["end"]
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "utterances[2].end")


def test_missing_word_text_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(TRANSCRIPT))
    del data["utterances"][0]["words"][1]["text"]
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "utterances[0].words[1].text")


def test_no_words_and_no_utterances_is_a_missing_field() -> None:
    assert _refusal({"utterances": None}) == (ProblemKind.MISSING_FIELD, "words")


@pytest.mark.parametrize("value", ["later", False, {"ms": 1}, -5])
def test_bad_or_negative_time_is_a_bad_value(value: object) -> None:
    data = {"words": [_word("a", 0, 100, "A"), _word("b", value, 300, "A")], "utterances": None}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "words[1].start")


@pytest.mark.parametrize("channel", ["0", "1.5", "left"])
def test_bad_channel_is_a_bad_value(channel: str) -> None:
    utterances = [{"speaker": "A", "channel": channel, "start": 0, "end": 1, "text": "x"}]
    assert _refusal({"words": [], "utterances": utterances}) == (ProblemKind.BAD_VALUE, "utterances[0].channel")


def test_sniff() -> None:
    assert assemblyai.sniff(json.dumps(TRANSCRIPT))
    assert assemblyai.sniff(json.dumps({**TRANSCRIPT, "utterances": None}))
    assert assemblyai.sniff('{"words": [], "utterances": []}')
    assert not assemblyai.sniff('{"words": null, "utterances": null}')
    assert not assemblyai.sniff(json.dumps({"words": WORDS}))  # no utterances member: not AssemblyAI's layout
    assert not assemblyai.sniff(json.dumps({**TRANSCRIPT, "segments": []}))  # a Whisper file with extras
    assert not assemblyai.sniff('{"words": [{"word": "a", "start": 0}], "utterances": null}')
    assert not assemblyai.sniff("[]")


def test_no_other_reader_claims_these_samples() -> None:
    samples = [
        json.dumps(TRANSCRIPT),
        json.dumps({**TRANSCRIPT, "utterances": None}),
        '{"words": [], "utterances": []}',
    ]
    assert [(name, i) for i, sample in enumerate(samples) for name in claimants(sample) if name != "assemblyai"] == []
