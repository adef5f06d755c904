"""The app's own call document as a format: the shape of `reviewer show --json`, read back into turns and tags."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain.call import AudioInfo, Call, ReviewStatus, TranscriptInfo
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance, Word, WordMark
from reviewer.formats import (
    assemblyai,
    aws_analytics,
    aws_transcribe,
    azure,
    call_json,
    deepgram,
    google_stt,
    revai,
    whisper,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.document import call_document
from reviewer.formats.parties import map_parties

HOUR = 3_600_000
AUDIO = AudioInfo("/calls/c.wav", "ab" * 32, 2 * HOUR, 8000, 2, ChannelLayout.AGENT_RIGHT)

UTTERANCES = (
    Utterance(
        Party.AGENT,
        "spk_1",
        500,
        2400,
        "Здравствуйте, меня зовут *** [PII]",
        (
            Word("Здравствуйте,", 500, 1200, 0.98),
            Word("***", 1900, 2100, 0.5, WordMark.MASKED),
            Word("[PII]", 2100, 2400, None, WordMark.REDACTED),
        ),
    ),
    Utterance(Party.CUSTOMER, "", 2000, 4000, "您好，我的卡被冻结了。"),
    Utterance(Party.AGENT, "spk_0", HOUR + 5, HOUR + 900, '"quoted", \n --> <b>&amp;</b>'),
)
TAGS = (
    Tag("profanity", Actor.CUSTOMER, 2000, 6000, 'Said "x", twice;\nthen --> hung up', "Anna", TagSource.ACCEPTED, 7),
    Tag("yelling", Actor.CUSTOMER, 3000, 5000, source=TagSource.SUGGESTED, id=8),
    Tag("profanity", Actor.CUSTOMER, 4000, 9000, "second", id=9),
    Tag("hang_up", Actor.AGENT, HOUR + 900, HOUR + 900, source=TagSource.IMPORTED, id=10),
    Tag("account_noted", Actor.CALL, 0, 0, id=11),
)
CALL = Call(
    "ext-1",
    AUDIO,
    started_at=datetime(2024, 5, 1, 9, 30),
    agent="Anna",
    team="Blue",
    transcript=TranscriptInfo("/t/c.json", "aws_transcribe", "utf-8"),
    disconnect_reason="CUSTOMER_DISCONNECT",
    review_status=ReviewStatus.DONE,
    summary="Rude customer.",
    utterances=UTTERANCES,
    tags=TAGS,
    id=3,
)


def _parse(text: str) -> RawTranscript:
    return call_json.parse(text, "call.json", "utf-8")


def _assert_round_trip(call: Call, raw: RawTranscript, layout: ChannelLayout | None) -> None:
    _, utterances = map_parties(raw, layout)
    assert utterances == tuple(sorted(call.utterances, key=lambda u: (u.start_ms, u.end_ms)))
    # Tag ids belong to the library the document came from; an import gets new ones.
    assert raw.events == tuple(replace(tag, id=None) for tag in call.tags)


def test_write_is_the_show_json_document() -> None:
    text = call_json.write(CALL)
    assert json.loads(text) == call_document(CALL)
    assert "Здравствуйте" in text  # written as itself, not as \u escapes
    assert text.startswith('{\n  "id": 3,')


@pytest.mark.parametrize("layout", [None, *ChannelLayout])
def test_write_then_parse_gives_utterances_words_and_tags_back(layout: ChannelLayout | None) -> None:
    raw = _parse(call_json.write(CALL))
    assert (raw.format, raw.encoding, raw.disconnect_reason) == ("call_json", "utf-8", "CUSTOMER_DISCONNECT")
    assert [t.role for t in raw.turns] == [u.party for u in UTTERANCES]
    _assert_round_trip(CALL, raw, layout)


def test_empty_call() -> None:
    text = call_json.write(Call("empty", AUDIO))
    assert call_json.sniff(text)
    raw = _parse(text)
    assert (raw.turns, raw.events, raw.disconnect_reason) == ((), (), None)


def test_sniff_claims_only_call_documents() -> None:
    assert call_json.sniff(call_json.write(CALL))
    assert not call_json.sniff('{"segments": [{"start": 0, "end": 1, "text": "hi"}]}')  # Whisper
    assert not call_json.sniff('{"utterances": [{"speaker": "A", "start": 0, "end": 1, "text": "hi"}], "words": []}')
    assert not call_json.sniff('{"utterances": [], "words": []}')  # AssemblyAI, empty
    assert not call_json.sniff('{"results": {"items": [], "transcripts": []}}')  # AWS Transcribe
    assert not call_json.sniff('{"utterances": [{"start_ms": 0}], "tags": []}')  # no party
    assert not call_json.sniff('[{"utterances": [], "tags": []}]')
    assert not call_json.sniff("WEBVTT\n")


@pytest.mark.parametrize(
    "sniff",
    [
        whisper.sniff,
        aws_transcribe.sniff,
        aws_analytics.sniff,
        assemblyai.sniff,
        deepgram.sniff,
        revai.sniff,
        azure.sniff,
        google_stt.sniff,
    ],
)
def test_no_vendor_reader_claims_a_call_document(sniff: Any) -> None:
    assert not sniff(call_json.write(CALL))
    assert not sniff(call_json.write(Call("empty", AUDIO)))


def test_hand_made_document_with_only_the_needed_fields() -> None:
    text = json.dumps(
        {
            "utterances": [{"party": "customer", "start_ms": 1, "end_ms": 2}],
            "tags": [{"kind": "hold", "actor": "agent", "start_ms": 1, "end_ms": 1, "source": None}],
        }
    )
    raw = _parse(text)
    assert [(t.speaker, t.text, t.role, t.words) for t in raw.turns] == [("", "", Party.CUSTOMER, ())]
    assert raw.events == (Tag("hold", Actor.AGENT, 1, 1, source=TagSource.IMPORTED),)


def _document(**changes: Any) -> str:
    document = json.loads(call_json.write(CALL))
    for path, value in changes.items():
        *parents, key = path.split("__")
        holder = document
        for parent in parents:
            holder = holder[int(parent)] if parent.isdigit() else holder[parent]
        holder[int(key) if key.isdigit() else key] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("changes", "kind", "where", "detail"),
    [
        ({"utterances__0__party": None}, ProblemKind.MISSING_FIELD, "utterances[0].party", "party"),
        ({"utterances__1__party": "caller"}, ProblemKind.BAD_VALUE, "utterances[1].party", "caller"),
        ({"utterances__0__start_ms": "soon"}, ProblemKind.BAD_VALUE, "utterances[0].start_ms", "number"),
        ({"utterances__0__words": {}}, ProblemKind.BAD_VALUE, "utterances[0].words", "array"),
        ({"utterances__0__words__1__mark": "bleeped"}, ProblemKind.BAD_VALUE, "utterances[0].words[1].mark", "bleeped"),
        ({"tags__0__actor": "caller"}, ProblemKind.BAD_VALUE, "tags[0]", "caller"),
        ({"tags__1__source": "guessed"}, ProblemKind.BAD_VALUE, "tags[1]", "guessed"),
        ({"tags__2__end_ms": 10}, ProblemKind.BAD_VALUE, "tags[2]", "bad span"),
        ({"tags__2__kind": ""}, ProblemKind.BAD_VALUE, "tags[2]", "empty kind"),
        ({"tags__3__note": 5}, None, "", ""),  # a number is accepted as its text
        ({"tags": {}}, ProblemKind.BAD_VALUE, "tags", "array"),
        ({"utterances": None}, ProblemKind.MISSING_FIELD, "utterances", "utterances"),
    ],
)
def test_bad_documents_are_refused_with_the_json_path(
    changes: dict[str, Any], kind: ProblemKind | None, where: str, detail: str
) -> None:
    text = _document(**changes)
    if kind is None:
        assert _parse(text).events[3].note == "5"
        return
    with pytest.raises(InputError) as caught:
        _parse(text)
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (kind, where)
    assert detail in problem.detail


def test_nul_characters_in_tags_are_dropped() -> None:
    raw = _parse(_document(tags__0__note="a\u0000b", tags__0__author="\u0000"))
    assert (raw.events[0].note, raw.events[0].author) == ("ab", "")


def test_broken_json_is_invalid_json() -> None:
    with pytest.raises(InputError) as caught:
        _parse('{"utterances": [')
    assert caught.value.problem.kind is ProblemKind.INVALID_JSON


# Property: any call the library can hold (no NUL: the readers drop it) comes back from its document.
_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
_START = st.integers(0, 30 * HOUR)
_LENGTH = st.one_of(st.just(0), st.integers(0, 2 * HOUR))
_CONFIDENCE = st.one_of(st.none(), st.floats(0, 1, allow_nan=False))


@st.composite
def _words(draw: st.DrawFn) -> Word:
    start = draw(_START)
    mark = draw(st.one_of(st.none(), st.sampled_from(WordMark)))
    return Word(draw(_TEXT), start, start + draw(_LENGTH), draw(_CONFIDENCE), mark)


@st.composite
def _utterances(draw: st.DrawFn) -> Utterance:
    start = draw(_START)
    words = tuple(draw(st.lists(_words(), max_size=3)))
    party, speaker, text = draw(st.sampled_from(Party)), draw(_TEXT), draw(_TEXT)
    return Utterance(party, speaker, start, start + draw(_LENGTH), text, words)


@st.composite
def _tags(draw: st.DrawFn) -> Tag:
    start = draw(_START)
    kind, actor, source = draw(_TEXT.filter(bool)), draw(st.sampled_from(Actor)), draw(st.sampled_from(TagSource))
    ids = st.one_of(st.none(), st.integers(1, 10**6))
    return Tag(kind, actor, start, start + draw(_LENGTH), draw(_TEXT), draw(_TEXT), source, draw(ids))


_CALLS = st.builds(
    lambda utterances, tags, reason: Call(
        "c",
        AUDIO,
        disconnect_reason=reason,
        utterances=tuple(sorted(utterances, key=lambda u: (u.start_ms, u.end_ms))),
        tags=tuple(tags),
    ),
    st.lists(_utterances(), max_size=5),
    st.lists(_tags(), max_size=5),
    st.one_of(st.none(), _TEXT.filter(bool)),
)


@settings(max_examples=150, deadline=None, database=None)
@given(call=_CALLS)
def test_any_call_survives_write_then_parse(call: Call) -> None:
    raw = _parse(call_json.write(call))
    assert raw.disconnect_reason == call.disconnect_reason
    _assert_round_trip(call, raw, ChannelLayout.MONO)
