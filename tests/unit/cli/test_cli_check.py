"""The `reviewer check` contract, through the real entry point in a subprocess: call documents without any
library, and the demo library's calls checked, stored and listed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewer.bundled import bundled_dir
from reviewer.persistence.database import sqlite_url

POLICIES = bundled_dir("resources") / "policies"
DEFAULT = POLICIES / "default.toml"
STRICT = POLICIES / "strict.toml"
TAGS_CSV = bundled_dir("resources") / "demo" / "tags.csv"
DURATIONS = {"demo-01": 44_700, "demo-02": 33_000}
FINDING_KEYS = {"rule", "severity", "at_ms", "message", "tags"}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m reviewer ARGS` with the test's isolated environment (or the one given)."""
    return subprocess.run(
        [sys.executable, "-m", "reviewer", *args],
        capture_output=True, text=True, env=env or os.environ.copy(), timeout=180, check=False,
    )  # fmt: skip


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.stdout, done.stderr
    return json.loads(done.stdout)


def demo_document(call: str, folder: Path) -> Path:
    """A call document with the duration and the demo's tags of one call."""
    tags = []
    for row in TAGS_CSV.read_text(encoding="utf-8").splitlines()[1:]:
        call_id, kind, actor, start, end, note = row.split(",", 5)
        if call_id == call:
            tags.append({"kind": kind, "actor": actor, "start_ms": int(start), "end_ms": int(end), "note": note})
    path = folder / f"{call}.json"
    path.write_text(json.dumps({"duration_ms": DURATIONS[call], "tags": tags}), encoding="utf-8")
    return path


def _no_database_in_data_dir() -> None:
    data = Path(os.environ["REVIEWER_DATA_DIR"])
    assert not data.exists() or not any(data.rglob("*.sqlite3*")), list(data.rglob("*"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`reviewer demo` run once for the module; without --db it builds demo.sqlite3 in the data directory."""
    home = tmp_path_factory.mktemp("demo-home")
    env = os.environ.copy() | {
        "REVIEWER_DATA_DIR": str(home / "data"),
        "REVIEWER_CACHE_DIR": str(home / "cache"),
        "REVIEWER_CONFIG_DIR": str(home / "config"),
    }
    env.pop("REVIEWER_DB", None)
    done = run("demo", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert as_json(done)["failed"] == [] and len(as_json(done)["imported"]) == 10
    built = home / "data" / "demo.sqlite3"
    assert built.is_file()
    assert not (home / "data" / "library.sqlite3").exists()  # never the user's own library
    return built


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the demo library for one test."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, copy)
    return sqlite_url(copy)


def test_check_file_json_contract_without_any_database(tmp_path: Path) -> None:
    document = demo_document("demo-02", tmp_path)
    done = run("check", "--file", str(document), "--json")
    assert done.returncode == 0, done.stderr
    verdict = as_json(done)
    assert {"status", "findings", "trace", "policy"} <= verdict.keys()
    assert verdict["status"] == "violation"
    assert {"R1.premature_hangup", "R6.lead_not_notified", "R6.not_logged"} <= {f["rule"] for f in verdict["findings"]}
    for finding in verdict["findings"]:
        assert finding.keys() >= FINDING_KEYS, finding
        assert isinstance(finding["at_ms"], int) and isinstance(finding["tags"], list) and finding["message"]
        assert finding["severity"] in {"violation", "incomplete", "coaching", "info"}
    assert verdict["trace"] and all({"at_ms", "rule", "step", "text"} <= s.keys() for s in verdict["trace"])
    assert verdict["policy"] == {
        "name": "Default conduct policy",
        "version": "1.0",
        "sha256": hashlib.sha256(DEFAULT.read_bytes()).hexdigest(),
    }
    _no_database_in_data_dir()


def test_check_file_compliant_document_and_text_output(tmp_path: Path) -> None:
    document = demo_document("demo-01", tmp_path)
    verdict = as_json(run("check", "--file", str(document), "--json"))
    assert (verdict["status"], verdict["findings"]) == ("compliant", [])
    assert verdict["trace"]
    text = run("check", "--file", str(document))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"{document}: Compliant under Default conduct policy 1.0")
    assert len(lines) == 1 + len(verdict["trace"]) and all(line.startswith("  ") for line in lines[1:])
    _no_database_in_data_dir()


def test_policy_option_changes_the_status_of_a_demo_01_shaped_document(tmp_path: Path) -> None:
    document = demo_document("demo-01", tmp_path)
    strict = run("check", "--file", str(document), "--policy", str(STRICT), "--json")
    assert strict.returncode == 0, strict.stderr
    verdict = as_json(strict)
    assert verdict["status"] == "violation"
    assert "R1.premature_hangup" in {f["rule"] for f in verdict["findings"]}
    assert verdict["policy"]["name"] == "Strict conduct policy (three warnings)"
    assert verdict["policy"]["sha256"] == hashlib.sha256(STRICT.read_bytes()).hexdigest()
    _no_database_in_data_dir()


def test_a_malformed_policy_file_is_named_with_its_line(tmp_path: Path) -> None:
    document = demo_document("demo-01", tmp_path)
    text = DEFAULT.read_text(encoding="utf-8").replace("required = 2", 'required = "two"', 1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if 'required = "two"' in row)
    bad = tmp_path / "centre-policy.toml"
    bad.write_text(text, encoding="utf-8")
    done = run("check", "--file", str(document), "--policy", str(bad), "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert str(bad) in done.stderr and f"line {line}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr

    syntax = tmp_path / "syntax.toml"
    syntax.write_text('[policy]\nname = "x"\nversion = \n', encoding="utf-8")
    broken = run("check", "--file", str(document), "--policy", str(syntax))
    assert broken.returncode == 1 and str(syntax) in broken.stderr and "line 3" in broken.stderr, broken.stderr
    _no_database_in_data_dir()


def test_a_bad_document_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "call-017.json"
    tag = {"kind": "profanity", "actor": "caller", "start_ms": 0, "end_ms": 10}
    bad.write_text(json.dumps({"duration_ms": 1000, "tags": [tag]}), encoding="utf-8")
    done = run("check", "--file", str(bad), "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert str(bad) in done.stderr and "tags[0].actor" in done.stderr, done.stderr
    missing = run("check", "--file", str(tmp_path / "nowhere.json"))
    assert missing.returncode == 1 and "nowhere.json" in missing.stderr
    _no_database_in_data_dir()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "library.sqlite3")
    document = demo_document("demo-01", tmp_path)
    nothing = run("--db", url, "check")
    assert nothing.returncode == 2 and "CALL" in nothing.stderr and "--all" in nothing.stderr, nothing.stderr
    assert nothing.stdout == ""
    both = run("check", "--file", str(document), "--all")
    assert both.returncode == 2 and "--file" in both.stderr
    calls_and_all = run("--db", url, "check", "demo-01", "--all")
    assert calls_and_all.returncode == 2 and calls_and_all.stdout == ""
    assert not (tmp_path / "library.sqlite3").exists()  # a usage error opens (and migrates) no library


def test_check_one_demo_call_as_json(demo_url: str) -> None:
    done = run("--db", demo_url, "check", "demo-02", "--json")
    assert done.returncode == 0, done.stderr
    checked = as_json(done)
    assert isinstance(checked, list) and len(checked) == 1
    [call] = checked
    assert call["call"] == "demo-02" and isinstance(call["id"], int)
    assert call["status"] == "violation"
    assert "R1.premature_hangup" in {f["rule"] for f in call["findings"]}
    assert all(f.keys() >= FINDING_KEYS for f in call["findings"])
    assert call["policy"]["name"] == "Default conduct policy"

    by_id = as_json(run("--db", demo_url, "check", str(call["id"]), "--json"))
    assert [c["call"] for c in by_id] == ["demo-02"] and by_id[0]["status"] == "violation"

    strict = as_json(run("--db", demo_url, "check", "demo-01", "--policy", str(STRICT), "--json"))
    assert [(c["call"], c["status"]) for c in strict] == [("demo-01", "violation")]


def test_check_all_prints_a_line_per_call(demo_url: str) -> None:
    done = run("--db", demo_url, "check", "--all")
    assert done.returncode == 0, done.stderr
    heads = [line for line in done.stdout.splitlines() if not line.startswith("  ")]
    scripted = sorted(h.split(":")[0] for h in heads if h.startswith("demo-"))
    assert scripted == [f"demo-{n:02}" for n in range(1, 11)]
    assert len(heads) > 300  # one line for each call of the review history too
    by_call = {h.split(":")[0]: h for h in heads}
    assert by_call["demo-02"].startswith("demo-02: Violation under Default conduct policy")
    assert by_call["demo-07"].startswith("demo-07: Coaching")
    assert by_call["demo-01"].startswith("demo-01: Compliant")

    as_list = as_json(run("--db", demo_url, "check", "--all", "--json"))
    scripted = sorted(c["call"] for c in as_list if c["call"].startswith("demo-"))
    assert scripted == [f"demo-{n:02}" for n in range(1, 11)]
    assert len(as_list) > 300  # and the review history's calls, which the demo builds beside its SQLite file


def test_calls_json_has_a_verdict_for_every_call(demo_url: str) -> None:
    done = run("--db", demo_url, "calls", "--json")
    assert done.returncode == 0, done.stderr
    calls = as_json(done)
    assert len([c for c in calls if c["external_id"].startswith("demo-")]) == 10
    assert all("verdict" in c and "verdict_stale" in c for c in calls)
    assert all(c["verdict"] in {"compliant", "coaching", "violation", "incomplete"} for c in calls), calls
    assert not any(c["verdict_stale"] for c in calls)
    verdicts = {c["external_id"]: c["verdict"] for c in calls}
    assert (verdicts["demo-02"], verdicts["demo-07"], verdicts["demo-01"]) == ("violation", "coaching", "compliant")

    table = run("--db", demo_url, "calls")
    assert table.returncode == 0 and "verdict" in table.stdout.splitlines()[0]
    assert re.search(r"demo-02 .* violation$", table.stdout, re.MULTILINE), table.stdout


def test_an_unknown_call_exits_1(demo_url: str) -> None:
    done = run("--db", demo_url, "check", "no-such-call")
    assert done.returncode == 1 and "no call 'no-such-call'" in done.stderr and done.stdout == ""
    numeric = run("--db", demo_url, "check", "demo-02", "99999", "--json")
    assert numeric.returncode == 1 and "99999" in numeric.stderr


def test_a_malformed_policy_for_library_calls_exits_1(demo_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy\n", encoding="utf-8")
    done = run("--db", demo_url, "check", "demo-01", "--policy", str(bad))
    assert done.returncode == 1 and str(bad) in done.stderr and "line 1" in done.stderr, done.stderr


def test_demo_then_check_on_each_backend(db_url: str) -> None:
    built = run("--db", db_url, "demo", "--json")
    assert built.returncode == 0, built.stderr
    [call] = as_json(run("--db", db_url, "check", "demo-02", "--json"))
    assert (call["call"], call["status"]) == ("demo-02", "violation")
    assert "R1.premature_hangup" in {f["rule"] for f in call["findings"]}
    everything = run("--db", db_url, "check", "--all")
    assert everything.returncode == 0, everything.stderr
    calls = as_json(run("--db", db_url, "calls", "--json"))
    assert len([c for c in calls if c["external_id"].startswith("demo-")]) == 10
    assert all(c["verdict"] is not None and not c["verdict_stale"] for c in calls)
