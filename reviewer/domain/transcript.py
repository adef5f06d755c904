"""What was said, when and by whom: utterances with optional word timings."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.domain.parties import Party


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its timing."""

    text: str
    start_ms: int
    end_ms: int
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Utterance:
    """A stretch of speech by one speaker, mapped to a party."""

    party: Party
    speaker: str
    start_ms: int
    end_ms: int
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker label as the transcript names it, and the party it was mapped to."""

    label: str
    party: Party
    channel: int | None = None
