"""What checking a call against the conduct policy yields: a status, findings and the ordered trace (POLICY.md §3).

Everything here is data. A trace step names what the checker did (`Step`) and carries the facts a sentence
needs (the kind, a count "of" a required number, an earlier moment it refers to); `text/verdicts.py` turns a
step into "02:41 warning 2 of 2 after profanity at 02:33 (R1)". Tags are cited by id (the library's tag id, or
the index in a call document's `tags` list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Severity(StrEnum):
    """How much a finding weighs; `incomplete` means a rule could not be decided from the tags."""

    VIOLATION = "violation"
    INCOMPLETE = "incomplete"
    COACHING = "coaching"
    INFO = "info"


class VerdictStatus(StrEnum):
    """The overall outcome: the heaviest finding decides (violation > incomplete > coaching > compliant)."""

    COMPLIANT = "compliant"
    COACHING = "coaching"
    VIOLATION = "violation"
    INCOMPLETE = "incomplete"

    @classmethod
    def of(cls, severities: Iterable[Severity]) -> VerdictStatus:
        """The status a set of finding severities adds up to (info findings leave a call compliant)."""
        present = set(severities)
        for severity, status in _STATUS_ORDER:
            if severity in present:
                return status
        return cls.COMPLIANT


_STATUS_ORDER = (
    (Severity.VIOLATION, VerdictStatus.VIOLATION),
    (Severity.INCOMPLETE, VerdictStatus.INCOMPLETE),
    (Severity.COACHING, VerdictStatus.COACHING),
)


class Step(StrEnum):
    """What the checker did at one moment of the call; each has a sentence template in text/verdicts.py."""

    OFFENCE = "offence"  # an offence opens a ladder step: a response is due
    OFFENCE_JOINED = "offence_joined"  # an offence before the agent could answer: same step as ref
    OFFENCE_AFTER_COMPLETE = "offence_after_complete"  # the ladder was already complete
    LADDER_COMPLETE = "ladder_complete"  # a further offence after the last required response
    RESPONSE = "response"  # the count-th response (of `of` required) to the offence at ref
    PERMITTED_AT_ONCE = "permitted_at_once"  # a severe offence: the agent may end the call immediately
    FOLLOW_UP = "follow_up"  # a required follow-up was found (escalation, lead notified, farewell, logged)
    PROCEDURE_START = "procedure_start"  # a trigger opened an ordered procedure; `detail` = the next step
    PROCEDURE_REPEAT = "procedure_repeat"  # the trigger again while the procedure runs
    PROCEDURE_STEP = "procedure_step"  # step count of `of`
    PROCEDURE_DONE = "procedure_done"  # the last step was taken
    APPROVAL = "approval"  # the final step's note says it was approved (detail = the phrase found)
    HANGUP_PERMITTED = "hangup_permitted"  # an agent hang-up, permitted by rule `detail` after the offence at ref
    HANGUP_UNOBJECTED = "hangup_unobjected"  # an agent hang-up that no rule forbids (but none permits either)
    HANGUP_BY_CUSTOMER = "hangup_by_customer"
    LINE_DROPPED = "line_dropped"
    HANGUP_SIDE_UNKNOWN = "hangup_side_unknown"
    COUNTED = "counted"  # a limited kind: count of at most `of`
    FINDING = "finding"  # a finding; rule = its id, the step's severity = the finding's


class Facts(NamedTuple):
    """What a step or a finding refers to, for its sentence: all optional.

    Facts, Finding and TraceStep are immutable named tuples rather than frozen dataclasses: a check makes about two
    per tag, and a frozen dataclass's __init__ costs three times as much (benchmarks/policy_speed.py).
    """

    kind: str = ""  # the kind of the tag at this moment (e.g. warning)
    count: int = 0  # type: ignore[assignment]  # e.g. 2 in "warning 2 of 2"; hides tuple.count, unused here
    of: int = 0  # the number the rule requires or allows
    ref_kind: str = ""  # an earlier tag the step refers to ("after profanity at 02:33")
    ref_ms: int | None = None
    detail: str = ""  # a rule id, a phrase, a next step: see Step

    def to_data(self) -> dict[str, Any]:
        """The non-empty fields, for JSON."""
        data: dict[str, Any] = {"kind": self.kind, "count": self.count, "of": self.of, "ref_kind": self.ref_kind}
        data = {k: v for k, v in data.items() if v not in ("", 0)}
        if self.ref_ms is not None:
            data["ref_ms"] = self.ref_ms  # 0 is a time (the call's first moment), not "none"
        return data | ({"detail": self.detail} if self.detail else {})

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Facts:
        """Inverse of to_data."""
        return cls(
            kind=str(data.get("kind", "")),
            count=int(data.get("count", 0)),
            of=int(data.get("of", 0)),
            ref_kind=str(data.get("ref_kind", "")),
            ref_ms=None if data.get("ref_ms") is None else int(data["ref_ms"]),
            detail=str(data.get("detail", "")),
        )


class Finding(NamedTuple):
    """Something the supervisor should act on: rule id as in POLICY.md (e.g. R1.premature_hangup)."""

    rule: str
    severity: Severity
    at_ms: int
    tags: tuple[int, ...] = ()
    facts: Facts = Facts()

    @property
    def name(self) -> str:
        """The part after the rule number: premature_hangup."""
        return self.rule.partition(".")[2]

    @property
    def rule_id(self) -> str:
        """The rule number part: R1."""
        return self.rule.partition(".")[0]


class TraceStep(NamedTuple):
    """One step the checker took, in call order."""

    at_ms: int
    rule: str  # R1, or a finding id for a FINDING step
    step: Step
    tags: tuple[int, ...] = ()
    facts: Facts = Facts()
    severity: Severity | None = None  # set on FINDING steps

    def finding(self) -> Finding | None:
        """The finding a FINDING step records."""
        if self.severity is None:
            return None
        return Finding(self.rule, self.severity, self.at_ms, self.tags, self.facts)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """Which policy a verdict was reached under: enough to reproduce it or to notice the policy changed."""

    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of checking one call."""

    status: VerdictStatus
    findings: tuple[Finding, ...]
    trace: tuple[TraceStep, ...]
    policy: PolicyRef
    checked_at: datetime | None = field(default=None, compare=False)

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready dict (no sentences: the faces add those)."""
        return {
            "status": self.status.value,
            "findings": [_finding_data(f) for f in self.findings],
            "trace": [_step_data(s) for s in self.trace],
            "policy": {"name": self.policy.name, "version": self.policy.version, "sha256": self.policy.sha256},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any], checked_at: datetime | None = None) -> Verdict:
        """Inverse of to_data (stored verdicts)."""
        policy = data["policy"]
        return cls(
            status=VerdictStatus(data["status"]),
            findings=tuple(_finding_from(f) for f in data["findings"]),
            trace=tuple(_step_from(s) for s in data["trace"]),
            policy=PolicyRef(str(policy["name"]), str(policy["version"]), str(policy["sha256"])),
            checked_at=checked_at,
        )


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "at_ms": finding.at_ms,
        "tags": list(finding.tags),
        "facts": finding.facts.to_data(),
    }


def _finding_from(data: Mapping[str, Any]) -> Finding:
    facts = Facts.from_data(data.get("facts", {}))
    tags = tuple(int(t) for t in data["tags"])
    return Finding(str(data["rule"]), Severity(data["severity"]), int(data["at_ms"]), tags, facts)


def _step_data(step: TraceStep) -> dict[str, Any]:
    data = {"at_ms": step.at_ms, "rule": step.rule, "step": step.step.value, "tags": list(step.tags)}
    severity = {} if step.severity is None else {"severity": step.severity.value}
    return data | severity | {"facts": step.facts.to_data()}


def _step_from(data: Mapping[str, Any]) -> TraceStep:
    facts = Facts.from_data(data.get("facts", {}))
    tags = tuple(int(t) for t in data["tags"])
    severity = None if data.get("severity") is None else Severity(data["severity"])
    return TraceStep(int(data["at_ms"]), str(data["rule"]), Step(data["step"]), tags, facts, severity)
