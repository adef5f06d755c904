"""Suggestions as a supervisor reads them: "00:19 interruption by the agent (transcript+audio, 90%)"."""

from __future__ import annotations

from typing import Any

from reviewer.domain.suggestions import Detection, DetectorRate, HangupEstimate, HangupSide, Suggestion
from reviewer.text.tags import kind_label
from reviewer.text.times import clock

SIDE_LABELS = {
    HangupSide.AGENT: "the agent",
    HangupSide.CUSTOMER: "the customer",
    HangupSide.LINE_DROP: "a line drop",
    HangupSide.TRANSFERRED: "nobody (transferred)",
    HangupSide.UNKNOWN: "unknown",
}

DETECTOR_LABELS = {
    "interruption": "Turn-taking",
    "silence": "Silence",
    "raised_voice": "Raised voice",
    "lexicon": "Phrases",
    "hangup": "Who hung up",
}


def suggestion_line(s: Suggestion) -> str:
    """One suggestion on one line: when, what, by whom, why and how sure."""
    span = clock(s.start_ms) if s.start_ms == s.end_ms else f"{clock(s.start_ms)}-{clock(s.end_ms)}"
    why = f", {s.evidence}" if s.evidence else ""
    return f"{span} {kind_label(s.kind)} ({s.actor.value}) by {s.detector}{why}, {s.confidence:.0%}"


def hangup_line(estimate: HangupEstimate) -> str:
    """Who hung up by one basis of evidence."""
    cues = ", ".join(c.value.replace("_", " ") for c in estimate.cues)
    side, at = SIDE_LABELS[estimate.side], clock(estimate.at_ms)
    return f"{side} at {at} by {estimate.basis.value} ({cues}; {estimate.confidence:.0%})"


def detection_lines(detection: Detection) -> list[str]:
    """What a pass found beyond its suggestions: who hung up (both sources when they disagree), disagreements."""
    lines = [f"who hung up: {hangup_line(h)}" for h in detection.hangups]
    if detection.hangup_conflict:
        lines.append("who hung up: the sources disagree; check the end of the recording")
    lines += [
        f"{clock(d.start_ms)} interruption by the {d.interrupter.value} found only in the {d.found_by.value}"
        for d in detection.disagreements
    ]
    if detection.backchannels:
        counted = ", ".join(f"{who} {n}" for who, n in sorted(detection.backchannels.items()))
        lines.append(f"backchannels (counted, not proposed): {counted}")
    return lines


def rate_line(rate: DetectorRate) -> str:
    """A detector's record with supervisors for one kind."""
    precision = "no decisions yet" if rate.precision is None else f"{rate.precision:.0%} accepted"
    return (
        f"{rate.detector} {kind_label(rate.kind)}: {precision} "
        f"({rate.accepted} accepted, {rate.rejected} rejected, {rate.pending} open)"
    )


def suggestion_data(s: Suggestion, state: str) -> dict[str, Any]:
    """A suggestion as JSON, with whether it is open, already tagged, or decided."""
    return {
        "kind": s.kind,
        "actor": s.actor.value,
        "start_ms": s.start_ms,
        "end_ms": s.end_ms,
        "detector": s.detector,
        "confidence": round(s.confidence, 3),
        "evidence": s.evidence,
        "state": state,
    }


def detection_data(detection: Detection) -> dict[str, Any]:
    """The findings of a pass beyond its suggestions, as JSON."""
    return {
        "versions": detection.versions,
        "hangups": [h.to_data() for h in detection.hangups],
        "hangup_conflict": detection.hangup_conflict,
        "disagreements": [d.to_data() for d in detection.disagreements],
        "backchannels": detection.backchannels,
    }
