"""Call Analytics and Contact Lens JSON: roles, words, interruptions and non-talk time as imported tags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer.domain.parties import Actor, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Word, WordMark
from reviewer.formats import aws_analytics
from reviewer.formats.base import RawTranscript
from reviewer.formats.registry import read_raw


def _span(begin: int, end: int) -> dict[str, int]:
    return {"BeginOffsetMillis": begin, "EndOffsetMillis": end, "DurationMillis": end - begin}


CALL_ANALYTICS: dict[str, Any] = {
    "JobStatus": "COMPLETED",
    "Transcript": [
        {
            "ParticipantRole": "AGENT",
            "BeginOffsetMillis": 100,
            "EndOffsetMillis": 1500,
            "Content": "Hello, how can I help?",
            "Sentiment": "NEUTRAL",
            "LoudnessScores": [70.1, 71.2],
            "Items": [
                {
                    "Content": "Hello",
                    "BeginOffsetMillis": 100,
                    "EndOffsetMillis": 400,
                    "Confidence": 0.99,
                    "Type": "pronunciation",
                },
                {"Content": ",", "Type": "punctuation"},
                {
                    "Content": "how",
                    "BeginOffsetMillis": 500,
                    "EndOffsetMillis": 700,
                    "Confidence": 1.0,
                    "Type": "pronunciation",
                },
            ],
        },
        {"ParticipantRole": "CUSTOMER", "BeginOffsetMillis": 1200, "EndOffsetMillis": 3000, "Content": "Cancel it"},
    ],
    "ConversationCharacteristics": {
        "Interruptions": {
            "TotalCount": 2,
            "InterruptionsByInterrupter": {"CUSTOMER": [_span(1200, 1500)], "AGENT": [_span(2500, 2900)]},
        },
        "NonTalkTime": {"Instances": [_span(3000, 9000)], "TotalTimeMillis": 6000},
    },
}

CONTACT_LENS: dict[str, Any] = {
    "Version": "VOICE-2022-11-30",
    "Participants": [
        {"ParticipantId": "p-cust", "ParticipantRole": "CUSTOMER"},
        {"ParticipantId": "p-agent", "ParticipantRole": "AGENT"},
    ],
    "Transcript": [
        {
            "ParticipantId": "p-cust",
            "BeginOffsetMillis": 0,
            "EndOffsetMillis": 900,
            "Content": "Hi.",
            "LoudnessScore": [60.0],
        },
        {"ParticipantId": "p-agent", "BeginOffsetMillis": 1000, "EndOffsetMillis": 2000, "Content": "Hello."},
    ],
    "ConversationCharacteristics": {
        "Interruptions": {"InterruptionsByInterrupter": {"p-agent": [_span(500, 800)]}},
    },
    "CustomerMetadata": {"ContactId": "c-1", "DisconnectReason": "AGENT_DISCONNECT"},
}


def _read(tmp_path: Path, data: object) -> RawTranscript:
    path = tmp_path / "analysis.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return read_raw(str(path))


def _imported(kind: str, actor: Actor, start: int, end: int) -> Tag:
    return Tag(kind, actor, start, end, author="aws", source=TagSource.IMPORTED)


def test_call_analytics_turns_carry_roles(tmp_path: Path) -> None:
    raw = _read(tmp_path, CALL_ANALYTICS)
    assert raw.format == "aws_analytics"
    assert [(t.speaker, t.role, t.start_ms, t.end_ms, t.where) for t in raw.turns] == [
        ("AGENT", Party.AGENT, 100, 1500, "Transcript[0]"),
        ("CUSTOMER", Party.CUSTOMER, 1200, 3000, "Transcript[1]"),
    ]
    assert raw.turns[0].words == (Word("Hello,", 100, 400, 0.99), Word("how", 500, 700, 1.0))


def test_call_analytics_interruptions_and_non_talk_become_events(tmp_path: Path) -> None:
    events = _read(tmp_path, CALL_ANALYTICS).events
    assert set(events) == {
        _imported("interruption", Actor.CUSTOMER, 1200, 1500),
        _imported("interruption", Actor.AGENT, 2500, 2900),
        _imported("non_talk", Actor.CALL, 3000, 9000),
    }


def test_contact_lens_maps_participant_ids_to_roles(tmp_path: Path) -> None:
    raw = _read(tmp_path, CONTACT_LENS)
    assert [(t.speaker, t.role, t.text) for t in raw.turns] == [
        ("p-cust", Party.CUSTOMER, "Hi."),
        ("p-agent", Party.AGENT, "Hello."),
    ]
    assert raw.events == (_imported("interruption", Actor.AGENT, 500, 800),)


def test_disconnect_reason_is_found_in_metadata_or_at_the_top(tmp_path: Path) -> None:
    assert _read(tmp_path, CONTACT_LENS).disconnect_reason == "AGENT_DISCONNECT"
    assert _read(tmp_path, {**CALL_ANALYTICS, "DisconnectReason": "CUSTOMER_DISCONNECT"}).disconnect_reason == (
        "CUSTOMER_DISCONNECT"
    )
    assert _read(tmp_path, CALL_ANALYTICS).disconnect_reason is None


def test_characteristics_alone_give_events_without_turns(tmp_path: Path) -> None:
    raw = _read(tmp_path, {"ConversationCharacteristics": CALL_ANALYTICS["ConversationCharacteristics"]})
    assert raw.turns == ()
    assert len(raw.events) == 3


def test_event_ending_before_it_starts_is_refused_at_its_path(tmp_path: Path) -> None:
    data = {"ConversationCharacteristics": {"NonTalkTime": {"Instances": [_span(0, 10), _span(5000, 4000)]}}}
    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (
        ProblemKind.END_BEFORE_START,
        "ConversationCharacteristics.NonTalkTime.Instances[1]",
    )
    assert problem.detail == "ends 00:04.000 before it starts 00:05.000"


def test_turn_without_begin_is_a_missing_field(tmp_path: Path) -> None:
    data = {"Transcript": [{"ParticipantRole": "AGENT", "EndOffsetMillis": 5, "Content": "x"}]}
    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)
    assert (caught.value.problem.kind, caught.value.problem.where) == (
        ProblemKind.MISSING_FIELD,
        "Transcript[0].BeginOffsetMillis",
    )


def test_sniff() -> None:
    assert aws_analytics.sniff(json.dumps(CALL_ANALYTICS))
    assert aws_analytics.sniff(json.dumps(CONTACT_LENS))
    assert not aws_analytics.sniff('{"Transcript": [{"speaker": "A"}]}')
    assert not aws_analytics.sniff('{"segments": []}')


def test_call_analytics_participants_without_ids_are_accepted(tmp_path: Path) -> None:
    doc = {
        "Participants": [{"ParticipantRole": "AGENT"}, {"ParticipantRole": "CUSTOMER"}],
        "Transcript": [
            {"ParticipantRole": "CUSTOMER", "BeginOffsetMillis": 0, "EndOffsetMillis": 900, "Content": "Hi."},
            {"ParticipantRole": "AGENT", "BeginOffsetMillis": 1000, "EndOffsetMillis": 2000, "Content": "Hello."},
        ],
    }
    path = tmp_path / "tca.json"
    path.write_text(json.dumps(doc))
    raw = read_raw(str(path))
    assert [t.role for t in raw.turns] == [Party.CUSTOMER, Party.AGENT]


def _item(content: str, begin: int, end: int) -> dict[str, Any]:
    return {"Content": content, "BeginOffsetMillis": begin, "EndOffsetMillis": end, "Type": "pronunciation"}


def test_masked_and_redacted_items_are_marked_and_keep_their_text(tmp_path: Path) -> None:
    items = [
        _item("My", 0, 200),
        _item("name", 200, 400),
        _item("is", 400, 500),
        _item("[PII]", 500, 900),
        {"Content": ".", "Type": "punctuation"},
        _item("***", 1000, 1300),
        _item("[NAME]", 1300, 1500),
    ]
    turn = {"ParticipantRole": "CUSTOMER", "BeginOffsetMillis": 0, "EndOffsetMillis": 1500, "Items": items}
    words = _read(tmp_path, {"Transcript": [turn]}).turns[0].words
    assert [(w.text, w.mark) for w in words] == [
        ("My", None),
        ("name", None),
        ("is", None),
        ("[PII].", WordMark.REDACTED),
        ("***", WordMark.MASKED),
        ("[NAME]", WordMark.REDACTED),
    ]
