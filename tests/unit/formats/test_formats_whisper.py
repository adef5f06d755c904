"""Whisper and whisper-timestamped JSON: segments, words with probabilities or confidences, speakers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word
from reviewer.formats import whisper
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import read_raw

SAMPLE = {
    "text": " Hello, Acme support. I need help.",
    "language": "en",
    "segments": [
        {
            "id": 0,
            "start": 0.5,
            "end": 1.9,
            "text": " Hello, Acme support.",
            "words": [
                {"word": " Hello,", "start": 0.5, "end": 0.9, "probability": 0.91},
                {"word": " Acme", "start": 0.9, "end": 1.3, "probability": 0.5},
                {"word": " support.", "start": 1.3, "end": 1.9, "probability": 0.99},
            ],
        },
        {
            "start": 2.25,
            "end": 3.0005,
            "text": " I need help.",
            "speaker": "SPEAKER_01",
            "words": [
                {"text": "I", "start": 2.25, "end": 2.4, "confidence": 0.8},
                {"text": "need", "start": 2.4, "end": 2.7},
                {"text": "2", "score": 0.1},
            ],
        },
    ],
}


def _write(tmp_path: Path, data: object, name: str = "call.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _read(tmp_path: Path, data: object) -> RawTranscript:
    return read_raw(_write(tmp_path, data))


def test_segments_become_turns(tmp_path: Path) -> None:
    raw = _read(tmp_path, SAMPLE)
    assert raw.format == "whisper"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.where) for t in raw.turns] == [
        ("", 500, 1900, "Hello, Acme support.", "segments[0]"),
        ("SPEAKER_01", 2250, 3000, "I need help.", "segments[1]"),
    ]


def test_words_keep_timing_and_confidence(tmp_path: Path) -> None:
    first, second = _read(tmp_path, SAMPLE).turns
    assert first.words[1] == Word("Acme", 900, 1300, 0.5)
    # A word without times (WhisperX leaves some unaligned) is left out; the segment text still has it.
    assert second.words == (Word("I", 2250, 2400, 0.8), Word("need", 2400, 2700, None))


def test_missing_start_is_a_missing_field_at_its_path(tmp_path: Path) -> None:
    data = {"segments": [{"start": 0, "end": 1, "text": "a"}, {"end": 2, "text": "b"}]}
    with pytest.raises(InputError) as caught:
        whisper.parse(json.dumps(data), "w.json", "utf-8")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.MISSING_FIELD, "segments[1].start")


def test_non_numeric_time_is_a_bad_value(tmp_path: Path) -> None:
    data = {"segments": [{"start": "soon", "end": 1, "text": "a"}]}
    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.BAD_VALUE, "segments[0].start")


def test_text_falls_back_to_words(tmp_path: Path) -> None:
    data = {"segments": [{"start": 0, "end": 1, "words": [{"word": "hi", "start": 0, "end": 1}]}]}
    assert _read(tmp_path, data).turns[0].text == "hi"


def test_sniff() -> None:
    assert whisper.sniff(json.dumps(SAMPLE))
    assert whisper.sniff('{"segments": []}')
    assert not whisper.sniff('{"segments": [{"text": "no times"}]}')
    assert not whisper.sniff('{"results": {"items": []}, "segments": []}')
