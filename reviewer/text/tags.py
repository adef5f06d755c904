"""Tag kinds as people read them."""

from __future__ import annotations

from collections.abc import Iterable


def kind_label(kind: str) -> str:
    """'hang_up' -> 'hang-up', 'sexual_harassment' -> 'sexual harassment'."""
    return "hang-up" if kind == "hang_up" else kind.replace("_", " ")


def kinds_summary(kinds: Iterable[tuple[str, int]]) -> str:
    """'profanity ×3 · warning ×2 · hang-up' for a library row."""
    return " · ".join(kind_label(k) + (f" ×{n}" if n > 1 else "") for k, n in kinds)
