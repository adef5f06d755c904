"""`reviewer trends` and `reviewer report` through the real entry point, on a small library whose figures the
service tests compute by hand: JSON rows, CSV (no formula can run), a chart file, the report, usage errors."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from reviewer.app.main import open_services
from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import ChannelLayout
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.database import sqlite_url
from reviewer.services.review import set_review
from tests.unit.cli.test_cli_check import as_json, run
from tests.unit.services.test_services_trends import _build

ROW_KEYS = {"agent", "team", "period", "calls", "talk_ms", "tags", "hangups", "status", "findings", "flags"}


@pytest.fixture
def library(tmp_path: Path) -> dict[str, str]:
    """The service tests' library, plus an agent whose name a spreadsheet would run as a formula."""
    url = sqlite_url(tmp_path / "library.sqlite3")
    services = open_services(url)
    _build(services)
    audio = AudioInfo("/calls/f.wav", "f" * 64, 10_000, 8000, 2, ChannelLayout.AGENT_LEFT)
    started = datetime(2026, 11, 4, 12, tzinfo=UTC)
    with services.database.session() as session:
        odd = CallRepository(session).add(Call("f1", audio, started_at=started, agent="=1+1", team="North"))
    set_review(services, odd, ReviewStatus.DONE, "")
    services.database.dispose()
    return os.environ.copy() | {"REVIEWER_DB": url}


def test_trends_json_rows(library: dict[str, str]) -> None:
    done = run("trends", "--json", env=library)
    assert done.returncode == 0, done.stderr
    rows = as_json(done)
    assert all(row.keys() == ROW_KEYS for row in rows)
    by = {(r["agent"], r["team"], r["period"]): r for r in rows}
    ann = by["Ann", "North", "2026-W45"]
    assert (ann["calls"], ann["talk_ms"]) == (2, 150_000)
    assert ann["tags"]["agent_interruption"] == 2 and ann["tags"]["hangup_after_interruption"] == 1
    assert ann["hangups"]["customer"] == 2 and ann["hangups"]["premature"] == 0
    assert ann["status"] == {"compliant": 1, "coaching": 1, "violation": 0, "incomplete": 0}
    assert ann["findings"] == {"R8.customer_ended": 2, "R7.banned_phrase": 1}
    assert by[None, "North", "2026-W45"]["calls"] == 4  # Ann's two, Bob's and the odd agent's
    assert by[None, None, "2026-W46"]["calls"] == 2
    for row in rows:
        for flag in row["flags"]:
            assert {"measure", "signal", "value", "center", "limit", "text"} <= flag.keys()


def test_trends_filters_and_grain(library: dict[str, str]) -> None:
    done = run("trends", "--json", "--agent", "Ann", "--by", "month", "--kind", "profanity", env=library)
    rows = as_json(done)
    mine = [r for r in rows if r["agent"]]
    assert [(r["agent"], r["period"], r["calls"], r["tags"]["profanity"]) for r in mine] == [("Ann", "2026-11", 3, 1)]
    assert {r["team"] for r in rows if not r["agent"]} <= {"North", None}  # her team and everybody, for comparison
    later = as_json(run("trends", "--json", "--from", "2026-11-09", "--all-calls", env=library))
    assert {(r["agent"], r["period"]) for r in later if r["agent"]} == {
        ("Ann", "2026-W46"),
        ("Bob", "2026-W46"),
        ("Cat", "2026-W46"),
    }


def test_trends_csv_is_flat_and_safe(library: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "trends.csv"
    done = run("trends", "--csv", str(out), env=library)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[:5] == ["agent", "team", "period", "calls", "talk_ms"] and header[-1] == "flags"
    assert (
        "tags.agent_interruption" in header and "hangups.premature" in header and "findings.R7.banned_phrase" in header
    )
    assert {r["agent"] for r in rows} >= {"Ann", "'=1+1"}  # a leading quote: shown as text, never run


def test_trends_chart_file(library: dict[str, str], tmp_path: Path) -> None:
    png, svg = tmp_path / "ann.png", tmp_path / "ann.svg"
    assert run("trends", "--agent", "Ann", "--out", str(png), env=library).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert run("trends", "--measure", "status:violation", "--out", str(svg), env=library).returncode == 0
    assert b"<svg" in svg.read_bytes()


def test_trends_text_table(library: dict[str, str]) -> None:
    done = run("trends", env=library)
    assert done.returncode == 0, done.stderr
    header, *lines = done.stdout.splitlines()
    assert header.split("\t")[:4] == ["period", "agent", "team", "calls"]
    assert any(line.startswith("2026-W45\tAnn\tNorth\t2\t") for line in lines)


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (("trends", "--agent", "Anne"), 1, "did you mean 'Ann'"),
        (("trends", "--out", "chart.txt"), 2, ".png, .svg or .pdf"),
        (("trends", "--from", "yesterday"), 2, "not a date"),
        (("trends", "--measure", "interuptions", "--out", "c.png"), 2, "--measure 'interuptions': give one of"),
        (("trends", "--csv", "/nonexistent/folder/t.csv"), 1, "cannot write /nonexistent/folder/t.csv"),
        (("trends", "--out", "/nonexistent/folder/c.png"), 1, "cannot write /nonexistent/folder/c.png"),
        (("report", "--agent", "Ann", "--period", "2026-W60", "--out", "r.pdf"), 2, "no ISO week 60"),
        (("report", "--agent", "Ann", "--period", "2026-W46", "--out", "r.txt"), 2, ".pdf or .html"),
        (("report", "--agent", "Nobody", "--period", "2026-W46", "--out", "r.pdf"), 1, "no agent 'Nobody'"),
    ],
)
def test_usage_and_lookup_errors(library: dict[str, str], args: tuple[str, ...], status: int, says: str) -> None:
    done = run(*args, env=library)
    assert done.returncode == status, done.stderr
    assert says in done.stderr


def test_report_pdf_names_the_agent_the_period_and_each_violating_call(library: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "ann.pdf"
    done = run("report", "--agent", "Ann", "--period", "2026-W46", "--out", str(out), env=library)
    assert done.returncode == 0, done.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Ann" in text and "2026-W46" in text
    assert "c3" in text  # her one violation that week
    assert "c1" not in text  # a compliant call of another week is not discussed
