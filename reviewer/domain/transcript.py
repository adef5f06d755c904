"""What was said, when and by whom: utterances with optional word timings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewer.domain.parties import Party


class WordMark(StrEnum):
    """Why a word's text is not what was said: a vendor hid it."""

    MASKED = "masked"  # a vocabulary filter replaced it, e.g. "***" (the word was there, often profanity)
    REDACTED = "redacted"  # personal data removed, e.g. "[PII]"


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its timing."""

    text: str
    start_ms: int
    end_ms: int
    confidence: float | None = None
    mark: WordMark | None = None


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


def talk_ms(utterances: tuple[Utterance, ...] | list[Utterance]) -> int:
    """How long anyone was talking: the union of the utterances' spans, so overlapping speech counts once."""
    total, reach = 0, 0
    for start, end in sorted((u.start_ms, u.end_ms) for u in utterances):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total
