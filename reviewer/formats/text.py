"""Read a transcript file as text: BOM-aware, strict UTF-8 otherwise, and refusals as Problems."""

from __future__ import annotations

import codecs
from pathlib import Path

from reviewer.domain.problems import InputError, ProblemKind

# A UTF-32 LE BOM starts like the UTF-16 LE one; such a file then fails the NUL check below, as it should.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(path: str, encoding: str | None = None) -> tuple[str, str]:
    """The file's text with newlines normalised to "\\n", and the name of the encoding it was decoded with."""
    data = _read_bytes(path)
    if encoding is None:
        text, encoding = _decode_detected(data, path)
    else:
        text = _decode_explicit(data, encoding, path)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError.of(ProblemKind.EMPTY, path, detail=f"{len(data)} bytes, no text")
    if "\x00" in text:
        # UTF-16 without a BOM, or a binary file that happens to be valid UTF-8.
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=_where_char(text, text.index("\x00")),
            detail="NUL character in text",
        )
    # Readers count lines on "\n" only; CRLF and lone CR files must give the same line numbers.
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError.of(ProblemKind.UNREADABLE, path, detail=error.strerror or str(error)) from error


def _decode_detected(data: bytes, path: str) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_explicit(data[len(bom) :], name.removesuffix("-sig"), path), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # Legacy encodings (cp1251, GBK...) are not guessed here: refuse with the first bad byte's position.
        byte = data[error.start]
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=_where_byte(data, error.start),
            detail=f"byte 0x{byte:02X} is not valid UTF-8",
        ) from error


def _decode_explicit(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, detail=f"unknown encoding {encoding!r}") from error
    except UnicodeDecodeError as error:
        where = _where_char(data[: error.start].decode(encoding, errors="replace"), None)
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=where,
            detail=f"bytes at offset {error.start} are not valid {encoding}",
        ) from error


def _where_byte(data: bytes, offset: int) -> str:
    """Line and column (in characters, 1-based) of a byte offset inside otherwise valid UTF-8."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return f"line {line}, column {column}"


def _where_char(text: str, index: int | None) -> str:
    """Line and column (1-based) of a character index; None means just past the end of the text."""
    index = len(text) if index is None else index
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"
