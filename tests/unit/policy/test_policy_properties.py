"""Properties of any verdict under the default policy, on random calls.

A random call is up to 30 tags of the default vocabulary (customers, agents and call-level facts, 0-600 s, on a
half-second grid and often in the first 20 s, so that offences cluster and tie) plus up to two hang-ups by any
side; notes are drawn from the phrases the policy looks for. The properties: positive behaviour never changes a
verdict, neither does the order of the tag list, the status always adds up from the findings, the trace is in
call order, and a stored verdict reads back equal.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.tags import DEFAULT_KINDS, Tag
from reviewer.domain.verdict import Severity, Step, Verdict, VerdictStatus
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy
from reviewer.policy.model import Policy

POLICY: Policy = load_policy(bundled_dir("resources") / "policies" / "default.toml")
EXAMPLES = settings(max_examples=200, deadline=None, database=None)

_KINDS = [k.name for k in DEFAULT_KINDS if k.name not in ("hang_up", "empathy")]
_NOTES = ["", "", "approved", "not approved", "согласовано", "calm down", "успокойтесь", "survey"]
# Half-second steps over the whole call, or crowded into its first 20 s (often at 00:00 itself, where tags tie and
# a time of 0 must survive storage) so that ladders and procedures run.
_START = st.one_of(st.just(0), st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=1200)).map(
    lambda half_seconds: half_seconds * 500
)
_LENGTH = st.sampled_from([0, 500, 1000, 2000, 2500, 4000, 10_000])


@st.composite
def _tag(draw: st.DrawFn) -> Tag:
    kind = draw(st.sampled_from(_KINDS))
    actor = draw(st.sampled_from([Actor.CUSTOMER, Actor.AGENT, Actor.CALL]))
    start = draw(_START)
    return Tag(kind, actor, start, start + draw(_LENGTH), draw(st.sampled_from(_NOTES)))


@st.composite
def _hang_up(draw: st.DrawFn) -> Tag:
    at = draw(_START)
    return Tag("hang_up", draw(st.sampled_from([Actor.AGENT, Actor.CUSTOMER, Actor.CALL, Actor.UNKNOWN])), at, at)


CALLS = st.builds(
    lambda tags, hang_ups: tags + hang_ups, st.lists(_tag(), max_size=30), st.lists(_hang_up(), max_size=2)
)


def _with_ids(tags: list[Tag]) -> list[Tag]:
    return [Tag(t.kind, t.actor, t.start_ms, t.end_ms, t.note, id=1000 + i) for i, t in enumerate(tags)]


def _outcome(verdict: Verdict) -> tuple[VerdictStatus, list[tuple[str, Severity, int]]]:
    return verdict.status, [(f.rule, f.severity, f.at_ms) for f in verdict.findings]


@EXAMPLES
@given(tags=CALLS, at=_START, length=_LENGTH, position=st.integers(min_value=0, max_value=40))
def test_an_empathy_tag_never_changes_the_verdict(tags: list[Tag], at: int, length: int, position: int) -> None:
    empathy = Tag("empathy", Actor.AGENT, at, at + length, "I understand how frustrating this is")
    with_empathy = [*tags[:position], empathy, *tags[position:]]
    assert _outcome(check(POLICY, with_empathy)) == _outcome(check(POLICY, tags))


@EXAMPLES
@given(tags=CALLS, seed=st.integers(min_value=0, max_value=2**32))
def test_the_order_of_the_tag_list_never_changes_the_verdict(tags: list[Tag], seed: int) -> None:
    tags = _with_ids(tags)
    shuffled = list(tags)
    random.Random(seed).shuffle(shuffled)
    assert check(POLICY, shuffled).to_data() == check(POLICY, tags).to_data()


@EXAMPLES
@given(tags=CALLS)
def test_the_status_adds_up_and_the_trace_is_in_call_order(tags: list[Tag]) -> None:
    verdict = check(POLICY, tags)
    assert verdict.status is VerdictStatus.of(f.severity for f in verdict.findings)
    times = [step.at_ms for step in verdict.trace]
    assert times == sorted(times)
    assert [f.at_ms for f in verdict.findings] == sorted(f.at_ms for f in verdict.findings)
    recorded = tuple(step.finding() for step in verdict.trace if step.step is Step.FINDING)
    assert sorted(recorded, key=repr) == sorted(verdict.findings, key=repr)
    if any(t.kind == "hang_up" and t.actor is Actor.UNKNOWN for t in tags):
        assert verdict.status in (VerdictStatus.VIOLATION, VerdictStatus.INCOMPLETE)


@EXAMPLES
@given(tags=CALLS)
def test_a_stored_verdict_reads_back_equal(tags: list[Tag]) -> None:
    verdict = check(POLICY, tags)
    assert Verdict.from_data(verdict.to_data()) == verdict


@pytest.mark.parametrize(
    "tags",
    [
        pytest.param([Tag("profanity", Actor.CUSTOMER, 0, 2000), Tag("warning", Actor.AGENT, 3000, 4000)], id="ref"),
        pytest.param([Tag("threat", Actor.CUSTOMER, 0, 0), Tag("escalation", Actor.AGENT, 0, 1000)], id="follow-up"),
    ],
)
def test_a_verdict_citing_a_tag_at_the_start_of_the_call_reads_back_equal(tags: list[Tag]) -> None:
    verdict = check(POLICY, tags)
    assert any(step.facts.ref_ms == 0 for step in verdict.trace)  # "after profanity at 00:00"
    assert Verdict.from_data(verdict.to_data()) == verdict
