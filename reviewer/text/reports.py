"""The import report in words, the same in the terminal and in the window."""

from __future__ import annotations

from reviewer.services.importing import ImportReport
from reviewer.text.problems import describe


def failure_lines(report: ImportReport) -> list[str]:
    """One line per refused file, naming the file, the place and the reason."""
    return [f"error: {describe(problem)}" for problem in report.failed]


def outcome_lines(report: ImportReport) -> list[str]:
    """Skipped duplicates, then the counts."""
    lines = [f"skipped: {s.path}: already in the library as call {s.existing_id}" for s in report.skipped]
    counts = (len(report.imported), len(report.skipped), len(report.failed))
    lines.append("imported {} call(s), skipped {}, failed {}".format(*counts))
    detection = report.detection
    if detection.detected or detection.failed:
        stored = sum(len(d.stored) for d in detection.detected)
        lines.append(f"suggestions: {stored} to review in {len(detection.detected)} call(s)")
        lines += [f"suggestions not made: {describe(p)}" for p in detection.failed]
    return lines
