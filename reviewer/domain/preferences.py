"""The supervisor's lasting choices, kept in one versioned file (see services/preferences.py)."""

from __future__ import annotations

from dataclasses import dataclass

PREFERENCES_VERSION = 1


@dataclass(frozen=True, slots=True)
class Preferences:
    """Typed preferences; a newer file's unknown keys are ignored, a missing key takes its default."""

    # Folders whose recorders label agent and customer the other way round: every call imported from one of
    # them is swapped on arrival ("reviewer swap CALL --always" adds the call's folder).
    swapped_sources: frozenset[str] = frozenset()
    # The policy file each team's calls are checked against, as (team, path) pairs; the team "" stands for every
    # team not listed (and calls without a team). Unlisted: the bundled default policy.
    team_policies: tuple[tuple[str, str], ...] = ()
    version: int = PREFERENCES_VERSION

    def policy_of(self, team: str | None) -> str | None:
        """The policy path chosen for a team (or for every other team), or None for the bundled default."""
        chosen = dict(self.team_policies)
        return chosen.get(team or "") or chosen.get("") or None
