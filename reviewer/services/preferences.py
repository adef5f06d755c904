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
        sources = data.get("swapped_sources", []) if isinstance(data, dict) else []
        return Preferences(swapped_sources=frozenset(str(s) for s in sources if isinstance(s, str)))

    def save(self, preferences: Preferences) -> None:
        """Write through a temporary file and rename, so a crash leaves the old file intact."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": PREFERENCES_VERSION, "swapped_sources": sorted(preferences.swapped_sources)}
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
