"""Tags per lane sorted by start, for range queries and hit-testing in O(log n), and stable row stacking.

Range queries bucket the tags by duration (powers of two): inside a bucket no tag is longer than its limit, so the
candidates for [a, b] are exactly the starts in [a - limit, b], found by binary search. A tag spanning the whole
call therefore never forces a scan of every tag after it, as a single running maximum of ends would.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt

from reviewer.domain.parties import Actor
from reviewer.domain.tags import Tag

EDGE_PX = 8.0  # the smallest grab zone of a tag edge, at every zoom (Praat and Label Studio users ask for it)
POINT_ON_TOP_PX = 4.0  # a point marker this close wins over the span it sits on: it is drawn on top
NO_ID = -1  # tags without a database id are drawn but cannot be picked
LANES: tuple[Actor, ...] = (Actor.AGENT, Actor.CUSTOMER, Actor.CALL)

IntArray = npt.NDArray[np.int64]


class TagPart(Enum):
    """Which part of a tag the pointer is on."""

    BODY = "body"
    START = "start"
    END = "end"


@dataclass(frozen=True, slots=True)
class TagHit:
    """A tag under the pointer and the part grabbed."""

    tag: Tag
    part: TagPart

    @property
    def tag_id(self) -> int:
        """The tag's id (hits only ever report tags that have one)."""
        assert self.tag.id is not None
        return self.tag.id


def lane_of(tag: Tag) -> Actor:
    """The lane a tag is drawn in: its actor's (point hang-ups by a party sit in that party's lane)."""
    return tag.actor.lane


def pack_rows(starts: Sequence[int], ends: Sequence[int]) -> list[int]:
    """Greedy first-fit rows for spans sorted by start; points get row -1 (markers across the lane).

    Rows depend only on times, never on zoom, so tags do not jump between rows while zooming.
    """
    row_ends: list[int] = []
    rows: list[int] = []
    for start, end in zip(starts, ends, strict=True):
        if start == end:
            rows.append(-1)
            continue
        row = next((r for r, last in enumerate(row_ends) if last <= start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        rows.append(row)
    return rows


def classify(start: int, end: int, ms: float, zone_ms: float) -> tuple[TagPart, int, float] | None:
    """Part of a tag at `ms`, with a rank tier (0 best) and a distance; None when the pointer is not on it.

    Each edge owns `zone_ms` outside the tag plus up to a third of the tag inside, so an edge is always at least
    EDGE_PX wide, and on a tiny tag the edge nearer the pointer wins while a sliver of body stays grabbable.
    """
    if start == end:
        distance = abs(ms - start)
        if distance > zone_ms:
            return None
        return TagPart.BODY, 0 if distance <= zone_ms * POINT_ON_TOP_PX / EDGE_PX else 2, distance
    inner = min(zone_ms, (end - start) / 3)
    tier = 1 if start <= ms <= end else 2
    if start - zone_ms <= ms < start + inner:
        return TagPart.START, tier, abs(ms - start)
    if end - inner < ms <= end + zone_ms:
        return TagPart.END, tier, abs(ms - end)
    if start <= ms <= end:
        return TagPart.BODY, 1, 0.0
    return None


class LaneIndex:
    """The tags of one lane, sorted by (start, end, id), with duration buckets and stacking rows."""

    def __init__(self, tags: Sequence[Tag]) -> None:
        self.tags: list[Tag] = sorted(tags, key=lambda t: (t.start_ms, t.end_ms, t.id if t.id is not None else NO_ID))
        self.start_list = [t.start_ms for t in self.tags]
        self.starts: IntArray = np.array(self.start_list, dtype=np.int64)
        self.ends: IntArray = np.array([t.end_ms for t in self.tags], dtype=np.int64)
        self.ids: IntArray = np.array([NO_ID if t.id is None else t.id for t in self.tags], dtype=np.int64)
        self.rows = np.array(pack_rows(self.start_list, self.ends.tolist()), dtype=np.int32)
        self.row_count = int(self.rows.max()) + 1 if self.rows.size else 0
        self._buckets = self._build_buckets()

    def __len__(self) -> int:
        return len(self.tags)

    def _build_buckets(self) -> list[tuple[int, IntArray, IntArray]]:
        if not self.tags:
            return []
        # frexp's exponent is exactly int.bit_length for integers below 2**53, vectorised.
        classes = np.frexp((self.ends - self.starts).astype(np.float64))[1].astype(np.int64)
        buckets = []
        for k in np.unique(classes).tolist():
            members = np.flatnonzero(classes == k)  # already in start order
            buckets.append(((1 << k) - 1, members.astype(np.int64), self.starts[members]))
        return buckets

    def overlapping(self, start_ms: float, end_ms: float) -> IntArray:
        """Positions (in start order) of the tags with start <= end_ms and end >= start_ms."""
        found = []
        for limit, members, starts in self._buckets:
            lo = int(np.searchsorted(starts, start_ms - limit, side="left"))
            hi = int(np.searchsorted(starts, end_ms, side="right"))
            if hi > lo:
                candidates = members[lo:hi]
                found.append(candidates[self.ends[candidates] >= start_ms])
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.sort(np.concatenate(found))

    def hit(
        self, ms: float, row: int | None, ms_per_px: float, prefer_id: int | None = None, edge_px: float = EDGE_PX
    ) -> TagHit | None:
        """The tag under the pointer at `ms` in `row` (None = no row; points are hit in any row), or None.

        Points near the pointer win (drawn on top), then the tag the pointer is inside, then edges grabbed from just
        outside; ties go to `prefer_id` (the selected tag), then to the nearer edge.
        """
        zone = edge_px * ms_per_px
        best: tuple[tuple[int, bool, float], TagHit] | None = None
        for i in self.overlapping(ms - zone, ms + zone).tolist():
            tag_row = int(self.rows[i])
            if self.ids[i] == NO_ID or (tag_row >= 0 and tag_row != row):
                continue
            found = classify(int(self.starts[i]), int(self.ends[i]), ms, zone)
            if found is None:
                continue
            part, tier, distance = found
            key = (tier, int(self.ids[i]) != prefer_id, distance)
            if best is None or key < best[0]:
                best = (key, TagHit(self.tags[i], part))
        return None if best is None else best[1]

    def position_of(self, tag_id: int) -> int | None:
        """Position of a tag in start order, or None when it is not in this lane."""
        found = np.flatnonzero(self.ids == tag_id)
        return int(found[0]) if found.size else None

    def adjacent(self, reference_ms: int, forward: bool, current_id: int | None = None) -> Tag | None:
        """The next (or previous) pickable tag after `current_id` if it is here, else after `reference_ms`."""
        position = None if current_id is None else self.position_of(current_id)
        if position is not None:
            order = range(position + 1, len(self.tags)) if forward else range(position - 1, -1, -1)
        elif forward:
            order = range(bisect_right(self.start_list, reference_ms), len(self.tags))
        else:
            order = range(bisect_left(self.start_list, reference_ms) - 1, -1, -1)
        return next((self.tags[i] for i in order if self.ids[i] != NO_ID), None)


class TagIndex:
    """One LaneIndex per lane, plus lookup by id."""

    def __init__(self, tags: Sequence[Tag] = ()) -> None:
        self.lanes = {lane: LaneIndex([t for t in tags if lane_of(t) is lane]) for lane in LANES}
        self.by_id = {t.id: t for t in tags if t.id is not None}

    def __len__(self) -> int:
        return len(self.by_id)

    def lane(self, actor: Actor) -> LaneIndex:
        """The index of one lane."""
        return self.lanes[actor]

    def get(self, tag_id: int | None) -> Tag | None:
        """A tag by id, or None."""
        return None if tag_id is None else self.by_id.get(tag_id)

    def hit(
        self, lane: Actor, ms: float, row: int | None, ms_per_px: float, prefer_id: int | None = None
    ) -> TagHit | None:
        """The tag under the pointer in a lane (see LaneIndex.hit)."""
        return self.lanes[lane].hit(ms, row, ms_per_px, prefer_id)

    def row_of(self, tag: Tag) -> int:
        """The stacking row of a tag in its lane (-1 for points)."""
        lane = self.lanes[lane_of(tag)]
        position = None if tag.id is None else lane.position_of(tag.id)
        return -1 if position is None else int(lane.rows[position])
