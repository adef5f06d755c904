"""Trend aggregates against values computed by hand from a small library, on SQLite and PostgreSQL: the call facts
are written with each verdict, and the grouped queries add them up per agent, team and everybody."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from reviewer.domain.call import AudioInfo, Call, ReviewStatus
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance
from reviewer.domain.trends import Ending, Grain, Level, Period, TrendQuery, TrendRow
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.calls import CallRepository
from reviewer.services.checking import CheckReport
from reviewer.services.context import Services
from reviewer.services.review import add_tag, set_review
from reviewer.services.trends import point_calls, refresh_facts, trend_facets, trends

W45, W46 = Period(Grain.WEEK, 202645), Period(Grain.WEEK, 202646)
A, C, X = Actor.AGENT, Actor.CUSTOMER, Actor.CALL


def _tags(*spec: tuple[str, Actor, int]) -> tuple[Tag, ...]:
    return tuple(Tag(kind, actor, s * 1000, s * 1000) for kind, actor, s in spec)


# Each call: (external id, agent, team, day in November 2026 or None, talk seconds, reviewed, tags).
CALLS = [
    # Ann cuts the customer off twice; the customer hangs up 30 s later: compliant, R8.customer_ended (info).
    ("c1", "Ann", "North", 3, 60, True, _tags(("interruption", A, 10), ("interruption", A, 20), ("hang_up", C, 50))),
    # Ann says "calm down": R7.banned_phrase (coaching); the customer hangs up, no interruption before it.
    ("c2", "Ann", "North", 5, 90, True, _tags(("banned_phrase", A, 10), ("hang_up", C, 80))),
    # Ann hangs up on the first profanity: premature (R1), and R6 owes a farewell, the lead and the log.
    ("c3", "Ann", "North", 10, 40, True, _tags(("profanity", C, 10), ("hang_up", A, 20))),
    ("c4", "Bob", "North", 4, 30, True, _tags(("interruption", A, 5))),
    # Not reviewed yet: counted only when unreviewed calls are asked for.
    (
        "c5",
        "Bob",
        "North",
        11,
        30,
        False,
        _tags(("interruption", A, 5), ("interruption", A, 9), ("interruption", A, 12)),
    ),
    # Cat warns twice, ends the call after the third offence, with every follow-up: permitted, compliant.
    (
        "c6",
        "Cat",
        "South",
        12,
        120,
        True,
        _tags(
            ("profanity", C, 10),
            ("warning", A, 15),
            ("insult", C, 30),
            ("warning", A, 35),
            ("yelling", C, 50),
            ("farewell", A, 55),
            ("hang_up", A, 60),
            ("lead_notified", X, 60),
            ("account_noted", X, 60),
        ),
    ),
    ("c7", "Ann", "North", None, 30, True, _tags(("interruption", A, 5))),  # no start time: in no period
]


def _build(services: Services) -> dict[str, int]:
    ids: dict[str, int] = {}
    with services.database.session() as session:
        repo = CallRepository(session)
        for n, (ext, agent, team, day, talk_s, _reviewed, tags) in enumerate(CALLS):
            started = datetime(2026, 11, day, 12, tzinfo=UTC) if day else None
            speech = (
                Utterance(Party.AGENT, "a", 0, talk_s * 600, "hello"),
                Utterance(Party.CUSTOMER, "c", talk_s * 400, talk_s * 1000, "hi"),
            )
            audio = AudioInfo(f"/calls/{ext}.wav", f"{n:064x}", talk_s * 1000 + 5000, 8000, 2, ChannelLayout.AGENT_LEFT)
            call = Call(ext, audio, started_at=started, agent=agent, team=team, utterances=speech, tags=tags)
            ids[ext] = repo.add(call)
    for ext, *_rest, reviewed, _ in CALLS:
        if reviewed:
            set_review(services, ids[ext], ReviewStatus.DONE, "")
    _refresh(services)
    return ids


def _refresh(services: Services) -> CheckReport:
    report = CheckReport()
    list(refresh_facts(services, report))
    assert not report.failed
    return report


def _rows(services: Services, query: TrendQuery, level: Level = Level.AGENT) -> dict[tuple[str | None, str], TrendRow]:
    found = trends(services, query)
    rows = {Level.AGENT: found.agents, Level.TEAM: found.teams, Level.ALL: found.overall}[level]
    return {(r.agent or r.team, r.period.label): r for r in rows}


@pytest.fixture
def library(services: Services) -> tuple[Services, dict[str, int]]:
    return services, _build(services)


def test_agent_rows_add_up_the_reviewed_dated_calls(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    rows = _rows(services, TrendQuery())
    assert sorted(rows) == [("Ann", "2026-W45"), ("Ann", "2026-W46"), ("Bob", "2026-W45"), ("Cat", "2026-W46")]
    ann = rows["Ann", "2026-W45"]
    assert (ann.calls, ann.talk_ms) == (2, 150_000)  # the union of the utterances: talk seconds of c1 and c2
    assert ann.counts == {
        "agent_interruption": 2,
        "agent_rudeness": 0,
        "banned_phrase": 1,
        "customer_abuse": 0,
        "hangup_after_interruption": 1,
    }
    assert ann.endings == {Ending.CUSTOMER: 2}
    assert ann.statuses == {VerdictStatus.COMPLIANT: 1, VerdictStatus.COACHING: 1}
    assert ann.findings == {"R8.customer_ended": 2, "R7.banned_phrase": 1}
    assert ann.per_call("agent_interruption") == 1.0
    assert ann.per_hour("agent_interruption") == pytest.approx(2 / (150 / 3600))
    later = rows["Ann", "2026-W46"]
    assert later.endings == {Ending.PREMATURE: 1}
    assert later.statuses == {VerdictStatus.VIOLATION: 1}
    assert later.findings == {
        "R1.premature_hangup": 1,
        "R6.no_farewell": 1,
        "R6.lead_not_notified": 1,
        "R6.not_logged": 1,
    }
    cat = rows["Cat", "2026-W46"]
    assert (cat.count("customer_abuse"), cat.endings, cat.team) == (3, {Ending.PERMITTED: 1}, "South")


def test_team_and_everybody_rows(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    teams = _rows(services, TrendQuery(), Level.TEAM)
    assert {k: r.calls for k, r in teams.items()} == {
        ("North", "2026-W45"): 3,
        ("North", "2026-W46"): 1,
        ("South", "2026-W46"): 1,
    }
    assert teams["North", "2026-W45"].count("agent_interruption") == 3
    everybody = _rows(services, TrendQuery(), Level.ALL)
    assert {k: r.calls for k, r in everybody.items()} == {(None, "2026-W45"): 3, (None, "2026-W46"): 2}
    assert everybody[None, "2026-W46"].statuses == {VerdictStatus.VIOLATION: 1, VerdictStatus.COMPLIANT: 1}


def test_filters_narrow_the_rows(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    assert {k[0] for k in _rows(services, TrendQuery(team="North"))} == {"Ann", "Bob"}
    assert set(_rows(services, TrendQuery(agent="Ann"))) == {("Ann", "2026-W45"), ("Ann", "2026-W46")}
    assert set(_rows(services, TrendQuery(first=date(2026, 11, 9)))) == {("Ann", "2026-W46"), ("Cat", "2026-W46")}
    assert set(_rows(services, TrendQuery(last=date(2026, 11, 4)))) == {("Ann", "2026-W45"), ("Bob", "2026-W45")}
    monthly = _rows(services, TrendQuery(grain=Grain.MONTH))
    assert {k: r.calls for k, r in monthly.items()} == {
        ("Ann", "2026-11"): 3,
        ("Bob", "2026-11"): 1,
        ("Cat", "2026-11"): 1,
    }


def test_unreviewed_calls_only_when_asked(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    everything = _rows(services, TrendQuery(reviewed_only=False))
    assert everything["Bob", "2026-W46"].count("agent_interruption") == 3
    assert ("Bob", "2026-W46") not in _rows(services, TrendQuery())


def test_a_chosen_kind_and_rule_are_counted(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    rows = _rows(services, TrendQuery(kind="profanity/customer", rule="R6"))
    assert rows["Ann", "2026-W46"].count("profanity/customer") == 1
    assert rows["Cat", "2026-W46"].count("profanity/customer") == 1
    assert rows["Ann", "2026-W46"].count("rule:R6") == 3
    assert rows["Ann", "2026-W46"].findings == {"R6.no_farewell": 1, "R6.lead_not_notified": 1, "R6.not_logged": 1}
    assert rows["Ann", "2026-W45"].count("rule:R6") == 0
    any_actor = _rows(services, TrendQuery(kind="interruption"))
    assert any_actor["Bob", "2026-W45"].count("interruption") == 1


def test_the_calls_behind_a_point(library: tuple[Services, dict[str, int]]) -> None:
    services, ids = library
    behind = point_calls(services, TrendQuery(), W45, "Ann", "agent_interruption")
    assert [(p.call_id, p.count) for p in behind] == [(ids["c1"], 2), (ids["c2"], 0)]
    assert behind[0].day == date(2026, 11, 3) and behind[0].status is VerdictStatus.COMPLIANT
    team = point_calls(services, TrendQuery(team="North"), W45)
    assert {p.external_id for p in team} == {"c1", "c2", "c4"}
    by_rule = point_calls(services, TrendQuery(), W46, "Ann", "rule:R6")
    assert [(p.external_id, p.count) for p in by_rule] == [("c3", 3)]


def test_review_status_and_tag_changes_reach_the_trends(library: tuple[Services, dict[str, int]]) -> None:
    services, ids = library
    set_review(services, ids["c4"], ReviewStatus.IN_PROGRESS, "")  # the facts follow in the same transaction
    assert ("Bob", "2026-W45") not in _rows(services, TrendQuery())
    set_review(services, ids["c4"], ReviewStatus.DONE, "")
    add_tag(services, ids["c4"], Tag("interruption", Actor.AGENT, 9000, 9000))
    assert _refresh(services).checked, "a tag change makes the verdict, and so the facts, stale"
    assert _rows(services, TrendQuery())["Bob", "2026-W45"].count("agent_interruption") == 2


def test_facets_list_what_occurs(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    facets = trend_facets(services)
    assert facets.teams == ("North", "South")
    assert facets.agents == (("Ann", "North"), ("Bob", "North"), ("Cat", "South"))
    assert "R1.premature_hangup" in facets.rules and "profanity" in facets.kinds
    assert (facets.first, facets.last) == (date(2026, 11, 3), date(2026, 11, 12))


def test_an_agent_without_a_team_counts_in_a_team_row_of_its_own(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    audio = AudioInfo("/calls/c8.wav", "f" * 64, 65_000, 8000, 2, ChannelLayout.AGENT_LEFT)
    speech = (Utterance(Party.AGENT, "a", 0, 60_000, "hello"),)
    call = Call("c8", audio, started_at=datetime(2026, 11, 12, 12, tzinfo=UTC), agent="Dan", utterances=speech)
    with services.database.session() as session:
        call_id = CallRepository(session).add(call)
    set_review(services, call_id, ReviewStatus.DONE, "")
    _refresh(services)
    teams = _rows(services, TrendQuery(), Level.TEAM)
    assert {k: r.calls for k, r in teams.items()} == {
        ("North", "2026-W45"): 3,
        ("North", "2026-W46"): 1,
        ("South", "2026-W46"): 1,
        (None, "2026-W46"): 1,
    }
    assert _rows(services, TrendQuery(), Level.ALL)[None, "2026-W46"].calls == 3


def test_each_level_reads_the_findings_once_with_a_rule_chosen(library: tuple[Services, dict[str, int]]) -> None:
    services, _ = library
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(statement)

    event.listen(services.database.engine, "before_cursor_execute", record)
    try:
        found = trends(services, TrendQuery(rule="R6"))
    finally:
        event.remove(services.database.engine, "before_cursor_execute", record)
    assert found.agents and found.teams and found.overall
    assert sum("call_fact_findings" in s for s in sent) == 3  # agents, teams, everybody
    assert not any("(SELECT agents.team_id" in s for s in sent)  # the team level joins the agents
