"""What the Trends tab lists: the measures on offer, each agent's figures over the window, and the Qt models of the
agents table and of the calls behind a point."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from reviewer.domain.trends import (
    Ending,
    Grain,
    Measure,
    Period,
    PointCall,
    Rate,
    TrendRow,
    Trends,
)
from reviewer.domain.verdict import VerdictStatus
from reviewer.services.trends import TrendFacets
from reviewer.text.tags import kind_label
from reviewer.text.trends import ENDING_LABELS, MEASURE_LABELS, is_share
from reviewer.text.trends import figure as shown
from reviewer.text.verdicts import status_label
from reviewer.ui.library_model import SORT_ROLE, VERDICT_COLORS
from reviewer.ui.trend_charts import FLAG_COLOR

SHARES = ("status:violation", "ending:premature")
WINDOW = {Grain.WEEK: 12, Grain.MONTH: 6}  # periods shown by default: a quarter of weeks, half a year of months
Index = QModelIndex | QPersistentModelIndex
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)


def measure_choices(facets: TrendFacets) -> list[tuple[str, str]]:
    """(label, key) of every measure the Measure filter offers: the counts, the shares, tag kinds, then rules."""
    fixed = [(MEASURE_LABELS[m.value], m.value) for m in Measure] + [(MEASURE_LABELS[k], k) for k in SHARES]
    kinds = [(f"Tag kind: {kind_label(k)}", k) for k in facets.kinds]
    rules = sorted({r.split(".", 1)[0] for r in facets.rules} | set(facets.rules))
    return fixed + kinds + [(f"Rule: {r}", f"rule:{r}") for r in rules]


def extra_count(key: str) -> tuple[str | None, str | None]:
    """The (kind, rule) a trend query must also count for this measure to exist in its rows."""
    if key in MEASURE_LABELS:
        return None, None
    if key.startswith("rule:"):
        return None, key.removeprefix("rule:")
    return key, None


def default_window(last: date, grain: Grain) -> tuple[date, date]:
    """The last WINDOW periods ending on `last`, from the first day of the first of them."""
    first = Period.of(last, grain)
    for _ in range(WINDOW[grain] - 1):
        first = first.previous()
    return first.first_day, last


def happened(row: TrendRow, key: str) -> int:
    """How many times a measure happened in a row: a count, or for a share the calls that had it."""
    if key.startswith("status:"):
        return row.statuses.get(VerdictStatus(key.removeprefix("status:")), 0)
    if key.startswith("ending:"):
        return row.endings.get(Ending(key.removeprefix("ending:")), 0)
    return row.count(key)


def size(calls: int, talk_ms: int, key: str, rate: Rate) -> float:
    """What a measure is rated over: calls, or hours of talk (a share is always of calls)."""
    return talk_ms / 3_600_000 if rate is Rate.PER_HOUR and not is_share(key) else float(calls)


@dataclass(frozen=True, slots=True)
class AgentFigures:
    """One agent over the whole window: the agents table's row."""

    agent: str
    team: str | None
    calls: int
    talk_ms: int
    value: float | None  # the measure's rate (or share) over the window
    team_value: float | None  # the team's (everybody's without a team) over the same window
    flags: int  # the control charts' flags on this agent for this measure


def agent_figures(trends: Trends, key: str, rate: Rate) -> list[AgentFigures]:
    """Per agent in the rows, sums over the window (a few hundred rows at most: no query per agent)."""
    sums: dict[tuple[str, str | None], list[float]] = {}
    for row in trends.agents:
        if row.agent:
            total = sums.setdefault((row.agent, row.team), [0, 0, 0])
            total[0] += row.calls
            total[1] += row.talk_ms
            total[2] += happened(row, key)
    flags: dict[str | None, int] = {}
    for flag in trends.flags:
        if flag.agent and flag.measure == key:
            flags[flag.agent] = flags.get(flag.agent, 0) + 1
    teams = {team: _pooled(trends.of_team(team).values(), key, rate) for _, team in sums}
    return [
        AgentFigures(agent, team, int(calls), int(talk), _ratio(n, size(int(calls), int(talk), key, rate)),
                     teams[team], flags.get(agent, 0))
        for (agent, team), (calls, talk, n) in sorted(sums.items())
    ]  # fmt: skip


def _pooled(rows: Iterable[TrendRow], key: str, rate: Rate) -> float | None:
    rows = list(rows)
    return _ratio(sum(happened(r, key) for r in rows), sum(size(r.calls, r.talk_ms, key, rate) for r in rows))


def _ratio(count: float, over: float) -> float | None:
    return count / over if over else None


Column = tuple[str, Callable[[Any], str], Callable[[Any], Any], int]


class _RowsModel(QAbstractTableModel):
    """Read-only rows of plain values behind a table of `columns`; `set_rows` replaces them in one reset."""

    def __init__(self, columns: tuple[Column, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """Every row's value."""
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        """The value shown in a row."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        _, show, sort_key, align = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(row)
        if role == SORT_ROLE:
            return sort_key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return align
        return self._extra(index.column(), row, role)

    def _extra(self, column: int, row: Any, role: int) -> Any:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns)
        return self.columns[section][0] if horizontal and role == Qt.ItemDataRole.DisplayRole else None


def _hours(ms: int) -> str:
    minutes = round(ms / 60_000)
    return f"{minutes // 60}:{minutes % 60:02d}"


_AGENT_TIPS = {
    3: "Talk time over the window (h:mm)",
    4: "Over the window; bold when above the team's",
    5: "{team} over the window",
    6: "Periods the control chart flags for this agent (per call)",
}


class AgentsModel(_RowsModel):
    """One row per agent in scope: calls, talk time, the measure against the team, and its flags."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self._columns("agent_interruption", Rate.PER_CALL), parent)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_figures(self, figures: list[AgentFigures], key: str, rate: Rate) -> None:
        """Show these agents' figures for a measure (the value columns' headings follow it)."""
        self.beginResetModel()
        self.columns = self._columns(key, rate)
        self._rows = list(figures)
        self.endResetModel()

    @staticmethod
    def _columns(key: str, rate: Rate) -> tuple[Column, ...]:
        name = "Share" if is_share(key) else ("Per call" if rate is Rate.PER_CALL else "Per hour")
        return (
            ("Agent", lambda a: a.agent, lambda a: a.agent.casefold(), _LEFT),
            ("Team", lambda a: a.team or "—", lambda a: a.team or "", _LEFT),
            ("Calls", lambda a: str(a.calls), lambda a: a.calls, _RIGHT),
            ("Talk", lambda a: _hours(a.talk_ms), lambda a: a.talk_ms, _RIGHT),
            (name, lambda a: shown(a.value, key), lambda a: -1.0 if a.value is None else a.value, _RIGHT),
            (
                "Team " + ("share" if is_share(key) else "rate"),
                lambda a: shown(a.team_value, key),
                lambda a: a.team_value or 0.0,
                _RIGHT,
            ),
            ("Flags", lambda a: str(a.flags) if a.flags else "", lambda a: a.flags, _CENTER),
        )

    def _extra(self, column: int, row: Any, role: int) -> Any:
        above = row.value is not None and row.team_value is not None and row.value > row.team_value
        if role == Qt.ItemDataRole.FontRole and column == 4 and above:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and row.flags:
            return QColor(FLAG_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _AGENT_TIPS.get(column, "").format(team=row.team or "everybody") or None
        return None

    def row_of(self, agent: str | None) -> int:
        """The row of an agent, -1 when not listed."""
        return next((i for i, a in enumerate(self._rows) if a.agent == agent), -1)


def hit(call: PointCall, key: str) -> bool:
    """Whether the measure happened in this call: a count above zero, or the status (ending) a share counts."""
    if key.startswith("status:"):
        return call.status.value == key.removeprefix("status:")
    if key.startswith("ending:"):
        return call.ending.value == key.removeprefix("ending:")
    return call.count > 0


class PointCallsModel(_RowsModel):
    """The calls behind a point, the ones where the measure happened first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self._columns(Measure.AGENT_INTERRUPTION.value), parent)

    def set_calls(self, calls: Iterable[PointCall], key: str) -> None:
        """Show these calls; a stable sort keeps their date order within the two groups."""
        self.beginResetModel()
        self.columns = self._columns(key)
        self._rows = sorted(calls, key=lambda c: not hit(c, key))
        self.endResetModel()

    @staticmethod
    def _columns(key: str) -> tuple[Column, ...]:
        def count(c: PointCall) -> str:
            return ("✓" if hit(c, key) else "") if is_share(key) else str(c.count)

        return (
            ("Date", lambda c: f"{c.day:%Y-%m-%d}" if c.day else "—", lambda c: c.day.toordinal() if c.day else 0,
             _LEFT),
            ("Call", lambda c: c.external_id, lambda c: c.external_id, _LEFT),
            ("Agent", lambda c: c.agent or "—", lambda c: c.agent or "", _LEFT),
            ("Count", count, lambda c: c.count if not is_share(key) else int(hit(c, key)), _RIGHT),
            ("Verdict", lambda c: status_label(c.status), lambda c: c.status.value, _LEFT),
            ("Ending", lambda c: ENDING_LABELS[c.ending].capitalize(), lambda c: c.ending.value, _LEFT),
        )  # fmt: skip

    def _extra(self, column: int, row: Any, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 4:
            return VERDICT_COLORS.get(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Enter or double-click: open the call for review"
        return None
