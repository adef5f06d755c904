"""The default conduct policy, rule by rule: calls written as a few tags, the verdict POLICY.md demands for each.

A call is a list of tag specs, "start actor kind [length] [| note]" in seconds, e.g. "14.2 customer profanity 2.6"
or "43 agent transfer 2 | approved"; a tag without a length is a point event. `_closed(t)` is the polite ending
R6 asks for after an agent hang-up at t (a farewell, the team lead notified, the incident logged).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Step, Verdict, VerdictStatus
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy
from reviewer.policy.model import Policy
from reviewer.text.verdicts import step_line

RESOURCES = bundled_dir("resources")
COMPLIANT, COACHING = VerdictStatus.COMPLIANT, VerdictStatus.COACHING
VIOLATION, INCOMPLETE = VerdictStatus.VIOLATION, VerdictStatus.INCOMPLETE


@pytest.fixture(scope="module")
def default() -> Policy:
    return load_policy(RESOURCES / "policies" / "default.toml")


@pytest.fixture(scope="module")
def strict() -> Policy:
    return load_policy(RESOURCES / "policies" / "strict.toml")


def _tag(spec: str) -> Tag:
    """ "14.2 customer profanity 2.6 | note" -> a Tag from 14 200 to 16 800 ms."""
    head, _, note = spec.partition("|")
    start_s, actor, kind, *length_s = head.split()
    start = round(float(start_s) * 1000)
    length = round(float(length_s[0]) * 1000) if length_s else 0
    return Tag(kind, Actor(actor), start, start + length, note.strip())


def _tags(specs: Sequence[str]) -> list[Tag]:
    return [_tag(spec) for spec in specs]


def _closed(at_s: float) -> list[str]:
    """An agent hang-up at at_s with everything R6 owes: a farewell just before, lead notified, logged."""
    return [f"{at_s - 3} agent farewell 2", f"{at_s} agent hang_up", "0 call lead_notified", "0 call account_noted"]


def _rules(verdict: Verdict) -> list[str]:
    return sorted(f.rule for f in verdict.findings)


def _text(verdict: Verdict) -> list[str]:
    return [step_line(step) for step in verdict.trace]


# Two abuse steps answered by two warnings: the next offence (at 30 s) completes the R1 ladder.
LADDER = [
    "10 customer profanity 2",
    "13 agent warning 2",
    "20 customer insult 2",
    "23 agent warning 2",
]
COMPLETE = [*LADDER, "30 customer yelling 2"]
PERSONAL = [
    "10 customer personal_question 2",
    "13 agent redirect 2",
    "20 customer personal_question 2",
    "23 agent redirect 2",
]
CIRCULAR = [
    "10 customer circular_dialogue 5",
    "16 agent options_summary 5",
    "25 customer circular_dialogue 3",
    "29 agent solution_restated 5",
]


SCENARIOS = [
    # --- R1 abuse ladder -------------------------------------------------------------------------------------
    pytest.param(
        [*COMPLETE, *_closed(40)],
        COMPLIANT,
        [],
        "00:40 hang-up by agent after the third offence: permitted (R1)",
        id="R1-ladder-complete-hangup-permitted",
    ),
    pytest.param(
        ["10 customer profanity 2", "13 agent warning 2", *_closed(30)],
        VIOLATION,
        ["R1.premature_hangup"],
        "hang-up before the ladder was complete (1 of 2 warnings given) (R1.premature_hangup)",
        id="R1.premature_hangup-one-warning",
    ),
    pytest.param(
        [*LADDER, *_closed(30)],
        VIOLATION,
        ["R1.premature_hangup"],
        "(2 of 2 warnings given)",
        id="R1.premature_hangup-two-warnings-but-no-further-offence",
    ),
    pytest.param(
        ["10 customer profanity 2", "30 agent hang_up", "0 call lead_notified", "0 call account_noted"],
        VIOLATION,
        ["R1.premature_hangup", "R6.no_farewell"],
        "(0 of 2 warnings given)",
        id="R1.premature_hangup-no-warning-at-all",
    ),
    pytest.param(
        [
            *LADDER,
            "30 customer yelling 2",
            "30 agent hang_up",
            "28 agent farewell 1",
            "0 call lead_notified",
            "0 call account_noted",
        ],
        COMPLIANT,
        [],
        "00:30 hang-up by agent after the third offence: permitted (R1)",
        id="R1-hangup-exactly-at-the-third-offence-start",
    ),
    pytest.param(
        ["10 customer profanity 2", "20 customer insult 2", "25 agent warning 2"],
        COACHING,
        ["R1.missed_warning"],
        "00:20 — profanity at 00:10 went unanswered before the next offence: no warning (R1.missed_warning)",
        id="R1.missed_warning",
    ),
    pytest.param(
        ["10 customer profanity 2", "20 customer insult 2", "30 customer yelling 2", *_closed(40)],
        VIOLATION,
        ["R1.missed_warning", "R1.missed_warning", "R1.premature_hangup"],
        "(0 of 2 warnings given)",
        id="R1-three-unanswered-offences-then-hangup",
    ),
    pytest.param(
        ["10 customer profanity 2", "12.5 customer insult 2", "15 customer yelling 1", "17 agent warning 2"],
        COMPLIANT,
        [],
        "00:15 yelling: same step as profanity at 00:10 (R1)",
        id="R1-offences-before-the-first-warning-are-one-step",
    ),
    pytest.param(
        [
            "10 customer profanity 2",
            "12.5 customer insult 2",
            "13 agent warning 2",
            "20 customer yelling 2",
            "23 agent warning 2",
            "30 customer profanity 2",
            *_closed(40),
        ],
        COMPLIANT,
        [],
        "00:40 hang-up by agent after the third offence: permitted (R1)",
        id="R1-joined-offences-count-as-one-step-of-the-ladder",
    ),
    pytest.param(
        ["10 agent warning 2"],
        COACHING,
        ["R1.unprovoked_warning"],
        "00:10 — warning with no offence since the previous one (R1.unprovoked_warning)",
        id="R1.unprovoked_warning-warning-with-no-offence",
    ),
    pytest.param(
        ["10 customer profanity 2", "13 agent warning 2", "18 agent warning 2"],
        COACHING,
        ["R1.unprovoked_warning"],
        "00:18 — warning with no offence since the previous one (R1.unprovoked_warning)",
        id="R1.unprovoked_warning-second-warning-for-the-same-offence",
    ),
    pytest.param(
        [*COMPLETE, "31 customer profanity 1", "60 customer hang_up"],
        COMPLIANT,
        ["R1.continued", "R8.customer_ended"],
        "00:30 — the ladder was complete; the agent chose to continue (R1.continued)",
        id="R1.continued",
    ),
    # --- R2 severe abuse ---------------------------------------------------------------------------------------
    pytest.param(
        [
            "10 customer threat 2",
            "12 agent escalation 1",
            "16 agent farewell 1",
            "17 agent hang_up",
            "0 call account_noted",
        ],
        COMPLIANT,
        [],
        "00:17 hang-up by agent after threat at 00:10: permitted (R2)",
        id="R2-immediate-hangup-permitted-with-escalation",
    ),
    pytest.param(
        ["10 customer discrimination 2", *_closed(17)],
        COMPLIANT,
        [],
        "permitted (R2)",
        id="R2-lead_notified-fact-satisfies-the-escalation",
    ),
    pytest.param(
        ["10 customer threat 2", "16 agent farewell 1", "17 agent hang_up", "0 call account_noted"],
        VIOLATION,
        ["R2.missing_escalation", "R6.lead_not_notified"],
        "00:10 — threat not escalated to the team lead (R2.missing_escalation)",
        id="R2.missing_escalation-hangup-without-escalation",
    ),
    pytest.param(
        ["10 customer sexual_harassment 2"],
        VIOLATION,
        ["R2.missing_escalation"],
        "sexual harassment not escalated to the team lead (R2.missing_escalation)",
        id="R2.missing_escalation-severe-abuse-without-hangup",
    ),
    pytest.param(
        ["10 customer threat 2", "40 agent escalation 2"],
        COMPLIANT,
        [],
        "00:10 escalation at 00:40: owed after the threat, done (R2)",
        id="R2-severe-abuse-escalated-without-hangup",
    ),
    pytest.param(
        ["5 agent escalation 1", "10 customer threat 2"],
        VIOLATION,
        ["R2.missing_escalation"],
        None,
        id="R2-an-escalation-before-the-threat-does-not-count",
    ),
    pytest.param(
        [
            "10 customer profanity 2",
            "13 agent warning 2",
            "20 customer threat 2",
            "21 agent escalation 1",
            *_closed(30),
        ],
        COMPLIANT,
        [],
        "00:30 hang-up by agent after threat at 00:20: permitted (R2)",
        id="R2-permits-a-hangup-the-R1-ladder-has-not-reached",
    ),
    # --- R3 personal questions ---------------------------------------------------------------------------------
    pytest.param(
        [*PERSONAL, "30 customer personal_question 2", *_closed(40)],
        COMPLIANT,
        [],
        "00:40 hang-up by agent after the third offence: permitted (R3)",
        id="R3-complete-ladder",
    ),
    pytest.param(
        [*PERSONAL[:2], *_closed(30)],
        VIOLATION,
        ["R3.premature_hangup"],
        "hang-up before the ladder was complete (1 of 2 redirects given) (R3.premature_hangup)",
        id="R3.premature_hangup",
    ),
    pytest.param(
        [*PERSONAL, *_closed(30)],
        VIOLATION,
        ["R3.premature_hangup"],
        "(2 of 2 redirects given)",
        id="R3.premature_hangup-two-redirects-but-no-further-question",
    ),
    # --- R4 circular dialogue ----------------------------------------------------------------------------------
    pytest.param(
        [*CIRCULAR, "38 customer circular_dialogue 3", "42 agent transfer 2 | approved by the team lead"],
        COMPLIANT,
        [],
        "00:42 transfer: procedure complete (R4)",
        id="R4-steps-in-order-approved-transfer",
    ),
    pytest.param(
        [*CIRCULAR, "42 agent transfer 2 | перевод предварительно согласован"],
        COMPLIANT,
        [],
        "approved in advance (note says 'предварительно согласован') (R4)",
        id="R4-approval-in-russian",
    ),
    pytest.param(
        [*CIRCULAR[:2], "25 customer circular_dialogue 3", *_closed(40)],
        VIOLATION,
        ["R4.hangup_not_permitted"],
        "hang-up during the circular dialogue procedure (solution restated was due) (R4.hangup_not_permitted)",
        id="R4.hangup_not_permitted-circular-dialogue-ended-by-a-hangup",
    ),
    pytest.param(
        [*CIRCULAR, *_closed(40)],
        VIOLATION,
        ["R4.hangup_not_permitted"],
        "(transfer was due)",
        id="R4.hangup_not_permitted-instead-of-the-transfer",
    ),
    pytest.param(
        ["10 customer circular_dialogue 5", "16 agent transfer 2 | approved"],
        COACHING,
        ["R4.early_transfer"],
        "00:16 — transfer before options summary (R4.early_transfer)",
        id="R4.early_transfer",
    ),
    pytest.param(
        [*CIRCULAR, "42 agent transfer 2 | not approved"],
        VIOLATION,
        ["R4.unapproved_transfer"],
        "transfer not approved in advance (note says 'not approved') (R4.unapproved_transfer)",
        id="R4.unapproved_transfer",
    ),
    pytest.param(
        [*CIRCULAR, "42 agent transfer 2 | без согласования"],
        VIOLATION,
        ["R4.unapproved_transfer"],
        None,
        id="R4.unapproved_transfer-in-russian",
    ),
    pytest.param(
        [*CIRCULAR, "42 agent transfer 2"],
        INCOMPLETE,
        ["R4.transfer_approval_unknown"],
        "the transfer note does not say whether it was approved (R4.transfer_approval_unknown)",
        id="R4.transfer_approval_unknown",
    ),
    pytest.param(
        ["5 customer circular_dialogue 3", *COMPLETE, *_closed(40)],
        COMPLIANT,
        [],
        "permitted (R1)",
        id="R4-hangup-permitted-by-the-R1-ladder",
    ),
    pytest.param(
        [
            *CIRCULAR[:2],
            "30 customer personal_question 1",
            "33 agent redirect 1",
            "40 customer personal_question 1",
            "43 agent redirect 1",
            "50 customer personal_question 1",
            *_closed(60),
        ],
        VIOLATION,
        ["R4.hangup_not_permitted"],
        "01:00 hang-up by agent after the third offence: permitted (R3)",
        id="R4-a-hangup-the-R3-ladder-permits-is-still-not-permitted",
    ),
    pytest.param(
        [*CIRCULAR, "42 agent transfer 2 | unapproved"],
        VIOLATION,
        ["R4.unapproved_transfer"],
        None,
        id="R4-unapproved-is-not-read-as-approved",
    ),
    # --- R5 supervisor demand ----------------------------------------------------------------------------------
    pytest.param(
        [
            "10 customer supervisor_request 3",
            "14 agent supervisor_script 5",
            "25 customer supervisor_request 3",
            "30 agent transfer 2",
        ],
        COMPLIANT,
        [],
        "00:30 transfer: procedure complete (R5)",
        id="R5-script-then-transfer",
    ),
    pytest.param(
        ["10 customer supervisor_request 3", "14 agent transfer 2"],
        COMPLIANT,
        [],
        None,
        id="R5-a-transfer-at-the-first-demand-is-fine",
    ),
    pytest.param(
        ["10 customer supervisor_request 3", *_closed(20)],
        VIOLATION,
        ["R5.hangup_on_escalation_request"],
        "hang-up on a customer asking for a supervisor (supervisor script was due) (R5.hangup_on_escalation_request)",
        id="R5.hangup_on_escalation_request-at-the-first-demand",
    ),
    pytest.param(
        [
            "10 customer supervisor_request 3",
            "14 agent supervisor_script 5",
            "25 customer supervisor_request 3",
            *_closed(35),
        ],
        VIOLATION,
        ["R5.hangup_on_escalation_request"],
        "(transfer was due)",
        id="R5.hangup_on_escalation_request-when-the-customer-insists",
    ),
    pytest.param(
        [*LADDER, "30 customer supervisor_request 2", "30 customer yelling 2", *_closed(40)],
        COMPLIANT,
        [],
        "00:40 hang-up by agent after the third offence: permitted (R1)",
        id="R5-supervisor-demand-while-the-R1-ladder-completes",
    ),
    # --- R6 after an agent hang-up -----------------------------------------------------------------------------
    pytest.param(
        [*COMPLETE, "40 agent hang_up"],
        VIOLATION,
        ["R6.lead_not_notified", "R6.no_farewell", "R6.not_logged"],
        "00:40 — lead not notified (R6.lead_not_notified)",
        id="R6-nothing-after-the-hangup",
    ),
    pytest.param(
        [*COMPLETE, "40 agent hang_up", "0 call lead_notified", "0 call account_noted"],
        COACHING,
        ["R6.no_farewell"],
        "00:40 — no farewell before the hang-up (R6.no_farewell)",
        id="R6.no_farewell",
    ),
    pytest.param(
        [*COMPLETE, "5 agent farewell 2", "40 agent hang_up", "0 call lead_notified", "0 call account_noted"],
        COACHING,
        ["R6.no_farewell"],
        None,
        id="R6.no_farewell-more-than-30-s-before-the-hangup",
    ),
    pytest.param(
        [*COMPLETE, "8 agent farewell 2", "40 agent hang_up", "0 call lead_notified", "0 call account_noted"],
        COMPLIANT,
        [],
        None,
        id="R6-farewell-ending-exactly-30-s-before-the-hangup",
    ),
    pytest.param(
        [*COMPLETE, "37 agent farewell 2", "40 agent hang_up", "0 call account_noted"],
        VIOLATION,
        ["R6.lead_not_notified"],
        None,
        id="R6.lead_not_notified",
    ),
    pytest.param(
        [*COMPLETE, "37 agent farewell 2", "40 agent hang_up", "41 agent escalation 1", "0 call account_noted"],
        COMPLIANT,
        [],
        "00:40 escalation at 00:41: owed after the hang-up, done (R6)",
        id="R6-an-escalation-notifies-the-lead",
    ),
    pytest.param(
        [*COMPLETE, "37 agent farewell 2", "40 agent hang_up", "0 call lead_notified"],
        VIOLATION,
        ["R6.not_logged"],
        "00:40 — not logged in the customer's account (R6.not_logged)",
        id="R6.not_logged",
    ),
    # --- R7 agent conduct --------------------------------------------------------------------------------------
    pytest.param(
        ["10 agent banned_phrase 1 | please calm down", "20 agent banned_phrase 1 | успокойтесь"],
        COACHING,
        ["R7.banned_phrase", "R7.banned_phrase"],
        "00:10 — banned phrase ('calm down') (R7.banned_phrase)",
        id="R7.banned_phrase-each-one",
    ),
    pytest.param(
        ["10 agent agent_rudeness 3 | don't interrupt me, it's rude"],
        VIOLATION,
        ["R7.agent_rudeness"],
        "00:10 — agent rudeness (R7.agent_rudeness)",
        id="R7.agent_rudeness",
    ),
    pytest.param(
        ["10 agent interruption 1", "20 agent interruption 1"],
        COMPLIANT,
        [],
        "00:20 interruption 2 (at most 2) (R7)",
        id="R7-two-agent-interruptions-are-fine",
    ),
    pytest.param(
        ["10 agent interruption 1", "20 agent interruption 1", "30 agent interruption 1", "40 agent interruption 1"],
        COACHING,
        ["R7.interrupts_customer"],
        "00:30 — agent interrupted the customer 3 times (at most 2) (R7.interrupts_customer)",
        id="R7.interrupts_customer-third-agent-interruption",
    ),
    pytest.param(
        ["10 customer interruption 1", "20 customer interruption 1", "30 customer interruption 1"],
        COMPLIANT,
        [],
        None,
        id="R7-customer-interruptions-are-not-counted",
    ),
    pytest.param(
        ["10 agent sales_pitch 5 | survey"],
        COMPLIANT,
        [],
        None,
        id="R7-one-sales-pitch-is-fine",
    ),
    pytest.param(
        ["10 agent sales_pitch 5 | survey", "30 agent sales_pitch 5 | credit card"],
        COACHING,
        ["R7.pushy_sales"],
        "00:30 — another sales pitch after one was declined (R7.pushy_sales)",
        id="R7.pushy_sales",
    ),
    pytest.param(
        ["10 agent hold 20"],
        COMPLIANT,
        [],
        None,
        id="R7-one-hold-is-fine",
    ),
    pytest.param(
        ["10 agent hold 20", "60 agent hold 20", "120 agent hold 5"],
        COACHING,
        ["R7.repeat_hold"],
        "01:00 — customer put on hold again (2 holds) (R7.repeat_hold)",
        id="R7.repeat_hold",
    ),
    # --- R8 unwarranted hang-up and the other side ending the call ---------------------------------------------
    pytest.param(
        ["5 agent empathy 2", *_closed(20)],
        VIOLATION,
        ["R8.unwarranted_hangup"],
        "00:20 — hang-up by the agent with no offence in the call (R8.unwarranted_hangup)",
        id="R8.unwarranted_hangup",
    ),
    pytest.param(
        ["5 agent interruption 1", *_closed(20)],
        VIOLATION,
        ["R8.unwarranted_hangup"],
        None,
        id="R8.unwarranted_hangup-an-agent-interruption-is-no-offence",
    ),
    pytest.param(
        ["5 agent empathy 2", "20 customer hang_up"],
        COMPLIANT,
        ["R8.customer_ended"],
        "00:20 — the customer hung up (R8.customer_ended)",
        id="R8.customer_ended-customer-hangup",
    ),
    pytest.param(
        ["10 customer profanity 2", "13 agent warning 2", "20 customer hang_up"],
        COMPLIANT,
        ["R8.customer_ended"],
        "00:20 hang-up by the customer (R8)",
        id="R8.customer_ended-customer-hangs-up-mid-ladder",
    ),
    pytest.param(
        ["5 customer yelling 2", "20 call hang_up"],
        COMPLIANT,
        ["R8.customer_ended"],
        "00:20 — the line dropped (R8.customer_ended)",
        id="R8.customer_ended-line-drop",
    ),
    pytest.param(
        ["10 customer profanity 2", "20 unknown hang_up"],
        INCOMPLETE,
        ["R8.hangup_side_unknown"],
        "00:20 — who ended the call is unknown: the hang-up rules cannot be decided (R8.hangup_side_unknown)",
        id="R8-unknown-hangup-side-is-incomplete",
    ),
    # --- two ladders in one call -------------------------------------------------------------------------------
    pytest.param(
        [
            "10 customer profanity 2",
            "13 agent warning 2",
            "20 customer personal_question 2",
            "23 agent redirect 2",
            "30 customer insult 2",
            "33 agent warning 2",
            "40 customer personal_question 2",
            "43 agent redirect 2",
            "50 customer yelling 1",
            "55 customer personal_question 1",
            *_closed(60),
        ],
        COMPLIANT,
        [],
        "00:55 personal question after redirect 2 of 2, the third offence: ending the call is now permitted (R3)",
        id="R1-and-R3-ladders-both-complete",
    ),
    pytest.param(
        [
            "10 customer profanity 2",
            "13 agent warning 2",
            "20 customer personal_question 2",
            "23 agent redirect 2",
            *_closed(30),
        ],
        VIOLATION,
        ["R1.premature_hangup", "R3.premature_hangup"],
        "(1 of 2 redirects given) (R3.premature_hangup)",
        id="R1-and-R3-ladders-both-incomplete",
    ),
    pytest.param(
        ["10 customer profanity 2", "13 agent redirect 2", "20 customer insult 2"],
        COACHING,
        ["R1.missed_warning", "R3.unprovoked_redirect"],
        "00:13 — redirect with no offence since the previous one (R3.unprovoked_redirect)",
        id="R1-and-R3-a-redirect-is-no-warning",
    ),
    # --- found in review: negations, R5 after the script, whose follow-up, several hang-ups, long spans ----------
    *(
        pytest.param(
            [*CIRCULAR, f"40 agent transfer 3 | {note}"],
            status,
            rules,
            None,
            id=f"R4-transfer-note-{note}",
        )
        for note, status, rules in (
            ("перевод не был согласован", VIOLATION, ["R4.unapproved_transfer"]),
            ("без предварительного согласования", VIOLATION, ["R4.unapproved_transfer"]),
            ("согласования нет", VIOLATION, ["R4.unapproved_transfer"]),
            ("never approved", VIOLATION, ["R4.unapproved_transfer"]),
            ("approval was denied by the lead", INCOMPLETE, ["R4.transfer_approval_unknown"]),
            ("перевод так и не согласовали", INCOMPLETE, ["R4.transfer_approval_unknown"]),
            ("approved in advance by the lead", COMPLIANT, []),
        )
    ),
    pytest.param(
        ["10 customer supervisor_request 3", "14 agent supervisor_script 5", *_closed(30)],
        VIOLATION,
        ["R5.hangup_on_escalation_request"],
        "hang-up on a customer asking for a supervisor (transfer was due)",
        id="R5-hang-up-right-after-the-script",
    ),
    pytest.param(
        [
            "10 customer threat 2",
            "27 customer farewell 2",
            "30 agent hang_up",
            "0 call account_noted",
            "31 customer escalation",
        ],
        VIOLATION,
        ["R2.missing_escalation", "R6.lead_not_notified", "R6.no_farewell"],
        None,
        id="R2-R6-the-customer's-goodbye-and-escalation-are-not-the-agent's",
    ),
    pytest.param(
        ["10 customer profanity 2", "20 customer hang_up", "20 agent hang_up"],
        INCOMPLETE,
        ["R8.customer_ended", "R8.hangup_conflict"],
        "another hang-up, by agent, after the customer ended the call at 00:20",
        id="R8-two-hang-ups-contradict",
    ),
    pytest.param(
        ["10 customer yelling 50", "20 agent warning 3", "40 agent warning 3", *_closed(58)],
        COMPLIANT,
        [],
        "hang-up by agent after the first offence: permitted (R1)",
        id="R1-warnings-into-one-long-yelling-span",
    ),
    pytest.param(
        [*COMPLETE, "40 unknown hang_up"],
        INCOMPLETE,
        ["R8.hangup_side_unknown"],
        None,
        id="R1-complete-then-unknown-side-is-not-continued",
    ),
]


@pytest.mark.parametrize(("specs", "status", "rules", "says"), SCENARIOS)
def test_scenario(default: Policy, specs: list[str], status: VerdictStatus, rules: list[str], says: str | None) -> None:
    verdict = check(default, _tags(specs))
    lines = _text(verdict)
    assert (verdict.status, _rules(verdict)) == (status, sorted(rules)), "\n".join(lines)
    if says is not None:
        assert any(says in line for line in lines), "\n".join(lines)


def test_a_two_warning_ladder_reads_step_by_step(default: Policy) -> None:
    specs = [
        "14 customer profanity 2",
        "15 customer yelling 1",
        "17 agent warning 3",
        "23 customer profanity 3",
        "27 agent warning 3",
        "33 customer profanity 2",
        "41 agent farewell 2",
        "44 agent hang_up",
        "44 call lead_notified",
        "44 call account_noted",
    ]
    verdict = check(default, _tags(specs))
    assert verdict.status is COMPLIANT and verdict.findings == ()
    assert _text(verdict) == [
        "00:14 profanity: offence, warning 1 of 2 is due (R1)",
        "00:15 yelling: same step as profanity at 00:14 (R1)",
        "00:17 warning 1 of 2 after profanity at 00:14 (R1)",
        "00:23 profanity: offence, warning 2 of 2 is due (R1)",
        "00:27 warning 2 of 2 after profanity at 00:23 (R1)",
        "00:33 profanity after warning 2 of 2, the third offence: ending the call is now permitted (R1)",
        "00:44 hang-up by agent after the third offence: permitted (R1)",
        "00:44 farewell at 00:41: owed after the hang-up, done (R6)",
        "00:44 lead notified at 00:44: owed after the hang-up, done (R6)",
        "00:44 account noted at 00:44: owed after the hang-up, done (R6)",
    ]
    assert verdict.policy == default.ref


def test_findings_cite_tag_ids_or_list_positions(default: Policy) -> None:
    specs = ["10 customer profanity 2", "13 agent warning 2", "20 customer insult 2", *_closed(30)]
    by_index = check(default, _tags(specs))
    premature = next(f for f in by_index.findings if f.rule == "R1.premature_hangup")
    assert premature.tags == (4, 2)  # the hang-up, then the offence the ladder stood at
    with_ids = [Tag(t.kind, t.actor, t.start_ms, t.end_ms, t.note, id=100 + i) for i, t in enumerate(_tags(specs))]
    premature = next(f for f in check(default, with_ids).findings if f.rule == "R1.premature_hangup")
    assert premature.tags == (104, 102)
    assert premature.at_ms == 30_000 and premature.facts.count == 1 and premature.facts.of == 2


def test_findings_and_their_trace_steps_agree(default: Policy) -> None:
    specs = ["10 customer threat 2", "20 agent banned_phrase 1 | calm down", "30 agent hang_up"]
    verdict = check(default, _tags(specs))
    from_trace = [s.finding() for s in verdict.trace if s.step is Step.FINDING]
    assert tuple(from_trace) == verdict.findings
    assert _rules(verdict) == [
        "R2.missing_escalation",
        "R6.lead_not_notified",
        "R6.no_farewell",
        "R6.not_logged",
        "R7.banned_phrase",
    ]


# --- the stricter policy: same calls, other verdicts -----------------------------------------------------------

DEMO_01_SHAPE = [
    "14.2 customer profanity 2.6",
    "14.2 customer yelling 2.6",
    "17.2 agent warning 5.5 | 1 of 2",
    "23.1 customer profanity 2.9",
    "27.0 agent warning 4 | 2 of 2",
    "33.0 customer profanity 2",
    *_closed(44.7),
]


@pytest.mark.parametrize(
    ("specs", "under_default", "under_strict"),
    [
        pytest.param(DEMO_01_SHAPE, [], ["R1.premature_hangup"], id="three-warnings-before-a-hangup"),
        pytest.param(
            ["10 customer sarcasm 3", *_closed(20)],
            ["R8.unwarranted_hangup"],
            ["R1.premature_hangup"],
            id="sarcasm-is-an-offence",
        ),
        pytest.param(
            ["10 agent banned_phrase 1 | calm down"], ["R7.banned_phrase"], ["R7.banned_phrase"], id="banned-phrase"
        ),
        pytest.param(
            ["10 agent interruption 1", "20 agent interruption 1"],
            [],
            ["R7.interrupts_customer"],
            id="second-interruption",
        ),
        pytest.param(
            [
                "10 customer threat 2",
                "11 agent escalation 1",
                "35 agent farewell 2",
                "62 agent hang_up",
                "0 call account_noted",
            ],
            [],
            ["R6.no_farewell"],
            id="farewell-25-s-before-the-hangup",
        ),
    ],
)
def test_the_strict_policy_changes_the_outcome(
    default: Policy, strict: Policy, specs: list[str], under_default: list[str], under_strict: list[str]
) -> None:
    tags = _tags(specs)
    assert _rules(check(default, tags)) == under_default
    assert _rules(check(strict, tags)) == under_strict


def test_the_strict_policy_weighs_findings_differently(default: Policy, strict: Policy) -> None:
    tags = _tags(["10 agent banned_phrase 1 | calm down"])
    assert check(default, tags).status is COACHING
    assert check(strict, tags).status is VIOLATION
    ladder = check(strict, _tags(DEMO_01_SHAPE))
    assert ladder.status is VIOLATION and ladder.policy == strict.ref
    assert "00:44 — hang-up before the ladder was complete (2 of 3 warnings given) (R1.premature_hangup)" in _text(
        ladder
    )
    assert check(default, _tags(DEMO_01_SHAPE)).status is COMPLIANT


# --- the demo library ------------------------------------------------------------------------------------------


def _demo_calls() -> dict[str, list[Tag]]:
    calls: dict[str, list[Tag]] = {}
    with (RESOURCES / "demo" / "tags.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            tag = Tag(row["kind"], Actor(row["actor"]), int(row["start_ms"]), int(row["end_ms"]), row["note"])
            calls.setdefault(row["call_id"], []).append(tag)
    return calls


def _demo_expectations(readme: Path) -> dict[str, str]:
    """call id -> the README table's "expected verdict" cell."""
    rows = [line.split("|") for line in readme.read_text(encoding="utf-8").splitlines() if line.startswith("| demo-")]
    return {cells[1].strip(): cells[-2].strip() for cells in rows}


DEMO_EXPECTED = _demo_expectations(RESOURCES / "demo" / "README.md")
DEMO_CALLS = _demo_calls()


def test_the_demo_readme_lists_every_demo_call() -> None:
    assert sorted(DEMO_EXPECTED) == sorted(DEMO_CALLS) == [f"demo-{n:02}" for n in range(1, 11)]


@pytest.mark.parametrize("call_id", sorted(DEMO_EXPECTED))
def test_demo_call_verdict_is_the_one_the_readme_promises(default: Policy, call_id: str) -> None:
    expected = DEMO_EXPECTED[call_id]
    verdict = check(default, DEMO_CALLS[call_id])
    found = {f.rule for f in verdict.findings}
    named = set(re.findall(r"\bR\d+\.[a-z_]+", expected))
    lines = "\n".join(_text(verdict))
    assert verdict.status.value == re.split(r"[\s:(]", expected, maxsplit=1)[0], lines
    assert named <= found, lines
    unnamed = {f.rule for f in verdict.findings if f.rule not in named and f.severity.value != "info"}
    assert not unnamed, lines
