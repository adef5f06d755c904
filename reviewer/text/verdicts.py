"""Verdicts as a supervisor reads them: "02:41 warning 2 of 2 after profanity at 02:33 (R1)".

The checker returns data (domain/verdict.py); every sentence is made here, so the CLI, the review window and the
exports say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable

from reviewer.domain.verdict import Facts, Finding, Step, TraceStep, Verdict, VerdictStatus
from reviewer.text.tags import kind_label as readable
from reviewer.text.times import clock

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")

STATUS_LABELS = {
    VerdictStatus.COMPLIANT: "Compliant",
    VerdictStatus.COACHING: "Coaching",
    VerdictStatus.VIOLATION: "Violation",
    VerdictStatus.INCOMPLETE: "Incomplete",
}

# What each finding means, by the name after the rule number. {k} kind, {n} count, {of}, {ref} kind, {at} time.
_FINDINGS = {
    "premature_hangup": "hang-up before the ladder was complete ({n} of {of} {k}s given)",
    "continued": "the ladder was complete; the agent chose to continue",
    "missing_escalation": "{k} not escalated to the team lead",
    "hangup_not_permitted": "hang-up during the {ref} procedure ({d} was due)",
    "hangup_on_escalation_request": "hang-up on a customer asking for a supervisor ({d} was due)",
    "no_farewell": "no farewell before the hang-up",
    "lead_not_notified": "lead not notified",
    "not_logged": "not logged in the customer's account",
    "banned_phrase": "banned phrase{phrase}",
    "agent_rudeness": "agent rudeness",
    "interrupts_customer": "agent interrupted the customer {n} times (at most {of})",
    "pushy_sales": "another sales pitch after one was declined",
    "repeat_hold": "customer put on hold again ({n} holds)",
    "unwarranted_hangup": "hang-up by the agent with no offence in the call",
    "customer_ended": "{who}",
    "hangup_side_unknown": "who ended the call is unknown: the hang-up rules cannot be decided",
    "hangup_conflict": "another hang-up, by {d}, after the {ref} ended the call at {at}: the tags disagree",
}


def status_label(status: VerdictStatus | None) -> str:
    """'Violation', or 'Not checked'."""
    return "Not checked" if status is None else STATUS_LABELS[status]


def ordinal(n: int) -> str:
    """'third' (or '11th')."""
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def finding_message(finding: Finding) -> str:
    """What a finding means, without its time or id: 'lead not notified'."""
    return _finding_text(finding.name, finding.facts)


def finding_line(finding: Finding) -> str:
    """'00:32 — lead not notified (R6.lead_not_notified, violation)'."""
    return f"{clock(finding.at_ms)} — {finding_message(finding)} ({finding.rule}, {finding.severity.value})"


# Findings whose name is made from a kind (missed_warning, early_transfer, transfer_approval_unknown).
_PATTERNED = (
    ("missed_", "{ref} at {at} went unanswered before the next offence: no {k}"),
    ("unprovoked_", "{k} with no offence since the previous one"),
    ("early_", "{k} before {d}"),
    ("unapproved_", "{k} not approved in advance (note says {quoted})"),
)


def _finding_text(name: str, facts: Facts) -> str:
    template = _FINDINGS.get(name) or next((t for prefix, t in _PATTERNED if name.startswith(prefix)), None)
    if name.endswith("_approval_unknown"):
        template = "the {k} note does not say whether it was approved"
    if template is None:
        return readable(name)
    who = {"customer": "the customer hung up", "call": "the line dropped"}.get(facts.detail, "")
    phrase = f" ({facts.detail!r})" if facts.detail else ""
    values = {"k": readable(facts.kind), "n": facts.count, "of": facts.of, "ref": readable(facts.ref_kind)}
    values |= {"at": _at(facts), "d": readable(facts.detail), "quoted": repr(facts.detail)}
    return template.format(**values, who=who, phrase=phrase)


def step_line(step: TraceStep) -> str:
    """One trace step as a sentence: '02:41 warning 2 of 2 after profanity at 02:33 (R1)'."""
    facts = step.facts
    finding = step.finding()
    if finding is not None:
        return f"{clock(step.at_ms)} — {finding_message(finding)} ({step.rule})"
    return f"{clock(step.at_ms)} {_STEPS[step.step](facts)} ({step.rule})"


def _at(facts: Facts) -> str:
    return clock(facts.ref_ms or 0)


def _response(f: Facts) -> str:
    beyond = f" (beyond the {f.of} required)" if f.count > f.of else f" of {f.of}"
    return f"{readable(f.kind)} {f.count}{beyond} after {readable(f.ref_kind)} at {_at(f)}"


def _permitted(f: Facts) -> str:
    if f.count:
        return f"hang-up by agent after the {ordinal(f.count)} offence: permitted"
    return f"hang-up by agent after {readable(f.ref_kind)} at {_at(f)}: permitted"


def _follow_up(f: Facts) -> str:
    return f"{readable(f.kind)} at {_at(f)}: owed after the {readable(f.ref_kind)}, done"


_STEPS: dict[Step, Callable[[Facts], str]] = {
    Step.OFFENCE: lambda f: f"{readable(f.kind)}: offence, {readable(f.detail)} {f.count} of {f.of} is due",
    Step.OFFENCE_JOINED: lambda f: f"{readable(f.kind)}: same step as {readable(f.ref_kind)} at {_at(f)}",
    Step.OFFENCE_AFTER_COMPLETE: lambda f: f"{readable(f.kind)}: the ladder is already complete",
    Step.LADDER_COMPLETE: lambda f: (
        f"{readable(f.kind)} after {readable(f.ref_kind)} {f.of} of {f.of}, the {ordinal(f.count)} offence: "
        "ending the call is now permitted"
    ),
    Step.RESPONSE: _response,
    Step.PERMITTED_AT_ONCE: lambda f: f"{readable(f.kind)}: the agent may end the call at once",
    Step.FOLLOW_UP: _follow_up,
    Step.PROCEDURE_START: lambda f: f"{readable(f.kind)}: procedure starts, {readable(f.detail)} is due",
    Step.PROCEDURE_REPEAT: lambda f: f"{readable(f.kind)} again" + (f", {readable(f.detail)} due" if f.detail else ""),
    Step.PROCEDURE_STEP: lambda f: f"{readable(f.kind)}: step {f.count} of {f.of}",
    Step.PROCEDURE_DONE: lambda f: f"{readable(f.kind)}: procedure complete",
    Step.APPROVAL: lambda f: f"{readable(f.kind)} approved in advance (note says {f.detail!r})",
    Step.HANGUP_PERMITTED: _permitted,
    Step.HANGUP_UNOBJECTED: lambda f: "hang-up by agent: no rule forbids it",
    Step.HANGUP_BY_CUSTOMER: lambda f: "hang-up by the customer",
    Step.LINE_DROPPED: lambda f: "the line dropped",
    Step.HANGUP_SIDE_UNKNOWN: lambda f: "hang-up, side unknown",
    Step.COUNTED: lambda f: f"{readable(f.kind)} {f.count} (at most {f.of})" + (f": {f.detail!r}" if f.detail else ""),
}


def verdict_lines(verdict: Verdict) -> list[str]:
    """The whole explanation: status, policy, then every step."""
    policy = verdict.policy
    lines = [f"{status_label(verdict.status)} under {policy.name} {policy.version} (sha256 {policy.sha256[:12]})"]
    return lines + [step_line(step) for step in verdict.trace]


def verdict_data(verdict: Verdict) -> dict[str, object]:
    """The JSON of `reviewer check --json`: the stored data plus a message per finding and a text per step."""
    data = verdict.to_data()
    for item, finding in zip(data["findings"], verdict.findings, strict=True):
        item["message"] = finding_message(finding)
    for item, step in zip(data["trace"], verdict.trace, strict=True):
        item["text"] = step_line(step)
    return data
