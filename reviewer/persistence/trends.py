"""The call facts and the trend queries over them: GROUP BY in the database, the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, case, delete, func, insert, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from reviewer.domain.call import ReviewStatus
from reviewer.domain.trends import (
    CallFacts,
    Ending,
    Grain,
    Level,
    Measure,
    Period,
    PointCall,
    TrendQuery,
    TrendRow,
    day_key,
)
from reviewer.domain.verdict import VerdictStatus
from reviewer.persistence.database import upsert_insert
from reviewer.persistence.tables import (
    AgentRow,
    CallFactFindingRow,
    CallFactKindRow,
    CallFactsRow,
    CallRow,
    TeamRow,
)

F = CallFactsRow
_MEASURES: dict[Measure, InstrumentedAttribute[int]] = {m: getattr(F, m.value) for m in Measure}
_ENDINGS: tuple[Ending, ...] = tuple(e for e in Ending if e is not Ending.NONE)
_STATUSES: tuple[VerdictStatus, ...] = tuple(VerdictStatus)
_MEASURE_KEYS = tuple(m.value for m in Measure)
# What rows() selects after the group and the period: calls, talk time, the measures, the statuses, the endings.
_SUMS = (
    func.count(),
    func.sum(F.talk_ms),
    *(func.sum(column) for column in _MEASURES.values()),
    *(func.sum(case((F.status == s.value, 1), else_=0)) for s in _STATUSES),
    *(func.sum(case((F.ending == e.value, 1), else_=0)) for e in _ENDINGS),
)
# The agents joined for the team level; an alias, so the filters' subqueries on agents are not correlated to it.
_MEMBER = aliased(AgentRow, name="member")
# Where the measures, the statuses and the endings start in a row of rows() (group, period, calls, talk come first).
_MEASURES_AT = 4
_STATUSES_AT = _MEASURES_AT + len(_MEASURE_KEYS)
_ENDINGS_AT = _STATUSES_AT + len(_STATUSES)
_NO_NAMES: tuple[str | None, str | None] = (None, None)


class FactsRepository:
    """Writes one call's facts (with its verdict, in the caller's transaction) and lists what needs them."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def store(self, call_id: int, facts: CallFacts, zone: tzinfo | None = None) -> None:
        """Replace the call's facts; its day, week and month are taken in `zone` (None: this machine's)."""
        call = self._s.get(CallRow, call_id)
        if call is None:
            return
        day = call.started_at.astimezone(zone).date() if call.started_at else None
        values: dict[str, Any] = {
            "call_id": call_id,
            "agent_id": call.agent_id,
            "day": day_key(day) if day else None,
            "week": Period.of(day, Grain.WEEK).key if day else None,
            "month": Period.of(day, Grain.MONTH).key if day else None,
            "reviewed": call.review_status == ReviewStatus.DONE.value,
            "talk_ms": call.talk_ms,
            "status": facts.status.value,
            "ending": facts.ending.value,
        } | {m.value: n for m, n in facts.measures.items()}
        # The upsert comes first: on PostgreSQL it locks the call's row, so two checks of one call at once
        # replace its kinds and findings one after the other instead of colliding on their keys.
        statement = upsert_insert(self._s, F).values(**values)
        changed = {k: statement.excluded[k] for k in values if k != "call_id"}
        self._s.execute(statement.on_conflict_do_update(index_elements=[F.call_id], set_=changed))
        self._s.execute(delete(CallFactKindRow).where(CallFactKindRow.call_id == call_id))
        self._s.execute(delete(CallFactFindingRow).where(CallFactFindingRow.call_id == call_id))
        kinds = [{"call_id": call_id, "kind": k, "actor": a, "n": n} for (k, a), n in facts.kinds.items()]
        findings = [{"call_id": call_id, "rule": rule, "n": n} for rule, n in facts.findings.items()]
        for table, rows in ((CallFactKindRow, kinds), (CallFactFindingRow, findings)):
            if rows:
                self._s.execute(insert(table), rows)
        self._s.flush()

    def all_facts(self) -> set[int]:
        """Every call that has facts."""
        return set(self._s.scalars(select(F.call_id)))


class TrendRepository:
    """Trend rows and the calls behind a point, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def rows(self, query: TrendQuery, level: Level) -> list[TrendRow]:
        """One row per agent (or team, or everybody) and period that has calls, in period order."""
        with _collector_paused():
            return self._rows_of(query, level)

    def _rows_of(self, query: TrendQuery, level: Level) -> list[TrendRow]:
        group, period = _group(level), _period(query.grain)
        statement = _scoped(_joined(select(group, period, *_SUMS).select_from(F), level), query, level)
        statement = statement.group_by(group, period).order_by(period, group)
        findings = self._findings(query, level)
        extras = self._extra_counts(query, level, findings)
        names = self._names(level)
        periods: dict[int, Period] = {}
        rows: list[TrendRow] = []
        # The sums are over NOT NULL integer columns of non-empty groups: never NULL, an int on both backends.
        for record in self._rows(statement):
            g, p = key = (record[0], record[1])
            counts = dict(zip(_MEASURE_KEYS, record[_MEASURES_AT:_STATUSES_AT], strict=True))
            if key in extras:
                counts.update(extras[key])
            agent, team = names.get(g, _NO_NAMES)
            when = periods.get(p)
            if when is None:
                when = periods[p] = Period(query.grain, p)
            statuses = {s: n for s, n in zip(_STATUSES, record[_STATUSES_AT:_ENDINGS_AT], strict=True) if n}
            endings = {e: n for e, n in zip(_ENDINGS, record[_ENDINGS_AT:], strict=True) if n}
            # Positional: the fields in TrendRow's order (period, agent, team, calls, talk_ms, counts, endings,
            # statuses, findings); a quarter faster than keywords over tens of thousands of rows.
            rows.append(
                TrendRow(when, agent, team, record[2], record[3], counts, endings, statuses, findings.get(key, {}))
            )
        return rows

    def _rows(self, statement: Select[Any]) -> Sequence[Sequence[Any]]:
        """Every row of a statement at once, through the session's connection: the ORM's result handling costs
        about 15 % more per row over tens of thousands of rows. Pending changes are flushed first, as
        Session.execute would."""
        self._s.flush()
        return self._s.connection().execute(statement).all()

    def _extra_counts(
        self, query: TrendQuery, level: Level, findings: dict[tuple[Any, int], dict[str, int]]
    ) -> dict[tuple[Any, int], dict[str, int]]:
        """The chosen tag kind's counts per group and period (one grouped query), and the chosen rule's (added up
        from `findings`, which hold only that rule's when a rule is chosen)."""
        counts: dict[tuple[Any, int], dict[str, int]] = {}
        group, period = _group(level), _period(query.grain)
        if query.kind:
            kind, _, actor = query.kind.partition("/")
            k = CallFactKindRow
            where = [k.kind == kind, *([k.actor == actor] if actor else [])]
            statement = select(group, period, func.sum(k.n)).select_from(k).join(F, F.call_id == k.call_id)
            statement = _scoped(_joined(statement, level).where(*where), query, level).group_by(group, period)
            for g, p, n in self._rows(statement):
                counts.setdefault((g, p), {})[query.kind] = int(n)
        if query.rule and query.rule_key:
            for key, found in findings.items():
                counts.setdefault(key, {})[query.rule_key] = sum(found.values())
        return counts

    def _findings(self, query: TrendQuery, level: Level) -> dict[tuple[Any, int], dict[str, int]]:
        """Findings by rule id per group and period (only the chosen rule's when there is one)."""
        group, period, r = _group(level), _period(query.grain), CallFactFindingRow
        statement = select(group, period, r.rule, func.sum(r.n)).select_from(r).join(F, F.call_id == r.call_id)
        statement = _joined(statement, level)
        if query.rule:
            statement = statement.where(_rule_matches(r.rule, query.rule))
        found: dict[tuple[Any, int], dict[str, int]] = {}
        for g, p, rule, n in self._rows(_scoped(statement, query, level).group_by(group, period, r.rule)):
            key = (g, p)
            if key in found:
                found[key][rule] = int(n)
            else:
                found[key] = {rule: int(n)}
        return found

    def _names(self, level: Level) -> dict[Any, tuple[str | None, str | None]]:
        """Group key -> (agent, team) names; the agents and teams tables are small."""
        if level is Level.TEAM:
            return {i: (None, name) for i, name in self._s.execute(select(TeamRow.id, TeamRow.name))}
        if level is Level.ALL:
            return {}
        query = select(AgentRow.id, AgentRow.name, TeamRow.name).outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
        return {i: (agent, team) for i, agent, team in self._s.execute(query)}

    def team_of(self, agent: str) -> str | None:
        """The agent's team, if it has one."""
        query = select(TeamRow.name).join(AgentRow, AgentRow.team_id == TeamRow.id).where(AgentRow.name == agent)
        return self._s.scalar(query)

    def agents(self) -> list[tuple[str, str | None]]:
        """(agent, team) of every agent with checked calls, by name."""
        query = (
            select(AgentRow.name, TeamRow.name)
            .outerjoin(TeamRow, AgentRow.team_id == TeamRow.id)
            .where(AgentRow.id.in_(select(F.agent_id).distinct()))
            .order_by(AgentRow.name)
        )
        return [(agent, team) for agent, team in self._s.execute(query)]

    def kinds(self) -> tuple[str, ...]:
        """The tag kinds that occur in checked calls."""
        return tuple(self._s.scalars(select(CallFactKindRow.kind).distinct().order_by(CallFactKindRow.kind)))

    def rules(self) -> tuple[str, ...]:
        """The finding rule ids that occur in checked calls."""
        r = CallFactFindingRow
        return tuple(self._s.scalars(select(r.rule).distinct().order_by(r.rule)))

    def span(self) -> tuple[date | None, date | None]:
        """The first and last day with a checked call."""
        first, last = self._s.execute(select(func.min(F.day), func.max(F.day))).one()
        return _day(first), _day(last)

    def point_calls(
        self, query: TrendQuery, period: Period, agent: str | None = None, measure: str | None = None
    ) -> list[PointCall]:
        """The calls behind one point (an agent's, or the query's team or everybody's), with the measure's count."""
        narrowed = TrendQuery(
            grain=period.grain,
            team=query.team,
            agent=agent or query.agent,
            first=max(filter(None, (query.first, period.first_day))),
            last=min(filter(None, (query.last, period.last_day))),
            reviewed_only=query.reviewed_only,
        )
        count = _measure_count(measure)
        statement = (
            select(F.call_id, CallRow.external_id, AgentRow.name, F.day, F.status, F.ending, count)
            .join(CallRow, CallRow.id == F.call_id)
            .outerjoin(AgentRow, AgentRow.id == F.agent_id)
            .order_by(F.day, CallRow.started_at, F.call_id)
        )
        return [
            PointCall(i, ext, name, _day(day), VerdictStatus(status), Ending(ending), int(n or 0))
            for i, ext, name, day, status, ending, n in self._s.execute(_scoped(statement, narrowed, Level.AGENT))
        ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: rows() allocates a few hundred thousand objects (result rows, dicts,
    TrendRows) that form no reference cycles, yet each full collection they trigger walks the whole heap; in a
    process holding much else, that was 145 of 505 ms (benchmarks/trends_scale.py). Reference counting still frees
    everything; the collector runs again afterwards unless it was already off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _group(level: Level) -> ColumnElement[Any] | InstrumentedAttribute[int | None]:
    if level is Level.TEAM:
        return _MEMBER.team_id
    if level is Level.ALL:
        return literal(0)
    return F.agent_id


def _joined(statement: Select[Any], level: Level) -> Select[Any]:
    """At the team level, the facts' agents joined (for their team): one join, not a subquery per facts row."""
    return statement.join(_MEMBER, _MEMBER.id == F.agent_id) if level is Level.TEAM else statement


def _period(grain: Grain) -> InstrumentedAttribute[int | None]:
    return F.week if grain is Grain.WEEK else F.month


def _scoped(statement: Select[Any], query: TrendQuery, level: Level) -> Select[Any]:
    """The query's filters on the facts: dated calls, reviewed ones, a team, an agent, a range of days."""
    where: list[ColumnElement[bool]] = [_period(query.grain).is_not(None)]
    if query.reviewed_only:
        where.append(F.reviewed.is_(True))
    if query.team:
        team = select(TeamRow.id).where(TeamRow.name == query.team).scalar_subquery()
        where.append(F.agent_id.in_(select(AgentRow.id).where(AgentRow.team_id == team)))
    if query.agent:
        where.append(F.agent_id == select(AgentRow.id).where(AgentRow.name == query.agent).scalar_subquery())
    if query.first:
        where.append(F.day >= day_key(query.first))
    if query.last:
        where.append(F.day <= day_key(query.last))
    if level is Level.TEAM:
        where.append(F.agent_id.is_not(None))
    return statement.where(*where)


def _rule_matches(column: InstrumentedAttribute[str], rule: str) -> ColumnElement[bool]:
    """R1 matches every R1.* finding; R1.premature_hangup only itself."""
    return column == rule if "." in rule else column.like(f"{rule}.%")


def _measure_count(measure: str | None) -> ColumnElement[Any] | InstrumentedAttribute[int]:
    """Per call, how many of the measure the point is about (a Measure column, a kind, or rule:ID)."""
    if measure is None:
        return literal(0)
    if measure in _MEASURES:
        return _MEASURES[Measure(measure)]
    if measure.startswith("rule:"):
        r = CallFactFindingRow
        matches = _rule_matches(r.rule, measure.removeprefix("rule:"))
        return select(func.sum(r.n)).where(r.call_id == F.call_id, matches).scalar_subquery()
    kind, _, actor = measure.partition("/")
    k = CallFactKindRow
    where = [k.call_id == F.call_id, k.kind == kind, *([k.actor == actor] if actor else [])]
    return select(func.sum(k.n)).where(*where).scalar_subquery()


def _day(key: int | None) -> date | None:
    return None if key is None else date(key // 10000, key // 100 % 100, key % 100)
