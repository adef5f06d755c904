"""The preferences file: defaults when missing or damaged, atomic saves, versioned."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.domain.preferences import PREFERENCES_VERSION, Preferences
from reviewer.services.preferences import PreferencesStore


def test_missing_or_damaged_file_reads_as_defaults(tmp_path: Path) -> None:
    store = PreferencesStore(tmp_path / "config" / "preferences.json")
    assert store.load() == Preferences()
    store.path.parent.mkdir()
    store.path.write_text("{not json")
    assert store.load() == Preferences()
    store.path.write_text('["a list, not an object"]')
    assert store.load() == Preferences()


def test_sources_are_remembered_and_forgotten(tmp_path: Path) -> None:
    store = PreferencesStore(tmp_path / "preferences.json")
    store.set_source_swapped("/calls/recorder-7", True)
    store.set_source_swapped("/calls/recorder-9", True)
    assert PreferencesStore(store.path).load().swapped_sources == {"/calls/recorder-7", "/calls/recorder-9"}
    store.set_source_swapped("/calls/recorder-7", False)
    saved = json.loads(store.path.read_text())
    assert saved == {"version": PREFERENCES_VERSION, "swapped_sources": ["/calls/recorder-9"], "team_policies": {}}
    assert list(tmp_path.glob("*.tmp")) == []
