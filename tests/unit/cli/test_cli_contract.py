"""The command-line contract scripts rely on, exercised through the real entry point in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.testkit import VTT_TWO_PARTIES, write_wav

CALL_KEYS = {"id", "external_id", "agent", "team", "started_at", "duration_ms", "channels", "utterances", "tags"}


def reviewer(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m reviewer --db URL ARGS` with the test's isolated environment."""
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", db_url, *args],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120, check=False,
    )  # fmt: skip


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.stdout, done.stderr
    return json.loads(done.stdout)


def test_import_calls_show_swap(db_url: str, stereo_call: Path) -> None:
    stereo_call.with_suffix(".vtt").write_text(VTT_TWO_PARTIES)
    done = reviewer(
        db_url, "import", str(stereo_call), "--transcript", str(stereo_call.with_suffix(".vtt")),
        "--agent", "Anna", "--team", "North", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = as_json(done)
    assert len(report["imported"]) == 1 and report["skipped"] == [] and report["failed"] == []
    call_id = report["imported"][0]

    calls = as_json(reviewer(db_url, "calls", "--agent", "Anna", "--json"))
    assert len(calls) == 1 and CALL_KEYS | {"audio_sha256"} <= calls[0].keys()
    assert (calls[0]["duration_ms"], calls[0]["channels"], calls[0]["utterances"]) == (4000, 2, 2)
    assert as_json(reviewer(db_url, "calls", "--agent", "Nobody", "--json")) == []

    document = as_json(reviewer(db_url, "show", str(call_id), "--json"))
    first = document["utterances"][0]
    assert {"party", "speaker", "start_ms", "end_ms", "text", "words"} <= first.keys()
    assert (first["party"], first["speaker"], first["start_ms"]) == ("agent", "Anna", 500)
    assert document["audio_sha256"] == calls[0]["audio_sha256"]

    swapped = as_json(reviewer(db_url, "swap", "call-001", "--json"))
    assert [u["party"] for u in swapped["utterances"]] == ["customer", "agent"]

    again = reviewer(db_url, "import", str(stereo_call), "--json")
    assert again.returncode == 0 and as_json(again)["skipped"][0]["id"] == call_id


def test_failed_file_is_named_with_its_reason_and_exit_status_is_1(db_url: str, tmp_path: Path) -> None:
    good = write_wav(tmp_path / "good.wav")
    (tmp_path / "bad.wav").write_text("this is not a recording")
    done = reviewer(db_url, "import", str(tmp_path), "--json")
    assert done.returncode == 1
    report = as_json(done)
    assert len(report["imported"]) == 1
    [failure] = report["failed"]
    assert failure["path"].endswith("bad.wav") and "bad.wav" in failure["error"]
    assert "not an audio recording" in failure["error"]
    human = reviewer(db_url, "import", str(tmp_path / "bad.wav"))
    assert human.returncode == 1 and "bad.wav" in human.stderr and "not an audio recording" in human.stderr
    assert good.exists()


def test_transcript_errors_name_the_place(db_url: str, stereo_call: Path) -> None:
    srt = stereo_call.with_suffix(".srt")
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:03,000 --> 00:00:02,500\nbackwards\n")
    done = reviewer(db_url, "import", str(stereo_call), "--transcript", str(srt))
    assert done.returncode == 1
    assert "call-001.srt" in done.stderr and "cue 2" in done.stderr and "ends before it starts" in done.stderr


def test_manifest_import_and_usage_errors(db_url: str, tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "call_id,agent,team,started_at,audio,transcript,layout,disconnect_reason\nX-1,Ann,N,,a.wav,,,\n"
    )
    assert as_json(reviewer(db_url, "import", "--manifest", str(manifest), "--json"))["failed"] == []
    assert as_json(reviewer(db_url, "show", "X-1", "--json"))["agent"] == "Ann"
    usage = reviewer(db_url, "import", "--agent-audio", str(tmp_path / "a.wav"))
    assert usage.returncode == 2 and "--customer-audio" in usage.stderr
    missing = reviewer(db_url, "show", "nope")
    assert missing.returncode == 1 and "no call 'nope'" in missing.stderr


def test_demo_command_builds_and_rebuilds(db_url: str) -> None:
    done = reviewer(db_url, "demo", "--json")
    assert done.returncode == 0, done.stderr
    assert as_json(done)["failed"] == []
    calls = as_json(reviewer(db_url, "calls", "--json"))
    scripted = [c for c in calls if c["external_id"].startswith("demo-")]  # the review history is mono
    assert len(scripted) == 10 and all(c["channels"] == 2 and c["utterances"] > 0 for c in scripted)
    rebuilt = reviewer(db_url, "demo", "--json")
    assert rebuilt.returncode == 0 and len(as_json(reviewer(db_url, "calls", "--json"))) == len(calls)


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    done = reviewer("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "calls")
    assert done.returncode == 3
    assert "cannot open the database" in done.stderr and "secret" not in done.stderr


def test_a_malformed_database_url_is_a_clear_error() -> None:
    done = reviewer("not-a-url", "calls")
    assert done.returncode == 3 and "is not a database URL" in done.stderr and "Traceback" not in done.stderr


def test_parse_shows_how_a_file_would_import_without_touching_the_library(tmp_path: Path) -> None:
    transcript = tmp_path / "call.vtt"
    transcript.write_text(VTT_TWO_PARTIES)
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "parse", str(transcript), "--json"],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert (parsed["format"], parsed["encoding"]) == ("vtt", "utf-8")
    assert [(s["label"], s["party"]) for s in parsed["speakers"]] == [("Anna", "agent"), ("Caller", "customer")]
    assert parsed["utterances"][1] == {
        "speaker": "Caller", "party": "customer", "start_ms": 1900, "end_ms": 3500, "text": "Hi, my card was blocked."
    }  # fmt: skip
    assert parsed["events"] == []
    assert not Path(os.environ["REVIEWER_DATA_DIR"]).exists()


def test_parse_refuses_a_bad_file_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"segments": [')
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "parse", str(bad)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "bad.json: line 1, column" in done.stderr and "invalid JSON" in done.stderr


def test_export_writes_a_file_that_parse_reads_back(db_url: str, stereo_call: Path, tmp_path: Path) -> None:
    stereo_call.with_suffix(".vtt").write_text(VTT_TWO_PARTIES)
    reviewer(db_url, "import", str(stereo_call), "--transcript", str(stereo_call.with_suffix(".vtt")))
    out = tmp_path / "exported.eaf"
    done = reviewer(db_url, "export", "call-001", "--format", "eaf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    parsed = as_json(reviewer(db_url, "parse", str(out), "--json"))
    assert parsed["format"] == "eaf" and [u["party"] for u in parsed["utterances"]] == ["agent", "customer"]
    missing = reviewer(db_url, "export", "nope", "--format", "vtt", "--out", str(tmp_path / "x.vtt"))
    assert missing.returncode == 1 and "no call 'nope'" in missing.stderr
