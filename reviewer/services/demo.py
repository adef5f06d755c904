"""The demo library: the scripted calls of resources/demo imported with their supervisor tags."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from reviewer.domain.call import ReviewStatus
from reviewer.domain.parties import Actor
from reviewer.domain.progress import Progress
from reviewer.domain.tags import KINDS_BY_NAME, Tag, TagSource
from reviewer.persistence.calls import CallRepository
from reviewer.persistence.tags import TagRepository
from reviewer.services.batches import plan_manifest
from reviewer.services.context import Services
from reviewer.services.demo_history import build_history
from reviewer.services.detecting import detect_calls
from reviewer.services.importing import ImportReport, ImportRequest, identify, import_calls

DEMO_AUTHOR = "demo"


def _forget_previous(services: Services, requests: list[ImportRequest]) -> None:
    """Rebuilding replaces the demo calls, found by their recordings' hashes; nothing else in the library."""
    with services.database.session() as session:
        repo = CallRepository(session)
        for request in requests:
            call_id = repo.id_by_sha(identify(request).sha256)
            if call_id is not None:
                repo.delete(call_id)


def _demo_tags(path: Path) -> dict[str, list[Tag]]:
    tags: dict[str, list[Tag]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] not in KINDS_BY_NAME:  # a typo in tags.csv must not slip into the demo silently
                raise ValueError(f"{path}: unknown tag kind {row['kind']!r}")
            tag = Tag(
                kind=row["kind"],
                actor=Actor(row["actor"]),
                start_ms=int(row["start_ms"]),
                end_ms=int(row["end_ms"]),
                note=row.get("note") or "",
                author=DEMO_AUTHOR,
                source=TagSource.MANUAL,
            )
            tags.setdefault(row["call_id"], []).append(tag)
    return tags


def _add_tags(services: Services, tags: dict[str, list[Tag]]) -> None:
    with services.database.session() as session:
        calls, repo = CallRepository(session), TagRepository(session)
        for external_id, call_tags in tags.items():
            call_id = calls.id_by_external_id(external_id)
            if call_id is not None:
                for tag in call_tags:
                    repo.add(call_id, tag)


def _mark_reviewed(services: Services, call_ids: list[int]) -> None:
    """The scripted calls carry the supervisor's tags: reviewed, so the trends count them with the history."""
    with services.database.session() as session:
        repo = CallRepository(session)
        for call_id in call_ids:
            repo.set_review(call_id, ReviewStatus.DONE, "")


def build_demo(
    services: Services, report: ImportReport, history_dir: Path | None = None, *, history: bool = True
) -> Iterator[Progress]:
    """(Re)build the demo calls in this library, and their review history: twelve weeks of reviewed and checked
    calls ending in the week of the latest demo call, whose recordings go in `history_dir` (by default a
    `demo-history` folder beside the SQLite file; a demo on a database server gets no history without one).
    `history=False` builds the scripted calls alone."""
    requests, problems = plan_manifest(services.demo_dir / "manifest.csv", ImportRequest(audio=Path()))
    report.failed.extend(problems)
    _forget_previous(services, requests)
    yield from import_calls(services, requests, report, detect=False)
    tags_file = services.demo_dir / "tags.csv"
    if tags_file.is_file():
        _add_tags(services, _demo_tags(tags_file))
    _mark_reviewed(services, list(report.imported))
    # After the supervisor's tags, so that only what they did not tag is proposed.
    yield from detect_calls(services, list(report.imported), report.detection)
    latest = max((r.started_at for r in requests if r.started_at is not None), default=None)
    if history_dir is None and services.database.file is not None:
        history_dir = services.database.file.parent / "demo-history"
    if history and history_dir is not None and latest is not None:
        yield from build_history(services, history_dir, latest.date(), report.failed)
