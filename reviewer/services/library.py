"""Read and adjust calls in the library: list, open, swap the parties."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer.domain.call import Call, CallSummary
from reviewer.domain.library import CallFilter, Facets
from reviewer.domain.problems import CallNotFoundError, InputError
from reviewer.formats.document import call_document
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.suggestions import SuggestionRepository
from reviewer.services.context import Services
from reviewer.services.detecting import detect_call
from reviewer.services.policies import TeamPolicies


def list_calls(services: Services, agent: str | None = None) -> list[CallSummary]:
    """Every call (optionally one agent's), newest first."""
    with services.database.session() as session:
        return _policy_staleness(services, CallRepository(session).summaries(agent=agent))


def search_calls(services: Services, where: CallFilter) -> list[CallSummary]:
    """The calls that meet every condition of a library filter, newest first."""
    with services.database.session() as session:
        return _policy_staleness(services, CallRepository(session).summaries(where=where))


def _policy_staleness(services: Services, calls: list[CallSummary]) -> list[CallSummary]:
    """Also mark stale the verdicts reached under another policy than the one the call's team uses now."""
    current = TeamPolicies(services)  # a broken policy file: every verdict of the team is stale until it is fixed
    return [
        replace(c, verdict_stale=True)
        if c.verdict is not None and not c.verdict_stale and c.verdict_policy_sha256 != current.sha256(c.team)
        else c
        for c in calls
    ]


def facets(services: Services) -> Facets:
    """The teams, agents and tag kinds the library's filter lists offer."""
    with services.database.session() as session:
        return CallRepository(session).facets()


def _resolve(repo: CallRepository, ref: str) -> int:
    """A call id from '17' or from an external id such as 'demo-03'."""
    if ref.isdigit() and repo.exists(int(ref)):
        return int(ref)
    found = repo.id_by_external_id(ref)
    if found is None:
        raise CallNotFoundError(ref)
    return found


def call_id(services: Services, ref: str) -> int:
    """The id of a call given by id or external id; CallNotFoundError when there is none."""
    with services.database.session() as session:
        return _resolve(CallRepository(session), ref)


def chosen_ids(services: Services, refs: list[str], *, every: bool) -> list[int]:
    """The ids of the calls given by id or external id, or of every call (oldest first) when `every`."""
    if every:
        return [c.id for c in list_calls(services)][::-1]
    return [call_id(services, ref) for ref in refs]


def get_call(services: Services, ref: str) -> Call:
    """One whole call by id or external id."""
    with services.database.session() as session:
        repo = CallRepository(session)
        call = repo.get(_resolve(repo, ref))
    assert call is not None  # _resolve only returns ids that exist
    return call


def swap_parties(services: Services, ref: str, *, speakers: bool = True, channels: bool = True) -> Call:
    """Exchange agent and customer of one call: transcript and tags (speakers), channel layout (channels), or both.

    Both is the usual fix (the labels followed the wrong channel); one alone fixes a transcript mapped by the
    first-speaker rule over correctly labelled channels, or the reverse.
    """
    with services.database.session() as session:
        repo = CallRepository(session)
        call_id = _resolve(repo, ref)
        repo.swap_parties(call_id, speakers=speakers, channels=channels)
        # Open suggestions said who did what under the old labels ("insult" by the customer): they go, and the
        # detectors propose again under the new ones. Decided suggestions stay, as the record of decisions.
        suggestions = SuggestionRepository(session)
        detected = suggestions.has_run(call_id)
        suggestions.drop_pending(call_id)
    if detected:
        # A recording unreadable now leaves the transcript's suggestions; the swap stands, `reviewer detect` says why.
        with contextlib.suppress(InputError):
            detect_call(services, call_id)
    return get_call(services, str(call_id))


def remember_source_swapped(services: Services, ref: str, swapped: bool) -> str:
    """From now on, swap (or stop swapping) every call imported from this call's folder; returns the folder."""
    source = str(Path(get_call(services, ref).audio.path).parent)
    services.preferences.set_source_swapped(source, swapped)
    return source


def call_json(call: Call) -> dict[str, Any]:
    """The call document (the JSON of `reviewer show --json`)."""
    return call_document(call)
