"""Line numbers for the keys of a TOML file, so a policy error can say "line 42".

tomllib reports the line of a syntax error but returns plain dicts without positions, and neither tomlkit nor
tomli keeps them; so this scans the text once for table headers and `key =` lines. It understands what policy
files use (tables, arrays of tables, dotted keys, multi-line strings and arrays) and falls back to the nearest
enclosing table's line for anything else.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_TRIPLE = re.compile(r'"""|\'\'\'')


class KeyLines:
    """Maps a key path such as ("ladder", 0, "required") to the 1-based line it is written on."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self._counts: dict[Path, int] = {}
        self._arrays: set[Path] = set()
        table: Path = ()
        in_string = False
        for number, line in enumerate(text.splitlines(), 1):
            if in_string:
                in_string = len(_TRIPLE.findall(line)) % 2 == 0
                continue
            header = _HEADER.match(line)
            if header:
                table = self._table(header.group(2), header.group(1) == "[[", number)
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault(table + _parts(key.group(1)), number)
            in_string = len(_TRIPLE.findall(line)) % 2 == 1

    def _table(self, dotted: str, is_array: bool, number: int) -> Path:
        parts = _parts(dotted)
        path: Path = ()
        for position, part in enumerate(parts, 1):
            path += (part,)
            last = position == len(parts)
            if path in self._arrays and not (is_array and last):
                path += (self._counts[path] - 1,)  # a key of the array's latest table: [ladder.severity]
        if is_array:
            self._arrays.add(path)
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
            path += (index,)
        self.lines.setdefault(path, number)
        return path

    def line(self, path: Path) -> int | None:
        """The line of the key, else of the closest enclosing table that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', dotted))
