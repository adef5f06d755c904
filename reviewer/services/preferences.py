"""Load and save the Preferences file (JSON in the platform config directory), atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from reviewer.domain.preferences import PREFERENCES_VERSION, Preferences


class PreferencesStore:
    """One preferences file; a missing or unreadable file reads as the defaults (and is never half-written)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Preferences:
        """The stored preferences, or the defaults."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Preferences()
        if not isinstance(data, dict):
            return Preferences()
        sources = data.get("swapped_sources", [])
        policies = data.get("team_policies", {})
        return Preferences(
            swapped_sources=frozenset(str(s) for s in sources if isinstance(s, str)),
            team_policies=tuple(
                sorted((t, p) for t, p in policies.items() if isinstance(t, str) and isinstance(p, str) and p)
            )
            if isinstance(policies, dict)
            else (),
        )

    def save(self, preferences: Preferences) -> None:
        """Write through a temporary file and rename, so a crash leaves the old file intact."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": PREFERENCES_VERSION,
            "swapped_sources": sorted(preferences.swapped_sources),
            "team_policies": dict(preferences.team_policies),
        }
        handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
        Path(temp).replace(self.path)

    def set_source_swapped(self, source: str, swapped: bool) -> Preferences:
        """Remember (or forget) that a folder's recordings come in swapped; returns the new preferences."""
        current = self.load()
        sources = current.swapped_sources | {source} if swapped else current.swapped_sources - {source}
        updated = replace(current, swapped_sources=frozenset(sources))
        self.save(updated)
        return updated

    def set_team_policy(self, team: str, path: str | None) -> Preferences:
        """Check a team's calls against this policy file from now on (None: back to the default)."""
        current = self.load()
        chosen = {t: p for t, p in current.team_policies if t != team}
        if path:
            chosen[team] = path
        updated = replace(current, team_policies=tuple(sorted(chosen.items())))
        self.save(updated)
        return updated
