"""The demo's review history: deterministic, tells its story in the trends, checked as scripted, rebuilt in place."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from reviewer.app.main import open_services
from reviewer.domain.call import ReviewStatus
from reviewer.domain.parties import Actor
from reviewer.domain.problems import Problem
from reviewer.domain.trends import Grain, Measure, Period, Signal, TrendQuery
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.database import sqlite_url
from reviewer.policy.checker import check
from reviewer.services.checking import CheckReport, stored_verdict
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.demo_history import WEEKS, HistoryCall, build_history, history_calls
from reviewer.services.importing import ImportReport
from reviewer.services.library import get_call, list_calls
from reviewer.services.opening import open_call
from reviewer.services.policies import DEFAULT_POLICY, policies_dir, read_policy
from reviewer.services.trends import refresh_facts, trend_series, trends

LAST_DAY = date(2026, 11, 19)  # demo-10, the latest demo call (2026-W47)
EXTERNAL_ID = re.compile(r"^hist-[a-z]{2}-2026w\d{2}-\d$")
SPEECH_KINDS = {"interruption", "warning", "farewell", "empathy", "banned_phrase", "profanity", "insult", "yelling"}


@pytest.fixture(scope="module")
def history() -> list[HistoryCall]:
    return history_calls(LAST_DAY, Path("/nowhere"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo with its history, built once for the module (the scripted calls decode ten MP3s)."""
    folder = tmp_path_factory.mktemp("demo-history")
    services = open_services(sqlite_url(folder / "demo.sqlite3"))
    report = ImportReport()
    list(build_demo(services, report, history_dir=folder / "demo-history"))
    services.database.dispose()
    assert report.failed == [] and len(report.imported) == 10
    return folder / "demo.sqlite3", folder / "demo-history"


@pytest.fixture
def demo(demo_file: tuple[Path, Path], tmp_path: Path) -> Iterator[Services]:
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file[0], copy)
    opened = open_services(sqlite_url(copy))
    yield opened
    opened.database.dispose()


def _agent_interruptions(item: HistoryCall) -> int:
    return sum(t.kind == "interruption" and t.actor is Actor.AGENT for t in item.call.tags)


def test_two_builds_give_the_same_calls(history: list[HistoryCall]) -> None:
    assert history_calls(LAST_DAY, Path("/nowhere")) == history
    assert history_calls(LAST_DAY, Path("/nowhere"), seed=1) != history


def test_the_shape_of_the_history(history: list[HistoryCall]) -> None:
    assert 250 <= len(history) <= 350
    weeks = {Period.of(h.call.started_at.date(), Grain.WEEK) for h in history if h.call.started_at}
    assert len(weeks) == WEEKS and max(weeks) == Period.of(LAST_DAY, Grain.WEEK)
    per_agent_week: dict[tuple[str | None, Period], int] = defaultdict(int)
    for item in history:
        call = item.call
        assert call.started_at is not None and call.started_at.tzinfo is not None
        per_agent_week[call.agent, Period.of(call.started_at.date(), Grain.WEEK)] += 1
        assert EXTERNAL_ID.match(call.external_id), call.external_id
        assert call.review_status is ReviewStatus.DONE and call.audio.path.endswith(f"{call.external_id}.wav")
        assert 2 * 60_000 <= call.duration_ms <= 10 * 60_000
        assert all(t.author == "demo" and t.end_ms <= call.duration_ms for t in call.tags)
        assert [u.party for u in call.utterances[:2]] == ["agent", "customer"]
        for tag in call.tags:  # what was said is tagged where it was said
            if tag.kind in SPEECH_KINDS:
                assert any(u.start_ms <= tag.start_ms and tag.end_ms <= u.end_ms for u in call.utterances), tag
    assert len(per_agent_week) == 6 * WEEKS and set(per_agent_week.values()) <= {3, 4, 5, 6}
    assert len({h.call.external_id for h in history}) == len(history)
    assert sum(bool(h.call.summary) for h in history) > len(history) // 5


def test_every_verdict_is_the_one_the_script_intends(history: list[HistoryCall]) -> None:
    policy = read_policy(policies_dir() / DEFAULT_POLICY)
    for item in history:
        verdict = check(policy, [replace(t, id=n) for n, t in enumerate(item.call.tags, 1)])
        found = frozenset(f.rule for f in verdict.findings)
        assert (verdict.status, found) == (item.status, item.findings), item.call.external_id
    statuses = {h.status for h in history}
    assert statuses == {VerdictStatus.COMPLIANT, VerdictStatus.COACHING, VerdictStatus.VIOLATION}
    rules = {rule for h in history for rule in h.findings}
    assert {"R6.not_logged", "R7.banned_phrase", "R7.interrupts_customer", "R1.premature_hangup"} <= rules


def test_tom_baker_interrupts_less_week_by_week(history: list[HistoryCall]) -> None:
    by_week: dict[Period, list[int]] = defaultdict(list)
    for item in history:
        if item.call.agent == "Tom Baker" and item.call.started_at:
            by_week[Period.of(item.call.started_at.date(), Grain.WEEK)].append(_agent_interruptions(item))
    rates = [sum(counts) / len(counts) for _, counts in sorted(by_week.items())]
    assert sum(rates[:3]) > 3 * sum(rates[-3:])
    assert min(rates[:3]) >= 2.0 and max(rates[-3:]) <= 0.5
    assert rates[3:] == sorted(rates[3:], reverse=True)  # after the coaching, never up again


def test_the_demo_builds_with_its_history(demo: Services, demo_file: tuple[Path, Path]) -> None:
    summaries = list_calls(demo)
    assert len(summaries) == 10 + len(history_calls(LAST_DAY, demo_file[1]))
    assert all(s.review_status is ReviewStatus.DONE for s in summaries)
    intended = {h.call.external_id: h for h in history_calls(LAST_DAY, demo_file[1])}
    history = [s for s in summaries if s.external_id in intended]
    assert {s.verdict for s in history} == {h.status for h in intended.values()}
    for summary in history:
        stored = stored_verdict(demo, summary.id)
        assert stored is not None and not stored.stale
        found = frozenset(f.rule for f in stored.verdict.findings)
        assert (stored.verdict.status, found) == (intended[summary.external_id].status,
                                                  intended[summary.external_id].findings)  # fmt: skip
    assert len(list(demo_file[1].glob("hist-*.wav"))) == len(intended)


def test_the_trends_tell_the_story(demo: Services) -> None:
    list(refresh_facts(demo, CheckReport()))  # what the Trends tab does first: the scripted calls get checked
    found = trends(demo, TrendQuery())
    assert len(found.periods) == WEEKS
    sarah = [f for f in found.flags if f.agent == "Sarah Lee" and f.measure == "ending:premature"]
    assert [(f.signal, f.value, f.period.label) for f in sarah] == [(Signal.ABOVE, 0.6, "2026-W41")]
    tom = [found.of_agent("Tom Baker")[p].per_call(Measure.AGENT_INTERRUPTION) or 0.0 for p in found.periods]
    assert sum(tom[:3]) > 3 * sum(tom[-3:])
    line = trend_series(found, Measure.AGENT_INTERRUPTION, agent="Tom Baker")
    assert line.baseline_name == "Team South" and max(tom[-3:]) < line.chart.center < min(tom[:3]) / 2
    above = [f.period for f in found.flags if (f.agent, f.measure, f.signal) == ("Tom Baker", "agent_interruption",
                                                                                Signal.ABOVE)]  # fmt: skip
    assert found.periods[0] in above and max(above) < found.periods[6]  # flagged above the team until coached
    hangups = {a: sum(r.count(Measure.HANGUP_AFTER_INTERRUPTION) / r.calls for r in found.agents if r.agent == a)
               for a in ("Tom Baker", "Olga Smirnova")}  # fmt: skip
    assert hangups["Tom Baker"] > hangups["Olga Smirnova"]


def test_a_history_call_opens_for_review(demo: Services) -> None:
    opened = None
    job = open_call(demo, "hist-tb-2026w36-1")
    while opened is None:
        try:
            next(job)
        except StopIteration as done:
            opened = done.value
    assert opened.problem is None and opened.peaks is not None
    call = opened.call
    assert call.utterances and call.tags and call.summary is not None
    assert call.audio.channels == 1 and call.audio.duration_ms == get_call(demo, call.external_id).duration_ms


def test_a_rebuild_replaces_the_history_without_duplicates(demo: Services, demo_file: tuple[Path, Path]) -> None:
    before = sorted(s.external_id for s in list_calls(demo))
    stray = demo_file[1] / "hist-xx-2026w01-1.wav"
    stray.write_bytes(b"an older history's recording")
    failed: list[Problem] = []
    list(build_history(demo, demo_file[1], LAST_DAY, failed))
    assert failed == []
    assert sorted(s.external_id for s in list_calls(demo)) == before
    assert not stray.exists()
