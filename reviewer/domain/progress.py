"""Progress of a long use case, yielded by service generators and shown by the faces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    """`done` of `total` steps; `item` names what is being worked on (a file, a call)."""

    done: int
    total: int
    item: str = ""
