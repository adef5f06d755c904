"""Where the ruler, the overview strip and the lanes sit in the widget; lane heights follow the dividers."""

from __future__ import annotations

from PySide6.QtCore import QRect

from reviewer.domain.parties import Actor
from reviewer.ui.timeline.index import LANES

GUTTER_PX = 92  # lane names on the left, like ELAN's tier labels and Audacity's track headers
RULER_H = 22
OVERVIEW_H = 40
OVERVIEW_TICKS_H = 6
LANE_GAP = 3
UTTERANCE_H = 18
DIVIDER_GRAB_PX = 3
MIN_PARTY_H = 40
MIN_CALL_H = 18
MIN_ROW_H = 4
MAX_ROW_H = 20


class Geometry:
    """Rectangles of every band for the current size; dividers 0 (Agent|Customer) and 1 (Customer|Call) move."""

    def __init__(self) -> None:
        self.width = 1
        self.height = 1
        self.agent_share = 0.5
        self.call_height = 30
        self.ruler = QRect()
        self.overview = QRect()
        self.lanes: dict[Actor, QRect] = {lane: QRect() for lane in LANES}

    @property
    def timeline_width(self) -> int:
        """Width of the time axis (everything right of the gutter)."""
        return max(1, self.width - GUTTER_PX)

    def update(self, width: int, height: int) -> None:
        """Lay the bands out for a widget size."""
        self.width, self.height = max(1, width), max(1, height)
        self.ruler = QRect(0, 0, self.width, RULER_H)
        self.overview = QRect(0, RULER_H, self.width, OVERVIEW_H)
        top = RULER_H + OVERVIEW_H + LANE_GAP
        available = max(0, self.height - top)
        call_h = max(MIN_CALL_H, min(self.call_height, available - 2 * MIN_PARTY_H))
        party = max(0, available - call_h)
        agent_h = round(party * self.agent_share)
        self.lanes[Actor.AGENT] = QRect(0, top, self.width, agent_h)
        self.lanes[Actor.CUSTOMER] = QRect(0, top + agent_h, self.width, party - agent_h)
        self.lanes[Actor.CALL] = QRect(0, top + party, self.width, call_h)

    def lane_at(self, y: float) -> Actor | None:
        """The lane at a height, or None above the lanes."""
        return next((lane for lane, rect in self.lanes.items() if rect.top() <= y <= rect.bottom()), None)

    def divider_at(self, y: float) -> int | None:
        """The divider within grabbing distance of a height, or None."""
        bounds = (self.lanes[Actor.AGENT].bottom(), self.lanes[Actor.CUSTOMER].bottom())
        return next((i for i, b in enumerate(bounds) if abs(y - b - 0.5) <= DIVIDER_GRAB_PX), None)

    def move_divider(self, divider: int, y: float) -> None:
        """Drag a divider to a height, keeping every lane at least its minimum."""
        agent, customer, call = (self.lanes[lane] for lane in LANES)
        if divider == 0:
            party = agent.height() + customer.height()
            if party > 2 * MIN_PARTY_H:
                offset = min(party - MIN_PARTY_H, max(MIN_PARTY_H, y - agent.top()))
                self.agent_share = offset / party
        else:
            bottom = call.bottom() + 1
            self.call_height = round(max(MIN_CALL_H, bottom - y))
        self.update(self.width, self.height)

    def tag_area(self, lane: Actor) -> tuple[int, int]:
        """Top and height of the band where a lane's tags stack (party lanes keep the top for utterances)."""
        rect = self.lanes[lane]
        band = 0 if lane is Actor.CALL else UTTERANCE_H
        return rect.top() + band + 2, max(1, rect.height() - band - 4)

    def utterance_band(self, lane: Actor) -> tuple[int, int]:
        """Top and height of a party lane's utterance blocks."""
        return self.lanes[lane].top() + 1, UTTERANCE_H

    def row_height(self, lane: Actor, rows: int) -> int:
        """Height of one stacking row: the area shared out, within readable limits."""
        _, height = self.tag_area(lane)
        return max(MIN_ROW_H, min(MAX_ROW_H, height // max(1, rows)))

    def row_at(self, lane: Actor, y: float, rows: int) -> int | None:
        """The stacking row at a height, or None outside the rows."""
        top, height = self.tag_area(lane)
        row = int((y - top) // self.row_height(lane, rows))
        return row if 0 <= row < rows and y < top + height else None
