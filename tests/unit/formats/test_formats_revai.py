"""Rev.ai JSON: monologues as turns, text and punct elements, speaker names, refusals with JSON paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import (
    revai,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import claimants


def _text(value: str, ts: object, end_ts: object, confidence: float = 1.0) -> dict[str, Any]:
    return {"type": "text", "value": value, "ts": ts, "end_ts": end_ts, "confidence": confidence}


def _punct(value: str) -> dict[str, Any]:
    return {"type": "punct", "value": value}


TRANSCRIPT: dict[str, Any] = {
    "monologues": [
        {
            "speaker": 0,
            "elements": [
                _text("Hi", 0.3, 0.52),
                _punct(","),
                _punct(" "),
                _text("Acme", 0.54, 0.9, 0.6),
                _punct("."),
                _punct(" "),
            ],
        },
        {
            "speaker": 1,
            "speaker_name": "Customer Jane",
            "elements": [
                _text("Hello", 1.2, 1.5),
                _punct(" "),
                {"type": "unknown", "value": "<inaudible>", "ts": 1.6, "end_ts": 2.4},
                _punct(" "),
                {"type": "unknown", "value": "<laugh>"},
            ],
        },
    ]
}


def _parse(data: object) -> RawTranscript:
    return revai.parse(json.dumps(data), "rev.json", "utf-8")


def _refusal(data: object) -> tuple[ProblemKind, str]:
    with pytest.raises(InputError) as caught:
        _parse(data)
    return caught.value.problem.kind, caught.value.problem.where


def test_monologues_are_turns() -> None:
    raw = _parse(TRANSCRIPT)
    assert raw.format == "revai"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.where) for t in raw.turns] == [
        ("0", 300, 900, "Hi, Acme.", "monologues[0]"),
        # A timed <inaudible> tag stretches the span; untimed tags stay in the text only.
        ("Customer Jane", 1200, 2400, "Hello <inaudible> <laugh>", "monologues[1]"),
    ]


def test_punctuation_joins_the_word_before() -> None:
    words = _parse(TRANSCRIPT).turns[0].words
    assert words == (Word("Hi,", 300, 520, 1.0), Word("Acme.", 540, 900, 0.6))


def test_only_text_elements_are_words() -> None:
    assert [w.text for w in _parse(TRANSCRIPT).turns[1].words] == ["Hello"]


def test_monologue_without_timed_elements_gives_no_turn() -> None:
    data = {"monologues": [{"speaker": 0, "elements": [_punct(".")]}, TRANSCRIPT["monologues"][0]]}
    assert [t.where for t in _parse(data).turns] == ["monologues[1]"]


def test_missing_speaker_is_a_missing_field_at_its_path() -> None:
    data = {"monologues": [{"elements": [_text("a", 0, 1)]}]}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "monologues[0].speaker")


def test_missing_end_ts_is_a_missing_field_at_its_path() -> None:
    data = {"monologues": [{"speaker": 0, "elements": [_text("a", 0, 1), {"type": "text", "value": "b", "ts": 1}]}]}
    assert _refusal(data) == (ProblemKind.MISSING_FIELD, "monologues[0].elements[1].end_ts")


def test_missing_monologues_is_a_missing_field() -> None:
    assert _refusal({"job": {}}) == (ProblemKind.MISSING_FIELD, "monologues")


@pytest.mark.parametrize("value", ["soon", False, {"s": 1}, -0.3])
def test_bad_or_negative_time_is_a_bad_value(value: object) -> None:
    data = {"monologues": [{"speaker": 0, "elements": [_text("a", value, 1)]}]}
    assert _refusal(data) == (ProblemKind.BAD_VALUE, "monologues[0].elements[0].ts")


def test_element_that_is_not_an_object_is_a_bad_value() -> None:
    assert _refusal({"monologues": [{"speaker": 0, "elements": ["a"]}]}) == (
        ProblemKind.BAD_VALUE,
        "monologues[0].elements[0]",
    )


def test_sniff() -> None:
    assert revai.sniff(json.dumps(TRANSCRIPT))
    assert revai.sniff('{"monologues": []}')
    assert not revai.sniff('{"monologues": [{"speaker": 0}]}')
    assert not revai.sniff('{"monologues": {}}')
    assert not revai.sniff('{"segments": []}')


def test_no_other_reader_claims_these_samples() -> None:
    samples = [json.dumps(TRANSCRIPT), '{"monologues": []}']
    assert [(name, i) for i, sample in enumerate(samples) for name in claimants(sample) if name != "revai"] == []
