"""Interruption detection against ground truth, ours and call-ai-metrics, from audio and from the same turn timings.

Builds ``--calls`` synthetic stereo calls with ``benchmarks/conversation_mix.py`` (real voices from the shared
corpus, a known truth) and scores interruption events (interrupter channel, start): a prediction matches a truth
event by the same interrupter and a start within 500 ms, one-to-one, truth events taken in time order.

* ours from audio: ``voice_activity`` -> ``speech_from_activity`` -> ``turn_taking``;
* call-ai-metrics from audio: ``CallAnalyzer().analyze(samples, sample_rate=8000)``;
* both on the truth speech spans (our ``Speech`` list, its ``[(start_s, end_s, speaker), ...]``): P/R/F1 of each
  and their agreement (events both flag, either alone; kappa over every truth span start);
* speed: best of --repeat wall time of each over all calls.

Then what each makes of the corpus's real ``stereo_diarization.wav``. Target F1 >= 0.9 (ours from audio).

    .venv/bin/python benchmarks/interruptions.py [--calls 40] [--seed 1] [--repeat 3] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from call_ai_metrics import CallAnalyzer  # type: ignore[import-untyped]

from benchmarks.conversation_mix import MixedCall, Span, build_call, corpus_stereo
from reviewer.audio.vad import voice_activity
from reviewer.detect.turns import TurnSettings, speech_from_activity, turn_taking
from reviewer.domain.parties import ChannelLayout

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE_MS = 500
TARGET_F1 = 0.9
LAYOUT = ChannelLayout.AGENT_LEFT
NAMES = ["A", "B"]  # call-ai-metrics' names for channel 0 and 1
SHOWN = 12  # misses and false alarms listed per detector
JOIN_GAPS_MS = (250, 400, 500, 600, 700)  # TurnSettings.join_gap_ms tried on our VAD spans

Event = tuple[int, int]  # (interrupter channel, start_ms)


@dataclass
class Score:
    """True positives, false positives and false negatives, summed over calls."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        """Count one call."""
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        """TP / predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / truth."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def line(self) -> str:
        """One table row."""
        return f"{self.tp:5d} {self.fp:5d} {self.fn:5d}  {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f}"


def match(predicted: Sequence[Event], truth: Sequence[Event]) -> tuple[list[Event], list[Event]]:
    """One-to-one matching, truth in time order to the nearest free prediction: (missed truth, unmatched predicted)."""
    free = list(predicted)
    missed = []
    for channel, start in sorted(truth, key=lambda event: event[1]):
        near = [p for p in free if p[0] == channel and abs(p[1] - start) <= TOLERANCE_MS]
        if near:
            free.remove(min(near, key=lambda p: abs(p[1] - start)))
        else:
            missed.append((channel, start))
    return missed, free


# ---------------------------------------------------------------------------------------------------------------
# The four detectors: ours and call-ai-metrics, from audio and from speech spans.


def ours_spans(spans: Sequence[Sequence[Span]], settings: TurnSettings | None = None) -> list[Event]:
    """Our turn-taking on per-channel speech spans."""
    found = turn_taking(speech_from_activity(spans, LAYOUT), settings).interruptions
    return [(LAYOUT.channel_of(i.interrupter) or 0, i.start_ms) for i in found]


def ours_audio(call: MixedCall) -> list[Event]:
    """Our voice activity and turn-taking on the stereo samples."""
    return ours_spans(voice_activity(call.samples, call.sample_rate))


def _peer_events(report: Any) -> list[Event]:
    return [(NAMES.index(e.by), round(e.time_s * 1000)) for e in report.interruption_events]


def peer_audio(call: MixedCall) -> list[Event]:
    """call-ai-metrics on the same stereo samples."""
    return _peer_events(CallAnalyzer().analyze(call.samples, sample_rate=call.sample_rate, speakers=NAMES))


def peer_spans(spans: Sequence[Sequence[Span]]) -> list[Event]:
    """call-ai-metrics on the same speech spans, as (start_s, end_s, speaker) segments."""
    segments = [(s / 1000, e / 1000, NAMES[c]) for c, channel in enumerate(spans) for s, e in channel]
    return _peer_events(CallAnalyzer().analyze(segments, speakers=NAMES))


# name -> (detector, what it reads: the call's audio, the truth spans or our VAD spans of the call)
DETECTORS: dict[str, tuple[Callable[[Any], list[Event]], str]] = {
    "ours from audio": (ours_audio, "audio"),
    "call-ai-metrics from audio": (peer_audio, "audio"),
    "ours on truth spans": (ours_spans, "truth"),
    "call-ai-metrics on truth spans": (peer_spans, "truth"),
    "ours on our VAD spans": (ours_spans, "vad"),
    "call-ai-metrics on our VAD spans": (peer_spans, "vad"),
}


# ---------------------------------------------------------------------------------------------------------------
# Scoring, agreement and timing.


def score(found: Sequence[Sequence[Event]], calls: Sequence[MixedCall]) -> Score:
    """P/R/F1 counts of one detector over all calls."""
    total = Score()
    for events, call in zip(found, calls, strict=True):
        missed, extra = match(events, call.interruptions)
        total.add(len(events) - len(extra), len(extra), len(missed))
    return total


@dataclass
class Agreement:
    """Two detectors' events side by side: flagged by both, by either alone, and (of the candidates) by neither."""

    both: int = 0
    first_only: int = 0
    second_only: int = 0
    candidates: int = 0

    @property
    def union(self) -> int:
        """Events flagged by either."""
        return self.both + self.first_only + self.second_only

    @property
    def kappa(self) -> float:
        """Cohen's kappa over the candidates (every truth span start), each flagged or not by each detector."""
        n = self.candidates
        neither = n - self.union
        observed = (self.both + neither) / n
        first, second = (self.both + self.first_only) / n, (self.both + self.second_only) / n
        expected = first * second + (1 - first) * (1 - second)
        return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(
    first: Sequence[Sequence[Event]], second: Sequence[Sequence[Event]], calls: Sequence[MixedCall]
) -> Agreement:
    """How often two detectors flag the same events (matched like predictions to truth)."""
    total = Agreement()
    for ours, theirs, call in zip(first, second, calls, strict=True):
        first_only, second_only = match(theirs, ours)
        total.both += len(ours) - len(first_only)
        total.first_only += len(first_only)
        total.second_only += len(second_only)
        total.candidates += sum(len(spans) for spans in call.speech)
    return total


def timed(
    detector: Callable[[Any], list[Event]], inputs: Sequence[object], repeat: int
) -> tuple[list[list[Event]], float]:
    """The detector's events on every call and the best wall time of `repeat` passes over all of them."""
    best, found = float("inf"), list[list[Event]]()
    for _ in range(repeat):
        start = time.perf_counter()
        found = [detector(one) for one in inputs]
        best = min(best, time.perf_counter() - start)
    return found, best


# ---------------------------------------------------------------------------------------------------------------
# The report.


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _spans_text(spans: Sequence[Span], low: int = 0, high: int = 10**9) -> str:
    shown = [f"{s / 1000:.2f}-{e / 1000:.2f}" for s, e in spans if e > low and s < high]
    return " ".join(shown) or "-"


def _events_text(events: Sequence[Event]) -> str:
    return ", ".join(f"{NAMES[c]}@{s / 1000:.2f}s" for c, s in sorted(events, key=lambda e: e[1])) or "none"


def _context(call: MixedCall, start: int) -> str:
    """Truth and our voice activity of both channels around a moment."""
    low, high = start - 2500, start + 1000
    vad = voice_activity(call.samples, call.sample_rate)
    truth = " | ".join(f"{NAMES[c]} {_spans_text(call.speech[c], low, high)}" for c in range(2))
    ours = " | ".join(f"{NAMES[c]} {_spans_text(vad[c], low, high)}" for c in range(2))
    return f"truth {truth}\n      our VAD {ours}"


def print_errors(name: str, found: Sequence[Sequence[Event]], calls: Sequence[MixedCall], seed: int) -> None:
    """The first missed truth events and false alarms of one detector, with what was around them."""
    matched = [match(events, call.interruptions) for events, call in zip(found, calls, strict=True)]
    for which, label in enumerate(("missed truth interruptions", "false alarms")):
        errors = [(index, event) for index, pair in enumerate(matched) for event in pair[which]]
        print(f"\n{name}, {label}: {len(errors)} (first {min(SHOWN, len(errors))})")
        for index, (channel, start) in errors[:SHOWN]:
            call = calls[index]
            print(f"  call seed {seed + index} ({' / '.join(call.voices)}{', crosstalk' if call.crosstalk else ''}):"
                  f" {NAMES[channel]} at {start / 1000:.2f} s")  # fmt: skip
            print(f"      {_context(call, start)}")


def print_stereo(corpus: Path) -> None:
    """What each detector says about the corpus's own stereo file."""
    call = corpus_stereo(corpus)
    vad = voice_activity(call.samples, call.sample_rate)
    peer = CallAnalyzer().analyze(call.samples, sample_rate=call.sample_rate, speakers=NAMES)
    peer_speech = [
        [(round(s.start_s * 1000), round(s.end_s * 1000)) for s in peer.segments if s.speaker == n] for n in NAMES
    ]
    print(f"\ncorpus audio/stereo_diarization.wav ({call.duration_ms / 1000:.1f} s, both channels speak at once):")
    rows = (("truth (energy)", call.speech, call.interruptions), ("ours", vad, ours_audio(call)),
            ("call-ai-metrics", peer_speech, _peer_events(peer)))  # fmt: skip
    for label, speech, events in rows:
        spans = " | ".join(f"{NAMES[c]} {_spans_text(speech[c])}" for c in range(2))
        print(f"  {label:<16} speech {spans}; interruptions: {_events_text(events)}")


def print_input(calls: Sequence[MixedCall], seed: int) -> None:
    """The machine and the size of the input."""
    minutes = sum(call.duration_ms for call in calls) / 60000
    voices = sorted({voice for call in calls for voice in call.voices})
    print(f"machine: {_machine()}")
    print(f"input: {len(calls)} calls (seeds {seed}..{seed + len(calls) - 1}), {minutes:.1f} min of 8 kHz stereo")
    print(f"  truth: {sum(len(c.interruptions) for c in calls)} interruptions, "
          f"{sum(c.backchannels for c in calls)} backchannels, {sum(c.crosstalk for c in calls)} calls with "
          f"crosstalk at -30 dB; voices: {', '.join(voices)}")  # fmt: skip


def print_scores(found: dict[str, list[list[Event]]], calls: Sequence[MixedCall]) -> Score:
    """The P/R/F1 table; returns ours from audio."""
    print(f"\ninterruption events (same interrupter, start within ±{TOLERANCE_MS} ms, one-to-one):")
    print(f"  {'':<32} {'TP':>5} {'FP':>5} {'FN':>5}  {'prec':>6} {'recall':>6} {'F1':>6}")
    scores = {name: score(events, calls) for name, events in found.items()}
    for name, result in scores.items():
        print(f"  {name:<32} {result.line()}")
    ours = scores["ours from audio"]
    print(f"  target: ours from audio F1 >= {TARGET_F1}: {'PASS' if ours.f1 >= TARGET_F1 else 'MISS'} ({ours.f1:.4f})")
    return ours


def print_agreement(found: dict[str, list[list[Event]]], calls: Sequence[MixedCall]) -> None:
    """Ours against call-ai-metrics, on the same spans and on the same audio."""
    print("\nagreement, ours vs call-ai-metrics (events matched like predictions to truth):")
    for where in ("on truth spans", "on our VAD spans", "from audio"):
        pair = agreement(found[f"ours {where}"], found[f"call-ai-metrics {where}"], calls)
        print(
            f"  {where:<17} both {pair.both}, ours only {pair.first_only}, call-ai-metrics only {pair.second_only}, "
            f"neither {pair.candidates - pair.union} (of {pair.candidates} truth span starts); "
            f"matched/union {pair.both / max(1, pair.union):.3f}, kappa {pair.kappa:.3f}"
        )


def print_join_gaps(vad: Sequence[Sequence[Sequence[Span]]], calls: Sequence[MixedCall]) -> None:
    """Ours on our VAD spans with other join gaps: how much bridging the other's pauses decides."""
    print("\nours on our VAD spans, other TurnSettings.join_gap_ms (the mixer keeps a party's own turns >= 1 s apart):")
    for gap in JOIN_GAPS_MS:
        found = [ours_spans(spans, TurnSettings(join_gap_ms=gap)) for spans in vad]
        print(f"  join_gap_ms={gap:<19} {score(found, calls).line()}")


def print_speed(seconds: dict[str, float], calls: Sequence[MixedCall], repeat: int) -> None:
    """Wall times and the ratios ours / call-ai-metrics."""
    audio_s = sum(call.duration_ms for call in calls) / 1000
    print(f"\nspeed (best of {repeat}, all {len(calls)} calls, {audio_s:.0f} s of audio):")
    for name, value in seconds.items():
        print(f"  {name:<32} {value:8.3f} s  ({audio_s / value:8.0f}x real time)")
    for where in ("from audio", "on truth spans", "on our VAD spans"):
        ratio = seconds[f"ours {where}"] / seconds[f"call-ai-metrics {where}"]
        print(f"  ratio ours / call-ai-metrics {where}: {ratio:.2f}x")


def main() -> int:
    """Build the calls, run every detector, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("REVIEWER_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus} (set --corpus or REVIEWER_CORPUS)")
    calls = [build_call(args.seed + n, args.turns, args.corpus) for n in range(args.calls)]
    print_input(calls, args.seed)
    found: dict[str, list[list[Event]]] = {}
    seconds: dict[str, float] = {}
    vad = [voice_activity(call.samples, call.sample_rate) for call in calls]
    inputs: dict[str, Sequence[object]] = {"audio": calls, "truth": [call.speech for call in calls], "vad": vad}
    for name, (detector, reads) in DETECTORS.items():
        found[name], seconds[name] = timed(detector, inputs[reads], args.repeat)
    print_scores(found, calls)
    print_agreement(found, calls)
    print_join_gaps(vad, calls)
    print_speed(seconds, calls, args.repeat)
    print_stereo(args.corpus)
    print_errors("ours from audio", found["ours from audio"], calls, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
