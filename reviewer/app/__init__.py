"""Composition root: arguments, start-up order, wiring, paths."""
