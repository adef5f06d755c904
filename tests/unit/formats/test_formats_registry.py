"""Format detection from content (extensions only break ties) and reading through the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.registry import FORMAT_NAMES, detect, read_raw

SAMPLES = {
    "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>hi\n",
    "srt": "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n",
    "whisper": json.dumps({"segments": [{"start": 1, "end": 2, "text": "hi"}]}),
    "aws_transcribe": json.dumps(
        {"results": {"items": [{"start_time": "1", "end_time": "2", "alternatives": [{"content": "hi"}]}]}}
    ),
    "aws_analytics": json.dumps(
        {"Transcript": [{"ParticipantRole": "AGENT", "BeginOffsetMillis": 1000, "EndOffsetMillis": 2000}]}
    ),
    "csv": "start\tend\tspeaker\ttext\n1\t2\tA\thi\n",
    "deepgram": '{"results":{"channels":[{"alternatives":[{"words":[{"word":"hi","start":1,"end":2}]}]}]}}',
    "assemblyai": '{"words":[{"text":"hi","start":1000,"end":2000}],"utterances":null}',
    "google_stt": '{"results":[{"alternatives":[{"transcript":"hi","words":'
    '[{"word":"hi","startTime":"1s","endTime":"2s"}]}]}]}',
    "azure": '{"recognizedPhrases":[{"offset":"PT1S","duration":"PT1S","nBest":[{"display":"hi"}]}]}',
    "revai": '{"monologues":[{"speaker":0,"elements":[{"type":"text","value":"hi","ts":1,"end_ts":2}]}]}',
    "eaf": '<?xml version="1.0" encoding="UTF-8"?><ANNOTATION_DOCUMENT><HEADER TIME_UNITS="milliseconds"/>'
    '<TIME_ORDER><TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/><TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2000"/>'
    '</TIME_ORDER><TIER TIER_ID="A" PARTICIPANT="A"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" '
    'TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2"><ANNOTATION_VALUE>hi</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION>'
    "</ANNOTATION></TIER></ANNOTATION_DOCUMENT>",
    "textgrid": 'File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n3\n<exists>\n1\n"IntervalTier"\n"A"\n'
    '0\n3\n3\n0\n1\n""\n1\n2\n"hi"\n2\n3\n""\n',
    "rttm": "SPEAKER call 1 1.000 1.000 <NA> <NA> A <NA> <NA>\n",
    "call_json": '{"utterances": [{"party": "agent", "speaker": "A", "start_ms": 1000, "end_ms": 2000, "text": "hi"}],'
    ' "tags": []}',
}

# Every sample saved under an extension that belongs to another format.
MISLEADING = {
    "vtt": "x.srt",
    "srt": "x.vtt",
    "whisper": "x.csv",
    "aws_transcribe": "x.vtt",
    "aws_analytics": "x.srt",
    "csv": "x.json",
    "deepgram": "x.vtt",
    "assemblyai": "x.csv",
    "google_stt": "x.srt",
    "azure": "x.eaf",
    "revai": "x.textgrid",
    "eaf": "x.json",
    "textgrid": "x.rttm",
    "rttm": "x.csv",
    "call_json": "x.vtt",
}


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_format_names_in_detection_order() -> None:
    assert FORMAT_NAMES[:6] == ("vtt", "srt", "call_json", "aws_analytics", "aws_transcribe", "whisper")
    assert FORMAT_NAMES[-1] == "csv"  # the loosest signature is tried last
    assert set(SAMPLES) == set(FORMAT_NAMES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_content_wins_over_a_misleading_extension(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, MISLEADING[name], SAMPLES[name])
    assert detect(SAMPLES[name], path) == name
    raw = read_raw(path)
    assert (raw.format, len(raw.turns), raw.turns[0].start_ms, raw.turns[0].end_ms) == (name, 1, 1000, 2000)


def test_unknown_content_lists_supported_formats(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "notes.txt", "Dear diary,\nnothing here.\n"))
    problem = caught.value.problem
    assert problem.kind is ProblemKind.UNKNOWN_FORMAT
    assert problem.detail == "supported: " + ", ".join(FORMAT_NAMES)


def test_valid_json_of_no_known_shape_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "x.json", '[{"speaker": "A"}]'))
    assert caught.value.problem.kind is ProblemKind.UNKNOWN_FORMAT


def test_unknown_format_name_lists_supported_formats(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "x.vtt", SAMPLES["vtt"]), format="sbv")
    problem = caught.value.problem
    assert problem.kind is ProblemKind.UNKNOWN_FORMAT
    assert "'sbv'" in problem.detail
    assert all(name in problem.detail for name in FORMAT_NAMES)


def test_invalid_json_is_refused_with_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "x.json", '{\n  "segments": [\n    {"start": 1,}\n  ]\n}\n'))
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (ProblemKind.INVALID_JSON, "line 3, column 17")
    assert problem.detail == "Expecting property name enclosed in double quotes"


def test_invalid_json_with_a_forced_format_is_refused_the_same_way(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "x.json", '{"segments": [}'), format="whisper")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.INVALID_JSON, "line 1, column 15")


def test_empty_file_is_refused_before_detection(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_raw(_write(tmp_path, "x.vtt", ""))
    assert caught.value.problem.kind is ProblemKind.EMPTY


def test_forced_format_skips_detection_and_reports_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(SAMPLES["srt"].replace("hi", "привет").encode("cp1251"))
    raw = read_raw(str(path), format="srt", encoding="cp1251")
    assert (raw.format, raw.encoding, raw.turns[0].text) == ("srt", "cp1251", "привет")


def test_json_matching_several_formats_takes_the_first_in_order() -> None:
    both = json.dumps({"segments": [{"start": 0, "end": 1}], "Transcript": [{"ParticipantRole": "AGENT"}]})
    assert detect(both, "x.json") == "aws_analytics"
