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
    version: int = PREFERENCES_VERSION
