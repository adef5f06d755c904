"""Snapping of dragged times to word boundaries, utterance edges, other tags' edges and the playhead (no Qt)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from reviewer.domain.tags import Tag
from reviewer.domain.transcript import Utterance

SNAP_PX = 8.0  # the pull radius users of Aegisub and Subtitle Edit expect

Candidates = npt.NDArray[np.int64]


def snap(
    value_ms: float, candidates: Candidates, ms_per_px: float, *, enabled: bool = True, radius_px: float = SNAP_PX
) -> tuple[int, int | None]:
    """The nearest candidate within `radius_px` and the guide to draw there, else the rounded value and None."""
    if not enabled or candidates.size == 0:
        return round(value_ms), None
    nearest = _nearest(value_ms, candidates)
    if abs(nearest - value_ms) <= radius_px * ms_per_px:
        return nearest, nearest
    return round(value_ms), None


def snap_span(
    start_ms: float, end_ms: float, candidates: Candidates, ms_per_px: float, *, enabled: bool = True
) -> tuple[int, int | None]:
    """Shift for a moved span so that whichever edge is nearer a candidate lands on it, and its guide."""
    if not enabled or candidates.size == 0:
        return 0, None
    best: tuple[float, int, int] | None = None
    for edge in (start_ms, end_ms):
        target, guide = snap(edge, candidates, ms_per_px)
        if guide is not None and (best is None or abs(target - edge) < best[0]):
            best = (abs(target - edge), round(target - edge), guide)
    return (0, None) if best is None else (best[1], best[2])


def _nearest(value: float, candidates: Candidates) -> int:
    i = int(np.searchsorted(candidates, value))
    around = candidates[max(0, i - 1) : i + 1]
    return int(around[np.argmin(np.abs(around - value))])


class SnapTargets:
    """The fixed targets of a call (words and utterances) and the tag edges, combined per drag."""

    def __init__(self, utterances: Sequence[Utterance] = (), tags: Sequence[Tag] = ()) -> None:
        self.static: Candidates = _unique(_transcript_edges(utterances))
        self._edges: Candidates = np.empty(0, dtype=np.int64)
        self._owners: Candidates = np.empty(0, dtype=np.int64)
        self.set_tags(tags)

    def set_tags(self, tags: Sequence[Tag]) -> None:
        """Remember every tag edge with the id of its tag."""
        self._edges = np.array([e for t in tags for e in (t.start_ms, t.end_ms)], dtype=np.int64)
        self._owners = np.array([-1 if t.id is None else t.id for t in tags for _ in (0, 1)], dtype=np.int64)

    def candidates(self, exclude_tag_id: int | None = None, playhead_ms: int | None = None) -> Candidates:
        """Sorted unique targets: transcript, tag edges except the dragged tag's, and the playhead."""
        edges = self._edges if exclude_tag_id is None else self._edges[self._owners != exclude_tag_id]
        extra = np.array([] if playhead_ms is None else [playhead_ms], dtype=np.int64)
        return _unique([self.static, edges, extra])


def _transcript_edges(utterances: Sequence[Utterance]) -> list[Candidates]:
    edges = [u_edge for u in utterances for u_edge in (u.start_ms, u.end_ms)]
    words = [w_edge for u in utterances for w in u.words for w_edge in (w.start_ms, w.end_ms)]
    return [np.array(edges, dtype=np.int64), np.array(words, dtype=np.int64)]


def _unique(parts: list[Candidates]) -> Candidates:
    joined = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    return np.unique(joined.astype(np.int64))
