"""Typed access to decoded JSON that refuses with the JSON path of the missing or wrong field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.times import MAX_MS, finite, parse_number

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A decoding result: the value, or where and why decoding failed."""

    value: object
    error: tuple[int, int, str] | None = None


@lru_cache(maxsize=4)
def _decode(text: str) -> _Decoded:
    # Cached because detection sniffs the same text with several JSON readers before one parses it.
    try:
        return _Decoded(json.loads(text))
    except json.JSONDecodeError as error:
        return _Decoded(None, (error.lineno, error.colno, error.msg))
    except RecursionError:
        return _Decoded(None, (1, 1, "nested too deeply"))
    except ValueError as error:  # an integer of more than 4300 digits (sys.get_int_max_str_digits)
        return _Decoded(None, (1, 1, str(error).split(":", 1)[0]))


def looks_like_json(text: str) -> bool:
    """Whether the text starts like a JSON object or array (cheap, before decoding)."""
    return text.lstrip()[:1] in ("{", "[")


def sniff_object(text: str) -> JsonObject | None:
    """The top-level object when the text is a valid JSON object, else None: for sniffing only."""
    if not text.lstrip().startswith("{"):
        return None
    decoded = _decode(text)
    return decoded.value if isinstance(decoded.value, dict) else None


def join(where: str, key: str | int) -> str:
    """The JSON path of a member ("a.b") or an element ("a[3]")."""
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else key


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Field access for one file: every refusal names the file and the JSON path."""

    path: str

    def load(self, text: str) -> object:
        """The decoded value; INVALID_JSON with the decoder's line, column and message otherwise."""
        decoded = _decode(text)
        if decoded.error is not None:
            line, column, message = decoded.error
            raise InputError.of(ProblemKind.INVALID_JSON, self.path, f"line {line}, column {column}", message)
        return decoded.value

    def load_object(self, text: str) -> JsonObject:
        """The top-level object; INVALID_JSON when the text does not decode, BAD_VALUE when not an object."""
        return self.obj(self.load(text), "")

    def obj(self, value: object, where: str) -> JsonObject:
        """The value as an object, BAD_VALUE otherwise."""
        if not isinstance(value, dict):
            raise self._bad(where, "an object", value)
        return value

    def array(self, value: object, where: str) -> list[Any]:
        """The value as an array, BAD_VALUE otherwise."""
        if not isinstance(value, list):
            raise self._bad(where, "an array", value)
        return value

    def get(self, parent: JsonObject, key: str, where: str) -> object:
        """A required member; MISSING_FIELD at its path when absent or null."""
        value = parent.get(key)
        if value is None:
            raise InputError.of(ProblemKind.MISSING_FIELD, self.path, join(where, key), f"no {key!r}")
        return value

    def text(self, value: object, where: str) -> str:
        """A string value; numbers are accepted as their text."""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self._bad(where, "text", value)

    def seconds_ms(self, value: object, where: str) -> int:
        """A time in seconds (number or numeric string) as milliseconds; BAD_VALUE when negative or absurd."""
        return self._time_ms(self.number(value, where) * 1000, where)

    def millis(self, value: object, where: str) -> int:
        """A time in milliseconds (number or numeric string) as an integer; BAD_VALUE when negative or absurd."""
        return self._time_ms(self.number(value, where), where)

    def number(self, value: object, where: str) -> float:
        """A finite number, or a string holding one; BAD_VALUE otherwise (booleans included)."""
        number = optional_number(value)
        if number is None:
            raise self._bad(where, "a number", value)
        return number

    def _time_ms(self, ms: float, where: str) -> int:
        # A RawTranscript holds no negative time; past MAX_MS (also the infinity 1e308 seconds become) is no time.
        if not 0 <= ms <= MAX_MS:
            detail = f"expected a time of 0 or more, found {ms:g} ms"
            raise InputError.of(ProblemKind.BAD_VALUE, self.path, where, detail)
        return round(ms)

    def _bad(self, where: str, expected: str, value: object) -> InputError:
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return InputError.of(ProblemKind.BAD_VALUE, self.path, where, f"expected {expected}, found {shown}")


def optional_number(value: object) -> float | None:
    """A finite number, or a string holding one, when one is there, else None (never refuses)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return finite(value)
    return parse_number(value) if isinstance(value, str) else None
