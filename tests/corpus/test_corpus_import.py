"""Real recordings of ../shared/corpus import through the CLI with the durations SOURCES.md states (both databases)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# SOURCES.md, section 5: file -> (duration in seconds as stated, channels, sample rate).
RECORDINGS = {
    "Auto0_GUID_000_AGENT_ChrisL_DT_2025-02-19T06-01-22_Mono.wav": (277.66, 1, 8000),
    "apollo11.mp3": (89.21, 1, 8000),
    "dev00.wav": (30.00, 1, 16000),
    "katiesteve.wav": (29.49, 1, 16000),
    "sample.wav": (30.00, 1, 16000),
    "stereo_diarization.wav": (5.00, 2, 16000),
    "test_audio_stereo.wav": (1.72, 2, 16000),
    "two_channel_16k.wav": (6.67, 2, 16000),
}


def _reviewer(db_url: str, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", db_url, *args],
        capture_output=True, text=True, env=os.environ.copy(), timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_corpus_recordings_import_with_their_durations(corpus_dir: Path, db_url: str) -> None:
    apollo = corpus_dir / "audio" / "apollo11.mp3"
    words = corpus_dir / "whisper" / "whisper-timestamped" / "large_apollo11.mp3.words.json"
    with_transcript = _reviewer(db_url, "import", str(apollo), "--transcript", str(words), "--json")
    assert with_transcript["failed"] == [] and len(with_transcript["imported"]) == 1

    folder = _reviewer(db_url, "import", str(corpus_dir / "audio"), "--json")
    assert folder["failed"] == []
    assert [Path(s["path"]).name for s in folder["skipped"]] == ["apollo11.mp3"]

    calls = {c["external_id"]: c for c in _reviewer(db_url, "calls", "--json")}
    assert set(calls) == {Path(name).stem for name in RECORDINGS}
    for name, (seconds, channels, _) in RECORDINGS.items():
        call = calls[Path(name).stem]
        assert abs(call["duration_ms"] - seconds * 1000) <= 10, name
        assert call["channels"] == channels, name

    document = _reviewer(db_url, "show", "apollo11", "--json")
    assert document["sample_rate"] == 8000 and document["transcript"]["format"] == "whisper"
    assert len(document["utterances"]) == 15
    assert document["utterances"][-1]["end_ms"] <= document["duration_ms"]
    assert sum(len(u["words"]) for u in document["utterances"]) > 100
    mono = _reviewer(db_url, "show", "Auto0_GUID_000_AGENT_ChrisL_DT_2025-02-19T06-01-22_Mono", "--json")
    assert (mono["layout"], mono["sample_rate"]) == ("mono", 8000)


def test_rttm_turns_of_the_recording_named_like_the_audio(corpus_dir: Path, db_url: str) -> None:
    audio = corpus_dir / "audio" / "dev00.wav"
    rttm = corpus_dir / "diarization" / "pyannote" / "debug.development.rttm"  # holds dev00 and dev01
    report = _reviewer(db_url, "import", str(audio), "--transcript", str(rttm), "--json")
    assert report["failed"] == [] and len(report["imported"]) == 1
    document = _reviewer(db_url, "show", "dev00", "--json")
    assert document["transcript"]["format"] == "rttm"
    assert len(document["utterances"]) == 9 and {u["speaker"] for u in document["utterances"]} == {"MEE009", "MEE012"}
    # A mono meeting excerpt without scripted greetings: the first voice is taken as the agent, the other as customer.
    first = document["utterances"][0]["speaker"]
    other = ({"MEE009", "MEE012"} - {first}).pop()
    assert {(u["speaker"], u["party"]) for u in document["utterances"]} == {(first, "agent"), (other, "customer")}
