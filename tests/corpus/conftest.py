"""Where the shared corpus of real files is: $REVIEWER_CORPUS, or ../shared/corpus next to the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The corpus folder; skips the test when it is not there."""
    configured = os.environ.get("REVIEWER_CORPUS")
    folder = Path(configured) if configured else Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    if not folder.is_dir():
        pytest.skip("../shared/corpus not found (set REVIEWER_CORPUS)")
    return folder
