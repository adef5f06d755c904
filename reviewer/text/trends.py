"""Trends as a supervisor reads them: measure names, rates, flags ("2026-W45 agent interruptions 1.8 per call,
above the team's 0.6 (limit 1.4)")."""

from __future__ import annotations

from reviewer.domain.trends import Ending, Flag, Measure, Rate, Signal
from reviewer.text.tags import kind_label

MEASURE_LABELS = {
    Measure.AGENT_INTERRUPTION.value: "Agent interruptions",
    Measure.AGENT_RUDENESS.value: "Agent rudeness",
    Measure.BANNED_PHRASE.value: "Banned phrases",
    Measure.CUSTOMER_ABUSE.value: "Customer abuse handled",
    Measure.HANGUP_AFTER_INTERRUPTION.value: "Customer hang-ups after an agent interruption",
    "status:violation": "Calls with a violation",
    "ending:premature": "Premature hang-ups",
}

ENDING_LABELS = {
    Ending.PERMITTED: "permitted",
    Ending.PREMATURE: "premature",
    Ending.UNOBJECTED: "agent, unobjected",
    Ending.CUSTOMER: "customer",
    Ending.LINE_DROP: "line drop",
    Ending.UNKNOWN: "side unknown",
    Ending.NONE: "no hang-up",
}

RATE_LABELS = {Rate.PER_CALL: "per call", Rate.PER_HOUR: "per hour of talk"}

_SIGNALS = {
    Signal.ABOVE: "above {whom}'s {center} (limit {limit})",
    Signal.BELOW: "below {whom}'s {center} (limit {limit})",
    Signal.RUN_ABOVE: "a run above {whom}'s {center}",
    Signal.RUN_BELOW: "a run below {whom}'s {center}",
}


def is_share(key: str) -> bool:
    """Whether a measure is a share of calls (a p-chart, shown in %), not a rate."""
    return key.startswith(("status:", "ending:"))


def measure_label(key: str) -> str:
    """A measure, a tag kind ("interruption/agent") or a rule ("rule:R1") as a heading."""
    if key in MEASURE_LABELS:
        return MEASURE_LABELS[key]
    if key.startswith("rule:"):
        return f"Findings of {key.removeprefix('rule:')}"
    kind, _, actor = key.partition("/")
    return kind_label(kind).capitalize() + (f" by the {actor}" if actor else "")


def figure(value: float | None, key: str) -> str:
    """A rate to two decimals, or a share in per cent; a dash when there is nothing to rate."""
    if value is None:
        return "–"
    return f"{value:.0%}" if is_share(key) else f"{value:.2f}"


def flag_line(flag: Flag) -> str:
    """One flag as a sentence: the period, whose, what, and against what."""
    whom = "the team" if flag.agent else ("the team's history" if flag.team else "everybody's history")
    center = figure(flag.center, flag.measure)
    limit = figure(flag.limit, flag.measure) if flag.limit is not None else ""
    why = _SIGNALS[flag.signal].format(whom=whom, center=center, limit=limit)
    subject = flag.agent or flag.team or "Everybody"
    unit = "" if is_share(flag.measure) else " per call"
    value = figure(flag.value, flag.measure)
    return f"{flag.period.label} {subject}: {measure_label(flag.measure).lower()} {value}{unit}, {why}"
