"""A loaded policy: rule types with parameters (no code), as read from a TOML file by loader.py.

Six rule types cover POLICY.md, and a centre composes its own policy from them:

- `Ladder`: offences answered by a response kind; a completed ladder permits ending the call (R1, R3);
- `Immediate`: offences that permit an immediate hang-up and require a follow-up (R2);
- `Procedure`: a trigger opens ordered steps; a hang-up while a step is due is forbidden (R4, R5);
- `AfterHangup`: obligations owed after a party ends the call (R6);
- `Limit`: at most `max` tags of a kind by an actor (R7);
- `HangupCause`: an agent hang-up with no offence at all; who else ended the call (R8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from reviewer.domain.parties import Actor
from reviewer.domain.tags import TagKind
from reviewer.domain.verdict import PolicyRef, Severity


class Window(StrEnum):
    """Where a required follow-up must lie relative to the moment it is owed."""

    BEFORE = "before"  # at or before the moment (within `within_ms` when set)
    AFTER = "after"  # at or after the moment
    ANYWHERE = "anywhere"  # anywhere in the call


@dataclass(frozen=True, slots=True)
class Requirement:
    """A follow-up: one tag of `kinds` by `by` in the window, else `finding` with `severity` (None: no finding).

    Call-level facts (actor `call`, such as lead_notified) are ticked after the call, so their time never matters.
    """

    kinds: frozenset[str]
    finding: str
    severity: Severity | None
    window: Window = Window.ANYWHERE
    within_ms: int | None = None
    by: Actor = Actor.AGENT


@dataclass(frozen=True, slots=True)
class Ladder:
    """Offences answered by responses; `required` responses then a further offence permit a hang-up (R1, R3)."""

    id: str
    title: str
    offences: frozenset[str]
    response: str
    required: int
    further_offence: bool  # the ladder completes on an offence after the last response, not on the response
    same_step_within_ms: int  # offences this close together came before the agent could answer: one step
    permits_hang_up: bool
    unless_permitted_by: frozenset[str] | None  # None: any rule's permission excuses a premature hang-up
    premature: Severity | None
    missed: Severity | None
    unprovoked: Severity | None
    continued: Severity | None
    offender: Actor = Actor.CUSTOMER
    responder: Actor = Actor.AGENT


@dataclass(frozen=True, slots=True)
class Immediate:
    """Offences so severe that the agent may end the call at once, with follow-ups owed (R2)."""

    id: str
    title: str
    offences: frozenset[str]
    permits_hang_up: bool
    requires: tuple[Requirement, ...]
    offender: Actor = Actor.CUSTOMER


@dataclass(frozen=True, slots=True)
class ProcedureStep:
    """One step of a procedure; `after_repeat` steps are due only once the customer repeats the trigger."""

    kind: str
    after_repeat: bool = False
    needs_approval: bool = False


@dataclass(frozen=True, slots=True)
class Procedure:
    """A trigger opens ordered steps; ending the call while a step is due is `forbidden` (R4, R5)."""

    id: str
    title: str
    triggers: frozenset[str]
    steps: tuple[ProcedureStep, ...]
    forbidden: str  # the finding name for a hang-up while a step is due
    forbidden_severity: Severity | None
    unless_permitted_by: frozenset[str] | None
    early: Severity | None  # a step taken before the steps ahead of it: early_<kind>
    unapproved: Severity | None  # an approval step whose note says it was not approved: unapproved_<kind>
    approval_unknown: Severity | None  # an approval step whose note does not say: <kind>_approval_unknown
    offender: Actor = Actor.CUSTOMER


@dataclass(frozen=True, slots=True)
class AfterHangup:
    """What is owed whenever `by` ends the call (R6)."""

    id: str
    title: str
    by: Actor
    requires: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `max` tags of `kind` by `actor`; beyond it `finding` (for each one past the limit when `each`) (R7)."""

    id: str
    title: str
    kind: str
    actor: Actor
    max: int
    finding: str
    severity: Severity | None
    each: bool
    phrases: str = ""  # a phrase list whose entries the tag's note is matched against, for the trace


@dataclass(frozen=True, slots=True)
class HangupCause:
    """An agent hang-up with no offence before it; hang-ups by the customer, the line, or nobody knows whom (R8)."""

    id: str
    title: str
    offences: frozenset[str]
    unwarranted: Severity | None
    customer_ended: Severity | None
    side_unknown: Severity | None


Rule = Ladder | Immediate | Procedure | AfterHangup | Limit | HangupCause

# Phrase lists by list name, then by language code: {"banned": {"en": ("calm down",), "ru": ("успокойтесь",)}}.
Phrases = Mapping[str, Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True, slots=True)
class Policy:
    """A whole policy file, checked and ready; `ref` is what a verdict records."""

    ref: PolicyRef
    description: str
    kinds: tuple[TagKind, ...]  # the vocabulary: the default kinds plus those the file adds
    rules: tuple[Rule, ...]
    phrases: Phrases
    path: str = ""

    @property
    def name(self) -> str:
        """The policy's name as its file states it."""
        return self.ref.name

    def abuse_kinds(self) -> frozenset[str]:
        """The customer offences an agent handles as abuse: those a warning answers (R1) and the severe ones (R2)."""
        kinds: set[str] = set()
        for rule in self.rules:
            if isinstance(rule, Immediate) or (isinstance(rule, Ladder) and rule.response == "warning"):
                kinds |= rule.offences
        return frozenset(kinds)

    def phrase_list(self, name: str) -> tuple[tuple[str, str], ...]:
        """(language, phrase) pairs of one list, in file order."""
        return tuple((lang, p) for lang, phrases in self.phrases.get(name, {}).items() for p in phrases)
