"""The call document `reviewer check --file` reads: a duration and tags; every refusal names the place."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.domain.parties import Actor
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.formats import check_document
from reviewer.formats.check_document import read_check_document
from reviewer.formats.json_fields import JsonFields

PATH = "/calls/call-017.json"


def _tag(kind: str, actor: str, start_ms: int, end_ms: int, note: str | None = "") -> dict[str, Any]:
    return {"kind": kind, "actor": actor, "start_ms": start_ms, "end_ms": end_ms, "note": note}


VALID = {
    "duration_ms": 44_700,
    "tags": [
        _tag("profanity", "customer", 14_223, 16_838),
        _tag("warning", "agent", 17_244, 22_702, "1 of 2"),
        _tag("hang_up", "unknown", 44_700, 44_700, None),
        _tag("lead_notified", "call", 0, 0),
    ],
}


def _refusal(text: str) -> tuple[ProblemKind, str, str]:
    with pytest.raises(InputError) as caught:
        read_check_document(text, PATH)
    problem = caught.value.problem
    assert problem.path == PATH and problem.detail
    return problem.kind, problem.where, problem.detail


def test_a_valid_document() -> None:
    document = read_check_document(json.dumps(VALID), PATH)
    assert (document.path, document.duration_ms) == (PATH, 44_700)
    assert document.tags == (
        Tag("profanity", Actor.CUSTOMER, 14_223, 16_838, source=TagSource.IMPORTED, id=0),
        Tag("warning", Actor.AGENT, 17_244, 22_702, "1 of 2", source=TagSource.IMPORTED, id=1),
        Tag("hang_up", Actor.UNKNOWN, 44_700, 44_700, source=TagSource.IMPORTED, id=2),
        Tag("lead_notified", Actor.CALL, 0, 0, source=TagSource.IMPORTED, id=3),
    )
    assert [t.id for t in document.tags] == [0, 1, 2, 3]


def test_a_document_without_tags_is_a_call_with_no_tags() -> None:
    assert read_check_document('{"duration_ms": 1000, "tags": []}', PATH).tags == ()


@pytest.mark.parametrize(
    ("document", "kind", "where", "says"),
    [
        pytest.param({"tags": []}, ProblemKind.MISSING_FIELD, "duration_ms", "duration_ms", id="no-duration"),
        pytest.param({"duration_ms": 1000}, ProblemKind.MISSING_FIELD, "tags", "tags", id="no-tags"),
        pytest.param(
            {"duration_ms": 1000, "tags": [_tag("insult", "customer", 0, 10), _tag("hang_up", "caller", 900, 900)]},
            ProblemKind.BAD_VALUE,
            "tags[1].actor",
            "unknown actor 'caller' (one of: agent, customer, call, unknown)",
            id="unknown-actor",
        ),
        pytest.param(
            {"duration_ms": 1000, "tags": [_tag("insult", "customer", 900, 1001)]},
            ProblemKind.BEYOND_RECORDING,
            "tags[0].end_ms",
            "1001",
            id="tag-ends-after-the-call",
        ),
        pytest.param(
            {"duration_ms": 1000, "tags": [{"kind": "insult", "actor": "customer", "end_ms": 5}]},
            ProblemKind.MISSING_FIELD,
            "tags[0].start_ms",
            "start_ms",
            id="tag-without-start",
        ),
        pytest.param(
            {"duration_ms": 1000, "tags": [_tag("insult", "customer", -5, 10)]},
            ProblemKind.BAD_VALUE,
            "tags[0].start_ms",
            "-5",
            id="negative-start",
        ),
        pytest.param(
            {"duration_ms": "long", "tags": []},
            ProblemKind.BAD_VALUE,
            "duration_ms",
            "a number",
            id="duration-not-a-number",
        ),
        pytest.param(
            {"duration_ms": 1000, "tags": {"kind": "insult"}},
            ProblemKind.BAD_VALUE,
            "tags",
            "an array",
            id="tags-not-an-array",
        ),
    ],
)
def test_errors_name_the_place(document: dict[str, Any], kind: ProblemKind, where: str, says: str) -> None:
    found_kind, found_where, detail = _refusal(json.dumps(document))
    assert (found_kind, found_where) == (kind, where), detail
    assert says in detail


def test_invalid_json_names_line_and_column() -> None:
    kind, where, _ = _refusal('{"duration_ms": 1000,\n "tags": [}')
    assert (kind, where) == (ProblemKind.INVALID_JSON, "line 2, column 11")


def test_a_document_that_is_not_an_object() -> None:
    kind, _, detail = _refusal("[1, 2]")
    assert kind is ProblemKind.BAD_VALUE and "an object" in detail


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "profanity", "actor": "customer", "start_ms": 0, "end_ms": 10, "note": "first"},
        {"kind": "hang_up", "actor": "unknown", "start_ms": 5, "end_ms": 5},
        {"kind": "warning", "actor": "agent", "start_ms": 1, "end_ms": 2, "note": None},
    ],
)
def test_the_fast_path_builds_the_same_tag_as_the_checked_one(item: dict[str, object]) -> None:
    fields = JsonFields("doc.json")
    assert check_document._fast_tag(item, 3) == check_document._tag(fields, item, "tags[3]", 3)


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "warning", "actor": "agent", "start_ms": True, "end_ms": 2},
        {"kind": "warning", "actor": "agent", "start_ms": 1.5, "end_ms": 2},
        {"kind": "warning", "actor": ["agent"], "start_ms": 1, "end_ms": 2},
        {"kind": "", "actor": "agent", "start_ms": 1, "end_ms": 2},
        {"kind": "warning", "actor": "agent", "start_ms": 3, "end_ms": 2},
    ],
)
def test_anything_unusual_leaves_the_fast_path(item: dict[str, object]) -> None:
    assert check_document._fast_tag(item, 0) is None
