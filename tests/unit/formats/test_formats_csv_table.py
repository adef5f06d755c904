"""CSV/TSV tables: column aliases, sniffed delimiters, seconds, milliseconds and clock times, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats import csv_table
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import read_raw

SECONDS = (
    "start,end,speaker,text\n"
    '0.5,2.25,Agent,"Hello, Acme support"\n'
    "2.0,4,customer,I want to cancel\n"
    "\n"
    '4.5,5.0,Bob,"He said ""no"""\n'
)

MILLIS_TSV = "Begin_ms\tEnd_ms\tChannel\tTranscript\n500\t2250\t0\tHello\n2000\t4000\t1\tHi\n"

CLOCKS_SEMICOLON = "start_time;stop;party;content\n00:00:01,5;00:02.000;AGENT;Hi\n01:00:00.250;1:00:01;x;Bye\n"


def _read(tmp_path: Path, text: str, name: str = "call.csv") -> RawTranscript:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_raw(str(path))


def test_seconds_with_commas(tmp_path: Path) -> None:
    raw = _read(tmp_path, SECONDS)
    assert raw.format == "csv"
    assert [(t.speaker, t.start_ms, t.end_ms, t.text, t.role, t.where) for t in raw.turns] == [
        ("Agent", 500, 2250, "Hello, Acme support", Party.AGENT, "row 2"),
        ("customer", 2000, 4000, "I want to cancel", Party.CUSTOMER, "row 3"),
        ("Bob", 4500, 5000, 'He said "no"', None, "row 5"),
    ]


def test_milliseconds_in_tsv_with_channels(tmp_path: Path) -> None:
    raw = _read(tmp_path, MILLIS_TSV, "call.tsv")
    assert [(t.speaker, t.channel, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("0", 0, 500, 2250, "Hello"),
        ("1", 1, 2000, 4000, "Hi"),
    ]


def test_clock_times_with_semicolons(tmp_path: Path) -> None:
    raw = _read(tmp_path, CLOCKS_SEMICOLON)
    assert [(t.start_ms, t.end_ms, t.role) for t in raw.turns] == [
        (1500, 2000, Party.AGENT),
        (3_600_250, 3_601_000, None),
    ]


def test_table_without_speaker_column(tmp_path: Path) -> None:
    raw = _read(tmp_path, "start,end,text\n1,2,hi\n")
    assert [(t.speaker, t.text) for t in raw.turns] == [("", "hi")]


def test_bad_time_names_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, "start,end,text\n1,2,ok\n3,soon,bad\n")
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (ProblemKind.BAD_VALUE, "row 3, column end")
    assert "soon" in problem.detail


def test_empty_time_cell_is_a_missing_field(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        _read(tmp_path, "start,end,text\n,2,hi\n")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.MISSING_FIELD, "row 2, column start")


def test_forced_csv_without_text_column_is_a_missing_field(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("start,end,who\n1,2,A\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_raw(str(path), format="csv")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.MISSING_FIELD, "row 1")
    assert "text" in caught.value.problem.detail


def test_sniff() -> None:
    assert csv_table.sniff(SECONDS)
    assert csv_table.sniff(MILLIS_TSV)
    assert csv_table.sniff(CLOCKS_SEMICOLON)
    assert not csv_table.sniff("name,age\nAnn,3\n")
    assert not csv_table.sniff('{"start": 1, "end": 2, "text": "x"}')
