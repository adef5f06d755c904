"""Times as supervisors read them."""

from __future__ import annotations


def clock(ms: int, *, millis: bool = False) -> str:
    """'02:41' or '1:02:41' (with '.250' when millis); never negative."""
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, fraction = divmod(rest, 1000)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return f"{text}.{fraction:03d}" if millis else text
