"""WebVTT reader: voices, timestamps with and without hours, tag stripping, and where each cue is."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats import vtt
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import validate_times
from reviewer.formats.registry import read_raw

WITH_HOURS = """WEBVTT

1
00:00:01.000 --> 00:00:04.250
<v Agent Anna>Good morning, <b>how</b> can I help?

2
00:00:04.000 --> 00:00:06.500 align:start
<v.loud Customer>I want to cancel
my subscription.</v>
"""

WITHOUT_HOURS = """WEBVTT - no hours

00:01.500 --> 00:02.000
No voice here <00:01.750>at all

01:02.003 --> 01:04.000
<v Bob>Second
"""


def _read(tmp_path: Path, text: str, name: str = "call.vtt") -> RawTranscript:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_raw(str(path))


def test_voices_give_speakers_and_tags_are_stripped(tmp_path: Path) -> None:
    raw = _read(tmp_path, WITH_HOURS)
    assert raw.format == "vtt"
    assert [(t.speaker, t.start_ms, t.end_ms) for t in raw.turns] == [
        ("Agent Anna", 1000, 4250),
        ("Customer", 4000, 6500),
    ]
    assert raw.turns[0].text == "Good morning, how can I help?"
    assert raw.turns[1].text == "I want to cancel my subscription."


def test_timestamps_without_hours_and_cues_without_voice(tmp_path: Path) -> None:
    raw = _read(tmp_path, WITHOUT_HOURS)
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("", 1500, 2000, "No voice here at all"),
        ("Bob", 62003, 64000, "Second"),
    ]


def test_where_names_cue_and_timings_line(tmp_path: Path) -> None:
    assert [t.where for t in _read(tmp_path, WITH_HOURS).turns] == ["cue 1, line 4", "cue 2, line 8"]


def test_cue_ending_before_it_starts_is_refused_with_its_location(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\n00:03.000 --> 00:01.200\n<v A>backwards\n"
    raw = _read(tmp_path, text)
    with pytest.raises(InputError) as caught:
        validate_times(raw, "call.vtt", None)
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (ProblemKind.END_BEFORE_START, "cue 2, line 6")
    assert problem.detail == "ends 00:01.200 before it starts 00:03.000"


def test_unreadable_cue_timings_are_refused_not_dropped(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\n00:61.000 --> 00:62.000\nbad minutes\n"
    with pytest.raises(InputError) as caught:
        _read(tmp_path, text)
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.BAD_VALUE, "line 6")


def test_forced_vtt_on_other_content_is_a_bad_value(tmp_path: Path) -> None:
    path = tmp_path / "x.vtt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_raw(str(path), format="vtt")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.BAD_VALUE, "line 1")


def test_sniff_wants_the_signature() -> None:
    assert vtt.sniff(WITH_HOURS)
    assert not vtt.sniff("1\n00:00:01,000 --> 00:00:02,000\nWEBVTT\n")
