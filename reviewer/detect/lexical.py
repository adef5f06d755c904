"""Phrases that matter, found in what each party said, turned into proposed tags of the right kind and party."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from reviewer.detect.lexicon import Category, Lexicons, Match
from reviewer.domain.parties import Party
from reviewer.domain.transcript import Utterance, WordMark

# Which tag a category becomes, by who said it. Missing pairs are not proposed: a customer's farewell or an
# agent's personal question is no tag of the vocabulary (the customer's farewell still tells who hung up).
KIND_OF: dict[tuple[Category, Party], str] = {
    (Category.PROFANITY, Party.CUSTOMER): "profanity",
    (Category.INSULT, Party.CUSTOMER): "insult",
    (Category.THREAT, Party.CUSTOMER): "threat",
    (Category.SLUR, Party.CUSTOMER): "discrimination",
    (Category.PERSONAL_QUESTION, Party.CUSTOMER): "personal_question",
    (Category.SUPERVISOR_DEMAND, Party.CUSTOMER): "supervisor_request",
    (Category.PROFANITY, Party.AGENT): "agent_rudeness",
    (Category.INSULT, Party.AGENT): "agent_rudeness",
    (Category.THREAT, Party.AGENT): "agent_rudeness",
    (Category.SLUR, Party.AGENT): "agent_rudeness",
    (Category.WARNING, Party.AGENT): "warning",
    (Category.REDIRECT, Party.AGENT): "redirect",
    (Category.BANNED, Party.AGENT): "banned_phrase",
    (Category.FAREWELL, Party.AGENT): "farewell",
    (Category.SALES_PITCH, Party.AGENT): "sales_pitch",
}

MASKED_CONFIDENCE = 0.6  # a vendor's vocabulary filter hid a word: usually, not always, profanity
PHRASE_CONFIDENCE = 0.8


class Found(NamedTuple):
    """A proposed tag from one utterance: its kind, where, how sure, and the phrase that gave it away."""

    kind: str
    party: Party
    start_ms: int
    end_ms: int
    confidence: float
    phrase: str


def categories(matches: Sequence[Match]) -> frozenset[Category]:
    """The categories among an utterance's matches."""
    return frozenset(m.category for m in matches)


def _span(utterance: Utterance, match: Match) -> tuple[int, int]:
    """The words that hold the match where words are timed (located by their place in the text), else the line."""
    if not utterance.words:
        return utterance.start_ms, utterance.end_ms
    cursor, covered = 0, []
    lowered = utterance.text.casefold()
    for word in utterance.words:
        at = lowered.find(word.text.casefold(), cursor)
        if at < 0:
            return utterance.start_ms, utterance.end_ms  # the words do not spell the text: trust the line
        cursor = at + len(word.text)
        if at < match.end and cursor > match.start:
            covered.append(word)
    if not covered:
        return utterance.start_ms, utterance.end_ms
    return covered[0].start_ms, max(w.end_ms for w in covered)


def _masked(utterance: Utterance) -> list[Found]:
    masked = [w for w in utterance.words if w.mark is WordMark.MASKED]
    if not masked:
        return []
    kind = "profanity" if utterance.party is Party.CUSTOMER else "agent_rudeness"
    start, end = masked[0].start_ms, max(w.end_ms for w in masked)
    return [Found(kind, utterance.party, start, end, MASKED_CONFIDENCE, masked[0].text)]


def _skipped(match: Match, said: frozenset[Category], opening: bool) -> bool:
    # A warning phrase inside the closing lines announces the end being carried out, not a warning; "thank you for
    # calling" before the customer has said a word is the greeting, not a farewell.
    return (match.category is Category.WARNING and Category.FAREWELL in said) or (
        match.category is Category.FAREWELL and opening
    )


def found_in(utterance: Utterance, matches: Sequence[Match], *, opening: bool = False) -> list[Found]:
    """The proposed tags of one utterance, one per kind; `opening`: nobody else has spoken yet."""
    found: dict[str, Found] = {}
    said = categories(matches)
    for match in matches:
        kind = KIND_OF.get((match.category, utterance.party))
        if kind is None or kind in found or _skipped(match, said, opening):
            continue
        start, end = _span(utterance, match)
        phrase = utterance.text[match.start : match.end]
        found[kind] = Found(kind, utterance.party, start, end, PHRASE_CONFIDENCE, phrase)
    if "profanity" not in found and "agent_rudeness" not in found:
        found.update((f.kind, f) for f in _masked(utterance))
    return list(found.values())


def matches_of(lexicons: Lexicons, utterances: Sequence[Utterance]) -> list[list[Match]]:
    """Every utterance's lexicon matches, in order."""
    return [lexicons.find(u.text) for u in utterances]
