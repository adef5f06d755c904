"""Turn-taking: overlaps, interruptions and backchannels from "who was speaking when".

Definitions follow FORMATS.md (call-ai-metrics, AWS): a party interrupts when it starts while the other is
mid-utterance and the two then talk over each other for longer than the grace window; shorter overlaps that end
inside the other's speech are backchannels ("uh-huh"), counted but not proposed; a reply that starts a beat
before the other finishes is neither. Overlaps no longer than the line-delay allowance are not overlaps at all:
the two ends of a telephone line hear each other late.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reviewer.domain.parties import ChannelLayout, Party
from reviewer.domain.transcript import Utterance

Span = tuple[int, int]


class Speech(NamedTuple):
    """A stretch of one party's speech."""

    party: Party
    start_ms: int
    end_ms: int


class Interruption(NamedTuple):
    """One party talking over the other past the grace window; the span is the overlap."""

    interrupter: Party
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class TurnSettings:
    """The thresholds of turn-taking; stored with every suggestion they produce."""

    grace_ms: int = 500  # overlap allowed before talking over someone counts as an interruption
    line_delay_ms: int = 200  # overlaps this short are the line's delay, not overlap
    # Pauses this short do not stop someone "still speaking". call-ai-metrics uses 250 ms; callers pause longer
    # mid-sentence, and at 250 ms a pause let the interrupter's start look like a free floor and the speaker's
    # resumption look like an interruption of the interrupter (benchmarks/interruptions.py: F1 0.90 -> 0.99).
    join_gap_ms: int = 700
    edge_ms: int = 100  # speech ending this soon after the other stops still ended inside it

    def as_dict(self) -> dict[str, float]:
        """The settings as a flat mapping (for storing with results)."""
        return {
            "grace_ms": self.grace_ms,
            "line_delay_ms": self.line_delay_ms,
            "join_gap_ms": self.join_gap_ms,
            "edge_ms": self.edge_ms,
        }


@dataclass(frozen=True, slots=True)
class TurnTaking:
    """The turn-taking events of a call."""

    interruptions: tuple[Interruption, ...]
    backchannels: tuple[Speech, ...]
    overlaps: tuple[Span, ...]


def bridged(spans: Iterable[Span], gap_ms: int) -> list[Span]:
    """Spans sorted and merged across gaps no longer than gap_ms."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] <= gap_ms:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _containing(spans: Sequence[Span], starts: Sequence[int], moment: int) -> Span | None:
    index = bisect.bisect_right(starts, moment) - 1
    if index >= 0 and spans[index][0] < moment < spans[index][1]:
        return spans[index]
    return None


def _intersections(first: Sequence[Span], second: Sequence[Span], longer_than: int) -> list[Span]:
    found: list[Span] = []
    i = j = 0
    while i < len(first) and j < len(second):
        start, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if end - start > longer_than:
            found.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def turn_taking(speech: Iterable[Speech], settings: TurnSettings | None = None) -> TurnTaking:
    """Interruptions, backchannels and overlaps of a two-party call."""
    settings = settings or TurnSettings()
    speech = list(speech)  # read once per party
    by_party = {
        p: bridged(((s.start_ms, s.end_ms) for s in speech if s.party is p), settings.join_gap_ms) for p in Party
    }
    starts = {p: [s for s, _ in spans] for p, spans in by_party.items()}
    interruptions: list[Interruption] = []
    backchannels: list[Speech] = []
    for party, spans in by_party.items():
        other = party.other
        for start, end in spans:
            under_way = _containing(by_party[other], starts[other], start)
            if under_way is None or under_way[1] - start <= settings.line_delay_ms:
                continue  # the floor was free, or the other was finishing as the line delay would show
            overlap_end = min(end, under_way[1])
            if overlap_end - start > settings.grace_ms:
                interruptions.append(Interruption(party, start, overlap_end))
            elif end <= under_way[1] + settings.edge_ms:
                backchannels.append(Speech(party, start, end))
    overlaps = _intersections(by_party[Party.AGENT], by_party[Party.CUSTOMER], settings.line_delay_ms)
    interruptions.sort(key=lambda i: (i.start_ms, i.interrupter))
    backchannels.sort(key=lambda b: (b.start_ms, b.party))
    return TurnTaking(tuple(interruptions), tuple(backchannels), tuple(overlaps))


def speech_from_transcript(utterances: Iterable[Utterance]) -> list[Speech]:
    """Each party's speech as the transcript times it: word by word where words are timed."""
    speech: list[Speech] = []
    for utterance in utterances:
        if utterance.words:
            speech.extend(
                Speech(utterance.party, w.start_ms, w.end_ms) for w in utterance.words if w.end_ms > w.start_ms
            )
        elif utterance.end_ms > utterance.start_ms:
            speech.append(Speech(utterance.party, utterance.start_ms, utterance.end_ms))
    return speech


def speech_from_activity(activity: Sequence[Sequence[Span]], layout: ChannelLayout) -> list[Speech]:
    """Each party's speech from per-channel voice activity; nothing for a mono recording (the parties are mixed)."""
    speech: list[Speech] = []
    for channel, spans in enumerate(activity):
        party = layout.party_of_channel(channel)
        if party is not None:
            speech.extend(Speech(party, start, end) for start, end in spans)
    return speech
