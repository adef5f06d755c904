"""Time conversions shared by the readers: every time becomes integer milliseconds."""

from __future__ import annotations

import math
import re

# [[hh:]mm:]ss[.fff] with "," accepted as the decimal mark (SRT habit, European spreadsheets).
_CLOCK = re.compile(r"(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2}(?:[.,]\d+)?)")


MAX_MS = 2**53  # far past any recording; beyond it floats stop being exact integers


def seconds_to_ms(seconds: float) -> int:
    """Seconds to milliseconds, rounded to the nearest (halves to even, Python's round).

    Clamped to ±MAX_MS (NaN to -MAX_MS): round() would overflow on an infinite product, no recording is that long,
    and validate_times refuses such a time with the file's name and place.
    """
    ms = seconds * 1000
    if not -MAX_MS <= ms <= MAX_MS:
        ms = MAX_MS if ms > 0 else -MAX_MS
    return round(ms)


def finite(value: float) -> float | None:
    """A JSON number as a float when it is finite (an integer too large for a float is not), else None."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def parse_number(text: str) -> float | None:
    """A finite number written in text ("1.5", "1,5"), or None."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_clock_ms(text: str) -> int | None:
    """A clock time "hh:mm:ss.mmm" or "mm:ss.mmm" in milliseconds, or None when the text is not one."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None or ":" not in text:
        return None
    hours, minutes, seconds = match.groups()
    try:
        total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))
    except (OverflowError, ValueError):  # hours with hundreds of digits: too many for a float, or for int()
        return None
    return seconds_to_ms(total)


def format_ms(ms: int) -> str:
    """A time for messages: "mm:ss.mmm", with hours when needed and a sign when negative."""
    sign = "-" if ms < 0 else ""
    minutes, rest = divmod(abs(ms), 60_000)
    hours, minutes = divmod(minutes, 60)
    seconds, millis = divmod(rest, 1000)
    clock = f"{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{sign}{hours}:{clock}" if hours else f"{sign}{clock}"
