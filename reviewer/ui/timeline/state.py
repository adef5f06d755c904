"""Everything the timeline shows, in one plain object that the widget changes and the painters read."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.domain.parties import Actor
from reviewer.domain.suggestions import Suggestion
from reviewer.ui.timeline.geometry import GUTTER_PX, Geometry
from reviewer.ui.timeline.index import TagIndex
from reviewer.ui.timeline.scale import TimeScale
from reviewer.ui.timeline.snapping import SnapTargets
from reviewer.ui.timeline.spans import UtteranceLane, utterance_lanes
from reviewer.ui.timeline.waveform import WaveformTiles


@dataclass(frozen=True, slots=True)
class Preview:
    """A tag as it would be after the drag in progress (drawn, not yet emitted)."""

    tag_id: int
    start_ms: int
    end_ms: int


class TimelineState:
    """The call, the view and the user's marks: selection, selected tag, playhead, current lane, drag preview."""

    def __init__(self) -> None:
        self.scale = TimeScale()
        self.geometry = Geometry()
        self.waveforms = WaveformTiles()
        self.channels: dict[Actor, int | None] = {Actor.AGENT: None, Actor.CUSTOMER: None}
        self.utterances: dict[Actor, UtteranceLane] = utterance_lanes(())
        self.index = TagIndex()
        self.snaps = SnapTargets()
        self.playhead = 0
        self.selection: tuple[Actor, int, int] | None = None
        self.selected_id: int | None = None
        self.current_lane = Actor.AGENT
        self.preview: Preview | None = None
        self.guide_ms: int | None = None
        self.tags_version = 0  # bumped whenever tags change, so rasters of them are rebuilt
        self.markers: tuple[tuple[int, str], ...] = ()  # policy findings: (ms, severity), drawn on the ruler
        # Pending suggestions, drawn as ghost tags in rows below the lane's tags (ids are the suggestions').
        self.ghosts = TagIndex()
        self.suggestions: dict[int, Suggestion] = {}
        self.current_ghost: int | None = None
        self.ghosts_version = 0

    def rows_in(self, lane: Actor) -> int:
        """Stacking rows of a lane: the tags' rows, then the ghost tags' (so a ghost never hides a tag)."""
        return self.index.lane(lane).row_count + self.ghosts.lane(lane).row_count

    @property
    def duration_ms(self) -> int:
        """Length of the call."""
        return self.scale.duration_ms

    def x_of(self, ms: float) -> float:
        """Widget x of a time."""
        return GUTTER_PX + self.scale.x_of(ms)

    def ms_at(self, x: float) -> float:
        """Time at a widget x (not clamped)."""
        return self.scale.ms_at(x - GUTTER_PX)
