"""From a RawTranscript to parties: map speaker labels to agent/customer, and check the file's times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from reviewer.domain.parties import ChannelLayout, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.transcript import Speaker, Utterance
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.phrases import closes_like_agent, greets_like_agent, opens_like_agent, role_of_label
from reviewer.formats.times import format_ms

_STEREO = (ChannelLayout.AGENT_LEFT, ChannelLayout.AGENT_RIGHT)


def map_parties(raw: RawTranscript, layout: ChannelLayout | None) -> tuple[tuple[Speaker, ...], tuple[Utterance, ...]]:
    """Speakers (in order of first speech) with their parties, and the utterances sorted by time.

    Per label: a role the file states wins; else the channel under a stereo layout; else the first speaker
    to start is the agent and everyone else the customer. A turn's own role or channel overrides its label's
    (one unlabelled "speaker" may hold both parties' lines, told apart by channel).
    """
    labels = _labels_by_first_start(raw.turns)
    parties = _assign(raw.turns, labels, layout)
    speakers = tuple(Speaker(label, parties[label], _channel_of(label, raw.turns)) for label in labels)
    utterances = sorted((_utterance(t, parties, layout) for t in raw.turns), key=lambda u: (u.start_ms, u.end_ms))
    return speakers, tuple(utterances)


def _clean(text: str) -> str:
    # A JSON "\u0000" survives decoding; PostgreSQL refuses NUL in text and no transcript means one.
    return text.replace("\x00", "")


def _utterance(turn: Turn, parties: dict[str, Party], layout: ChannelLayout | None) -> Utterance:
    party = turn.role or _party_by_channel(turn.channel, layout) or parties[turn.speaker]
    words = tuple(replace(w, text=_clean(w.text)) for w in turn.words)
    return Utterance(party, _clean(turn.speaker), turn.start_ms, turn.end_ms, _clean(turn.text), words)


def _labels_by_first_start(turns: Iterable[Turn]) -> list[str]:
    first: dict[str, int] = {}
    for turn in turns:
        first[turn.speaker] = min(first.get(turn.speaker, turn.start_ms), turn.start_ms)
    return sorted(first, key=lambda label: first[label])  # stable: ties keep file order


def _channel_of(label: str, turns: Iterable[Turn]) -> int | None:
    return next((t.channel for t in turns if t.speaker == label and t.channel is not None), None)


def _assign(turns: tuple[Turn, ...], labels: list[str], layout: ChannelLayout | None) -> dict[str, Party]:
    parties: dict[str, Party] = {}
    for turn in turns:
        if turn.role is not None:
            parties.setdefault(turn.speaker, turn.role)
    for label in labels:
        named = role_of_label(label)  # "Agent:", "<v Customer>": the file names the role in the label
        if named is not None:
            parties.setdefault(label, Party(named))
    for label in labels:
        party = _party_by_channel(_channel_of(label, turns), layout)
        if label not in parties and party is not None:
            parties[label] = party
    rest = [label for label in labels if label not in parties]
    if Party.AGENT not in parties.values() and rest:
        # The agent greets with a script and closes with one; failing that, the agent answers, so speaks first.
        parties[_scripted_speaker(turns, rest) or rest[0]] = Party.AGENT
    for label in rest:
        parties.setdefault(label, Party.CUSTOMER)
    return parties


def _scripted_speaker(turns: tuple[Turn, ...], labels: list[str]) -> str | None:
    """The speaker whose opening lines hold an agent greeting, else whose last lines hold an agent goodbye."""
    by_label = {label: sorted((t for t in turns if t.speaker == label), key=lambda t: t.start_ms) for label in labels}
    checks = ((opens_like_agent, slice(0, 2)), (closes_like_agent, slice(-2, None)), (greets_like_agent, slice(0, 2)))
    for test, pick in checks:
        found = [label for label in labels if any(test(t.text) for t in by_label[label][pick])]
        if len(found) == 1:
            return found[0]
    return None


def _party_by_channel(channel: int | None, layout: ChannelLayout | None) -> Party | None:
    # Only a stereo layout says which channel is whose; mono and separate files leave it to the rule below.
    if channel is None or layout is None or layout not in _STEREO:
        return None
    return layout.party_of_channel(channel)


def validate_times(raw: RawTranscript, path: str, duration_ms: int | None, tolerance_ms: int = 1000) -> None:
    """Refuse negative times, spans that end before they start, and speech past the end of the recording."""
    # A transcript with no speech is a fact worth keeping (a silent call, an immediate hang-up), not an error.
    spans = [(turn.where, turn.start_ms, turn.end_ms) for turn in raw.turns]
    for turn in raw.turns:
        spans += [(f"{turn.where}, word {n}", w.start_ms, w.end_ms) for n, w in enumerate(turn.words, 1)]
    spans += [(f"event {n} ({tag.kind})", tag.start_ms, tag.end_ms) for n, tag in enumerate(raw.events, 1)]
    for where, start, end in spans:
        _check_span(path, where, (start, end), duration_ms, tolerance_ms)


def _check_span(path: str, where: str, span: tuple[int, int], duration: int | None, tolerance: int) -> None:
    start, end = span
    if start < 0 or end < 0:
        detail = f"negative time ({format_ms(min(start, end))})"
        raise InputError.of(ProblemKind.BAD_VALUE, path, where, detail)
    if end < start:
        detail = f"ends {format_ms(end)} before it starts {format_ms(start)}"
        raise InputError.of(ProblemKind.END_BEFORE_START, path, where, detail)
    if duration is not None and end > duration + tolerance:
        detail = f"ends {format_ms(end)}, after the recording ends {format_ms(duration)}"
        raise InputError.of(ProblemKind.BEYOND_RECORDING, path, where, detail)
