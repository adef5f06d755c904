"""read_text: BOMs, strict UTF-8, explicit encodings, and the refusals of unreadable, empty and non-text files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.text import read_text

RUSSIAN = "Агент: Здравствуйте\nКлиент: Добрый день\n"


def _write(tmp_path: Path, data: bytes, name: str = "t.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _refusal(path: str, encoding: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_text(path, encoding)
    return caught.value


def test_plain_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, RUSSIAN.encode())) == (RUSSIAN, "utf-8")


def test_utf8_bom_is_stripped_and_named(tmp_path: Path) -> None:
    text, encoding = read_text(_write(tmp_path, codecs.BOM_UTF8 + RUSSIAN.encode()))
    assert (text, encoding) == (RUSSIAN, "utf-8-sig")


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom_is_accepted(tmp_path: Path, bom: bytes, codec: str) -> None:
    text, encoding = read_text(_write(tmp_path, bom + RUSSIAN.encode(codec)))
    assert (text, encoding) == (RUSSIAN, codec)


def test_cp1251_without_bom_is_refused_with_line_and_column(tmp_path: Path) -> None:
    data = "WEBVTT\n\nok \u0416".encode("cp1251")
    problem = _refusal(_write(tmp_path, data)).problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 3, column 4"
    assert problem.detail == "byte 0xC6 is not valid UTF-8"


def test_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    data = "ёж ".encode() + "ж".encode("cp1251")
    assert _refusal(_write(tmp_path, data)).problem.where == "line 1, column 4"


def test_explicit_legacy_encoding_decodes(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, RUSSIAN.encode("cp1251")), "cp1251") == (RUSSIAN, "cp1251")


def test_explicit_encoding_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    problem = _refusal(_write(tmp_path, b"ok\n\xff\xfe\xfd"), "utf-8").problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 2, column 1"


def test_unknown_encoding_name_is_a_bad_value(tmp_path: Path) -> None:
    problem = _refusal(_write(tmp_path, b"text"), "no-such-codec").problem
    assert problem.kind is ProblemKind.BAD_VALUE
    assert "no-such-codec" in problem.detail


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", codecs.BOM_UTF8 + b"\n"])
def test_empty_or_blank_file_is_empty(tmp_path: Path, data: bytes) -> None:
    assert _refusal(_write(tmp_path, data)).problem.kind is ProblemKind.EMPTY


def test_missing_file_is_unreadable_with_os_reason(tmp_path: Path) -> None:
    problem = _refusal(str(tmp_path / "nope.vtt")).problem
    assert problem.kind is ProblemKind.UNREADABLE
    assert problem.detail == "No such file or directory"


def test_directory_is_unreadable(tmp_path: Path) -> None:
    problem = _refusal(str(tmp_path)).problem
    assert problem.kind is ProblemKind.UNREADABLE
    assert problem.path == str(tmp_path)


def test_nul_characters_are_not_text(tmp_path: Path) -> None:
    # UTF-16 without a BOM is valid UTF-8 byte by byte, but full of NULs.
    problem = _refusal(_write(tmp_path, "WEBVTT".encode("utf-16-le"))).problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 1, column 2"


def test_crlf_and_cr_newlines_become_lf(tmp_path: Path) -> None:
    text, _ = read_text(_write(tmp_path, b"a\r\nb\rc\n"))
    assert text == "a\nb\nc\n"
