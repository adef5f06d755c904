"""The weekly coaching report for one agent: the period against the team and the agent's own past, and the calls
with a violation or coaching finding, each with its verdict's trace, the supervisor's notes and the tags cited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from reviewer.domain.call import Call
from reviewer.domain.problems import CallNotFoundError
from reviewer.domain.trends import Period, TrendQuery, TrendRow, Trends
from reviewer.domain.verdict import Verdict, VerdictStatus
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.trends import TrendRepository
from reviewer.persistence.verdicts import VerdictRepository
from reviewer.services.context import Services
from reviewer.services.trends import trends

HISTORY = 8  # periods of the agent's own past the report compares with, the reported one included
_DISCUSSED = (VerdictStatus.VIOLATION, VerdictStatus.COACHING)


class AgentNotFoundError(LookupError):
    """No agent of this name has checked calls in the library."""


@dataclass(frozen=True, slots=True)
class ReportCall:
    """A call the coaching conversation goes through: the call (its tags, transcript and summary) and its verdict."""

    call: Call
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class CoachingReport:
    """Everything the report shows, as data: the faces lay it out (HTML, PDF)."""

    agent: str
    team: str | None
    period: Period
    trends: Trends  # the agent's query over the last HISTORY periods, with the team's and everybody's rows
    calls: tuple[ReportCall, ...]
    generated_at: datetime
    author: str

    @property
    def this(self) -> TrendRow | None:
        """The agent's row for the reported period (None: no reviewed calls that period)."""
        return self.trends.of_agent(self.agent).get(self.period)

    @property
    def team_row(self) -> TrendRow | None:
        """The team's row for the period (everybody's when the agent has no team)."""
        return self.trends.of_team(self.team).get(self.period)

    @property
    def previous(self) -> list[TrendRow]:
        """The agent's rows of the earlier periods in the window, oldest first."""
        rows = self.trends.of_agent(self.agent)
        return [rows[p] for p in self.trends.periods if p < self.period and p in rows]


def coaching_report(services: Services, agent: str, period: Period, history: int = HISTORY) -> CoachingReport:
    """The report of one agent's period; AgentNotFoundError when no such agent has checked calls."""
    first = period
    for _ in range(history - 1):
        first = first.previous()
    with services.database.session() as session:
        repo = TrendRepository(session)
        known = dict(repo.agents())
        if agent not in known:
            raise AgentNotFoundError(agent)
        query = TrendQuery(grain=period.grain, agent=agent, first=first.first_day, last=period.last_day)
        behind = repo.point_calls(query, period, agent)
    found = trends(services, query)
    discussed = [p.call_id for p in behind if p.status in _DISCUSSED]
    return CoachingReport(
        agent=agent,
        team=known[agent],
        period=period,
        trends=found,
        calls=tuple(_report_call(services, call_id) for call_id in discussed),
        generated_at=datetime.now(UTC),
        author=services.author,
    )


def _report_call(services: Services, call_id: int) -> ReportCall:
    with services.database.session() as session:
        call = CallRepository(session).get(call_id)
        stored = VerdictRepository(session).get(call_id)
    if call is None or stored is None:  # deleted since the trend was read
        raise CallNotFoundError(str(call_id))
    return ReportCall(call, stored.verdict)
