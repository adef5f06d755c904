"""Per-agent and per-team trends over checked calls, the calls behind a point, and what the filters can offer."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from datetime import date

from reviewer.analysis.trends import build_trends, series
from reviewer.domain.progress import Progress
from reviewer.domain.trends import Level, Period, PointCall, Rate, TrendQuery, Trends, TrendSeries
from reviewer.persistence.trends import TrendRepository
from reviewer.services.checking import CheckReport, refresh_verdicts
from reviewer.services.context import Services


@dataclass(frozen=True, slots=True)
class TrendFacets:
    """What the Trends filters offer: the teams, agents, tag kinds and rule ids that occur, and the dated span."""

    teams: tuple[str, ...] = ()
    agents: tuple[tuple[str, str | None], ...] = ()  # (agent, team)
    kinds: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    first: date | None = None
    last: date | None = None


def refresh_facts(services: Services, report: CheckReport) -> Generator[Progress, None, None]:
    """Check again the calls whose verdict (and so whose facts) is missing or stale, before trends are read."""
    yield from refresh_verdicts(services, report)


def trends(services: Services, query: TrendQuery) -> Trends:
    """The rows of a query per agent, per team and overall, with the flags their control charts raise."""
    wider = replace(query, agent=None)
    with services.database.session() as session:
        repo = TrendRepository(session)
        if query.agent and not query.team:
            wider = replace(wider, team=repo.team_of(query.agent))
        agents = repo.rows(query, Level.AGENT)
        teams = repo.rows(wider, Level.TEAM)
        overall = repo.rows(wider, Level.ALL)
    return build_trends(query, agents, teams, overall)


def point_calls(
    services: Services, query: TrendQuery, period: Period, agent: str | None = None, measure: str | None = None
) -> list[PointCall]:
    """The calls behind one point of a trend, with how many of `measure` each has."""
    with services.database.session() as session:
        return TrendRepository(session).point_calls(query, period, agent, measure)


def known_agents(services: Services) -> list[tuple[str, str | None]]:
    """(agent, team) of every agent with checked calls, by name."""
    with services.database.session() as session:
        return TrendRepository(session).agents()


def trend_facets(services: Services) -> TrendFacets:
    """The values the Trends filters list."""
    with services.database.session() as session:
        repo = TrendRepository(session)
        agents = repo.agents()
        first, last = repo.span()
        return TrendFacets(
            teams=tuple(sorted({t for _, t in agents if t})),
            agents=tuple(agents),
            kinds=repo.kinds(),
            rules=repo.rules(),
            first=first,
            last=last,
        )


def trend_series(
    trends: Trends, key: str, rate: Rate = Rate.PER_CALL, agent: str | None = None, team: str | None = None
) -> TrendSeries:
    """One line of a chart: an agent against its team, or a team (None: everybody) against its own past."""
    return series(trends, key, rate, agent, team)
