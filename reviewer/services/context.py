"""What the use cases need from the outside world, built once by app/ and handed to the faces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewer.audio.peaks import PeaksCache
from reviewer.audio.playback import PlaybackCache
from reviewer.persistence.database import Database
from reviewer.services.preferences import PreferencesStore


@dataclass(frozen=True, slots=True)
class Services:
    """The database and caches one running app (or one CLI command) works with."""

    database: Database
    peaks: PeaksCache
    playback: PlaybackCache
    demo_dir: Path
    preferences: PreferencesStore
    author: str = ""
