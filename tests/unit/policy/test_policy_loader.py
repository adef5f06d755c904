"""Policy files: the shipped ones load; a malformed one is refused whole, with the file, the line and the reason.

Each malformed file is the default policy with one edit; the line the refusal must name is found in the edited
text (the first line holding a marker), so the tests do not break when the default file's comments change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer.bundled import bundled_dir
from reviewer.domain.parties import Actor
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import DEFAULT_KINDS, KindGroup, Tag
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy, parse_policy
from reviewer.policy.model import Ladder, Limit, Procedure
from reviewer.policy.toml_lines import KeyLines

POLICIES = bundled_dir("resources") / "policies"
DEFAULT_TEXT = (POLICIES / "default.toml").read_text(encoding="utf-8")
PATH = "/centre/policies/team-north.toml"


def _line_of(text: str, marker: str, after: str = "") -> int:
    """The 1-based number of the first line containing marker (at or after the first line containing `after`)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and marker in line) + 1


def _edit(old: str, new: str) -> str:
    """The default policy with the first `old` replaced by `new`."""
    assert old in DEFAULT_TEXT, old
    return DEFAULT_TEXT.replace(old, new, 1)


def _refusal(data: str | bytes) -> tuple[str, str]:
    """(where, detail) of the refusal; the problem must be BAD_POLICY naming the file."""
    with pytest.raises(InputError) as caught:
        parse_policy(data.encode("utf-8") if isinstance(data, str) else data, PATH)
    problem = caught.value.problem
    assert (problem.kind, problem.path) == (ProblemKind.BAD_POLICY, PATH)
    assert problem.detail, problem
    return problem.where, problem.detail


@pytest.mark.parametrize("name", ["default.toml", "strict.toml"])
def test_the_shipped_policies_load(name: str) -> None:
    path = POLICIES / name
    policy = load_policy(path)
    assert policy.ref.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(policy.ref.sha256) == 64 and set(policy.ref.sha256) <= set("0123456789abcdef")
    assert policy.ref.version == "1.0" and policy.path == str(path)
    assert policy.description
    assert {r.id for r in policy.rules} == {f"R{n}" for n in range(1, 9)}


def test_the_shipped_policies_are_named_and_differ() -> None:
    default, strict = load_policy(POLICIES / "default.toml"), load_policy(POLICIES / "strict.toml")
    assert default.name == "Default conduct policy"
    assert strict.name == "Strict conduct policy (three warnings)"
    assert default.ref.sha256 != strict.ref.sha256
    ladders = {p.name: next(r for r in p.rules if isinstance(r, Ladder) and r.id == "R1") for p in (default, strict)}
    assert ladders[default.name].required == 2 and ladders[strict.name].required == 3


def test_the_hash_is_of_the_exact_bytes() -> None:
    data = DEFAULT_TEXT.encode("utf-8")
    same = parse_policy(data, PATH)
    changed = parse_policy(data + b"\n# a comment changes the hash, not the rules\n", PATH)
    assert same.ref.sha256 == hashlib.sha256(data).hexdigest()
    assert changed.ref.sha256 != same.ref.sha256 and changed.rules == same.rules


def test_the_default_policy_reads_as_policy_md_says() -> None:
    policy = parse_policy(DEFAULT_TEXT.encode("utf-8"), PATH)
    by_id = {r.id: r for r in policy.rules if not isinstance(r, Limit)}
    r1, r3, r4, r5 = by_id["R1"], by_id["R3"], by_id["R4"], by_id["R5"]
    assert isinstance(r1, Ladder) and isinstance(r3, Ladder)
    assert r1.offences == {"profanity", "insult", "yelling"} and (r1.response, r1.required) == ("warning", 2)
    assert r1.same_step_within_ms == 3000 and r3.response == "redirect"
    assert isinstance(r4, Procedure) and isinstance(r5, Procedure)
    assert [s.kind for s in r4.steps] == ["options_summary", "solution_restated", "transfer"]
    assert r4.unless_permitted_by == frozenset({"R1", "R2"}) and r4.steps[2].needs_approval
    assert [(s.kind, s.after_repeat) for s in r5.steps] == [("supervisor_script", False), ("transfer", True)]
    limits = {r.finding: r for r in policy.rules if isinstance(r, Limit)}
    assert limits["interrupts_customer"].max == 2 and limits["repeat_hold"].max == 1
    assert policy.phrase_list("banned")[:2] == (("en", "calm down"), ("ru", "успокойтесь"))


# Each case: the edited file, the text marking the line the refusal must name, and words the reason must contain.

REFUSALS = [
    pytest.param(
        lambda: _edit('name = "Default conduct policy"', 'name = "Default conduct policy'),
        'name = "Default conduct policy',
        ("not valid TOML",),
        id="invalid-toml-syntax",
    ),
    pytest.param(
        lambda: _edit('version = "1.0"', 'version = "1.0"\nversion = "1.1"'),
        'version = "1.1"',
        ("not valid TOML",),
        id="duplicate-key-is-a-toml-error",
    ),
    pytest.param(
        lambda: 'colour = "red"\n' + DEFAULT_TEXT,
        "colour",
        ("colour", "unknown key"),
        id="unknown-top-level-key",
    ),
    pytest.param(
        lambda: DEFAULT_TEXT + "\n[escalation_matrix]\nlevel = 1\n",
        "[escalation_matrix]",
        ("escalation_matrix", "unknown key"),
        id="unknown-top-level-table",
    ),
    pytest.param(
        lambda: _edit("further_offence = true", "further_offense = true"),
        "further_offense",
        ("further_offense", "unknown key", "'further_offence'"),
        id="unknown-key-in-ladder",
    ),
    pytest.param(
        lambda: _edit("required = 2", "requried = 2"),
        "requried",
        ("requried", "'required'"),
        id="misspelt-required-key-in-ladder",
    ),
    pytest.param(
        lambda: _edit('continued = "info"', 'continue = "info"'),
        'continue = "info"',
        ("[ladder.severity]", "continue", "'continued'"),
        id="unknown-key-in-ladder-severity",
    ),
    pytest.param(
        lambda: _edit('unapproved = "off"', 'unaproved = "off"'),
        "unaproved",
        ("[procedure.severity]", "'unapproved'"),
        id="unknown-key-in-the-second-procedure-severity",
    ),
    pytest.param(
        lambda: _edit("required = 2", 'required = "two"'),
        'required = "two"',
        ("required", "whole number", "'two'"),
        id="wrong-type",
    ),
    pytest.param(
        lambda: _edit("max = 1 ", "max = -1 "),
        "max = -1",
        ("max", "at least 0"),
        id="negative-limit",
    ),
    pytest.param(
        lambda: _edit('offences = ["profanity", "insult"', 'offences = ["profanty", "insult"'),
        "profanty",
        ("unknown kind 'profanty'", "did you mean 'profanity'"),
        id="unknown-kind-in-offences",
    ),
    pytest.param(
        lambda: _edit('"insult", "yelling"]', '"insult", "yelling", "sarcasm"]'),
        '"sarcasm"',
        ("unknown kind 'sarcasm'", "[[kind]]"),
        id="new-kind-without-a-kind-table",
    ),
    pytest.param(
        lambda: _edit('unless_permitted_by = ["R1", "R2"]', 'unless_permitted_by = ["R1", "R7"]'),
        '"R7"]',
        ("'R7' is not a rule that permits a hang-up", "R1, R2, R3"),
        id="unless-permitted-by-a-rule-that-does-not-permit",
    ),
    pytest.param(
        lambda: DEFAULT_TEXT.replace(
            'unless_permitted_by = ["R1", "R2"]', 'unless_permitted_by = ["R1", "R9"]', 2
        ).replace('unless_permitted_by = ["R1", "R9"]', 'unless_permitted_by = ["R1", "R2"]', 1),
        '"R9"]',
        ("'R9' is not a rule that permits a hang-up",),
        id="unless-permitted-by-in-the-second-procedure",
    ),
    pytest.param(
        lambda: _edit('phrases = "banned"', 'phrases = "forbidden"'),
        'phrases = "forbidden"',
        ("no list 'forbidden'", "banned"),
        id="limit-phrases-list-missing",
    ),
    pytest.param(
        lambda: _edit('kind = "hold"', 'kind = "hold"\nphrases = "holds"'),
        'phrases = "holds"',
        ("no list 'holds'",),
        id="limit-phrases-list-missing-in-the-fifth-limit",
    ),
    pytest.param(
        lambda: _edit('name = "Default conduct policy"\n', ""),
        "[policy]",
        ("[policy]", "name"),
        id="missing-policy-name",
    ),
    pytest.param(
        lambda: _edit(
            'kinds = ["escalation", "lead_notified"]\nfinding',
            'kinds = ["escalation", "lead_notified"]\nwindw = "anywhere"\nfinding',
        ),
        'windw = "anywhere"',
        ("windw", "unknown key", "'window'"),
        id="unknown-key-in-the-second-after-hangup-require",
    ),
    pytest.param(
        lambda: _edit('finding = "not_logged"\nseverity = "violation"', 'finding = "not_logged"\nseverity = "grave"'),
        'severity = "grave"',
        ("'grave'",),
        id="bad-severity-word-in-the-third-after-hangup-require",
    ),
    pytest.param(
        lambda: _edit('missed = "coaching"', 'missed = "minor"'),
        'missed = "minor"',
        ("'minor'", "violation, incomplete, coaching, info, off"),
        id="bad-severity-word",
    ),
    pytest.param(
        lambda: _edit('severity = "coaching"\nphrases', 'severity = "serious"\nphrases'),
        'severity = "serious"',
        ("'serious'",),
        id="bad-severity-word-in-a-limit",
    ),
    pytest.param(
        lambda: _edit('window = "before"', 'window = "during"'),
        'window = "during"',
        ("'during'", "before, after, anywhere"),
        id="bad-window",
    ),
    pytest.param(
        lambda: _edit('by = "agent"', 'by = "supervisor"'),
        'by = "supervisor"',
        ("'supervisor'", "agent, customer, call, unknown"),
        id="bad-actor",
    ),
    pytest.param(
        lambda: _edit('after_repeat = ["transfer"]', 'after_repeat = ["transfer", "farewell"]'),
        'after_repeat = ["transfer", "farewell"]',
        ("after_repeat", "farewell"),
        id="after-repeat-not-among-the-steps",
    ),
]


@pytest.mark.parametrize(("make", "marker", "says"), REFUSALS)
def test_a_malformed_policy_is_refused_with_line_and_reason(
    make: Callable[[], str], marker: str, says: tuple[str, ...]
) -> None:
    text = make()
    where, detail = _refusal(text)
    assert where == f"line {_line_of(text, marker)}", detail
    for words in says:
        assert words in detail, detail


def test_a_file_that_is_not_utf8_is_refused_at_its_line() -> None:
    phrase = "успокойтесь"
    data = DEFAULT_TEXT.encode("utf-8").replace(phrase.encode("utf-8"), phrase.encode("cp1251"), 1)
    where, detail = _refusal(data)
    assert "UTF-8" in detail
    assert where == f"line {_line_of(DEFAULT_TEXT, phrase)}", detail


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_policy(tmp_path / "nope.toml")
    assert caught.value.problem.kind is ProblemKind.UNREADABLE
    assert caught.value.problem.path == str(tmp_path / "nope.toml")


def test_a_kind_table_adds_a_kind_usable_in_offences() -> None:
    strict = load_policy(POLICIES / "strict.toml")
    added = [k for k in strict.kinds if k.name not in {d.name for d in DEFAULT_KINDS}]
    assert [(k.name, k.group, k.default_actor) for k in added] == [
        ("sarcasm", KindGroup.CUSTOMER_BEHAVIOUR, Actor.CUSTOMER)
    ]
    r1 = next(r for r in strict.rules if isinstance(r, Ladder) and r.id == "R1")
    assert "sarcasm" in r1.offences
    verdict = check(strict, [Tag("sarcasm", Actor.CUSTOMER, 1000, 2000), Tag("warning", Actor.AGENT, 3000, 4000)])
    assert [s.facts.kind for s in verdict.trace] == ["sarcasm", "warning"]


def test_the_same_kind_table_in_the_default_policy() -> None:
    text = _edit("[[ladder]]", '[[kind]]\nname = "sarcasm"\ngroup = "customer_behaviour"\n\n[[ladder]]')
    text = text.replace('"insult", "yelling"]', '"insult", "yelling", "sarcasm"]', 1)
    policy = parse_policy(text.encode("utf-8"), PATH)
    assert "sarcasm" in next(r for r in policy.rules if isinstance(r, Ladder)).offences


def test_a_kind_table_cannot_redefine_a_default_kind() -> None:
    text = _edit("[[ladder]]", '[[kind]]\nname = "hold"\ngroup = "agent_action"\n\n[[ladder]]')
    where, detail = _refusal(text)
    line = _line_of(text, 'name = "hold"')
    assert where == f"line {line}" and "already a kind" in detail


def test_key_lines_find_keys_of_arrays_of_tables() -> None:
    lines = KeyLines(DEFAULT_TEXT)
    assert lines.line(("ladder", 1, "required")) == _line_of(DEFAULT_TEXT, "required = 2", 'id = "R3"')
    assert lines.line(("ladder", 0, "required")) == _line_of(DEFAULT_TEXT, "required = 2")
    assert lines.line(("ladder", 1, "severity", "missed")) == _line_of(DEFAULT_TEXT, "missed =", 'id = "R3"')
    assert lines.line(("procedure", 1, "unless_permitted_by")) == _line_of(
        DEFAULT_TEXT, "unless_permitted_by", 'id = "R5"'
    )
    assert lines.line(("policy", "name")) == _line_of(DEFAULT_TEXT, 'name = "Default conduct policy"')
    # A key the file does not write falls back to its table's header.
    assert lines.line(("limit", 2, "each")) == _line_of(DEFAULT_TEXT, "[[limit]]", 'title = "Agent rudeness"')


@pytest.mark.parametrize(
    ("index", "kinds"), [(0, '["farewell"]'), (1, '["escalation", "lead_notified"]'), (2, '["account_noted"]')]
)
def test_key_lines_find_keys_of_nested_arrays_of_tables(index: int, kinds: str) -> None:
    """[[after_hangup.require]] three times: the n-th table is ("after_hangup", 0, "require", n)."""
    lines = KeyLines(DEFAULT_TEXT)
    written = _line_of(DEFAULT_TEXT, f"kinds = {kinds}", "[[after_hangup]]")
    assert DEFAULT_TEXT.splitlines()[written - 2] == "[[after_hangup.require]]"
    assert lines.line(("after_hangup", 0, "require", index, "kinds")) == written
    assert lines.line(("after_hangup", 0, "require", index, "no_such_key")) == written - 1  # the table's header
