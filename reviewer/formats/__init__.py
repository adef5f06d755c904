"""Transcript and annotation formats: one module per format, each parsing to domain objects."""
