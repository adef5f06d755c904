"""Check calls against their team's policy, store the verdicts, and notice when a stored verdict went stale.

A verdict is stale when the call's tags changed since (the tag revision moved) or when the policy the team uses
is not the one it was reached under (its SHA-256 differs). Stale and missing verdicts are checked again by
`refresh_verdicts`, which the library runs before it lists calls.
"""

from __future__ import annotations

import difflib
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.analysis.facts import call_facts
from reviewer.domain.parties import Actor
from reviewer.domain.problems import CallNotFoundError, InputError, Problem, ProblemKind, StorageError
from reviewer.domain.progress import Progress
from reviewer.domain.tags import Tag
from reviewer.domain.verdict import Verdict
from reviewer.formats.check_document import read_check_document
from reviewer.persistence.tags import TagRepository
from reviewer.persistence.trends import FactsRepository
from reviewer.persistence.verdicts import VerdictRepository
from reviewer.policy.checker import check
from reviewer.policy.model import Policy
from reviewer.services.context import Services
from reviewer.services.policies import PolicyLookup, TeamPolicies, read_policy


@dataclass(frozen=True, slots=True)
class CheckedCall:
    """A call's verdict, as shown: fresh from a check or as stored."""

    call_id: int
    external_id: str
    verdict: Verdict
    stale: bool = False  # stored, and the tags or the team's policy changed since


@dataclass(slots=True)
class CheckReport:
    """What a batch check did: the verdicts reached and the calls it could not check (with why)."""

    checked: list[CheckedCall] = field(default_factory=list)
    failed: list[Problem] = field(default_factory=list)


def check_call(
    services: Services, call_id: int, policy: Policy | None = None, policies: PolicyLookup | None = None
) -> CheckedCall:
    """Check one library call (against its team's policy unless one is given) and store the verdict."""
    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        subject = verdicts.subject(call_id)
        if subject is None:
            raise CallNotFoundError(str(call_id))
        external_id, team, revision = subject
        tags = TagRepository(session).for_call(call_id)
        policy = policy or (policies or TeamPolicies(services))(team)
        verdict = check(policy, tags)
        verdicts.store(call_id, verdict, revision)
        # The trends' figures for the call change with its verdict, in the same transaction.
        FactsRepository(session).store(call_id, call_facts(tags, verdict, policy.abuse_kinds()))
    return CheckedCall(call_id, external_id, verdict)


def checking_call(services: Services, call_id: int) -> Generator[Progress, None, CheckedCall]:
    """check_call as a one-step job, for the window's worker: a long call's check and store stay off the GUI."""
    yield Progress(0, 1, str(call_id))
    return check_call(services, call_id)


def check_calls(
    services: Services, call_ids: list[int], report: CheckReport, policy: Policy | None = None
) -> Generator[Progress, None, None]:
    """Check a batch, yielding progress; a call that cannot be checked (its policy file broke) is reported."""
    policies = TeamPolicies(services)
    for done, call_id in enumerate(call_ids):
        yield Progress(done, len(call_ids), str(call_id))
        try:
            report.checked.append(check_call(services, call_id, policy, policies))
        except InputError as error:
            report.failed.append(error.problem)
        except CallNotFoundError as error:
            report.failed.append(Problem(ProblemKind.STORAGE, f"call {error.ref}", "", "no such call"))
        except StorageError as error:  # the database refused this call's verdict: the batch goes on
            report.failed.append(Problem(ProblemKind.STORAGE, f"call {call_id}", "", error.detail))
    yield Progress(len(call_ids), len(call_ids), "")


def stale_calls(services: Services) -> list[int]:
    """Calls never checked, whose tags or team policy changed since their verdict, or whose facts are missing."""
    with services.database.session() as session:
        states = VerdictRepository(session).states()
        counted = FactsRepository(session).all_facts()
    # A broken policy file hashes as "": stale; checking keeps the old verdict and reports the file.
    current = TeamPolicies(services)
    # A verdict stored before the trends existed (or by an older version) has no facts yet: check it again too.
    return [
        s.call_id
        for s in states
        if s.verdict_revision != s.tags_revision
        or current.sha256(s.team) != s.policy_sha256
        or s.call_id not in counted
    ]


def refresh_verdicts(services: Services, report: CheckReport) -> Generator[Progress, None, None]:
    """Check again every call whose verdict is missing or stale."""
    yield from check_calls(services, stale_calls(services), report)


def stored_verdict(services: Services, call_id: int) -> CheckedCall | None:
    """A call's stored verdict (stale or not), without checking anything."""
    with services.database.session() as session:
        verdicts = VerdictRepository(session)
        subject = verdicts.subject(call_id)
        stored = verdicts.get(call_id)
    if subject is None or stored is None:
        return None
    external_id, team, _ = subject
    policy_changed = TeamPolicies(services).sha256(team) != stored.verdict.policy.sha256
    return CheckedCall(call_id, external_id, stored.verdict, stored.tags_changed or policy_changed)


def check_document(path: Path, policy_path: Path) -> Verdict:
    """Check a call document file (duration and tags) without any library; InputError for either bad file."""
    policy = read_policy(policy_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError.of(ProblemKind.UNREADABLE, str(path), "", str(error)) from error
    document = read_check_document(text, str(path))
    _refuse_unknown(document.tags, {k.name for k in policy.kinds}, str(path))
    return check(policy, document.tags)


def _refuse_unknown(tags: tuple[Tag, ...], kinds: set[str], path: str) -> None:
    """A kind the policy does not know would be silently ignored ("hangup" for hang_up): refuse it by place."""
    for index, tag in enumerate(tags):
        if tag.kind not in kinds:
            close = difflib.get_close_matches(tag.kind, sorted(kinds), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            detail = f"the policy has no kind {tag.kind!r}{hint}"
            raise InputError.of(ProblemKind.BAD_VALUE, path, f"tags[{index}].kind", detail)
        if tag.actor is Actor.UNKNOWN and tag.kind != "hang_up":
            detail = "actor 'unknown' is only for a hang-up nobody can attribute"
            raise InputError.of(ProblemKind.BAD_VALUE, path, f"tags[{index}].actor", detail)
