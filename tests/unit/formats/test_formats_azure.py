"""Azure Speech JSON: batch phrases (ISO-8601 and ticks), real-time results (list, object, lines), refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import (
    azure,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import claimants


def _batch_word(word: str, offset_s: float, duration_s: float) -> dict[str, Any]:
    return {
        "word": word,
        "offset": f"PT{offset_s}S",
        "duration": f"PT{duration_s}S",
        "offsetInTicks": offset_s * 10_000_000,
        "durationInTicks": duration_s * 10_000_000,
        "confidence": 0.9,
    }


def _phrase(speaker: int | None, channel: int, offset_s: float, duration_s: float, display: str) -> dict[str, Any]:
    lexical = display.lower().strip(".?")
    words = [_batch_word(w, offset_s + i * 0.5, 0.5) for i, w in enumerate(lexical.split())]
    phrase: dict[str, Any] = {
        "recognitionStatus": "Success",
        "channel": channel,
        "offset": f"PT{offset_s}S",
        "duration": f"PT{duration_s}S",
        "offsetInTicks": offset_s * 10_000_000,
        "durationInTicks": duration_s * 10_000_000,
        "nBest": [{"confidence": 0.9, "lexical": lexical, "display": display, "words": words}],
    }
    return phrase if speaker is None else {**phrase, "speaker": speaker}


BATCH = {
    "source": "https://example.com/call.wav",
    "duration": "PT4S",
    "combinedRecognizedPhrases": [{"channel": 0, "display": "Hello there. Hi."}],
    "recognizedPhrases": [_phrase(1, 0, 0.04, 1.0, "Hello there."), _phrase(2, 0, 1.5, 0.5, "Hi.")],
}

REALTIME = [
    {
        "RecognitionStatus": "Success",
        "Offset": 900_000,
        "Duration": 5_600_000,
        "SpeakerId": "Guest-1",
        "NBest": [
            {
                "Confidence": 0.95,
                "Lexical": "hello",
                "Display": "Hello.",
                "Words": [{"Word": "hello", "Offset": 900_000, "Duration": 5_600_000, "Confidence": 0.9}],
            },
            {"Confidence": 0.2, "Lexical": "hullo", "Display": "hullo"},
        ],
    },
    {"RecognitionStatus": "NoMatch", "Offset": 6_000_000, "Duration": 0},
    {
        "RecognitionStatus": "Success",
        "Offset": 6_900_000,
        "Duration": 10_100_000,
        "SpeakerId": "Guest-2",
        "DisplayText": "Hi.",
    },
]


def _parse(text: str) -> RawTranscript:
    return azure.parse(text, "az.json", "utf-8")


def _refusal(text: str) -> tuple[ProblemKind, str]:
    with pytest.raises(InputError) as caught:
        _parse(text)
    return caught.value.problem.kind, caught.value.problem.where


def test_batch_phrases_are_turns_with_speakers() -> None:
    raw = _parse(json.dumps(BATCH))
    assert raw.format == "azure"
    assert [(t.speaker, t.channel, t.start_ms, t.end_ms, t.text, t.where) for t in raw.turns] == [
        ("1", None, 40, 1040, "Hello there.", "recognizedPhrases[0]"),
        ("2", None, 1500, 2000, "Hi.", "recognizedPhrases[1]"),
    ]
    assert raw.turns[0].words == (Word("hello", 40, 540, 0.9), Word("there", 540, 1040, 0.9))


def test_iso_durations_alone_give_the_same_times() -> None:
    phrase = _phrase(None, 0, 0, 0, "Hi.")
    for item in (phrase, *phrase["nBest"][0]["words"]):
        del item["offsetInTicks"], item["durationInTicks"]
    phrase.update(offset="PT1M2.5S", duration="PT0.25S")
    phrase["nBest"][0]["words"][0].update(offset="PT1M2.5S", duration="PT0.2S")
    turn = _parse(json.dumps({"recognizedPhrases": [phrase]})).turns[0]
    assert (turn.start_ms, turn.end_ms) == (62_500, 62_750)
    assert (turn.words[0].start_ms, turn.words[0].end_ms) == (62_500, 62_700)


def test_days_and_hours_in_iso_durations() -> None:
    phrase = {"offset": "P1DT1H", "duration": "PT0,5S", "nBest": [{"display": "x"}]}
    turn = _parse(json.dumps({"recognizedPhrases": [phrase]})).turns[0]
    assert (turn.start_ms, turn.end_ms) == (90_000_000, 90_000_500)


def test_display_words_are_preferred_to_lexical_words() -> None:
    phrase = _phrase(None, 0, 0, 1, "0030")
    phrase["nBest"][0]["displayWords"] = [{"displayText": "0030", "offsetInTicks": 0, "durationInTicks": 10_000_000}]
    assert [w.text for w in _parse(json.dumps({"recognizedPhrases": [phrase]})).turns[0].words] == ["0030"]


def test_stereo_batch_labels_turns_by_channel() -> None:
    phrases = [_phrase(None, 0, 0, 1, "Hello."), _phrase(None, 1, 1, 1, "Hi.")]
    raw = _parse(json.dumps({"recognizedPhrases": phrases}))
    assert [(t.speaker, t.channel) for t in raw.turns] == [("ch_0", 0), ("ch_1", 1)]


def test_realtime_list_skips_results_without_speech() -> None:
    raw = _parse(json.dumps(REALTIME))
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.where) for t in raw.turns] == [
        ("Guest-1", 90, 650, "Hello.", "[0]"),
        ("Guest-2", 690, 1700, "Hi.", "[2]"),
    ]
    assert raw.turns[0].words == (Word("hello", 90, 650, 0.9),)


def test_realtime_single_result_object() -> None:
    raw = _parse(json.dumps(REALTIME[2]))
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [("Guest-2", 690, 1700, "Hi.")]


def test_realtime_json_lines() -> None:
    text = "\n".join(json.dumps(result) for result in REALTIME) + "\n"
    raw = _parse(text)
    assert [(t.text, t.where) for t in raw.turns] == [("Hello.", "line 1"), ("Hi.", "line 3")]


def test_broken_json_line_is_refused_at_its_line() -> None:
    text = json.dumps(REALTIME[0]) + '\n{"RecognitionStatus": \n'
    kind, where = _refusal(text)
    assert (kind, where.split(",")[0]) == (ProblemKind.INVALID_JSON, "line 2")


def test_broken_json_is_refused_with_the_decoders_position() -> None:
    assert _refusal('{"recognizedPhrases": [')[0] is ProblemKind.INVALID_JSON


def test_missing_batch_offset_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(BATCH))
    del data["recognizedPhrases"][1]["offset"], data["recognizedPhrases"][1]["offsetInTicks"]
    assert _refusal(json.dumps(data)) == (ProblemKind.MISSING_FIELD, "recognizedPhrases[1].offsetInTicks")


def test_missing_realtime_duration_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(REALTIME))
    del data[2]["Duration"]
    assert _refusal(json.dumps(data)) == (ProblemKind.MISSING_FIELD, "[2].Duration")


def test_missing_word_text_is_a_missing_field_at_its_path() -> None:
    data = json.loads(json.dumps(BATCH))
    del data["recognizedPhrases"][0]["nBest"][0]["words"][1]["word"]
    assert _refusal(json.dumps(data)) == (ProblemKind.MISSING_FIELD, "recognizedPhrases[0].nBest[0].words[1].word")


@pytest.mark.parametrize("value", ["PT1.5", "P1Y", "PT", "P", "1.5S", "PTxS"])
def test_bad_iso_duration_is_a_bad_value(value: str) -> None:
    phrase = {"offset": value, "duration": "PT1S", "nBest": [{"display": "x"}]}
    assert _refusal(json.dumps({"recognizedPhrases": [phrase]})) == (
        ProblemKind.BAD_VALUE,
        "recognizedPhrases[0].offset",
    )


@pytest.mark.parametrize("value", [-1, "soon", True, 1e300])
def test_bad_or_negative_ticks_are_a_bad_value(value: object) -> None:
    data = json.loads(json.dumps(REALTIME))
    data[0]["Offset"] = value
    assert _refusal(json.dumps(data)) == (ProblemKind.BAD_VALUE, "[0].Offset")


def test_sniff() -> None:
    assert azure.sniff(json.dumps(BATCH))
    assert azure.sniff(json.dumps(REALTIME))
    assert azure.sniff(json.dumps(REALTIME[0]))
    assert azure.sniff("\n".join(json.dumps(result) for result in REALTIME))
    assert not azure.sniff("[]")
    assert not azure.sniff('[{"Offset": 1}]')
    assert not azure.sniff('{"results": {"channels": []}}')
    assert not azure.sniff('{"a": 1}\n{"b": 2}')
    assert not azure.sniff("[" * 5000)


def test_no_other_reader_claims_these_samples() -> None:
    samples = [
        json.dumps(BATCH),
        json.dumps(REALTIME),
        json.dumps(REALTIME[0]),
        "\n".join(json.dumps(r) for r in REALTIME),
    ]
    assert [(name, i) for i, sample in enumerate(samples) for name in claimants(sample) if name != "azure"] == []
