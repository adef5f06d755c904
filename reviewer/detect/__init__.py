"""Suggestion detectors over domain objects and audio features (no Qt, no database)."""
