"""Times as supervisors read them, and as they type them back in (go to time, tag start/end cells)."""

from __future__ import annotations

import re

# h:mm:ss, mm:ss or ss, each with an optional fraction of 1-3 digits; a comma is the decimal separator in much of
# Europe, where many supervisors type "01:02,5". ASCII only, so other scripts' digits are not silently accepted.
_CLOCK = re.compile(r"(?:(?:(?P<h>\d+):)?(?P<m>\d+):)?(?P<s>\d+)(?:[.,](?P<f>\d{1,3}))?", re.ASCII)
_FORMATS = "ss, mm:ss or h:mm:ss, optionally with .mmm"


def clock(ms: int, *, millis: bool = False) -> str:
    """'02:41' or '1:02:41' (with '.250' when millis); never negative."""
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, fraction = divmod(rest, 1000)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return f"{text}.{fraction:03d}" if millis else text


def parse_clock(text: str) -> int:
    """Milliseconds from 'ss', 'ss.mmm', 'mm:ss(.mmm)' or 'h:mm:ss(.mmm)'; ValueError saying what is wrong."""
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"Enter a time: {_FORMATS}.")
    if stripped.startswith("-"):
        raise ValueError(f"A time cannot be negative: {stripped!r}.")
    match = _CLOCK.fullmatch(stripped)
    if match is None:
        raise ValueError(f"{stripped!r} is not a time: use {_FORMATS}.")
    hours, minutes, seconds = (int(match[name] or 0) for name in ("h", "m", "s"))
    _check_ranges(stripped, match)
    fraction = int((match["f"] or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction


def _check_ranges(text: str, fields: re.Match[str]) -> None:
    # A lone number may be any count of seconds ("90" = 01:30) and mm:ss any count of minutes ("75:00"), as in
    # ELAN's go-to box; only a field with a larger unit to its left must stay below 60.
    if fields["m"] is not None and int(fields["s"]) >= 60:
        raise ValueError(f"Seconds must be below 60 in {text!r}.")
    if fields["h"] is not None and int(fields["m"]) >= 60:
        raise ValueError(f"Minutes must be below 60 in {text!r}.")
