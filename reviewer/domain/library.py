"""What the call library can be narrowed to: the filters of the library view and `reviewer calls`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reviewer.domain.call import ReviewStatus
from reviewer.domain.verdict import VerdictStatus


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Conditions every listed call meets; None (or empty text) means 'any'."""

    team: str | None = None
    agent: str | None = None
    started_from: datetime | None = None  # inclusive, an aware datetime
    started_before: datetime | None = None  # exclusive, so a date range ends at the next midnight
    status: ReviewStatus | None = None
    tag_kind: str | None = None
    text: str = ""  # words said anywhere in the transcript, case-insensitive
    verdict: VerdictStatus | None = None  # the stored verdict's status

    @property
    def is_empty(self) -> bool:
        """No condition at all: every call."""
        return self == CallFilter()


@dataclass(frozen=True, slots=True)
class Facets:
    """The values the library's filter lists offer: what actually occurs in the library."""

    teams: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    tag_kinds: tuple[str, ...] = ()
