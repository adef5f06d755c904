"""CSV/TSV tables with a header row: start, end, speaker, text (common aliases accepted), one turn per row.

Times are seconds unless the column name ends in "_ms"; "hh:mm:ss.mmm" and "mm:ss.mmm" clock strings work too.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.json_fields import looks_like_json
from reviewer.formats.times import parse_clock_ms, parse_number, seconds_to_ms

NAME = "csv"

_ALIASES: dict[str, tuple[str, ...]] = {
    "start": ("start", "start_time", "begin", "begin_time", "start_ms", "begin_ms", "start_s"),
    "end": ("end", "end_time", "stop", "stop_time", "end_ms", "stop_ms", "end_s"),
    "speaker": ("speaker", "channel", "role", "party", "speaker_label"),
    "text": ("text", "transcript", "content", "utterance"),
}
_REQUIRED = ("start", "end", "text")
_DELIMITERS = ("\t", ";", ",")


@dataclass(frozen=True, slots=True)
class _Columns:
    """Index and header name of each column we read; speaker is optional."""

    index: dict[str, int]
    name: dict[str, str]

    def cell(self, row: list[str], role: str) -> str:
        """The stripped cell of a column, "" when the row is short or the column absent."""
        i = self.index.get(role)
        return row[i].strip() if i is not None and i < len(row) else ""


def sniff(text: str) -> bool:
    """A header line naming start, end and text columns, split by comma, tab or semicolon."""
    if looks_like_json(text):
        return False
    header = _first_line(text)
    delimiter = _delimiter(header)
    if delimiter is None:
        return False
    names = {_normalise(cell) for cell in next(csv.reader([header], delimiter=delimiter))}
    return all(names & set(_ALIASES[role]) for role in _REQUIRED)


def parse(text: str, path: str, encoding: str) -> RawTranscript:
    """One turn per non-blank data row, in file order."""
    delimiter = _delimiter(_first_line(text)) or ","
    rows = csv.reader(io.StringIO(text.lstrip("\n")), delimiter=delimiter)
    columns = _columns(next(rows, []), path)
    numbered = enumerate(rows, 2)  # the header is row 1, as a spreadsheet shows it
    turns = [_turn(columns, row, number, path) for number, row in numbered if any(c.strip() for c in row)]
    return RawTranscript(NAME, encoding, tuple(turns))


def _first_line(text: str) -> str:
    return text.lstrip("\n").split("\n", 1)[0]


def _delimiter(header: str) -> str | None:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


def _normalise(name: str) -> str:
    name = re.sub(r"[\s-]+", "_", name.strip().lower().lstrip("\ufeff"))
    return name.replace("_(ms)", "_ms").replace("_(s)", "")


def _columns(header: list[str], path: str) -> _Columns:
    names = [_normalise(cell) for cell in header]
    index: dict[str, int] = {}
    for role, aliases in _ALIASES.items():
        found = next((i for i, name in enumerate(names) if name in aliases), None)
        if found is not None:
            index[role] = found
        elif role in _REQUIRED:
            detail = f"no {role} column (one of: {', '.join(aliases)})"
            raise InputError.of(ProblemKind.MISSING_FIELD, path, "row 1", detail)
    return _Columns(index, {role: names[i] for role, i in index.items()})


def _turn(columns: _Columns, row: list[str], number: int, path: str) -> Turn:
    where = f"row {number}"
    speaker = columns.cell(row, "speaker")
    is_channel = columns.name.get("speaker") == "channel" and speaker.isdigit()
    return Turn(
        speaker=speaker,
        start_ms=_time(columns, row, "start", where, path),
        end_ms=_time(columns, row, "end", where, path),
        text=columns.cell(row, "text"),
        channel=int(speaker) if is_channel else None,
        role=Party(speaker.lower()) if speaker.lower() in {"agent", "customer"} else None,
        where=where,
    )


def _time(columns: _Columns, row: list[str], role: str, where: str, path: str) -> int:
    cell, name = columns.cell(row, role), columns.name[role]
    if not cell:
        raise InputError.of(ProblemKind.MISSING_FIELD, path, f"{where}, column {name}", f"no {role} time")
    ms = _cell_ms(cell, in_ms=name.endswith("_ms"))
    if ms is None:
        raise InputError.of(ProblemKind.BAD_VALUE, path, f"{where}, column {name}", f"not a time: {cell!r}")
    return ms


def _cell_ms(cell: str, *, in_ms: bool) -> int | None:
    if in_ms:
        number = parse_number(cell)
        return None if number is None else round(number)
    if ":" in cell:
        return parse_clock_ms(cell)
    number = parse_number(cell)
    return None if number is None else seconds_to_ms(number)
