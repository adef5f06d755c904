"""Typed reading of one TOML table: every value checked, every key accounted for, errors with file and line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from reviewer.domain.parties import Actor
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.verdict import Severity
from reviewer.policy.toml_lines import KeyLines, Path

OFF = "off"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(slots=True)
class Source:
    """The file being read: its name for errors, its key lines, and the vocabulary known so far."""

    path: str
    lines: KeyLines
    vocabulary: set[str] = field(default_factory=set)

    def fail(self, at: Path, reason: str) -> NoReturn:
        """Refuse the file: BAD_POLICY at the key's line."""
        line = self.lines.line(at)
        raise InputError.of(ProblemKind.BAD_POLICY, self.path, f"line {line}" if line else "", reason)


class Section:
    """One table of the file; read each key once, then `done()` refuses any key nobody asked for."""

    def __init__(self, source: Source, data: dict[str, Any], at: Path, label: str) -> None:
        self.source = source
        self.data = data
        self.at = at
        self.label = label  # how the table is written: [[ladder]], [policy]
        self.read: set[str] = set()

    def fail(self, key: str, reason: str) -> NoReturn:
        """Refuse the file at this key."""
        self.source.fail((*self.at, key), f"{self.label} {key}: {reason}")

    def _get(self, key: str, default: Any, expected: type | tuple[type, ...], what: str) -> Any:
        self.read.add(key)
        if key not in self.data:
            if default is _REQUIRED:
                self._missing(key, what)
            return default
        value = self.data[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in _tuple(expected)):
            self.fail(key, f"expected {what}, found {_describe(value)}")
        return value

    def _missing(self, key: str, what: str) -> NoReturn:
        """A required key is absent: point at a misspelling of it when there is one, else at the table."""
        close = difflib.get_close_matches(key, [k for k in self.data if k != key], n=1, cutoff=0.75)
        if close:
            self.fail(close[0], f"unknown key; did you mean {key!r}?")
        self.source.fail(self.at, f"{self.label} needs `{key}` ({what})")

    def text(self, key: str, default: Any = None) -> str:
        """A string."""
        return str(self._get(key, _REQUIRED if default is None else default, str, "a string"))

    def name(self, key: str, default: Any = None) -> str:
        """A lower-case identifier such as a finding name."""
        value = self.text(key, default)
        if not _NAME.fullmatch(value):
            self.fail(key, f"{value!r} is not a name (lower-case letters, digits and _)")
        return value

    def integer(self, key: str, default: Any = None, minimum: int = 0) -> int:
        """A whole number at least `minimum`."""
        value = int(self._get(key, _REQUIRED if default is None else default, int, "a whole number"))
        if value < minimum:
            self.fail(key, f"must be at least {minimum}, found {value}")
        return value

    def millis(self, key: str, default: float | None = None) -> int | None:
        """Seconds (whole or decimal, not negative) as milliseconds; None when absent and no default."""
        value = self._get(key, default, (int, float), "a number of seconds")
        if value is None:
            return None
        if value < 0:
            self.fail(key, f"must not be negative, found {value}")
        return round(float(value) * 1000)

    def boolean(self, key: str, default: bool) -> bool:
        """true or false."""
        return bool(self._get(key, default, bool, "true or false"))

    def choice(self, key: str, choices: Iterable[str], default: Any = None) -> str:
        """One of a fixed set of words."""
        options = list(choices)
        value = self.text(key, default)
        if value not in options:
            self.fail(key, f"{value!r} is not one of: {', '.join(options)}")
        return value

    def severity(self, key: str, default: str) -> Severity | None:
        """violation, incomplete, coaching, info, or off (the finding is not raised)."""
        value = self.choice(key, [*(s.value for s in Severity), OFF], default)
        return None if value == OFF else Severity(value)

    def actor(self, key: str, default: Actor) -> Actor:
        """agent, customer, call or unknown."""
        return Actor(self.choice(key, [a.value for a in Actor], default.value))

    def strings(self, key: str, default: Any = None) -> list[str]:
        """An array of strings."""
        values = self._get(key, _REQUIRED if default is None else default, list, "an array of strings")
        for value in values:
            if not isinstance(value, str):
                self.fail(key, f"expected an array of strings, found {_describe(value)} in it")
        return list(values)

    def kinds(self, key: str, default: Any = None, *, empty: bool = False) -> frozenset[str]:
        """Tag kinds, each in the vocabulary (the default one plus the file's [[kind]] tables)."""
        values = self.strings(key, default)
        if not values and not empty:
            self.fail(key, "needs at least one kind")
        for value in values:
            self.known_kind(key, value)
        return frozenset(values)

    def kind(self, key: str) -> str:
        """One tag kind from the vocabulary."""
        return self.known_kind(key, self.text(key))

    def known_kind(self, key: str, value: str) -> str:
        """Refuse a kind the vocabulary lacks, suggesting the closest one."""
        if value not in self.source.vocabulary:
            close = difflib.get_close_matches(value, sorted(self.source.vocabulary), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; add it with a [[kind]] table"
            self.fail(key, f"unknown kind {value!r}{hint}")
        return value

    def table(self, key: str) -> Section:
        """A sub-table (empty when absent)."""
        value = self._get(key, {}, dict, "a table")
        return Section(self.source, value, (*self.at, key), f"[{'.'.join(map(str, (*self._names(), key)))}]")

    def tables(self, key: str) -> list[Section]:
        """An array of tables ([[key]])."""
        values = self._get(key, [], list, f"[[{key}]] tables")
        label = f"[[{'.'.join(map(str, (*self._names(), key)))}]]"
        sections = []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                self.fail(key, f"expected tables, found {_describe(value)}")
            sections.append(Section(self.source, value, (*self.at, key, index), f"{label} #{index + 1}"))
        return sections

    def _names(self) -> tuple[str, ...]:
        return tuple(p for p in self.at if isinstance(p, str))

    def done(self) -> None:
        """Every key was read: an unknown key is a mistake (a typo would silently keep the default otherwise)."""
        for key in self.data:
            if key not in self.read:
                close = difflib.get_close_matches(key, sorted(self.read), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(self.read))})"
                self.fail(key, f"unknown key{hint}")


_REQUIRED: Any = object()


def _tuple(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def _describe(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "an array"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}"[:80]
