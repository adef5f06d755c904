"""JSON field access: refusals carry the JSON path and the decoder's position."""

from __future__ import annotations

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.json_fields import JsonFields, join, optional_number, sniff_object

FIELDS = JsonFields("f.json")


def _problem(call: object, *args: object) -> tuple[ProblemKind, str, str]:
    assert callable(call)
    with pytest.raises(InputError) as caught:
        call(*args)
    problem = caught.value.problem
    return problem.kind, problem.where, problem.detail


def test_invalid_json_names_line_and_column() -> None:
    kind, where, detail = _problem(FIELDS.load_object, '{\n  "a": 1,\n  "b": }')
    assert (kind, where) == (ProblemKind.INVALID_JSON, "line 3, column 8")
    assert detail == "Expecting value"


def test_top_level_array_is_not_an_object() -> None:
    assert _problem(FIELDS.load_object, "[1, 2]")[0] is ProblemKind.BAD_VALUE


def test_missing_field_names_its_path() -> None:
    assert _problem(FIELDS.get, {"start": None}, "start", "segments[2]")[:2] == (
        ProblemKind.MISSING_FIELD,
        "segments[2].start",
    )


@pytest.mark.parametrize("value", ["soon", True, None, [1], float("inf")])
def test_non_numeric_time_is_a_bad_value(value: object) -> None:
    assert _problem(FIELDS.seconds_ms, value, "segments[0].end")[:2] == (ProblemKind.BAD_VALUE, "segments[0].end")


def test_numbers_and_numeric_strings_are_times() -> None:
    assert FIELDS.seconds_ms("1.25", "x") == 1250
    assert FIELDS.millis(26040, "x") == 26040


def test_paths_join_members_and_elements() -> None:
    assert join(join(join("", "results"), "items"), 3) == "results.items[3]"


def test_sniff_object_only_for_valid_objects() -> None:
    assert sniff_object('{"a": 1}') == {"a": 1}
    assert sniff_object('{"a": ') is None
    assert sniff_object("[1]") is None


def test_optional_number_never_refuses() -> None:
    assert optional_number("0.9") == 0.9
    assert optional_number("high") is None
    assert optional_number(False) is None
