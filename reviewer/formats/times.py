"""Time conversions shared by the readers: every time becomes integer milliseconds."""

from __future__ import annotations

import math
import re

# [[hh:]mm:]ss[.fff] with "," accepted as the decimal mark (SRT habit, European spreadsheets).
_CLOCK = re.compile(r"(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2}(?:[.,]\d+)?)")


def seconds_to_ms(seconds: float) -> int:
    """Seconds to milliseconds, rounded to the nearest (halves to even, Python's round)."""
    return round(seconds * 1000)


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
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))
    return seconds_to_ms(total)


def format_ms(ms: int) -> str:
    """A time for messages: "mm:ss.mmm", with hours when needed and a sign when negative."""
    sign = "-" if ms < 0 else ""
    minutes, rest = divmod(abs(ms), 60_000)
    hours, minutes = divmod(minutes, 60)
    seconds, millis = divmod(rest, 1000)
    clock = f"{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{sign}{hours}:{clock}" if hours else f"{sign}{clock}"
