"""Silence and non-talk: stretches where nobody speaks, between the first and the last speech, outside holds."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reviewer.detect.turns import Span, bridged


@dataclass(frozen=True, slots=True)
class SilenceSettings:
    """How long a silence must be to be proposed, and to count as long (Google: 5 s; "long" at 10-15 s)."""

    min_ms: int = 5000
    long_ms: int = 15000

    def as_dict(self) -> dict[str, float]:
        """The settings as a flat mapping (for storing with results)."""
        return {"silence_ms": self.min_ms, "long_silence_ms": self.long_ms}


class Silence(NamedTuple):
    """A stretch of non-talk."""

    start_ms: int
    end_ms: int
    long: bool


def _minus(span: Span, holes: Sequence[Span]) -> list[Span]:
    pieces = [span]
    for hole_start, hole_end in holes:
        cut: list[Span] = []
        for start, end in pieces:
            if hole_end <= start or hole_start >= end:
                cut.append((start, end))
                continue
            if hole_start > start:
                cut.append((start, hole_start))
            if hole_end < end:
                cut.append((hole_end, end))
        pieces = cut
    return pieces


def silences(speech: Iterable[Span], holds: Sequence[Span], settings: SilenceSettings | None = None) -> list[Silence]:
    """Non-talk of at least the minimum length; time on hold is not silence (the customer was told to wait)."""
    settings = settings or SilenceSettings()
    talk = bridged(speech, 0)
    found: list[Silence] = []
    for (_, gap_start), (gap_end, _) in itertools.pairwise(talk):
        for start, end in _minus((gap_start, gap_end), sorted(holds)):
            if end - start >= settings.min_ms:
                found.append(Silence(start, end, end - start >= settings.long_ms))
    return found
