"""Who hung up: the telephony metadata when it says, and an estimate from the recording and transcript."""

from __future__ import annotations

from collections.abc import Sequence

from reviewer.detect.lexicon import Category
from reviewer.detect.turns import Speech
from reviewer.domain.parties import Party
from reviewer.domain.suggestions import Basis, HangupCue, HangupEstimate, HangupSide
from reviewer.domain.transcript import Utterance

# Amazon Connect's DisconnectReason values (its docs admit they can be wrong), and the plain names a CSV may use.
_REASONS = {
    "AGENT_DISCONNECT": HangupSide.AGENT,
    "CUSTOMER_DISCONNECT": HangupSide.CUSTOMER,
    "TELECOM_PROBLEM": HangupSide.LINE_DROP,
    "AGENT": HangupSide.AGENT,
    "CUSTOMER": HangupSide.CUSTOMER,
    "LINE_DROP": HangupSide.LINE_DROP,
}
METADATA_CONFIDENCE = 0.9
_SENTENCE_END = tuple(".!?…。！？»\"')")
_CUT_AT_END_MS = 150  # speech this close to the end of the recording was cut off by it


def from_metadata(reason: str | None, at_ms: int) -> HangupEstimate | None:
    """The side the telephony system recorded, when it recorded one we understand."""
    side = _REASONS.get((reason or "").strip().upper().replace("-", "_").replace(" ", "_"))
    if side is None:
        return None
    return HangupEstimate(side, Basis.METADATA, at_ms, METADATA_CONFIDENCE, (HangupCue.DISCONNECT_REASON,))


def _punctuated(utterances: Sequence[Utterance]) -> bool:
    """Whether the lines before the last end in punctuation (ASR without any says nothing by lacking it)."""
    earlier = utterances[:-1]
    ended = sum(1 for u in earlier if u.text.rstrip().endswith(_SENTENCE_END))
    return bool(earlier) and ended * 2 > len(earlier)


def _from_lines(
    utterances: Sequence[Utterance], said: Sequence[frozenset[Category]]
) -> tuple[HangupSide, float, tuple[HangupCue, ...]]:
    last, heard = utterances[-1], said[-1]
    if last.party is Party.AGENT and Category.TRANSFER in heard:
        return HangupSide.TRANSFERRED, 0.7, (HangupCue.TRANSFER,)
    if Category.FAREWELL in heard:
        side = HangupSide.AGENT if last.party is Party.AGENT else HangupSide.CUSTOMER
        cue = HangupCue.OTHER_FAREWELL_UNANSWERED if last.party is Party.AGENT else HangupCue.FAREWELL
        return side, 0.75, (HangupCue.LAST_SPEAKER, cue)
    if _punctuated(utterances) and not last.text.rstrip().endswith(_SENTENCE_END):
        return HangupSide.LINE_DROP, 0.6, (HangupCue.CUT_MID_SENTENCE,)
    side = HangupSide.AGENT if last.party is Party.AGENT else HangupSide.CUSTOMER
    return side, 0.5, (HangupCue.LAST_SPEAKER,)


def from_recording(
    utterances: Sequence[Utterance],
    said: Sequence[frozenset[Category]],
    audio_speech: Sequence[Speech],
    duration_ms: int,
) -> HangupEstimate | None:
    """An estimate from the last lines (farewells, transfers, a sentence cut off) and the last voice on the line."""
    last_audio = max(audio_speech, key=lambda s: s.end_ms, default=None)
    if last_audio is not None and duration_ms - last_audio.end_ms <= _CUT_AT_END_MS:
        # A voice still going when the recording stops: the line went, not a party who said goodbye first.
        return HangupEstimate(HangupSide.LINE_DROP, Basis.AUDIO, last_audio.end_ms, 0.55, (HangupCue.ONE_SIDED_DROP,))
    if utterances:
        side, confidence, cues = _from_lines(utterances, said)
        end = max(u.end_ms for u in utterances)
        return HangupEstimate(side, Basis.TRANSCRIPT, end, confidence, cues)
    if last_audio is not None:
        side = HangupSide.AGENT if last_audio.party is Party.AGENT else HangupSide.CUSTOMER
        return HangupEstimate(side, Basis.AUDIO, last_audio.end_ms, 0.4, (HangupCue.LAST_SPEAKER,))
    return None
