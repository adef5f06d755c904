"""One detection pass over a call: every detector, their thresholds and versions, and where the bases disagree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from reviewer.audio.vad import Activity, VadSettings, analyse_activity
from reviewer.detect import hangup, lexical
from reviewer.detect.lexicon import Category, Lexicons
from reviewer.detect.silence import SilenceSettings, silences
from reviewer.detect.turns import (
    Interruption,
    Span,
    Speech,
    TurnSettings,
    TurnTaking,
    bridged,
    speech_from_activity,
    speech_from_transcript,
    turn_taking,
)
from reviewer.detect.voice import VoiceSettings, raised_voice
from reviewer.domain.call import Call
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.suggestions import Basis, Detection, HangupEstimate, Suggestion, TurnDisagreement
from reviewer.domain.tags import Tag

# Bump a detector's version when its output for the same input changes; each suggestion stores the version.
VERSIONS = {"interruption": "1", "silence": "1", "raised_voice": "1", "lexicon": "1", "hangup": "1"}
_MATCH_MS = 500  # two bases' interruptions this close, by the same party, are one event
_POINT_NEAR_MS = 2000  # a point tag this close to a proposed point of the same kind already says it
_SEGMENT_GAP_MS = 500  # without a transcript, voice activity this close together is one stretch of speech


@dataclass(frozen=True, slots=True)
class DetectSettings:
    """Every threshold of every detector."""

    turns: TurnSettings = field(default_factory=TurnSettings)
    vad: VadSettings = field(default_factory=VadSettings)
    silence: SilenceSettings = field(default_factory=SilenceSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)

    def as_dict(self) -> dict[str, float]:
        """All thresholds as one flat mapping, stored with the suggestions."""
        return {**self.turns.as_dict(), **self.vad.as_dict(), **self.silence.as_dict(), **self.voice.as_dict()}


@dataclass(frozen=True, slots=True)
class Recording:
    """The call's decoded audio, as the detectors need it."""

    samples: npt.NDArray[np.int16]
    sample_rate: int


@dataclass(slots=True)
class _Pass:
    """The state of one pass: what was found so far, stamped with the detectors' versions."""

    versions: dict[str, str]
    found: list[Suggestion] = field(default_factory=list)

    def add(self, kind: str, actor: Actor, span: Span, detector: str, *, confidence: float, evidence: str = "") -> None:
        """Record one finding of a detector."""
        version = self.versions[detector]
        self.found.append(
            Suggestion(kind, actor, span[0], span[1], detector, confidence, evidence, detector_version=version)
        )


def _interruptions(
    out: _Pass, by_text: Sequence[Interruption] | None, by_audio: Sequence[Interruption] | None
) -> list[TurnDisagreement]:
    """Suggest each interruption once; where both bases were looked at and only one found it, say so (None: that
    basis was not available: no transcript, or no stereo recording)."""
    unmatched = list(by_audio or ())
    disagreements: list[TurnDisagreement] = []
    for event in by_text or ():
        actor = Actor.of(event.interrupter)
        twin = next(
            (
                a
                for a in unmatched
                if a.interrupter is event.interrupter and abs(a.start_ms - event.start_ms) <= _MATCH_MS
            ),
            None,
        )
        if twin is not None:
            unmatched.remove(twin)
            out.add("interruption", actor, event[1:], "interruption", confidence=0.9, evidence="transcript+audio")
        elif by_audio is None:
            out.add("interruption", actor, event[1:], "interruption", confidence=0.7, evidence="transcript")
        else:
            disagreements.append(TurnDisagreement(Basis.TRANSCRIPT, actor, event.start_ms, event.end_ms))
            out.add("interruption", actor, event[1:], "interruption", confidence=0.5, evidence="transcript")
    for event in unmatched:
        actor = Actor.of(event.interrupter)
        if by_text is not None:
            disagreements.append(TurnDisagreement(Basis.AUDIO, actor, event.start_ms, event.end_ms))
        confidence = 0.5 if by_text is not None else 0.6
        out.add("interruption", actor, event[1:], "interruption", confidence=confidence, evidence="audio")
    return disagreements


def _hangups(call: Call, said: Sequence[frozenset[Category]], audio: Sequence[Speech]) -> tuple[HangupEstimate, ...]:
    last = max([u.end_ms for u in call.utterances] + [s.end_ms for s in audio], default=call.duration_ms)
    estimates = (
        hangup.from_metadata(call.disconnect_reason, last),
        hangup.from_recording(call.utterances, said, audio, call.duration_ms),
    )
    return tuple(e for e in estimates if e is not None)


def _suggest_hangups(out: _Pass, estimates: Sequence[HangupEstimate]) -> None:
    """The metadata's side first; the recording's too when it names someone else (both are shown)."""
    named: set[Actor] = set()
    for estimate in estimates:
        actor = estimate.side.actor
        if actor is not None and actor not in named:
            named.add(actor)
            cues = "+".join(cue.value for cue in estimate.cues)
            out.add(
                "hang_up",
                actor,
                (estimate.at_ms, estimate.at_ms),
                "hangup",
                confidence=estimate.confidence,
                evidence=cues,
            )


def _segments(call: Call, speech: Sequence[Speech]) -> list[Speech]:
    """What loudness is judged over: the transcript's lines, else stretches of voice activity."""
    if call.utterances:
        return [Speech(u.party, u.start_ms, u.end_ms) for u in call.utterances]
    stretches: list[Speech] = []
    for party in Party:
        own = ((s.start_ms, s.end_ms) for s in speech if s.party is party)
        stretches += [Speech(party, start, end) for start, end in bridged(own, _SEGMENT_GAP_MS)]
    return stretches


def _suggest_raised(
    out: _Pass, call: Call, activity: Activity, speech: Sequence[Speech], settings: VoiceSettings
) -> None:
    for raised in raised_voice(activity, call.audio.layout, _segments(call, speech), settings):
        span = (raised.speech.start_ms, raised.speech.end_ms)
        confidence = min(0.95, 0.5 + raised.excess_db / 20)
        out.add(
            "yelling",
            Actor.of(raised.speech.party),
            span,
            "raised_voice",
            confidence=confidence,
            evidence=f"+{raised.excess_db} dB",
        )


def _suggest_lexical(out: _Pass, call: Call, lexicons: Lexicons) -> list[frozenset[Category]]:
    matches = lexical.matches_of(lexicons, call.utterances)
    heard: set[Party] = set()
    for utterance, hits in zip(call.utterances, matches, strict=True):
        heard.add(utterance.party)
        for f in lexical.found_in(utterance, hits, opening=len(heard) < 2):
            out.add(
                f.kind, Actor.of(f.party), (f.start_ms, f.end_ms), "lexicon", confidence=f.confidence, evidence=f.phrase
            )
    return [lexical.categories(m) for m in matches]


def _suggest_silences(out: _Pass, call: Call, talk: Iterable[Span], settings: SilenceSettings) -> None:
    holds = [(t.start_ms, t.end_ms) for t in call.tags if t.kind == "hold"]
    for silence in silences(talk, holds, settings):
        out.add("non_talk", Actor.CALL, silence[:2], "silence", confidence=0.9, evidence="long" if silence.long else "")


def _backchannels(turns: TurnTaking | None) -> dict[str, int]:
    return dict(Counter(b.party.value for b in turns.backchannels)) if turns else {}


def detect(
    call: Call, lexicons: Lexicons, recording: Recording | None = None, settings: DetectSettings | None = None
) -> Detection:
    """Run every detector over a call; the recording is optional (a transcript alone still gives most)."""
    settings = settings or DetectSettings()
    out = _Pass({**VERSIONS, "lexicon": f"{VERSIONS['lexicon']}+{lexicons.version}"})
    said = _suggest_lexical(out, call, lexicons)
    by_text = turn_taking(speech_from_transcript(call.utterances), settings.turns) if call.utterances else None
    audio_speech: list[Speech] = []
    by_audio: TurnTaking | None = None
    talk: list[Span] = [(s.start_ms, s.end_ms) for s in speech_from_transcript(call.utterances)]
    if recording is not None:
        activity = analyse_activity(recording.samples, recording.sample_rate, settings.vad)
        audio_speech = speech_from_activity([activity.spans(c) for c in range(activity.channels)], call.audio.layout)
        talk = [span for channel in range(activity.channels) for span in activity.spans(channel)]
        _suggest_raised(out, call, activity, audio_speech, settings.voice)
        if call.audio.layout is not ChannelLayout.MONO and activity.channels == 2:
            by_audio = turn_taking(audio_speech, settings.turns)
    disagreements = _interruptions(
        out, by_text.interruptions if by_text else None, by_audio.interruptions if by_audio else None
    )
    _suggest_silences(out, call, talk, settings.silence)
    estimates = _hangups(call, said, audio_speech)
    _suggest_hangups(out, estimates)
    return Detection(
        suggestions=tuple(sorted(out.found, key=lambda s: (s.start_ms, s.end_ms, s.kind, s.actor))),
        thresholds=settings.as_dict(),
        versions=out.versions,
        hangups=estimates,
        disagreements=tuple(disagreements),
        backchannels=_backchannels(by_audio or by_text),
    )


def already_tagged(suggestion: Suggestion, tags: Iterable[Tag]) -> bool:
    """A tag of the same kind and party already covers the finding: proposing it again would be noise."""
    for tag in tags:
        if tag.kind != suggestion.kind or tag.actor is not suggestion.actor:
            continue
        if suggestion.start_ms == suggestion.end_ms or tag.is_point:
            if abs(tag.start_ms - suggestion.start_ms) <= _POINT_NEAR_MS:
                return True
        elif tag.start_ms < suggestion.end_ms and suggestion.start_ms < tag.end_ms:
            return True
    return False
