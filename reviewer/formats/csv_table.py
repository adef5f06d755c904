"""CSV/TSV tables with a header row: start, end, speaker, text (common aliases accepted), one turn per row.

Times are seconds unless the column name ends in "_ms"; "hh:mm:ss.mmm" and "mm:ss.mmm" clock strings work too.

`write` makes a call table, one row per utterance and per tag, in time order:
`type,start_ms,end_ms,party,speaker,text,kind,note,source,author`. `type` is `speech` or `tag`; `party` is the
utterance's party or the tag's actor (`call` too); speech rows leave kind..author empty, tag rows speaker and text.
A header with `type`, `start_ms`, `end_ms`, `party` and `kind` is read as such a table: speaker, text, note and
author keep their whitespace, a tag without a source is `imported`. Any other header is read as before. Reading
a file turns a carriage return inside a cell into a line feed (`read_text` normalises line ends).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from reviewer.domain.call import Call
from reviewer.domain.parties import Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.call_json import tag_from_fields
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
_CALL_COLUMNS = ("type", "start_ms", "end_ms", "party", "speaker", "text", "kind", "note", "source", "author")
_CALL_REQUIRED = frozenset({"type", "start_ms", "end_ms", "party", "kind"})
_SPEECH, _TAG = "speech", "tag"


@dataclass(frozen=True, slots=True)
class _Columns:
    """Index and header name of each column we read; speaker is optional."""

    index: dict[str, int]
    name: dict[str, str]

    def cell(self, row: list[str], role: str) -> str:
        """The stripped cell of a column, "" when the row is short or the column absent."""
        return self.raw(row, role).strip()

    def raw(self, row: list[str], role: str) -> str:
        """The cell as written, "" when the row is short or the column absent."""
        i = self.index.get(role)
        return row[i] if i is not None and i < len(row) else ""


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
    """One turn per non-blank data row, in file order; a call table's tag rows become events."""
    header, data = _rows(text, path)
    call_columns = _call_columns(header)
    if call_columns is not None:
        return _call_table(call_columns, data, path, encoding)
    columns = _columns(header, path)
    return RawTranscript(NAME, encoding, tuple(_turn(columns, row, number, path) for number, row in data))


def _rows(text: str, path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows with their numbers (the header is row 1, as a spreadsheet shows it)."""
    body = text.lstrip("\n")
    reader = csv.reader(io.StringIO(body), delimiter=_delimiter(_first_line(text)) or ",")
    try:
        rows = list(reader)
    except csv.Error as error:
        # A lone CR outside quotes (text not read through read_text), or a cell past the csv module's size limit.
        line = reader.line_num + len(text) - len(body)
        raise InputError.of(ProblemKind.BAD_VALUE, path, f"line {line}", f"not CSV: {error}") from error
    numbered = enumerate(rows[1:], 2)
    return (rows[0] if rows else []), [(number, row) for number, row in numbered if any(c.strip() for c in row)]


def write(call: Call) -> str:
    """The call table: a header and one row per utterance and per tag, in time order (speech first)."""
    out = io.StringIO()
    # CRLF as RFC 4180 says; it also makes the csv module quote a lone CR in a cell, which "\n" would not.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CALL_COLUMNS)
    items: list[Utterance | Tag] = sorted([*call.utterances, *call.tags], key=lambda item: item.start_ms)
    writer.writerows(_tag_row(item) if isinstance(item, Tag) else _speech_row(item) for item in items)
    return out.getvalue()


def _speech_row(utterance: Utterance) -> list[str | int]:
    u = utterance
    return [_SPEECH, u.start_ms, u.end_ms, u.party.value, u.speaker, u.text, "", "", "", ""]


def _tag_row(tag: Tag) -> list[str | int]:
    return [_TAG, tag.start_ms, tag.end_ms, tag.actor.value, "", "", tag.kind, tag.note, tag.source.value, tag.author]


def _call_columns(header: list[str]) -> _Columns | None:
    """The call table's columns when the header names the required ones, else None."""
    names = [_normalise(cell) for cell in header]
    if not _CALL_REQUIRED.issubset(names):
        return None
    index = {name: names.index(name) for name in _CALL_COLUMNS if name in names}
    return _Columns(index, {name: name for name in index})


def _call_table(columns: _Columns, data: list[tuple[int, list[str]]], path: str, encoding: str) -> RawTranscript:
    turns: list[Turn] = []
    events: list[Tag] = []
    for number, row in data:
        row_type = columns.cell(row, "type").lower()
        if row_type == _SPEECH:
            turns.append(_call_turn(columns, row, number, path))
        elif row_type == _TAG:
            events.append(_call_tag(columns, row, number, path))
        else:
            detail = f"type {row_type!r} is neither {_SPEECH!r} nor {_TAG!r}"
            raise InputError.of(ProblemKind.BAD_VALUE, path, f"row {number}, column type", detail)
    return RawTranscript(NAME, encoding, tuple(turns), tuple(events))


def _call_turn(columns: _Columns, row: list[str], number: int, path: str) -> Turn:
    where = f"row {number}"
    party = columns.cell(row, "party").lower()
    if party not in (Party.AGENT, Party.CUSTOMER):
        detail = f"party {party!r} is neither agent nor customer"
        raise InputError.of(ProblemKind.BAD_VALUE, path, f"{where}, column party", detail)
    return Turn(
        speaker=columns.raw(row, "speaker"),
        start_ms=_time(columns, row, "start_ms", where, path),
        end_ms=_time(columns, row, "end_ms", where, path),
        text=columns.raw(row, "text"),
        role=Party(party),
        where=where,
    )


def _call_tag(columns: _Columns, row: list[str], number: int, path: str) -> Tag:
    where = f"row {number}"
    span = (_time(columns, row, "start_ms", where, path), _time(columns, row, "end_ms", where, path))
    return tag_from_fields(
        columns.raw(row, "kind"),
        columns.cell(row, "party").lower(),
        span,
        note=columns.raw(row, "note"),
        author=columns.raw(row, "author"),
        source=columns.cell(row, "source").lower(),
        path=path,
        where=where,
    )


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
    """Milliseconds from a cell, or None when it is not a time (negative times included)."""
    if ":" in cell and not in_ms:
        ms = parse_clock_ms(cell)
    else:
        number = parse_number(cell)
        ms = None if number is None else (round(number) if in_ms else seconds_to_ms(number))
    return None if ms is None or ms < 0 else ms
