"""Read a policy file (TOML) into a Policy, or refuse it whole with file, line and reason."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from reviewer.domain.parties import Actor
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import DEFAULT_KINDS, KindGroup, TagKind
from reviewer.domain.verdict import PolicyRef
from reviewer.policy.model import (
    AfterHangup,
    HangupCause,
    Immediate,
    Ladder,
    Limit,
    Policy,
    Procedure,
    ProcedureStep,
    Requirement,
    Rule,
    Window,
)
from reviewer.policy.sections import Section, Source
from reviewer.policy.toml_lines import KeyLines

_SYNTAX_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def load_policy(path: Path) -> Policy:
    """The policy in a file; InputError (BAD_POLICY, or UNREADABLE) naming the file, the line and the reason."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError.of(ProblemKind.UNREADABLE, str(path), "", error.strerror or str(error)) from error
    return parse_policy(data, str(path))


def parse_policy(data: bytes, path: str) -> Policy:
    """A policy from the file's bytes; its SHA-256 is of exactly these bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError.of(
            ProblemKind.BAD_POLICY, path, f"line {line}", f"not UTF-8 text (byte {error.start})"
        ) from error
    try:
        root = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, path) from error
    source = Source(path, KeyLines(text), {k.name for k in DEFAULT_KINDS})
    return _policy(Section(source, root, (), "file"), hashlib.sha256(data).hexdigest(), path)


def _syntax_error(error: tomllib.TOMLDecodeError, path: str) -> InputError:
    message = str(error)
    found = _SYNTAX_LINE.search(message)
    where = f"line {found.group(1)}" if found else ""
    reason = _SYNTAX_LINE.sub("", message).strip() or "not valid TOML"
    return InputError.of(ProblemKind.BAD_POLICY, path, where, f"not valid TOML: {reason}")


def _policy(root: Section, sha256: str, path: str) -> Policy:
    head = root.table("policy")
    ref = PolicyRef(head.text("name"), head.text("version"), sha256)
    description = head.text("description", "")
    head.done()
    kinds = _kinds(root)
    phrases = _phrases(root.table("phrases"))
    rules = _rules(root)
    root.done()
    for index, rule in enumerate(r for r in rules if isinstance(r, Limit)):
        if rule.phrases and rule.phrases not in phrases:
            known = ", ".join(sorted(phrases)) or "none"
            reason = f"[[limit]] phrases: no list {rule.phrases!r} in [phrases] ({known})"
            root.source.fail(("limit", index, "phrases"), reason)
    return Policy(ref, description, kinds, rules, phrases, path)


def _kinds(root: Section) -> tuple[TagKind, ...]:
    added = []
    for section in root.tables("kind"):
        name = section.name("name")
        if name in root.source.vocabulary:
            section.fail("name", f"{name!r} is already a kind")
        group = KindGroup(section.choice("group", [g.value for g in KindGroup]))
        added.append(TagKind(name, group, section.actor("actor", Actor.CUSTOMER), section.boolean("point", False)))
        section.done()
        root.source.vocabulary.add(name)
    return DEFAULT_KINDS + tuple(added)


def _phrases(section: Section) -> dict[str, dict[str, tuple[str, ...]]]:
    lists: dict[str, dict[str, tuple[str, ...]]] = {}
    for name in list(section.data):
        by_language = section.table(name)
        lists[name] = {}
        for language in list(by_language.data):
            if not _LANGUAGE.fullmatch(language):
                by_language.fail(language, "a language code such as en, ru, zh, ko, lt")
            phrases = by_language.strings(language)
            if any(not p.strip() for p in phrases):
                by_language.fail(language, "an empty phrase would match every text")
            lists[name][language] = tuple(phrases)
        by_language.done()
    section.done()
    return lists


def _rules(root: Section) -> tuple[Rule, ...]:
    readers: dict[str, Callable[[Section], Rule]] = {
        "ladder": _ladder,
        "immediate": _immediate,
        "procedure": _procedure,
        "after_hangup": _after_hangup,
        "limit": _limit,
        "hangup_cause": _hangup_cause,
    }
    placed: list[tuple[int, Rule]] = []
    for key, reader in readers.items():
        for section in root.tables(key):
            rule = reader(section)
            section.done()
            placed.append((root.source.lines.line(section.at) or 0, rule))
    rules = tuple(rule for _, rule in sorted(placed, key=lambda item: item[0]))
    _check_permission_refs(root, rules)
    return rules


def _check_permission_refs(root: Section, rules: tuple[Rule, ...]) -> None:
    """`unless_permitted_by` must name rules that can permit a hang-up, or a typo would silently excuse nothing."""
    permitting = {r.id for r in rules if isinstance(r, Ladder | Immediate) and r.permits_hang_up}
    for key in ("ladder", "procedure"):
        for index, section in enumerate(root.data.get(key, [])):
            for ref in section.get("unless_permitted_by", []):
                if ref not in permitting:
                    known = ", ".join(sorted(permitting)) or "none"
                    reason = f"[[{key}]] #{index + 1} unless_permitted_by: {ref!r} is not a rule that permits a hang-up"
                    root.source.fail((key, index, "unless_permitted_by"), f"{reason} (those are: {known})")


def _ident(section: Section) -> tuple[str, str]:
    rule_id = section.text("id")
    if not _RULE_ID.fullmatch(rule_id):
        section.fail("id", f"{rule_id!r} is not a rule id such as R1")
    return rule_id, section.text("title", "")


def _unless(section: Section) -> frozenset[str] | None:
    return frozenset(section.strings("unless_permitted_by")) if "unless_permitted_by" in section.data else None


def _ladder(section: Section) -> Ladder:
    rule_id, title = _ident(section)
    severity = section.table("severity")
    ladder = Ladder(
        id=rule_id,
        title=title,
        offences=section.kinds("offences"),
        response=section.kind("response"),
        required=section.integer("required", minimum=1),
        further_offence=section.boolean("further_offence", True),
        same_step_within_ms=section.millis("same_step_within_s", 3.0) or 0,
        permits_hang_up=section.boolean("permits_hang_up", True),
        unless_permitted_by=_unless(section),
        premature=severity.severity("premature_hangup", "violation"),
        missed=severity.severity("missed", "coaching"),
        unprovoked=severity.severity("unprovoked", "coaching"),
        continued=severity.severity("continued", "info"),
        offender=section.actor("offender", Actor.CUSTOMER),
        responder=section.actor("responder", Actor.AGENT),
    )
    severity.done()
    if ladder.response in ladder.offences:
        section.fail("response", "the response cannot also be an offence")
    return ladder


def _requirements(section: Section) -> tuple[Requirement, ...]:
    requirements = []
    for item in section.tables("require"):
        window = Window(item.choice("window", [w.value for w in Window], Window.ANYWHERE.value))
        within = item.millis("within_s")
        if within is not None and window is not Window.BEFORE:
            item.fail("within_s", 'only a window = "before" has a length')
        kinds, finding, by = item.kinds("kinds"), item.name("finding"), item.actor("by", Actor.AGENT)
        requirements.append(Requirement(kinds, finding, item.severity("severity", "violation"), window, within, by))
        item.done()
    return tuple(requirements)


def _immediate(section: Section) -> Immediate:
    rule_id, title = _ident(section)
    return Immediate(
        id=rule_id,
        title=title,
        offences=section.kinds("offences"),
        permits_hang_up=section.boolean("permits_hang_up", True),
        requires=_requirements(section),
        offender=section.actor("offender", Actor.CUSTOMER),
    )


def _procedure(section: Section) -> Procedure:
    rule_id, title = _ident(section)
    triggers = section.kinds("triggers")
    names = section.strings("steps")
    if not names:
        section.fail("steps", "needs at least one step")
    for name in names:
        section.known_kind("steps", name)
    if len(set(names)) != len(names) or set(names) & triggers:
        section.fail("steps", "each step must be a different kind, and not a trigger")
    after_repeat = _subset(section, "after_repeat", names)
    approval = _subset(section, "needs_approval", names)
    steps = tuple(ProcedureStep(n, n in after_repeat, n in approval) for n in names)
    severity = section.table("severity")
    procedure = Procedure(
        id=rule_id,
        title=title,
        triggers=triggers,
        steps=steps,
        forbidden=section.name("forbidden_finding"),
        forbidden_severity=severity.severity("forbidden", "violation"),
        unless_permitted_by=_unless(section),
        early=severity.severity("early", "coaching"),
        unapproved=severity.severity("unapproved", "violation"),
        approval_unknown=severity.severity("approval_unknown", "incomplete"),
        offender=section.actor("offender", Actor.CUSTOMER),
    )
    severity.done()
    return procedure


def _subset(section: Section, key: str, names: list[str]) -> set[str]:
    chosen = set(section.strings(key, []))
    if not chosen <= set(names):
        section.fail(key, f"{sorted(chosen - set(names))} are not among the steps")
    return chosen


def _after_hangup(section: Section) -> AfterHangup:
    rule_id, title = _ident(section)
    return AfterHangup(rule_id, title, section.actor("by", Actor.AGENT), _requirements(section))


def _limit(section: Section) -> Limit:
    rule_id, title = _ident(section)
    return Limit(
        id=rule_id,
        title=title,
        kind=section.kind("kind"),
        actor=section.actor("actor", Actor.AGENT),
        max=section.integer("max"),
        finding=section.name("finding"),
        severity=section.severity("severity", "coaching"),
        each=section.boolean("each", False),
        phrases=section.text("phrases", ""),
    )


def _hangup_cause(section: Section) -> HangupCause:
    rule_id, title = _ident(section)
    severity = section.table("severity")
    cause = HangupCause(
        id=rule_id,
        title=title,
        offences=section.kinds("offences"),
        unwarranted=severity.severity("unwarranted_hangup", "violation"),
        customer_ended=severity.severity("customer_ended", "info"),
        side_unknown=severity.severity("hangup_side_unknown", "incomplete"),
    )
    severity.done()
    return cause
