"""A checked call's facts: the measures counted from its tags, and its ending as the real checker judged it."""

from __future__ import annotations

import pytest

from reviewer.analysis.facts import call_facts
from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.trends import CallFacts, Ending, Measure
from reviewer.domain.verdict import VerdictStatus
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy
from reviewer.policy.model import Policy

A, C, X, U = Actor.AGENT, Actor.CUSTOMER, Actor.CALL, Actor.UNKNOWN


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(bundled_dir("resources") / "policies" / "default.toml")


def _tags(*spec: tuple[str, Actor, int]) -> tuple[Tag, ...]:
    return tuple(Tag(kind, actor, s * 1000, s * 1000, id=i + 1) for i, (kind, actor, s) in enumerate(spec))


def _facts(policy: Policy, *spec: tuple[str, Actor, int]) -> CallFacts:
    tags = _tags(*spec)
    return call_facts(tags, check(policy, tags), policy.abuse_kinds())


@pytest.mark.parametrize(
    ("spec", "ending"),
    [
        ((), Ending.NONE),
        ((("hang_up", C, 10),), Ending.CUSTOMER),
        ((("hang_up", X, 10),), Ending.LINE_DROP),
        ((("hang_up", U, 10),), Ending.UNKNOWN),
        ((("profanity", C, 5), ("hang_up", A, 10)), Ending.PREMATURE),  # R1: no warning given yet
        ((("hang_up", A, 10),), Ending.PREMATURE),  # R8: no offence at all
        ((("threat", C, 5), ("hang_up", A, 10)), Ending.PERMITTED),  # R2: at once
        (
            (
                ("profanity", C, 1),
                ("warning", A, 2),
                ("insult", C, 3),
                ("warning", A, 4),
                ("yelling", C, 5),
                ("hang_up", A, 9),
            ),
            Ending.PERMITTED,
        ),
        (
            (("personal_question", C, 1), ("hang_up", A, 9), ("hang_up", C, 12)),
            Ending.PREMATURE,
        ),  # the first one counts
    ],
)
def test_the_ending_is_the_first_hang_up_as_the_verdict_judged_it(
    policy: Policy, spec: tuple[tuple[str, Actor, int], ...], ending: Ending
) -> None:
    assert _facts(policy, *spec).ending is ending


def test_an_agent_hang_up_no_rule_objects_to_is_unobjected(policy: Policy) -> None:
    # The supervisor demand was answered by the script and a transfer: R5 is done, nothing permits the hang-up,
    # nothing forbids it, and R8 sees an offence before it. The trace's step says so, and the facts follow it.
    spec = (("supervisor_request", C, 1), ("supervisor_script", A, 2), ("supervisor_request", C, 3), ("transfer", A, 4))
    assert _facts(policy, *spec, ("hang_up", A, 9)).ending is Ending.UNOBJECTED


def test_measures_count_the_right_tags(policy: Policy) -> None:
    facts = _facts(
        policy,
        ("interruption", A, 1),
        ("interruption", C, 2),  # the customer's: not the agent's measure
        ("interruption", A, 100),
        ("agent_rudeness", A, 101),
        ("banned_phrase", A, 102),
        ("profanity", C, 103),
        ("threat", C, 104),
        ("personal_question", C, 105),  # R3, not abuse
        ("hang_up", C, 130),  # 30 s after the last agent interruption
    )
    assert facts.measures == {
        Measure.AGENT_INTERRUPTION: 2,
        Measure.AGENT_RUDENESS: 1,
        Measure.BANNED_PHRASE: 1,
        Measure.CUSTOMER_ABUSE: 2,
        Measure.HANGUP_AFTER_INTERRUPTION: 1,
    }
    assert facts.kinds[("interruption", "agent")] == 2 and facts.kinds[("interruption", "customer")] == 1
    assert facts.status is VerdictStatus.VIOLATION  # rudeness
    assert facts.findings["R7.agent_rudeness"] == 1


@pytest.mark.parametrize(("hang_up_s", "counted"), [(60, 1), (70, 1), (71, 0)])
def test_a_customer_hang_up_counts_after_an_interruption_within_a_minute(
    policy: Policy, hang_up_s: int, counted: int
) -> None:
    facts = _facts(policy, ("interruption", A, 10), ("hang_up", C, hang_up_s))
    assert facts.measures[Measure.HANGUP_AFTER_INTERRUPTION] == counted


def test_an_agent_hang_up_after_an_interruption_is_not_the_customers(policy: Policy) -> None:
    facts = _facts(policy, ("interruption", A, 10), ("hang_up", A, 20))
    assert facts.measures[Measure.HANGUP_AFTER_INTERRUPTION] == 0
