"""Amazon Transcribe JSON: speaker-label segments, channel identification, punctuation, masked and PII words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Word, WordMark
from reviewer.formats import aws_transcribe
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import read_raw

# (speaker or channel label, content, start, end); start None marks punctuation.
SPOKEN: list[tuple[str, str, str | None, str | None]] = [
    ("spk_0", "Hello", "0.5", "0.9"),
    ("spk_0", ",", None, None),
    ("spk_0", "this", "0.9", "1.1"),
    ("spk_0", "is", "1.1", "1.2"),
    ("spk_0", "[PII]", "1.2", "1.6"),
    ("spk_0", ".", None, None),
    ("spk_1", "You", "2.0", "2.2"),
    ("spk_1", "***", "2.2", "2.6"),
    ("spk_1", "idiot", "2.6", "3.0"),
    ("spk_1", "!", None, None),
    ("spk_0", "Sorry", "3.5", "4.0"),
]


def _item(content: str, start: str | None, end: str | None, **extra: str) -> dict[str, Any]:
    item: dict[str, Any] = {"alternatives": [{"confidence": "0.75", "content": content}], **extra}
    if start is None:
        return {**item, "type": "punctuation"}
    return {**item, "start_time": start, "end_time": end, "type": "pronunciation"}


def _speaker_labels() -> dict[str, Any]:
    """Three segments; items of the first two speakers' segments listed by time, as Transcribe does."""
    spans = [("spk_0", "0.5", "1.6", 0, 5), ("spk_1", "2.0", "3.0", 6, 9), ("spk_0", "3.5", "4.0", 10, 10)]
    segments = [
        {
            "start_time": start,
            "end_time": end,
            "speaker_label": label,
            "items": [
                {"start_time": s, "end_time": e, "speaker_label": label}
                for _, _, s, e in SPOKEN[first : last + 1]
                if s is not None
            ],
        }
        for label, start, end, first, last in spans
    ]
    return {
        "jobName": "job",
        "accountId": "1",
        "status": "COMPLETED",
        "results": {
            "transcripts": [{"transcript": "Hello, this is [PII]. You *** idiot! Sorry"}],
            "speaker_labels": {"speakers": 2, "segments": segments},
            "items": [_item(c, s, e) for _, c, s, e in SPOKEN],
        },
    }


def _channel_labels() -> dict[str, Any]:
    rows = [
        ("ch_0", "Hello", "0.5", "0.9"),
        ("ch_1", "Hi", "0.8", "1.0"),
        ("ch_1", "there", "1.0", "1.3"),
        ("ch_1", ".", None, None),
        ("ch_0", "Yes", "1.5", "1.8"),
    ]
    channels = [
        {"channel_label": label, "items": [_item(c, s, e) for lab, c, s, e in rows if lab == label]}
        for label in ("ch_0", "ch_1")
    ]
    return {
        "results": {
            "transcripts": [{"transcript": "Hello Hi there. Yes"}],
            "channel_labels": {"channels": channels, "number_of_channels": 2},
            "items": [_item(c, s, e) for _, c, s, e in rows],
        }
    }


def _read(tmp_path: Path, data: object) -> RawTranscript:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return read_raw(str(path))


def test_speaker_segments_become_turns(tmp_path: Path) -> None:
    raw = _read(tmp_path, _speaker_labels())
    assert raw.format == "aws_transcribe"
    assert [(t.speaker, t.start_ms, t.end_ms, t.channel) for t in raw.turns] == [
        ("spk_0", 500, 1600, None),
        ("spk_1", 2000, 3000, None),
        ("spk_0", 3500, 4000, None),
    ]
    assert [t.where for t in raw.turns] == [f"results.speaker_labels.segments[{i}]" for i in range(3)]


def test_punctuation_joins_the_word_before_and_masks_survive(tmp_path: Path) -> None:
    turns = _read(tmp_path, _speaker_labels()).turns
    assert [t.text for t in turns] == ["Hello, this is [PII].", "You *** idiot!", "Sorry"]
    assert turns[0].words[0] == Word("Hello,", 500, 900, 0.75)
    assert [w.text for w in turns[1].words] == ["You", "***", "idiot!"]


def test_channels_group_consecutive_items(tmp_path: Path) -> None:
    raw = _read(tmp_path, _channel_labels())
    assert [(t.speaker, t.channel, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("ch_0", 0, 500, 900, "Hello"),
        ("ch_1", 1, 800, 1300, "Hi there."),
        ("ch_0", 0, 1500, 1800, "Yes"),
    ]
    assert raw.turns[1].where == "results.items[1]"


def test_no_labels_gives_one_unlabelled_turn(tmp_path: Path) -> None:
    data = {"results": {"items": [_item("one", "0", "0.5"), _item("two", "0.5", "1")]}}
    raw = _read(tmp_path, data)
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in raw.turns] == [("", "one two", 0, 1000)]


def test_items_carrying_their_own_speaker_label(tmp_path: Path) -> None:
    items = [_item("a", "0", "1", speaker_label="spk_1"), _item("b", "1", "2", speaker_label="spk_0")]
    raw = _read(tmp_path, {"results": {"items": items}})
    assert [t.speaker for t in raw.turns] == ["spk_1", "spk_0"]


def test_missing_end_time_names_the_item(tmp_path: Path) -> None:
    data = {"results": {"items": [_item("a", "0", "1"), {"start_time": "1", "alternatives": [{"content": "b"}]}]}}
    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)
    assert (caught.value.problem.kind, caught.value.problem.where) == (
        ProblemKind.MISSING_FIELD,
        "results.items[1].end_time",
    )


def test_non_numeric_time_is_a_bad_value(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, {"results": {"items": [_item("a", "zero", "1")]}})
    assert (caught.value.problem.kind, caught.value.problem.where) == (
        ProblemKind.BAD_VALUE,
        "results.items[0].start_time",
    )


def test_sniff() -> None:
    assert aws_transcribe.sniff(json.dumps(_speaker_labels()))
    assert not aws_transcribe.sniff('{"results": {"channels": []}}')  # Deepgram
    assert not aws_transcribe.sniff('{"results": [{"alternatives": []}]}')  # Google


def test_masked_and_redacted_words_are_marked_and_keep_their_text(tmp_path: Path) -> None:
    turns = _read(tmp_path, _speaker_labels()).turns
    marked = [(w.text, w.mark) for t in turns for w in t.words if w.mark is not None]
    # Punctuation joined to a hidden word ("[PII].") keeps the mark; spoken words stay unmarked.
    assert marked == [("[PII].", WordMark.REDACTED), ("***", WordMark.MASKED)]
    assert turns[1].words[2] == Word("idiot!", 2600, 3000, 0.75)


@pytest.mark.parametrize(
    ("content", "mark"),
    [
        ("***", WordMark.MASKED),
        ("*", WordMark.MASKED),
        ("*****", WordMark.MASKED),
        ("[PII]", WordMark.REDACTED),
        ("[NAME]", WordMark.REDACTED),
        ("[CREDIT_DEBIT_NUMBER]", WordMark.REDACTED),
        ("hello", None),
        ("a*b", None),
        ("[]", None),
        ("[PII", None),
        ("[two words]", None),
    ],
)
def test_word_mark(content: str, mark: WordMark | None) -> None:
    assert aws_transcribe.word_mark(content) == mark


def test_channel_identified_masks_are_marked(tmp_path: Path) -> None:
    rows = [("ch_0", "***", "0.5", "0.9"), ("ch_1", "[PII]", "1.0", "1.3")]
    channels = [
        {"channel_label": label, "items": [_item(c, s, e) for lab, c, s, e in rows if lab == label]}
        for label in ("ch_0", "ch_1")
    ]
    data = {"results": {"channel_labels": {"channels": channels}, "items": [_item(c, s, e) for _, c, s, e in rows]}}
    raw = _read(tmp_path, data)
    assert [(t.speaker, t.words[0].mark) for t in raw.turns] == [("ch_0", WordMark.MASKED), ("ch_1", WordMark.REDACTED)]
