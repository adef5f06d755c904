"""Every registered reader, fed any bytes, gives a RawTranscript or the project's own InputError, never a crash.

Inputs: random bytes; random text; random JSON under the keys the readers look for; cue, row and record
skeletons with random timestamps; and mutations of a valid seed of each format (conftest.py): tokens replaced by
hostile numbers, clock times and punctuation, JSON members replaced, emptied, deleted or duplicated. Each input is
read with every registered format forced, and with detection. A refusal must name the file in a non-empty message;
a parse must hold no negative time, and an inverted span only if `validate_times` then refuses it.

CI runs the same examples every time (derandomized, well under a minute); REVIEWER_PROPERTY_EXAMPLES=N explores
with N fresh random examples per test instead.
"""

from __future__ import annotations

import ast
import codecs
import copy
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, given, note, settings
from hypothesis import strategies as st

import reviewer.formats
from reviewer.domain.problems import InputError
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import validate_times
from reviewer.formats.registry import FORMAT_NAMES, read_raw
from reviewer.text.problems import describe

FORMATS: list[str | None] = [*FORMAT_NAMES, None]  # None: detect the format from the content
FORMAT_IDS = [name or "detect" for name in FORMATS]
SUFFIXES = (".json", ".vtt", ".srt", ".csv", ".tsv", ".txt", ".eaf", ".TextGrid", ".rttm", "")
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be")


def fuzz(examples: int) -> settings:
    """Settings for one property: the same examples on every run unless REVIEWER_PROPERTY_EXAMPLES asks to explore.

    No deadline (the first calls import the parsers) and no example database left in the checkout.
    """
    explore = int(os.environ.get("REVIEWER_PROPERTY_EXAMPLES", "0"))
    return settings(
        max_examples=explore or examples,
        derandomize=not explore,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for this module's inputs; each example overwrites the previous one."""
    return tmp_path_factory.mktemp("fuzz")


# --- the property ---------------------------------------------------------------------------------------------


def check(folder: Path, data: bytes, name: str | None, suffix: str = ".txt") -> None:
    """Read the bytes as a file with the format forced (or detected) and check what comes back."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    if currently_in_test_context():
        note(f"format={name!r} file={path.name} bytes={data[:300]!r}")
    try:
        raw = read_raw(str(path), format=name)
    except InputError as error:
        message = describe(error.problem)
        assert error.problem.path == str(path), f"refusal names {error.problem.path!r}, not the file"
        assert message.startswith(str(path)) and len(message) > len(str(path)) + 2, message
        return
    check_times(raw, str(path))


def check_times(raw: RawTranscript, path: str) -> None:
    """No negative time anywhere; an inverted span only where validate_times refuses the file."""
    spans = [(turn.where, turn.start_ms, turn.end_ms) for turn in raw.turns]
    spans += [(f"{turn.where} word", word.start_ms, word.end_ms) for turn in raw.turns for word in turn.words]
    spans += [(f"event {event.kind}", event.start_ms, event.end_ms) for event in raw.events]
    for where, start, end in spans:
        assert type(start) is int and type(end) is int, f"{raw.format} {where}: times {start!r}, {end!r}"
        assert start >= 0 and end >= 0, f"{raw.format} {where}: negative time {start}..{end}"
    if any(end < start for _, start, end in spans):
        with pytest.raises(InputError):
            validate_times(raw, path, None)
    else:
        validate_times(raw, path, None)


# --- strategies -----------------------------------------------------------------------------------------------

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def reader_keys() -> list[str]:
    """Every identifier-like string literal in reviewer/formats: the JSON keys and words the readers look for."""
    keys: set[str] = set()
    for module in sorted(Path(reviewer.formats.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY.fullmatch(node.value):
                keys.add(node.value)
    return sorted(keys)


KEYS = st.sampled_from(reader_keys())
CLOCKS = st.from_regex(r"-?(\d{1,3}:){0,3}\d{0,3}([.,]\d{0,5})?", fullmatch=True)
NUMBER_TEXTS = st.one_of(
    st.from_regex(r"[-+]?\d{1,25}([.,]\d{0,8})?([eE][-+]?\d{1,4})?s?", fullmatch=True),
    st.sampled_from(["NaN", "inf", "-inf", "-0", "", " ", "1e309", "PT1.5S", "PT-1S", "P1DT2H", "PT", "<NA>"]),
    st.sampled_from(["9" * 400 + ":00:00.000", "9" * 5000, "0." + "9" * 5000]),  # past float and int() limits
    CLOCKS,
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, -0.0, 1e308, -1e308, 5e-324, 2**63, 10**400]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, NUMBER_TEXTS, KEYS, st.text(max_size=12))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=4), inner, max_size=6),
    max_leaves=30,
)
PUNCTUATION = st.sampled_from([":", ",", ".", ";", "-->", "<", ">", "<v ", "</v>", '"', "\n", "\n\n", "-", "{", "}"])
TEXT_TOKENS = st.one_of(NUMBER_TEXTS, KEYS, PUNCTUATION, st.text(max_size=6), st.just(""))


def dumps(value: object) -> str:
    """JSON text of any value, even non-finite floats (which Python writes and reads back as NaN, Infinity)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except ValueError:  # an integer too long for str(); json refuses it
        return "{}"


def is_json(text: str) -> bool:
    """Whether the text is one JSON document (JSON lines are mutated as text only)."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def paths(value: object, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every member and element below the root."""
    items: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


@st.composite
def mutated_json(draw: st.DrawFn, seed: object) -> str:
    """The seed with one to four members replaced, emptied, deleted or duplicated."""
    value = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 4))):
        found = list(paths(value))
        if not found:
            break
        *parents, key = draw(st.sampled_from(found))
        parent: Any = value
        for step in parents:
            parent = parent[step]
        action = draw(st.sampled_from(["scalar", "scalar", "value", "delete", "duplicate", "empty"]))
        if action == "delete":
            del parent[key]
        elif action == "duplicate":
            if isinstance(parent, list):
                parent.insert(int(key), copy.deepcopy(parent[int(key)]))
            else:
                parent[key] = [parent[key], copy.deepcopy(parent[key])]
        elif action == "empty":
            parent[key] = draw(st.sampled_from([[], {}, "", None]))
        else:
            parent[key] = draw(SCALARS if action == "scalar" else JSON_VALUES)
    return dumps(value)


_TOKENS = re.compile(r"\d+|[^\W\d]+|\s+|.", re.DOTALL)


@st.composite
def mutated_text(draw: st.DrawFn, seed: str) -> str:
    """The seed with one to six tokens (a number, a word, a space, a sign) replaced by hostile ones."""
    tokens = _TOKENS.findall(seed)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(tokens) - 1))
        tokens[i] = draw(NUMBER_TEXTS if tokens[i].isdigit() else TEXT_TOKENS)
    return "".join(tokens)


CUE_TEXT = st.one_of(st.text(max_size=20), st.sampled_from(["Agent: hi", "<v Bo>hi</v>", "A: <00:00:01.000>b", ""]))


@st.composite
def skeletons(draw: st.DrawFn) -> str:
    """A VTT, SRT, CSV or RTTM body with random timestamps, speakers and text."""
    kind = draw(st.sampled_from(["vtt", "srt", "csv", "rttm"]))
    count = draw(st.integers(0, 4))
    times = [(draw(CLOCKS | NUMBER_TEXTS), draw(CLOCKS | NUMBER_TEXTS)) for _ in range(count)]
    if kind in ("vtt", "srt"):
        arrow = draw(st.sampled_from([" --> ", "-->", " -> ", " --> ", "  -->  "]))
        cues = [f"{n}\n{a}{arrow}{b}\n{draw(CUE_TEXT)}\n" for n, (a, b) in enumerate(times, 1)]
        return ("WEBVTT\n\n" if kind == "vtt" else "") + "\n".join(cues)
    if kind == "csv":
        header = draw(st.sampled_from(["start,end,speaker,text", "start_ms;end_ms;channel;text", "begin\tstop\ttext"]))
        delimiter = next(d for d in ("\t", ";", ",") if d in header)
        return header + "\n" + "".join(f"{a}{delimiter}{b}{delimiter}{draw(CUE_TEXT)}\n" for a, b in times)
    return "".join(f"SPEAKER call 1 {a} {b} <NA> <NA> {draw(KEYS)} <NA> <NA>\n" for a, b in times)


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """The text in one of the encodings read_text recognises, with or without a BOM."""
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding)
    return codecs.BOM_UTF16_LE + data if encoding == "utf-16-le" and draw(st.booleans()) else data


AWS_ITEM = '{"results": {"items": [{"start_time": "0.5", "end_time": "0.8", "alternatives": [{"content": "a"}]}]}}'


# --- the tests ------------------------------------------------------------------------------------------------

parametrize_formats = pytest.mark.parametrize("name", FORMATS, ids=FORMAT_IDS)


@parametrize_formats
@fuzz(100)
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes(folder: Path, name: str | None, data: bytes, suffix: str) -> None:
    check(folder, data, name, suffix)


@parametrize_formats
@fuzz(100)
@given(text=st.text(max_size=1000), suffix=st.sampled_from(SUFFIXES))
def test_any_text(folder: Path, name: str | None, text: str, suffix: str) -> None:
    check(folder, text.encode(), name, suffix)


@parametrize_formats
@fuzz(30)
@given(value=st.dictionaries(KEYS, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_random_json_under_the_readers_keys(folder: Path, name: str | None, value: object) -> None:
    check(folder, dumps(value).encode(), name, ".json")


@parametrize_formats
@fuzz(30)
@given(text=skeletons(), suffix=st.sampled_from(SUFFIXES))
def test_skeletons_with_random_timestamps(folder: Path, name: str | None, text: str, suffix: str) -> None:
    check(folder, text.encode(), name, suffix)


@parametrize_formats
@fuzz(100)
@given(data=st.data())
def test_mutated_seeds(folder: Path, seeds: dict[str, str], name: str | None, data: st.DataObject) -> None:
    own = sorted(key for key in seeds if key.split("#")[0] == name)
    prefer_own: bool = data.draw(st.booleans(), label="own format's seed")
    pool = own if own and prefer_own else sorted(seeds)
    key = data.draw(st.sampled_from(pool), label="seed")
    seed = seeds[key]
    mutate: Callable[[str], st.SearchStrategy[str]] = mutated_text
    if is_json(seed) and data.draw(st.booleans(), label="mutate the JSON tree"):
        mutate = lambda text: mutated_json(json.loads(text))  # noqa: E731 - the JSON flavour of the same step
    text = data.draw(mutate(seed), label="mutated")
    check(folder, data.draw(encoded(text)), name, data.draw(st.sampled_from(SUFFIXES)))


def test_every_seed_reads_as_it_stands(tmp_path: Path, seeds: dict[str, str]) -> None:
    # A mutation only reaches a reader's deeper paths if the seed it starts from is valid.
    for key, text in seeds.items():
        name = key.split("#")[0]
        if name not in FORMAT_NAMES:
            continue
        path = tmp_path / "seed.txt"
        path.write_text(text, encoding="utf-8")
        raw = read_raw(str(path), format=name)
        assert raw.turns, f"seed {key} gave no turns"
        check_times(raw, str(path))


# --- what the fuzzing found, kept as plain examples -----------------------------------------------------------

FOUND = {
    "huge JSON integer": ("whisper", '{"segments": [{"start": 1' + "0" * 400 + ', "end": 1, "text": "a"}]}'),
    "float seconds past float range in ms": ("aws_transcribe", AWS_ITEM.replace('"0.8"', "1e306")),
    "integer of 5000 digits": ("whisper", '{"segments": [{"start": ' + "9" * 5000 + ', "end": 1}]}'),
    "clock hours of 400 digits": ("csv", "start,end,text\n" + "9" * 400 + ":00:00.000,1,a\n"),
    "negative JSON seconds": ("whisper", '{"segments": [{"start": -1.5, "end": 1, "text": "a"}]}'),
    "huge confidence": (
        "aws_analytics",
        '{"Transcript": [{"ParticipantRole": "AGENT", "BeginOffsetMillis": 0, '
        '"EndOffsetMillis": 5, "Items": [{"BeginOffsetMillis": 0, "EndOffsetMillis": 5, "Content": "a", '
        '"Confidence": 1' + "0" * 400 + "}]}]}",
    ),
    "csv: a '-1' cell becomes a negative time": ("csv", "start,end,speaker,text\n0.5,-1,agent,hi\n"),
    "aws_transcribe: a list as a segment item's start_time is hashed": (
        "aws_transcribe",
        json.dumps({"results": {"items": [], "speaker_labels": {"segments": [{"items": [{"start_time": []}]}]}}}),
    ),
    "azure: a JSON line with a 5000-digit number": (
        "azure",
        '{"RecognitionStatus": "Success", "Offset": 1, "Duration": 1}\n{"Offset": ' + "9" * 5000 + "}\n",
    ),
}


@pytest.mark.parametrize("found", sorted(FOUND))
def test_what_fuzzing_found(folder: Path, found: str) -> None:
    name, text = FOUND[found]
    check(folder, text.encode(), name, ".txt")
    check(folder, text.encode(), None, ".txt")


# Found in readers others are changing right now; reported. Remove an entry once its reader refuses the input.
