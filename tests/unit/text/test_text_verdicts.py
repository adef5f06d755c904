"""Verdict sentences: status labels, ordinals, what each finding means, and the JSON the faces print."""

from __future__ import annotations

import json

import pytest

from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Facts, Finding, PolicyRef, Severity, Step, TraceStep, Verdict, VerdictStatus
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy
from reviewer.text.verdicts import (
    STATUS_LABELS,
    finding_line,
    finding_message,
    ordinal,
    status_label,
    step_line,
    verdict_data,
    verdict_lines,
)

REF = PolicyRef("Default conduct policy", "1.0", "0145cc91c33a" + "0" * 52)


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (VerdictStatus.COMPLIANT, "Compliant"),
        (VerdictStatus.COACHING, "Coaching"),
        (VerdictStatus.VIOLATION, "Violation"),
        (VerdictStatus.INCOMPLETE, "Incomplete"),
        (None, "Not checked"),
    ],
)
def test_status_labels(status: VerdictStatus | None, label: str) -> None:
    assert status_label(status) == label


def test_every_status_has_a_label() -> None:
    assert set(STATUS_LABELS) == set(VerdictStatus)


@pytest.mark.parametrize(("n", "word"), [(1, "first"), (2, "second"), (3, "third"), (10, "tenth"), (11, "11th")])
def test_ordinal(n: int, word: str) -> None:
    assert ordinal(n) == word


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        pytest.param(
            Finding(
                "R1.premature_hangup", Severity.VIOLATION, 32_000, (5, 2), Facts("warning", 1, 2, "profanity", 15_000)
            ),
            "hang-up before the ladder was complete (1 of 2 warnings given)",
            id="premature_hangup",
        ),
        pytest.param(
            Finding(
                "R1.missed_warning",
                Severity.COACHING,
                20_000,
                (0, 1),
                Facts("warning", ref_kind="profanity", ref_ms=10_000),
            ),
            "profanity at 00:10 went unanswered before the next offence: no warning",
            id="missed_warning",
        ),
        pytest.param(
            Finding("R3.unprovoked_redirect", Severity.COACHING, 5_000, (0,), Facts("redirect", 0, 2)),
            "redirect with no offence since the previous one",
            id="unprovoked_redirect",
        ),
        pytest.param(
            Finding("R2.missing_escalation", Severity.VIOLATION, 22_000, (3,), Facts("sexual_harassment")),
            "sexual harassment not escalated to the team lead",
            id="missing_escalation",
        ),
        pytest.param(
            Finding(
                "R4.hangup_not_permitted",
                Severity.VIOLATION,
                60_000,
                (9, 1),
                Facts("circular_dialogue", ref_kind="circular_dialogue", ref_ms=10_000, detail="solution_restated"),
            ),
            "hang-up during the circular dialogue procedure (solution restated was due)",
            id="hangup_not_permitted",
        ),
        pytest.param(
            Finding(
                "R4.early_transfer", Severity.COACHING, 16_000, (1,), Facts("transfer", 3, 3, detail="options_summary")
            ),
            "transfer before options summary",
            id="early_transfer",
        ),
        pytest.param(
            Finding(
                "R4.unapproved_transfer", Severity.VIOLATION, 42_000, (4,), Facts("transfer", detail="not approved")
            ),
            "transfer not approved in advance (note says 'not approved')",
            id="unapproved_transfer",
        ),
        pytest.param(
            Finding("R4.transfer_approval_unknown", Severity.INCOMPLETE, 42_000, (4,), Facts("transfer")),
            "the transfer note does not say whether it was approved",
            id="transfer_approval_unknown",
        ),
        pytest.param(
            Finding("R6.lead_not_notified", Severity.VIOLATION, 32_000, (7,), Facts("hang_up")),
            "lead not notified",
            id="lead_not_notified",
        ),
        pytest.param(
            Finding(
                "R7.banned_phrase", Severity.COACHING, 19_000, (3,), Facts("banned_phrase", 1, 0, detail="calm down")
            ),
            "banned phrase ('calm down')",
            id="banned_phrase",
        ),
        pytest.param(
            Finding("R7.interrupts_customer", Severity.COACHING, 30_000, (2,), Facts("interruption", 3, 2)),
            "agent interrupted the customer 3 times (at most 2)",
            id="interrupts_customer",
        ),
        pytest.param(
            Finding("R7.repeat_hold", Severity.COACHING, 60_000, (2,), Facts("hold", 2, 1)),
            "customer put on hold again (2 holds)",
            id="repeat_hold",
        ),
        pytest.param(
            Finding("R8.customer_ended", Severity.INFO, 33_000, (6,), Facts("hang_up", detail="customer")),
            "the customer hung up",
            id="customer_ended-customer",
        ),
        pytest.param(
            Finding("R8.customer_ended", Severity.INFO, 29_000, (6,), Facts("hang_up", detail="call")),
            "the line dropped",
            id="customer_ended-line-drop",
        ),
        pytest.param(
            Finding("R8.hangup_side_unknown", Severity.INCOMPLETE, 29_000, (6,), Facts("hang_up", detail="unknown")),
            "who ended the call is unknown: the hang-up rules cannot be decided",
            id="hangup_side_unknown",
        ),
        pytest.param(
            Finding("R9.talked_too_long", Severity.COACHING, 1_000),
            "talked too long",
            id="a-centre's-own-finding",
        ),
    ],
)
def test_finding_messages(finding: Finding, message: str) -> None:
    assert finding_message(finding) == message


def test_finding_line() -> None:
    finding = Finding("R6.lead_not_notified", Severity.VIOLATION, 32_000, (7,), Facts("hang_up"))
    assert finding_line(finding) == "00:32 — lead not notified (R6.lead_not_notified, violation)"


@pytest.mark.parametrize(
    ("step", "line"),
    [
        pytest.param(
            TraceStep(27_000, "R1", Step.RESPONSE, (3, 2), Facts("warning", 2, 2, "profanity", 23_000)),
            "00:27 warning 2 of 2 after profanity at 00:23 (R1)",
            id="response",
        ),
        pytest.param(
            TraceStep(40_000, "R1", Step.RESPONSE, (3, 2), Facts("warning", 3, 2, "insult", 38_000)),
            "00:40 warning 3 (beyond the 2 required) after insult at 00:38 (R1)",
            id="response-beyond-the-ladder",
        ),
        pytest.param(
            TraceStep(44_000, "R1", Step.HANGUP_PERMITTED, (9, 5), Facts("hang_up", 3, 2, "profanity", 33_000, "R1")),
            "00:44 hang-up by agent after the third offence: permitted (R1)",
            id="hangup-permitted-by-a-ladder",
        ),
        pytest.param(
            TraceStep(32_000, "R2", Step.HANGUP_PERMITTED, (9, 5), Facts("hang_up", 0, 0, "threat", 22_000, "R2")),
            "00:32 hang-up by agent after threat at 00:22: permitted (R2)",
            id="hangup-permitted-at-once",
        ),
        pytest.param(
            TraceStep(161_000, "R6.lead_not_notified", Step.FINDING, (7,), Facts("hang_up"), Severity.VIOLATION),
            "02:41 — lead not notified (R6.lead_not_notified)",
            id="finding",
        ),
        pytest.param(
            TraceStep(
                14_000, "R5", Step.PROCEDURE_START, (0,), Facts("supervisor_request", 1, 2, detail="supervisor_script")
            ),
            "00:14 supervisor request: procedure starts, supervisor script is due (R5)",
            id="procedure-start",
        ),
        pytest.param(
            TraceStep(19_000, "R7", Step.COUNTED, (3,), Facts("banned_phrase", 1, 0, detail="calm down")),
            "00:19 banned phrase 1 (at most 0): 'calm down' (R7)",
            id="counted",
        ),
    ],
)
def test_step_lines(step: TraceStep, line: str) -> None:
    assert step_line(step) == line


def test_every_step_has_a_sentence() -> None:
    for step in Step:
        severity = Severity.COACHING if step is Step.FINDING else None
        assert step_line(TraceStep(1_000, "R1", step, (), Facts("warning", 1, 2, "profanity", 0, "R1"), severity))


def _demo_like_verdict() -> Verdict:
    policy = load_policy(bundled_dir("resources") / "policies" / "default.toml")
    tags = [
        Tag("profanity", Actor.CUSTOMER, 15_000, 17_000),
        Tag("warning", Actor.AGENT, 20_000, 23_000),
        Tag("farewell", Actor.AGENT, 29_000, 31_000),
        Tag("hang_up", Actor.AGENT, 32_000, 32_000),
    ]
    return check(policy, tags)


def test_verdict_lines_start_with_the_status_and_the_policy() -> None:
    verdict = _demo_like_verdict()
    lines = verdict_lines(verdict)
    sha = verdict.policy.sha256[:12]
    assert lines[0] == f"Violation under Default conduct policy 1.0 (sha256 {sha})"
    assert lines[1:] == [step_line(step) for step in verdict.trace]
    assert "00:32 — hang-up before the ladder was complete (1 of 2 warnings given) (R1.premature_hangup)" in lines


def test_verdict_data_adds_a_message_to_each_finding_and_a_text_to_each_step() -> None:
    verdict = _demo_like_verdict()
    data = verdict_data(verdict)
    assert set(data) == {"status", "findings", "trace", "policy"}
    assert data["status"] == "violation"
    assert data["policy"] == {"name": REF.name, "version": "1.0", "sha256": verdict.policy.sha256}
    findings, trace = data["findings"], data["trace"]
    assert isinstance(findings, list) and isinstance(trace, list)
    assert [f["rule"] for f in findings] == ["R1.premature_hangup", "R6.lead_not_notified", "R6.not_logged"]
    assert [f["message"] for f in findings] == [finding_message(f) for f in verdict.findings]
    assert findings[1]["message"] == "lead not notified"
    assert set(findings[0]) == {"rule", "severity", "at_ms", "tags", "facts", "message"}
    assert [s["text"] for s in trace] == [step_line(s) for s in verdict.trace]
    assert all({"at_ms", "rule", "step", "tags", "facts", "text"} <= set(s) for s in trace)
    # The sentences are additions only: without them the data is the stored verdict.
    stripped = {
        **data,
        "findings": [{k: v for k, v in f.items() if k != "message"} for f in findings],
        "trace": [{k: v for k, v in s.items() if k != "text"} for s in trace],
    }
    assert stripped == verdict.to_data()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
