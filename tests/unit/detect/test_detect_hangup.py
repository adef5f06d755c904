"""Who hung up: the telephony metadata, and an estimate from the last lines and the last voice."""

from __future__ import annotations

import pytest

from reviewer.detect.hangup import from_metadata, from_recording
from reviewer.detect.lexicon import Category
from reviewer.detect.turns import Speech
from reviewer.domain.parties import Party
from reviewer.domain.suggestions import Basis, HangupCue, HangupSide
from reviewer.domain.transcript import Utterance

A, C = Party.AGENT, Party.CUSTOMER
NOTHING: frozenset[Category] = frozenset()
FAREWELL = frozenset({Category.FAREWELL})


def _line(party: Party, start: int, text: str) -> Utterance:
    return Utterance(party, party.value, start, start + 2000, text)


@pytest.mark.parametrize(
    ("reason", "side"),
    [
        ("AGENT_DISCONNECT", HangupSide.AGENT),
        ("CUSTOMER_DISCONNECT", HangupSide.CUSTOMER),
        ("telecom_problem", HangupSide.LINE_DROP),
        ("customer", HangupSide.CUSTOMER),
    ],
)
def test_the_disconnect_reason_names_the_side(reason: str, side: HangupSide) -> None:
    estimate = from_metadata(reason, 30_000)
    assert estimate is not None
    assert (estimate.side, estimate.basis, estimate.at_ms) == (side, Basis.METADATA, 30_000)


@pytest.mark.parametrize("reason", [None, "", "CONTACT_FLOW_DISCONNECT", "OTHER"])
def test_reasons_that_name_nobody_give_no_estimate(reason: str | None) -> None:
    assert from_metadata(reason, 1000) is None


def test_an_unanswered_farewell_by_the_agent_means_the_agent_ended() -> None:
    lines = [_line(C, 0, "This is a joke!"), _line(A, 3000, "I'm ending this call now. Goodbye.")]
    estimate = from_recording(lines, [NOTHING, FAREWELL], [], 6000)
    assert estimate is not None
    assert estimate.side is HangupSide.AGENT
    assert HangupCue.OTHER_FAREWELL_UNANSWERED in estimate.cues
    assert estimate.at_ms == 5000


def test_the_customer_saying_goodbye_last_ended_it() -> None:
    lines = [_line(A, 0, "Thank you for calling. Goodbye."), _line(C, 3000, "Bye now.")]
    estimate = from_recording(lines, [FAREWELL, FAREWELL], [], 6000)
    assert estimate is not None and estimate.side is HangupSide.CUSTOMER


def test_a_sentence_cut_off_is_a_line_drop() -> None:
    lines = [_line(A, 0, "What colour is the light?"), _line(C, 3000, "It's blinking orange, and")]
    estimate = from_recording(lines, [NOTHING, NOTHING], [], 6000)
    assert estimate is not None
    assert (estimate.side, estimate.cues) == (HangupSide.LINE_DROP, (HangupCue.CUT_MID_SENTENCE,))


def test_no_punctuation_anywhere_is_no_evidence_of_a_cut() -> None:
    lines = [_line(A, 0, "what colour is the light"), _line(C, 3000, "its blinking orange")]
    estimate = from_recording(lines, [NOTHING, NOTHING], [], 6000)
    assert estimate is not None and estimate.side is HangupSide.CUSTOMER
    assert estimate.cues == (HangupCue.LAST_SPEAKER,)


def test_a_transfer_is_not_a_hang_up() -> None:
    lines = [_line(C, 0, "Refund me."), _line(A, 3000, "I'm transferring you to our expert group now.")]
    estimate = from_recording(lines, [NOTHING, frozenset({Category.TRANSFER})], [], 6000)
    assert estimate is not None and estimate.side is HangupSide.TRANSFERRED
    assert estimate.side.actor is None


def test_a_voice_running_into_the_end_of_the_recording_is_a_drop() -> None:
    lines = [_line(A, 0, "Goodbye.")]
    estimate = from_recording(lines, [FAREWELL], [Speech(C, 4000, 9950)], 10_000)
    assert estimate is not None
    assert (estimate.side, estimate.basis) == (HangupSide.LINE_DROP, Basis.AUDIO)


def test_audio_alone_names_the_last_voice() -> None:
    estimate = from_recording([], [], [Speech(A, 0, 2000), Speech(C, 2500, 5000)], 8000)
    assert estimate is not None and (estimate.side, estimate.basis) == (HangupSide.CUSTOMER, Basis.AUDIO)
    assert from_recording([], [], [], 8000) is None
