"""Whether one rule's permission to end the call excuses a hang-up another rule would object to."""

from __future__ import annotations

from reviewer.policy.trail import Event


def excused(permits: dict[str, Event], unless: frozenset[str] | None) -> bool:
    """True when a permitting rule is among `unless` (None: any permitting rule excuses)."""
    return bool(permits) if unless is None else any(rule in unless for rule in permits)
