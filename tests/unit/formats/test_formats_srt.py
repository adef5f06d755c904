"""SRT reader: cues through pysubs2, "Name:" prefixes as speakers, and where each cue is."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.formats import srt
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import read_raw

SAMPLE = """1
00:00:01,000 --> 00:00:02,500
Agent: Hello, how can I help?

2
00:00:03,000 --> 00:00:04,200
Mrs Anna Smith: I want
to <i>cancel</i>

3
01:00:05,000 --> 01:00:06,000
This sentence has many words before: a colon

4
00:00:07,000 --> 00:00:08,000
At 10:30 we open
"""


def _read(tmp_path: Path, text: str) -> RawTranscript:
    path = tmp_path / "call.srt"
    path.write_text(text, encoding="utf-8")
    return read_raw(str(path))


def test_cues_become_turns_with_speaker_prefixes(tmp_path: Path) -> None:
    raw = _read(tmp_path, SAMPLE)
    assert raw.format == "srt"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("Agent", 1000, 2500, "Hello, how can I help?"),
        ("Mrs Anna Smith", 3000, 4200, "I want to cancel"),
        ("", 3_605_000, 3_606_000, "This sentence has many words before: a colon"),
        ("", 7000, 8000, "At 10:30 we open"),
    ]


def test_where_names_cue_and_timings_line(tmp_path: Path) -> None:
    assert [t.where for t in _read(tmp_path, SAMPLE).turns] == [
        "cue 1, line 2",
        "cue 2, line 6",
        "cue 3, line 11",
        "cue 4, line 15",
    ]


def test_cue_without_number_and_with_dot_decimals(tmp_path: Path) -> None:
    raw = _read(tmp_path, "00:00:01.000 --> 00:00:02.000\nCustomer: yes\n")
    assert [(t.speaker, t.start_ms, t.text) for t in raw.turns] == [("Customer", 1000, "yes")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [("Speaker 1: hi", "Speaker 1"), ("1: hi", ""), ("see http://x.org now", ""), ("Note:no space", "")],
)
def test_split_speaker(text: str, speaker: str) -> None:
    assert srt.split_speaker(text)[0] == speaker


def test_sniff() -> None:
    assert srt.sniff(SAMPLE)
    assert srt.sniff("\n\n00:00:01,000 --> 00:00:02,000\nhi\n")
    assert not srt.sniff("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n")
    assert not srt.sniff("start,end,text\n1,2,hi\n")


def test_a_sentence_with_a_time_after_a_colon_is_not_a_speaker() -> None:
    from reviewer.formats.srt import split_speaker  # noqa: PLC0415

    assert split_speaker("The time is: 10:30, call back.") == ("", "The time is: 10:30, call back.")
    assert split_speaker("Anna: call back at 10:30.") == ("Anna", "call back at 10:30.")


def test_dialogue_dashes_in_one_cue_are_two_speakers(tmp_path: Path) -> None:
    path = tmp_path / "dialogue.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:03,000\n- Customer: hi\n- Agent: hello, thank you for calling\n")
    raw = read_raw(str(path))
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in raw.turns] == [
        ("Customer", "hi", 1000, 3000),
        ("Agent", "hello, thank you for calling", 1000, 3000),
    ]
