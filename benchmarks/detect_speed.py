"""Detection speed: every detector over a one-hour stereo 8 kHz call against a bare webrtcvad pass over the same audio.

The call is the ten demo calls (resources/demo) laid end to end, over and over, until it lasts --minutes (default
60): real espeak speech, one party per channel, with the transcripts shifted to match (about 1,100 lines). Then,
best of --repeat rounds in this process, the two taking turns in each round:

- baseline: a bare webrtcvad pass, what any detector built on it must do at least: ``Vad(2).is_speech`` on every
  30 ms frame of both channels (the bytes prepared once, outside the timing);
- ours: ``reviewer.detect.suggest.detect`` on the decoded samples and the transcript: voice activity with its noise
  and leak gates and frame levels, turn-taking from both the transcript and the audio, silences, raised voices,
  the lexicons on every line, who hung up: everything ``reviewer detect`` does after decoding.

Prints the times, the ratio (target: ours <= 1.5x the baseline) and the peak memory the detection added on top of
the decoded samples (tracemalloc); never fails on a miss. The last line is a JSON object.

    .venv/bin/python benchmarks/detect_speed.py [--minutes 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import webrtcvad

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.app.main import open_services  # noqa: E402
from reviewer.audio.decode import decode_audio  # noqa: E402
from reviewer.bundled import bundled_dir  # noqa: E402
from reviewer.detect.lexicon import load_lexicons  # noqa: E402
from reviewer.detect.suggest import Recording, detect  # noqa: E402
from reviewer.domain.call import AudioInfo, Call  # noqa: E402
from reviewer.domain.parties import ChannelLayout  # noqa: E402
from reviewer.domain.transcript import Utterance  # noqa: E402
from reviewer.persistence.database import sqlite_url  # noqa: E402
from reviewer.services.demo import build_demo  # noqa: E402
from reviewer.services.importing import ImportReport  # noqa: E402
from reviewer.services.library import get_call, list_calls  # noqa: E402

TARGET = 1.5
FRAME_MS = 30


def _demo_pieces() -> list[tuple[npt.NDArray[np.int16], list[Utterance]]]:
    """Each demo call's samples (agent on the left) and its transcript, imported as the app imports them."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("REVIEWER_CACHE_DIR", folder)
        services = open_services(sqlite_url(Path(folder) / "demo.sqlite3"))
        list(build_demo(services, ImportReport()))
        calls = [get_call(services, str(s.id)) for s in list_calls(services)]
        services.database.dispose()
    pieces = []
    for call in sorted(calls, key=lambda c: c.external_id):
        samples = decode_audio(call.audio).samples
        if call.audio.layout is ChannelLayout.AGENT_RIGHT:
            samples = samples[:, ::-1]
        pieces.append((np.ascontiguousarray(samples), list(call.utterances)))
    return pieces


def build_call(minutes: int) -> tuple[Call, Recording]:
    """The demo calls end to end until the call lasts `minutes`."""
    pieces = _demo_pieces()
    chunks, lines, offset_ms, index = [], [], 0, 0
    while offset_ms < minutes * 60_000:
        samples, utterances = pieces[index % len(pieces)]
        chunks.append(samples)
        lines += [
            replace(u, start_ms=u.start_ms + offset_ms, end_ms=u.end_ms + offset_ms, words=()) for u in utterances
        ]
        offset_ms += samples.shape[0] // 8
        index += 1
    audio = np.concatenate(chunks)[: minutes * 60 * 8000]
    duration = audio.shape[0] // 8
    kept = tuple(u for u in lines if u.end_ms <= duration)
    info = AudioInfo("long.wav", "0" * 64, duration, 8000, 2, ChannelLayout.AGENT_LEFT)
    call = Call("long", info, utterances=kept, disconnect_reason="CUSTOMER_DISCONNECT")
    return call, Recording(audio, 8000)


def bare_vad(channels: list[bytes]) -> int:
    """webrtcvad on every 30 ms frame of every channel; returns the speech frames (so nothing is optimised away)."""
    width = 2 * 8000 * FRAME_MS // 1000
    speech = 0
    for data in channels:
        vad = webrtcvad.Vad(2)
        view = memoryview(data)
        for at in range(0, len(data) - width + 1, width):
            speech += vad.is_speech(view[at : at + width], 8000)
    return speech


def main() -> None:
    """Run both, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call, recording = build_call(args.minutes)
    lexicons = load_lexicons(bundled_dir("resources") / "lexicons")
    channels = [np.ascontiguousarray(recording.samples[:, c]).tobytes() for c in range(2)]
    times: dict[str, list[float]] = {"baseline": [], "ours": []}
    found = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        bare_vad(channels)
        times["baseline"].append(time.perf_counter() - started)
        started = time.perf_counter()
        found = len(detect(call, lexicons, recording).suggestions)
        times["ours"].append(time.perf_counter() - started)
    tracemalloc.start()
    detect(call, lexicons, recording)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    best = {name: min(values) for name, values in times.items()}
    ratio = best["ours"] / best["baseline"]
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"input: {call.duration_ms / 60_000:.1f} min of 8 kHz stereo, {len(call.utterances)} transcript lines")
    print(f"  baseline (bare webrtcvad, both channels): {best['baseline']:.2f} s")
    print(f"  ours (every detector):                    {best['ours']:.2f} s, {found} suggestions")
    print(f"  ratio ours / baseline: {ratio:.2f}x (target <= {TARGET}x: {'PASS' if ratio <= TARGET else 'MISS'})")
    samples_mb = recording.samples.nbytes / 2**20
    print(f"  detection's peak memory: {peak / 2**20:.1f} MB on top of the {samples_mb:.0f} MB of decoded samples")
    summary = {"minutes": args.minutes, "ratio": round(ratio, 3), "peak_mb": round(peak / 2**20, 1)}
    print(json.dumps(summary | {k: round(v, 3) for k, v in best.items()}))


if __name__ == "__main__":
    main()
