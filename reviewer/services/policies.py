"""Which policy applies to a call: the bundled ones, a team's choice, and loading them once per file version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewer.bundled import bundled_dir
from reviewer.domain.problems import InputError
from reviewer.policy.loader import load_policy
from reviewer.policy.model import Policy
from reviewer.services.context import Services

DEFAULT_POLICY = "default.toml"

# Loaded policies by (path, size, mtime): a policy file edited while the app runs is read again.
_LOADED: dict[tuple[str, int, int], Policy] = {}


@dataclass(frozen=True, slots=True)
class TeamPolicy:
    """A team's row in the settings: the team ("" = every other team) and the policy file it uses."""

    team: str
    path: Path
    chosen: bool  # False: nobody chose, the default applies


def policies_dir() -> Path:
    """resources/policies: the shipped policies."""
    return bundled_dir("resources") / "policies"


def bundled_policies() -> list[Path]:
    """The shipped policy files, the default first."""
    found = sorted(policies_dir().glob("*.toml"), key=lambda p: (p.name != DEFAULT_POLICY, p.name))
    return found


def read_policy(path: Path) -> Policy:
    """A policy file, loaded once per version of the file; InputError (BAD_POLICY) when it is malformed."""
    resolved = path.resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return load_policy(resolved)  # raises the UNREADABLE problem with the file's name
    key = (str(resolved), stat.st_size, stat.st_mtime_ns)
    if key not in _LOADED:
        _LOADED[key] = load_policy(resolved)
    return _LOADED[key]


def policy_path(services: Services, team: str | None) -> Path:
    """The policy file a team's calls are checked against."""
    chosen = services.preferences.load().policy_of(team)
    return Path(chosen) if chosen else policies_dir() / DEFAULT_POLICY


def policy_for(services: Services, team: str | None) -> Policy:
    """The policy a team's calls are checked against."""
    return read_policy(policy_path(services, team))


class TeamPolicies:
    """policy_for memoised for one batch or listing: the preferences file and each policy are read once per team,
    not once per call."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._known: dict[str | None, Policy] = {}

    def __call__(self, team: str | None) -> Policy:
        """The team's policy; InputError (not remembered, so a fixed file is read again) when it is malformed."""
        if team not in self._known:
            self._known[team] = policy_for(self._services, team)
        return self._known[team]

    def sha256(self, team: str | None) -> str:
        """The hash of the team's policy, or "" when its file is broken (no stored verdict matches that)."""
        try:
            return self(team).ref.sha256
        except InputError:
            return ""


PolicyLookup = Callable[[str | None], Policy]


def team_policies(services: Services, teams: list[str]) -> list[TeamPolicy]:
    """One row per team plus the "every other team" row, as the settings show them."""
    chosen = dict(services.preferences.load().team_policies)
    rows = [TeamPolicy("", policy_path(services, None), "" in chosen)]
    return rows + [TeamPolicy(t, policy_path(services, t), t in chosen) for t in teams]


def choose_policy(services: Services, team: str, path: Path | None) -> Policy | None:
    """Use this policy file for a team ("" = every other team) from now on; it is loaded first, so a malformed
    file is refused (InputError) and nothing changes. None goes back to the default."""
    policy = read_policy(path) if path is not None else None
    services.preferences.set_team_policy(team, str(path.resolve()) if path is not None else None)
    return policy
