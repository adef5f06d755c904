"""Google Speech-to-Text JSON: both time styles, diarization summary, channels, refusals with JSON paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import (
    google_stt,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import claimants


def _word(word: str, start: object, end: object, **extra: Any) -> dict[str, Any]:
    return {"startTime": start, "endTime": end, "word": word, "confidence": 0.9, **extra}


def _result(words: list[dict[str, Any]], end: str, transcript: str | None = None, **extra: Any) -> dict[str, Any]:
    alternative: dict[str, Any] = {"words": words, "confidence": 0.9}
    if transcript is not None:
        alternative["transcript"] = transcript
    return {"alternatives": [alternative], "resultEndTime": end, "languageCode": "en-us", **extra}


REST = {
    "results": [
        _result([_word("thank", "0.500s", "0.800s"), _word("you", "0.800s", "1.100s")], "1.500s", "thank you"),
        _result([_word("hello", "2s", "2.400s")], "3.050s", " hello"),
    ]
}

# v1 diarization: earlier results carry untagged words, the last repeats all of them with speaker tags.
DIARIZED = {
    "results": [
        _result([_word("hello", "0.5s", "0.9s"), _word("hi", "1.2s", "1.4s")], "1.5s", "hello hi"),
        _result([_word("help", "2s", "2.5s"), _word("me", "2.5s", "2.8s")], "3s", " help me"),
        _result(
            [
                _word("hello", "0.5s", "0.9s", speakerTag=1),
                _word("hi", "1.2s", "1.4s", speakerTag=2),
                _word("help", "2s", "2.5s", speakerTag=2),
                _word("me", "2.5s", "2.8s", speakerTag=2),
            ],
            "3s",
        ),
    ]
}


def _parse(data: object) -> RawTranscript:
    return google_stt.parse(json.dumps(data), "stt.json", "utf-8")


def _refusal(data: object) -> tuple[ProblemKind, str]:
    with pytest.raises(InputError) as caught:
        _parse(data)
    return caught.value.problem.kind, caught.value.problem.where


def test_each_result_is_a_turn_spanning_its_words() -> None:
    raw = _parse(REST)
    assert raw.format == "google_stt"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.channel, t.where) for t in raw.turns] == [
        ("", 500, 1100, "thank you", None, "results[0]"),
        ("", 2000, 2400, "hello", None, "results[1]"),
    ]
    assert raw.turns[0].words == (Word("thank", 500, 800, 0.9), Word("you", 800, 1100, 0.9))


def test_seconds_and_nanos_objects() -> None:
    words = [
        _word("one", {"seconds": "1", "nanos": 500_000_000}, {"seconds": 2}),
        # Protobuf leaves out zero members: a start at 0 s is an empty object or no member at all.
        {"endTime": {"nanos": 300_000_000}, "word": "zero"},
    ]
    raw = _parse({"results": [{"alternatives": [{"transcript": "one zero", "words": words}]}]})
    assert [(w.text, w.start_ms, w.end_ms) for w in raw.turns[0].words] == [("one", 1500, 2000), ("zero", 0, 300)]


def test_results_without_words_span_from_the_previous_result_end() -> None:
    data = {"results": [_result([], "2.000s", "good morning"), _result([], "5.500s", "how can I help")]}
    raw = _parse(data)
    assert [(t.start_ms, t.end_ms, t.text, t.words) for t in raw.turns] == [
        (0, 2000, "good morning", ()),
        (2000, 5500, "how can I help", ()),
    ]


def test_diarization_summary_alone_gives_the_turns() -> None:
    raw = _parse(DIARIZED)
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("1", 500, 900, "hello"),
        ("2", 1200, 2800, "hi help me"),
    ]
    assert sum(len(t.words) for t in raw.turns) == 4  # each word once, not again from the earlier results
    summary = "results[2].alternatives[0].words"
    assert [t.where for t in raw.turns] == [f"{summary}[0]", f"{summary}[1]"]


def test_per_result_speaker_labels_keep_every_result() -> None:
    # v2 names the speaker on each result's words; the last result is no summary and must not hide the others.
    data = {
        "results": [
            {
                "alternatives": [
                    {"words": [{"startOffset": "0.5s", "endOffset": "1s", "word": "hi", "speakerLabel": "1"}]}
                ],
                "resultEndOffset": "1s",
            },
            {
                "alternatives": [
                    {"words": [{"startOffset": "2s", "endOffset": "3s", "word": "yo", "speakerLabel": "2"}]}
                ],
                "resultEndOffset": "3s",
            },
        ]
    }
    raw = _parse(data)
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("1", 500, 1000, "hi"),
        ("2", 2000, 3000, "yo"),
    ]


def test_snake_case_field_names() -> None:
    word = {"start_time": "0.2s", "end_time": "0.7s", "word": "yes", "speaker_tag": 3}
    data = {"results": [{"alternatives": [{"transcript": "yes", "words": [word]}], "result_end_time": "1s"}]}
    assert [(t.speaker, t.start_ms, t.end_ms) for t in _parse(data).turns] == [("3", 200, 700)]


def test_channel_tags_count_from_one_and_untimed_spans_follow_their_own_channel() -> None:
    data = {
        "results": [
            _result([], "2s", "left one", channelTag=1),
            _result([], "3s", "right one", channelTag=2),
            _result([], "4s", "left two", channelTag=1),
        ]
    }
    raw = _parse(data)
    assert [(t.speaker, t.channel, t.start_ms, t.end_ms) for t in raw.turns] == [
        ("ch_0", 0, 0, 2000),
        ("ch_1", 1, 0, 3000),
        ("ch_0", 0, 2000, 4000),
    ]


def test_no_results_give_no_turns() -> None:
    # Google answers silence with no results at all; a file saved with an empty list means the same.
    assert _parse({"results": []}).turns == ()


def test_saved_operation_reads_its_response() -> None:
    data = {"name": "123", "done": True, "response": {"@type": "LongRunningRecognizeResponse", **REST}}
    assert google_stt.sniff(json.dumps(data))
    assert [t.where for t in _parse(data).turns] == ["response.results[0]", "response.results[1]"]


def test_missing_word_end_is_a_missing_field_at_its_path() -> None:
    data = {"results": [_result([_word("a", "0s", "1s"), {"startTime": "1s", "word": "b"}], "2s", "a b")]}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "results[0].alternatives[0].words[1].endTime")


def test_missing_word_text_is_a_missing_field_at_its_path() -> None:
    data = {"results": [_result([{"startTime": "1s", "endTime": "2s"}], "2s")]}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "results[0].alternatives[0].words[0].word")


def test_untimed_result_without_end_time_is_a_missing_field() -> None:
    data = {"results": [{"alternatives": [{"transcript": "hello"}]}]}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "results[0].resultEndTime")


@pytest.mark.parametrize("value", ["soon", "1.5 s", "-1s", True, [1], "1e400s"])
def test_bad_or_negative_time_is_a_bad_value(value: object) -> None:
    data = {"results": [_result([_word("a", value, "2s")], "2s", "a")]}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "results[0].alternatives[0].words[0].startTime")


def test_bad_seconds_member_names_its_path() -> None:
    data = {"results": [_result([_word("a", {"seconds": "x"}, "2s")], "2s", "a")]}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "results[0].alternatives[0].words[0].startTime.seconds")


def test_bad_channel_tag_is_a_bad_value() -> None:
    data = {"results": [_result([], "2s", "a", channelTag=1.5)]}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "results[0].channelTag")


def test_sniff() -> None:
    assert google_stt.sniff(json.dumps(REST))
    assert google_stt.sniff(json.dumps(DIARIZED))
    assert not google_stt.sniff('{"results": []}')
    assert not google_stt.sniff('{"results": {"channels": [{"alternatives": []}]}}')  # Deepgram
    assert not google_stt.sniff('{"results": {"items": []}}')  # AWS
    assert not google_stt.sniff('{"results": [{"transcript": "x"}]}')
    assert not google_stt.sniff('[{"alternatives": []}]')


def test_no_other_reader_claims_these_samples() -> None:
    samples = [json.dumps(REST), json.dumps(DIARIZED)]
    assert [(name, i) for i, sample in enumerate(samples) for name in claimants(sample) if name != "google_stt"] == []
