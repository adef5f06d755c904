"""Review one call: tags saved the moment they are made, call-level facts, the review status and summary."""

from __future__ import annotations

from dataclasses import replace

from reviewer.domain.call import ReviewStatus
from reviewer.domain.parties import Actor
from reviewer.domain.problems import CallNotFoundError, InputError
from reviewer.domain.tags import DEFAULT_KINDS, KINDS_BY_NAME, KindGroup, Tag, TagKind, TagSource
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.tags import TagRepository
from reviewer.services.context import Services
from reviewer.services.policies import policy_for

# Number keys 1-9 per lane, the most frequent kinds first (Label Studio style hotkeys). Interruption is on both
# party lanes because its actor is whoever cut in; the call lane holds line drops and the after-call facts.
_KEYED = {
    Actor.CUSTOMER: "interruption profanity insult yelling threat discrimination personal_question "
    "circular_dialogue supervisor_request",
    Actor.AGENT: "interruption warning agent_rudeness banned_phrase farewell escalation transfer hold hang_up",
    Actor.CALL: "hang_up lead_notified account_noted non_talk",
}

# The call-level facts a supervisor ticks after listening (POLICY.md section 1).
CALL_FACTS = ("lead_notified", "account_noted")


def tag_kinds() -> tuple[TagKind, ...]:
    """The default vocabulary, in POLICY.md's order (a call's own, with its team policy's kinds: `vocabulary`)."""
    return DEFAULT_KINDS


def kind(name: str, kinds: tuple[TagKind, ...] = DEFAULT_KINDS) -> TagKind:
    """One kind of a vocabulary; unknown names (from an imported file) are customer spans."""
    found = next((k for k in kinds if k.name == name), None) or KINDS_BY_NAME.get(name)
    return found or TagKind(name, KindGroup.CUSTOMER_BEHAVIOUR, Actor.CUSTOMER)


def vocabulary(services: Services, team: str | None) -> tuple[TagKind, ...]:
    """The kinds a team's policy knows: the default ones plus those its file adds (a broken file: the default)."""
    try:
        return policy_for(services, team).kinds
    except InputError:
        return DEFAULT_KINDS


def keyed_kinds(lane: Actor) -> tuple[str, ...]:
    """The kinds number keys 1..9 create on a lane, in key order."""
    known = {k.name for k in tag_kinds()}
    return tuple(name for name in _KEYED[lane.lane].split() if name in known)


def add_tag(services: Services, call_id: int, tag: Tag) -> Tag:
    """Save a new tag at once (author: this supervisor unless given); returns it with its id."""
    stamped = tag if tag.author else replace(tag, author=services.author)
    with services.database.session() as session:
        _require_call(CallRepository(session), call_id)
        return TagRepository(session).add(call_id, stamped)


def restore_tag(services: Services, call_id: int, tag: Tag) -> Tag:
    """Put a deleted tag back under its old id (undo of a delete)."""
    with services.database.session() as session:
        return TagRepository(session).add(call_id, tag)


def update_tag(services: Services, call_id: int, tag: Tag) -> Tag:
    """Save a changed tag (kind, actor, span, note)."""
    with services.database.session() as session:
        return TagRepository(session).update(call_id, tag)


def delete_tag(services: Services, call_id: int, tag_id: int) -> Tag:
    """Delete a tag; returns it as it was."""
    with services.database.session() as session:
        return TagRepository(session).delete(call_id, tag_id)


def tags_of(services: Services, call_id: int) -> tuple[Tag, ...]:
    """The call's tags as stored now (a colleague may have added some in team mode)."""
    with services.database.session() as session:
        return TagRepository(session).for_call(call_id)


def set_review(services: Services, call_id: int, status: ReviewStatus, summary: str) -> None:
    """Save the review status and the supervisor's summary note."""
    with services.database.session() as session:
        if not CallRepository(session).set_review(call_id, status, summary):
            raise CallNotFoundError(str(call_id))


def fact_tag(services: Services, name: str, at_ms: int) -> Tag:
    """The tag that records a call-level fact (lead notified, logged in the account)."""
    return Tag(name, Actor.CALL, at_ms, at_ms, author=services.author, source=TagSource.MANUAL)


def _require_call(repo: CallRepository, call_id: int) -> None:
    if not repo.exists(call_id):
        raise CallNotFoundError(str(call_id))
