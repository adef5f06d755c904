"""Checking calls against their team's policy: the demo library's verdicts, stale verdicts found and checked again
after a tag or policy change, team policy choices, policy files edited on disk, and call documents."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reviewer.app.main import open_services
from reviewer.bundled import bundled_dir
from reviewer.domain.library import CallFilter
from reviewer.domain.parties import Actor
from reviewer.domain.problems import CallNotFoundError, InputError, ProblemKind
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Severity, VerdictStatus
from reviewer.persistence.database import sqlite_url
from reviewer.services import review
from reviewer.services.checking import (
    CheckReport,
    check_call,
    check_calls,
    check_document,
    refresh_verdicts,
    stale_calls,
    stored_verdict,
)
from reviewer.services.context import Services
from reviewer.services.demo import build_demo
from reviewer.services.importing import ImportReport
from reviewer.services.library import list_calls, search_calls, swap_parties
from reviewer.services.policies import (
    bundled_policies,
    choose_policy,
    policies_dir,
    policy_for,
    read_policy,
    team_policies,
)

POLICIES = bundled_dir("resources") / "policies"
DEFAULT = POLICIES / "default.toml"
STRICT = POLICIES / "strict.toml"
README = bundled_dir("resources") / "demo" / "README.md"
NORTH = "Team North"
NORTH_CALLS = {"demo-01", "demo-03", "demo-06", "demo-08", "demo-10"}
STRICT_NAME = "Strict conduct policy (three warnings)"
DEFAULT_NAME = "Default conduct policy"


def _expected_verdicts() -> dict[str, tuple[VerdictStatus, set[str]]]:
    """Per demo call, the README's expected status and the finding ids its 'expected verdict' column names."""
    expected = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| demo-"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        verdict = cells[-1]
        status = re.match(r"[a-z]+", verdict)
        assert status is not None, line
        expected[cells[0]] = (VerdictStatus(status.group(0)), set(re.findall(r"R\d+\.[a-z_]+", verdict)))
    return expected


EXPECTED = _expected_verdicts()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo library built once for the module (it decodes ten MP3s); every test works on a copy."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the per-test directory isolation is not on yet
        for variable, name in (("REVIEWER_DATA_DIR", "data"), ("REVIEWER_CACHE_DIR", "cache")):
            patch.setenv(variable, str(folder / name))
        patch.setenv("REVIEWER_CONFIG_DIR", str(folder / "config"))
        services = open_services(sqlite_url(folder / "demo.sqlite3"))
        report = ImportReport()
        list(build_demo(services, report, history=False))
        services.database.dispose()
    assert report.failed == [] and len(report.imported) == 10
    return folder / "demo.sqlite3"


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Services]:
    copy = tmp_path / "library.sqlite3"
    shutil.copyfile(demo_file, copy)
    opened = open_services(sqlite_url(copy))
    yield opened
    opened.database.dispose()


def _ids(services: Services) -> dict[str, int]:
    return {c.external_id: c.id for c in list_calls(services)}


def _refresh(services: Services) -> CheckReport:
    report = CheckReport()
    list(refresh_verdicts(services, report))
    assert report.failed == [], report.failed
    return report


def _assert_readme_verdicts(services: Services) -> None:
    ids = _ids(services)
    assert set(ids) == set(EXPECTED)
    for external_id, (status, named) in EXPECTED.items():
        stored = stored_verdict(services, ids[external_id])
        assert stored is not None and not stored.stale, external_id
        verdict = stored.verdict
        rules = {f.rule for f in verdict.findings}
        weighty = {f.rule for f in verdict.findings if f.severity is not Severity.INFO}
        assert verdict.status is status, (external_id, verdict.status, verdict.findings)
        assert named <= rules, (external_id, rules)  # every finding the README names is there
        assert weighty <= named, (external_id, weighty)  # and nothing heavier than info that it does not name


def test_the_readme_table_lists_every_demo_call() -> None:
    assert len(EXPECTED) == 10
    assert EXPECTED["demo-01"] == (VerdictStatus.COMPLIANT, set())
    assert EXPECTED["demo-02"][1] == {"R1.premature_hangup", "R6.lead_not_notified", "R6.not_logged"}


def test_check_calls_gives_each_demo_call_the_readme_verdict(demo: Services) -> None:
    ids = _ids(demo)
    report = CheckReport()
    progress = list(check_calls(demo, sorted(ids.values()), report))
    assert report.failed == []
    assert [c.call_id for c in report.checked] == sorted(ids.values())
    assert {c.external_id for c in report.checked} == set(EXPECTED)
    assert all(not c.stale for c in report.checked)
    assert (progress[-1].done, progress[-1].total) == (10, 10)
    _assert_readme_verdicts(demo)
    by_name = {c.external_id: c.verdict for c in report.checked}
    assert all(v.policy.name == DEFAULT_NAME for v in by_name.values())
    assert by_name["demo-02"].policy.sha256 == hashlib.sha256(DEFAULT.read_bytes()).hexdigest()


def test_refresh_checks_every_unchecked_call_and_leaves_nothing_stale(demo: Services) -> None:
    ids = _ids(demo)
    assert sorted(stale_calls(demo)) == sorted(ids.values())  # the demo is built unchecked
    assert all(stored_verdict(demo, i) is None for i in ids.values())
    first = _refresh(demo)
    assert sorted(c.call_id for c in first.checked) == sorted(ids.values())
    assert stale_calls(demo) == []
    assert _refresh(demo).checked == []  # nothing left to do
    summaries = list_calls(demo)
    assert all(s.verdict is not None and not s.verdict_stale for s in summaries)


def test_a_new_tag_makes_exactly_that_call_stale_and_refresh_checks_only_it(demo: Services) -> None:
    ids = _ids(demo)
    _refresh(demo)
    target = ids["demo-09"]
    review.add_tag(demo, target, Tag("agent_rudeness", Actor.AGENT, 12_000, 13_000))

    assert stale_calls(demo) == [target]
    before = stored_verdict(demo, target)
    assert before is not None and before.stale and before.verdict.status is VerdictStatus.COMPLIANT
    stale_rows = {s.external_id for s in search_calls(demo, CallFilter()) if s.verdict_stale}
    assert stale_rows == {"demo-09"}

    report = _refresh(demo)
    assert [c.call_id for c in report.checked] == [target]
    assert report.checked[0].verdict.status is VerdictStatus.VIOLATION
    assert "R7.agent_rudeness" in {f.rule for f in report.checked[0].verdict.findings}
    after = stored_verdict(demo, target)
    assert after is not None and not after.stale and after.verdict == report.checked[0].verdict
    assert stale_calls(demo) == []


def test_updating_deleting_a_tag_and_swapping_speakers_make_the_call_stale(demo: Services) -> None:
    ids = _ids(demo)
    _refresh(demo)
    demo_07 = ids["demo-07"]
    [banned] = [t for t in review.tags_of(demo, demo_07) if t.kind == "banned_phrase"]
    assert banned.id is not None
    review.delete_tag(demo, demo_07, banned.id)
    assert stale_calls(demo) == [demo_07]
    report = _refresh(demo)
    assert [c.external_id for c in report.checked] == ["demo-07"]
    assert report.checked[0].verdict.status is VerdictStatus.COMPLIANT  # the only coaching point is gone

    [hang_up] = [t for t in review.tags_of(demo, ids["demo-08"]) if t.kind == "hang_up"]
    review.update_tag(demo, ids["demo-08"], replace(hang_up, note="customer said goodbye first"))
    assert stale_calls(demo) == [ids["demo-08"]]
    _refresh(demo)

    swap_parties(demo, "demo-09", speakers=True, channels=True)
    assert stale_calls(demo) == [ids["demo-09"]]
    report = _refresh(demo)
    assert [c.external_id for c in report.checked] == ["demo-09"]


def test_strict_policy_for_team_north_stales_exactly_its_calls(demo: Services) -> None:
    ids = _ids(demo)
    teams = {c.external_id: c.team for c in list_calls(demo)}
    assert {name for name, team in teams.items() if team == NORTH} == NORTH_CALLS
    _refresh(demo)

    chosen = choose_policy(demo, NORTH, STRICT)
    assert chosen is not None and chosen.name == STRICT_NAME
    assert demo.preferences.load().policy_of(NORTH) == str(STRICT.resolve())
    assert demo.preferences.load().policy_of("Team South") is None
    assert policy_for(demo, NORTH).ref == chosen.ref
    assert policy_for(demo, "Team South").name == DEFAULT_NAME

    north_ids = sorted(ids[name] for name in NORTH_CALLS)
    assert sorted(stale_calls(demo)) == north_ids
    listed = search_calls(demo, CallFilter())
    assert {c.external_id for c in listed if c.verdict_stale} == NORTH_CALLS
    assert all(c.verdict is not None for c in listed)
    demo_01 = stored_verdict(demo, ids["demo-01"])
    assert demo_01 is not None and demo_01.stale and demo_01.verdict.status is VerdictStatus.COMPLIANT
    demo_02 = stored_verdict(demo, ids["demo-02"])
    assert demo_02 is not None and not demo_02.stale

    report = _refresh(demo)
    assert sorted(c.call_id for c in report.checked) == north_ids
    assert all(c.verdict.policy.name == STRICT_NAME for c in report.checked)
    demo_01 = stored_verdict(demo, ids["demo-01"])
    assert demo_01 is not None and not demo_01.stale
    assert demo_01.verdict.status is VerdictStatus.VIOLATION
    assert "R1.premature_hangup" in {f.rule for f in demo_01.verdict.findings}
    demo_02 = stored_verdict(demo, ids["demo-02"])
    assert demo_02 is not None and demo_02.verdict.policy.name == DEFAULT_NAME
    assert stale_calls(demo) == []
    assert not any(c.verdict_stale for c in search_calls(demo, CallFilter()))

    assert choose_policy(demo, NORTH, None) is None  # back to the default: North's verdicts are stale again
    assert demo.preferences.load().policy_of(NORTH) is None
    assert sorted(stale_calls(demo)) == north_ids


def test_team_policies_show_who_chose_what(demo: Services) -> None:
    choose_policy(demo, NORTH, STRICT)
    rows = team_policies(demo, [NORTH, "Team South"])
    assert [(r.team, r.chosen) for r in rows] == [("", False), (NORTH, True), ("Team South", False)]
    assert rows[0].path == policies_dir() / "default.toml"
    assert rows[1].path == STRICT.resolve()
    assert bundled_policies()[0].name == "default.toml"
    assert {p.name for p in bundled_policies()} == {"default.toml", "strict.toml"}


def test_every_other_team_policy_applies_to_teams_nobody_chose_for(demo: Services) -> None:
    ids = _ids(demo)
    _refresh(demo)
    choose_policy(demo, "", STRICT)
    assert sorted(stale_calls(demo)) == sorted(ids.values())
    choose_policy(demo, "Team South", DEFAULT)  # South keeps the default, explicitly
    assert sorted(stale_calls(demo)) == sorted(ids[name] for name in NORTH_CALLS)


def test_search_calls_marks_verdicts_reached_under_another_policy_stale(demo: Services) -> None:
    ids = _ids(demo)
    report = CheckReport()
    list(check_calls(demo, sorted(ids.values()), report, read_policy(STRICT)))  # like `check --policy strict.toml`
    assert report.failed == [] and all(c.verdict.policy.name == STRICT_NAME for c in report.checked)

    listed = search_calls(demo, CallFilter())
    assert len(listed) == 10 and all(c.verdict is not None and c.verdict_stale for c in listed)
    assert all(c.verdict_stale for c in list_calls(demo))
    south = search_calls(demo, CallFilter(team="Team South"))
    assert {c.external_id for c in south} == set(EXPECTED) - NORTH_CALLS and all(c.verdict_stale for c in south)

    choose_policy(demo, NORTH, STRICT)
    listed = search_calls(demo, CallFilter())
    assert {c.external_id for c in listed if c.verdict_stale} == set(EXPECTED) - NORTH_CALLS


def test_search_calls_filters_by_stored_verdict(demo: Services) -> None:
    _refresh(demo)
    violating = search_calls(demo, CallFilter(verdict=VerdictStatus.VIOLATION))
    assert [c.external_id for c in violating] == ["demo-02"]
    coaching = search_calls(demo, CallFilter(verdict=VerdictStatus.COACHING))
    assert [c.external_id for c in coaching] == ["demo-07"]
    compliant = search_calls(demo, CallFilter(verdict=VerdictStatus.COMPLIANT, team=NORTH))
    assert {c.external_id for c in compliant} == NORTH_CALLS


def test_a_malformed_policy_is_refused_and_the_preferences_stay(demo: Services, tmp_path: Path) -> None:
    choose_policy(demo, "Team South", STRICT)
    before = demo.preferences.load()
    saved = demo.preferences.path.read_bytes()
    bad = tmp_path / "team-north.toml"
    bad.write_text(DEFAULT.read_text(encoding="utf-8").replace("required = 2", 'required = "two"', 1))

    with pytest.raises(InputError) as caught:
        choose_policy(demo, NORTH, bad)
    problem = caught.value.problem
    assert problem.kind is ProblemKind.BAD_POLICY
    assert problem.path == str(bad.resolve()) and re.fullmatch(r"line \d+", problem.where)
    assert demo.preferences.load() == before
    assert demo.preferences.path.read_bytes() == saved
    assert policy_for(demo, NORTH).name == DEFAULT_NAME

    with pytest.raises(InputError) as missing:
        choose_policy(demo, NORTH, tmp_path / "nowhere.toml")
    assert missing.value.problem.kind is ProblemKind.UNREADABLE
    assert demo.preferences.load() == before


def test_a_policy_file_edited_on_disk_is_read_again(demo: Services, tmp_path: Path) -> None:
    ids = _ids(demo)
    local = tmp_path / "centre.toml"
    shutil.copyfile(DEFAULT, local)
    first = read_policy(local)
    assert read_policy(local) is first  # unchanged: loaded once
    assert first.ref.sha256 == hashlib.sha256(local.read_bytes()).hexdigest()
    choose_policy(demo, "", local)
    _refresh(demo)
    assert stale_calls(demo) == []

    local.write_text(local.read_text(encoding="utf-8").replace('version = "1.0"', 'version = "1.1-local"', 1))
    second = read_policy(local)
    assert second.ref.version == "1.1-local"
    assert second.ref.sha256 == hashlib.sha256(local.read_bytes()).hexdigest() != first.ref.sha256
    assert sorted(stale_calls(demo)) == sorted(ids.values())
    report = _refresh(demo)
    assert len(report.checked) == 10 and all(c.verdict.policy.version == "1.1-local" for c in report.checked)

    # An edit of the same size is noticed by its modification time.
    stat = local.stat()
    local.write_text(local.read_text(encoding="utf-8").replace('version = "1.1-local"', 'version = "1.2-local"', 1))
    os.utime(local, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert local.stat().st_size == stat.st_size
    assert read_policy(local).ref.version == "1.2-local"
    assert sorted(stale_calls(demo)) == sorted(ids.values())


def test_a_team_policy_broken_on_disk_is_reported_and_its_old_verdicts_are_kept(demo: Services, tmp_path: Path) -> None:
    ids = _ids(demo)
    local = tmp_path / "north.toml"
    shutil.copyfile(STRICT, local)
    choose_policy(demo, NORTH, local)
    _refresh(demo)
    local.write_text("[policy\n")  # broken after it was chosen

    # Stale (the team's policy cannot be applied), so every refresh tries again and reports the file...
    assert sorted(stale_calls(demo)) == sorted(ids[name] for name in NORTH_CALLS)
    refreshed = CheckReport()
    list(refresh_verdicts(demo, refreshed))
    assert refreshed.checked == [] and {p.kind for p in refreshed.failed} == {ProblemKind.BAD_POLICY}
    # ...while the old verdicts stay stored, marked stale, rather than replaced by a check against nothing.
    listed = search_calls(demo, CallFilter())
    assert {c.external_id for c in listed if c.verdict_stale} == NORTH_CALLS
    stored = stored_verdict(demo, ids["demo-01"])
    assert stored is not None and stored.stale and stored.verdict.policy.name == STRICT_NAME

    report = CheckReport()
    list(check_calls(demo, [ids["demo-01"], ids["demo-02"]], report))
    assert [c.external_id for c in report.checked] == ["demo-02"]
    [failure] = report.failed
    assert failure.kind is ProblemKind.BAD_POLICY and failure.path == str(local.resolve())


def test_stored_verdict_reports_stale_after_a_policy_change(demo: Services) -> None:
    ids = _ids(demo)
    assert stored_verdict(demo, ids["demo-03"]) is None  # never checked
    checked = check_call(demo, ids["demo-03"])
    assert (checked.external_id, checked.stale) == ("demo-03", False)
    stored = stored_verdict(demo, ids["demo-03"])
    assert stored is not None and not stored.stale and stored.verdict == checked.verdict

    choose_policy(demo, NORTH, STRICT)
    stale = stored_verdict(demo, ids["demo-03"])
    assert stale is not None and stale.stale
    assert stale.verdict == checked.verdict and stale.verdict.policy.name == DEFAULT_NAME  # kept as reached

    choose_policy(demo, NORTH, None)
    again = stored_verdict(demo, ids["demo-03"])
    assert again is not None and not again.stale

    choose_policy(demo, "Team South", STRICT)  # another team's choice does not touch North's calls
    other = stored_verdict(demo, ids["demo-03"])
    assert other is not None and not other.stale


def test_checking_a_missing_call(demo: Services) -> None:
    ids = _ids(demo)
    missing = max(ids.values()) + 100
    with pytest.raises(CallNotFoundError):
        check_call(demo, missing)
    report = CheckReport()
    list(check_calls(demo, [missing, ids["demo-02"]], report))
    assert [c.external_id for c in report.checked] == ["demo-02"]
    [failure] = report.failed
    assert failure.kind is ProblemKind.STORAGE and str(missing) in failure.path


def _demo_document(call: str, tmp_path: Path, duration_ms: int = 44_700) -> Path:
    """A call document (duration and tags) from the demo's tags.csv rows of one call."""
    rows = (bundled_dir("resources") / "demo" / "tags.csv").read_text(encoding="utf-8").splitlines()[1:]
    tags = []
    for row in rows:
        call_id, kind, actor, start, end, note = row.split(",", 5)
        if call_id == call:
            tags.append({"kind": kind, "actor": actor, "start_ms": int(start), "end_ms": int(end), "note": note})
    assert tags
    path = tmp_path / f"{call}.json"
    path.write_text(json.dumps({"duration_ms": duration_ms, "tags": tags}), encoding="utf-8")
    return path


def test_check_document_on_a_json_file(tmp_path: Path) -> None:
    document = _demo_document("demo-01", tmp_path)
    verdict = check_document(document, DEFAULT)
    assert verdict.status is VerdictStatus.COMPLIANT and verdict.findings == ()
    assert verdict.policy.name == DEFAULT_NAME and verdict.trace
    assert verdict.policy.sha256 == hashlib.sha256(DEFAULT.read_bytes()).hexdigest()

    strict = check_document(document, STRICT)
    assert strict.status is VerdictStatus.VIOLATION
    [premature] = [f for f in strict.findings if f.rule == "R1.premature_hangup"]
    assert premature.severity is Severity.VIOLATION and premature.at_ms == 44_042
    kinds = [t["kind"] for t in json.loads(document.read_text(encoding="utf-8"))["tags"]]
    assert kinds.index("hang_up") in premature.tags  # tags are cited by their index in the document's list
    assert all(0 <= t < len(kinds) for f in strict.findings for t in f.tags)

    demo_02 = check_document(_demo_document("demo-02", tmp_path, 33_000), DEFAULT)
    assert demo_02.status is VerdictStatus.VIOLATION
    assert {f.rule for f in demo_02.findings} >= EXPECTED["demo-02"][1]


def test_check_document_refuses_bad_files(tmp_path: Path) -> None:
    document = _demo_document("demo-01", tmp_path)
    bad_policy = tmp_path / "bad.toml"
    bad_policy.write_text("[policy\nname = 'x'\n")
    with pytest.raises(InputError) as caught:
        check_document(document, bad_policy)
    assert caught.value.problem.kind is ProblemKind.BAD_POLICY and caught.value.problem.where == "line 1"

    with pytest.raises(InputError) as unreadable:
        check_document(tmp_path / "missing.json", DEFAULT)
    assert unreadable.value.problem.kind is ProblemKind.UNREADABLE
    assert unreadable.value.problem.path == str(tmp_path / "missing.json")

    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"duration_ms": 1000, "tags": [{"kind": "profanity", "actor": "caller",
                                                                 "start_ms": 0, "end_ms": 10}]}))  # fmt: skip
    with pytest.raises(InputError) as refused:
        check_document(wrong, DEFAULT)
    assert (refused.value.problem.kind, refused.value.problem.where) == (ProblemKind.BAD_VALUE, "tags[0].actor")


@pytest.mark.parametrize("note", [False, [], {}, ["x"]], ids=["false", "empty-list", "empty-object", "list"])
def test_check_document_refuses_a_note_that_is_not_text(tmp_path: Path, note: object) -> None:
    """Every refusal names its place; a well-formed-looking tag must not let a bad note through."""
    document = tmp_path / "note.json"
    tag = {"kind": "transfer", "actor": "agent", "start_ms": 0, "end_ms": 10, "note": note}
    document.write_text(json.dumps({"duration_ms": 1000, "tags": [tag]}), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        check_document(document, DEFAULT)
    assert (refused.value.problem.kind, refused.value.problem.where) == (ProblemKind.BAD_VALUE, "tags[0].note")


def test_the_demo_verdicts_on_each_backend(services: Services) -> None:
    report = ImportReport()
    list(build_demo(services, report, history=False))
    assert report.failed == [] and len(report.imported) == 10
    ids = _ids(services)
    checked = _refresh(services)
    assert sorted(c.call_id for c in checked.checked) == sorted(ids.values())
    _assert_readme_verdicts(services)
    assert stale_calls(services) == []

    target = ids["demo-04"]
    review.add_tag(services, target, Tag("profanity", Actor.CUSTOMER, 1_000, 2_000))
    assert stale_calls(services) == [target]
    assert {c.external_id for c in list_calls(services) if c.verdict_stale} == {"demo-04"}
    again = _refresh(services)
    assert [c.call_id for c in again.checked] == [target]
    assert stale_calls(services) == []

    choose_policy(services, NORTH, STRICT)
    assert sorted(stale_calls(services)) == sorted(ids[name] for name in NORTH_CALLS)
    _refresh(services)
    demo_01 = stored_verdict(services, ids["demo-01"])
    assert demo_01 is not None and demo_01.verdict.status is VerdictStatus.VIOLATION
    assert "R1.premature_hangup" in {f.rule for f in demo_01.verdict.findings}


@pytest.mark.parametrize(
    ("tag", "where", "says"),
    [
        ({"kind": "hangup", "actor": "agent", "start_ms": 5, "end_ms": 5}, "tags[1].kind", "did you mean 'hang_up'"),
        ({"kind": "sarcasm", "actor": "customer", "start_ms": 5, "end_ms": 9}, "tags[1].kind", "no kind 'sarcasm'"),
        ({"kind": "profanity", "actor": "unknown", "start_ms": 5, "end_ms": 9}, "tags[1].actor", "only for a hang-up"),
    ],
)
def test_check_document_refuses_what_the_policy_would_ignore(
    tmp_path: Path, tag: dict[str, object], where: str, says: str
) -> None:
    first = {"kind": "profanity", "actor": "customer", "start_ms": 0, "end_ms": 3}
    document = tmp_path / "doc.json"
    document.write_text(json.dumps({"duration_ms": 1000, "tags": [first, tag]}))
    with pytest.raises(InputError) as refused:
        check_document(document, DEFAULT)
    assert refused.value.problem.where == where and says in refused.value.problem.detail
    if tag["kind"] == "sarcasm":  # the stricter policy adds that kind, so there the same document is checked
        assert check_document(document, STRICT).status is VerdictStatus.COMPLIANT
