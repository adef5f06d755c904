"""Property-test fixtures: small valid transcripts, one or two per format, to mutate into near-valid inputs.

Keyed "format" or "format#variant"; the format part names the reader that must read the seed as it stands.
Seeds of formats that are not registered are still fed to the readers that are.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

_AWS_ITEMS: list[dict[str, Any]] = [
    {
        "start_time": "0.5",
        "end_time": "0.8",
        "type": "pronunciation",
        "alternatives": [{"confidence": "0.9", "content": "Hello"}],
    },
    {
        "start_time": "0.8",
        "end_time": "1.2",
        "type": "pronunciation",
        "alternatives": [{"confidence": "0.9", "content": "there"}],
    },
    {"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]},
    {
        "start_time": "1.5",
        "end_time": "1.9",
        "type": "pronunciation",
        "alternatives": [{"confidence": "0.8", "content": "***"}],
    },
]
_AWS_SEGMENT_ITEMS = [{"start_time": "0.5", "end_time": "0.8", "speaker_label": "spk_0"}]
_AWS_ANALYTICS: dict[str, Any] = {
    "JobStatus": "COMPLETED",
    "Participants": [{"ParticipantRole": "AGENT"}, {"ParticipantRole": "CUSTOMER"}],
    "Transcript": [
        {
            "ParticipantRole": "AGENT",
            "BeginOffsetMillis": 500,
            "EndOffsetMillis": 2000,
            "Content": "Thank you for calling.",
            "Items": [
                {
                    "BeginOffsetMillis": 500,
                    "EndOffsetMillis": 900,
                    "Content": "Thank",
                    "Type": "pronunciation",
                    "Confidence": 0.9,
                },
                {"Content": ".", "Type": "punctuation"},
            ],
        },
        {"ParticipantRole": "CUSTOMER", "BeginOffsetMillis": 2500, "DurationMillis": 1500, "Content": "Hi [PII]."},
    ],
    "ConversationCharacteristics": {
        "Interruptions": {
            "InterruptionsByInterrupter": {
                "CUSTOMER": [{"BeginOffsetMillis": 1800, "EndOffsetMillis": 2100, "DurationMillis": 300}]
            }
        },
        "NonTalkTime": {"Instances": [{"BeginOffsetMillis": 4000, "EndOffsetMillis": 5000, "DurationMillis": 1000}]},
    },
}
_CONTACT_LENS: dict[str, Any] = {
    "Participants": [
        {"ParticipantId": "a-1", "ParticipantRole": "AGENT"},
        {"ParticipantId": "c-1", "ParticipantRole": "CUSTOMER"},
    ],
    "Transcript": [
        {"ParticipantId": "a-1", "BeginOffsetMillis": 100, "EndOffsetMillis": 900, "Content": "Hello."},
        {"ParticipantId": "c-1", "BeginOffsetMillis": 1000, "EndOffsetMillis": 1900, "Content": "Hi."},
    ],
    "DisconnectReason": "CUSTOMER_DISCONNECT",
}
_DEEPGRAM_WORDS = [
    {"word": "hello", "punctuated_word": "Hello,", "start": 0.5, "end": 0.8, "confidence": 0.9, "speaker": 0},
    {"word": "hi", "punctuated_word": "Hi.", "start": 1.5, "end": 1.7, "confidence": 0.9, "speaker": 1},
]
_DEEPGRAM: dict[str, Any] = {
    "metadata": {"duration": 3.0, "channels": 1},
    "results": {
        "channels": [{"alternatives": [{"transcript": "Hello, hi.", "confidence": 0.9, "words": _DEEPGRAM_WORDS}]}],
        "utterances": [
            {
                "start": 0.5,
                "end": 0.8,
                "channel": 0,
                "speaker": 0,
                "transcript": "Hello,",
                "words": _DEEPGRAM_WORDS[:1],
            },
            {"start": 1.5, "end": 1.7, "channel": 0, "speaker": 1, "transcript": "Hi.", "words": _DEEPGRAM_WORDS[1:]},
        ],
    },
}
_ASSEMBLY_WORDS = [
    {"text": "Thanks", "start": 170, "end": 500, "confidence": 0.5, "speaker": "A"},
    {"text": "Hi.", "start": 1200, "end": 1500, "confidence": 0.5, "speaker": "B"},
]
_ASSEMBLYAI: dict[str, Any] = {
    "id": "abc",
    "status": "completed",
    "text": "Thanks Hi.",
    "words": _ASSEMBLY_WORDS,
    "utterances": [
        {"speaker": "A", "start": 170, "end": 500, "text": "Thanks", "confidence": 0.9, "words": _ASSEMBLY_WORDS[:1]},
        {"speaker": "B", "start": 1200, "end": 1500, "text": "Hi.", "confidence": 0.9, "words": _ASSEMBLY_WORDS[1:]},
    ],
}
_GOOGLE_REST: dict[str, Any] = {
    "results": [
        {
            "alternatives": [
                {
                    "transcript": "thank you",
                    "confidence": 0.9,
                    "words": [
                        {"startTime": "0.500s", "endTime": "0.800s", "word": "thank", "speakerTag": 1},
                        {"startTime": "0.800s", "endTime": "1.100s", "word": "you", "speakerTag": 2},
                    ],
                }
            ],
            "resultEndTime": "1.500s",
            "channelTag": 1,
        }
    ]
}
_GOOGLE_PROTO: dict[str, Any] = {
    "results": [
        {
            "alternatives": [
                {
                    "transcript": "hello",
                    "words": [
                        {
                            "startOffset": {"seconds": 2, "nanos": 0},
                            "endOffset": {"seconds": 2, "nanos": 400000000},
                            "word": "hello",
                        }
                    ],
                }
            ],
            "resultEndOffset": {"seconds": 3, "nanos": 50000000},
        }
    ]
}
_AZURE_WORDS = [
    {"word": "hello", "offset": "PT0.04S", "duration": "PT0.5S", "offsetInTicks": 400000, "durationInTicks": 5000000}
]
_AZURE_BATCH: dict[str, Any] = {
    "duration": "PT4S",
    "combinedRecognizedPhrases": [{"channel": 0, "display": "Hello."}],
    "recognizedPhrases": [
        {
            "recognitionStatus": "Success",
            "channel": 0,
            "speaker": 1,
            "offset": "PT0.04S",
            "duration": "PT1S",
            "offsetInTicks": 400000,
            "durationInTicks": 10000000,
            "nBest": [{"confidence": 0.9, "lexical": "hello", "display": "Hello.", "words": _AZURE_WORDS}],
        }
    ],
}
_AZURE_REALTIME: list[dict[str, Any]] = [
    {
        "RecognitionStatus": "Success",
        "Offset": 900000,
        "Duration": 5600000,
        "SpeakerId": "Guest-1",
        "NBest": [
            {
                "Confidence": 0.95,
                "Lexical": "hello",
                "Display": "Hello.",
                "Words": [{"Word": "hello", "Offset": 900000, "Duration": 5600000}],
            }
        ],
    },
    {
        "RecognitionStatus": "Success",
        "Offset": 6900000,
        "Duration": 10100000,
        "SpeakerId": "Guest-2",
        "DisplayText": "Hi.",
    },
]
_REVAI: dict[str, Any] = {
    "monologues": [
        {
            "speaker": 0,
            "elements": [
                {"type": "text", "value": "Hi", "ts": 0.3, "end_ts": 0.52, "confidence": 1.0},
                {"type": "punct", "value": ","},
                {"type": "text", "value": "Acme", "ts": 0.54, "end_ts": 0.9, "confidence": 0.6},
            ],
        },
        {
            "speaker": 1,
            "speaker_name": "Jane",
            "elements": [{"type": "text", "value": "Hello", "ts": 1.2, "end_ts": 1.5}],
        },
    ]
}
_WHISPER: dict[str, Any] = {
    "text": "Thank you for calling. Hi.",
    "segments": [
        {
            "id": 0,
            "start": 0.5,
            "end": 2.0,
            "text": " Thank you for calling.",
            "speaker": "SPEAKER_00",
            "words": [
                {"word": "Thank", "start": 0.5, "end": 0.9, "probability": 0.9},
                {"word": "you", "start": 0.9, "end": 1.2},
            ],
        },
        {"id": 1, "start": 2.5, "end": 3.0, "text": " Hi."},
    ],
}
_CALL_JSON: dict[str, Any] = {
    "id": 1,
    "external_id": "A-1",
    "duration_ms": 4000,
    "layout": "mono",
    "utterances": [
        {
            "party": "agent",
            "speaker": "Anna",
            "start_ms": 500,
            "end_ms": 2000,
            "text": "Thank you for calling",
            "words": [{"text": "Thank", "start_ms": 500, "end_ms": 900, "confidence": 0.9, "mark": None}],
        },
        {"party": "customer", "speaker": "Bo", "start_ms": 2500, "end_ms": 3000, "text": "Hi", "words": []},
    ],
    "tags": [
        {
            "id": 1,
            "kind": "greeting",
            "actor": "agent",
            "start_ms": 500,
            "end_ms": 2000,
            "note": "",
            "source": "manual",
            "author": "me",
        },
        {
            "id": 2,
            "kind": "hold",
            "actor": "call",
            "start_ms": 3500,
            "end_ms": 3500,
            "note": None,
            "source": "imported",
            "author": "aws",
        },
    ],
}

_EAF = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
        <TIME_SLOT TIME_SLOT_ID="ts2"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2500"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="3000"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="Anna" TIER_ID="A">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>Thank you for calling</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
                <ANNOTATION_VALUE>how can I help</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="A" TIER_ID="A-notes">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="r1" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>greeting</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="Bo" TIER_ID="B">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="b1" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>Hi</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" LINGUISTIC_TYPE_ID="translation" TIME_ALIGNABLE="false"/>
</ANNOTATION_DOCUMENT>
"""

_TEXTGRID_LONG = """File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 4
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "Agent"
        xmin = 0
        xmax = 4
        intervals: size = 2
        intervals [1]:
            xmin = 0
            xmax = 2.5
            text = "Thank you for calling"
        intervals [2]:
            xmin = 2.5
            xmax = 4
            text = ""
    item [2]:
        class = "TextTier"
        name = "events"
        xmin = 0
        xmax = 4
        points: size = 1
        points [1]:
            number = 3.5
            mark = "hold"
"""

_TEXTGRID_SHORT = """File type = "ooTextFile"
Object class = "TextGrid"

0
4
<exists>
1
"IntervalTier"
"Customer"
0
4
2
0
1.5
"Hi"
1.5
4
""
"""

_VTT = """WEBVTT

00:00.500 --> 00:02.000
<v Agent>Thank you for calling, how can I help?

2
00:00:02.500 --> 00:00:04.000 align:start
<v.loud Customer>Hi, <00:00:03.000>my <c.x>internet</c> is down.
"""

_SRT = """1
00:00:00,500 --> 00:00:02,000
Agent: Thank you for calling.

2
00:00:02,500 --> 00:00:04,000
Customer: Hi, my internet
is down.
"""

_CSV = 'start,end,speaker,text\n0.5,2.0,agent,Thank you for calling\n00:02.5,00:04.0,customer,"Hi, it\'s ""down"""\n'
_TSV = "begin_ms\tstop_ms\tchannel\ttranscript\n500\t2000\t0\tThank you\n2500\t4000\t1\tHi\n"
_RTTM = """;; a comment
SPEAKER call 1 0.500 1.500 <NA> <NA> spk_0 <NA> <NA>
SPEAKER call 1 2.500 1.500 <NA> <NA> spk_1 <NA> <NA>
SPKR-INFO call 1 <NA> <NA> <NA> adult_male spk_0 <NA>
"""


def _json(value: object) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False)


_SEEDS: dict[str, str] = {
    "vtt": _VTT,
    "srt": _SRT,
    "csv": _CSV,
    "csv#tsv": _TSV,
    "whisper": _json(_WHISPER),
    "aws_transcribe#speakers": _json(
        {
            "jobName": "j",
            "results": {
                "items": _AWS_ITEMS,
                "speaker_labels": {
                    "speakers": 1,
                    "segments": [
                        {"start_time": "0.5", "end_time": "1.2", "speaker_label": "spk_0", "items": _AWS_SEGMENT_ITEMS}
                    ],
                },
            },
        }
    ),
    "aws_transcribe#channels": _json(
        {
            "results": {
                "items": _AWS_ITEMS,
                "channel_labels": {
                    "number_of_channels": 1,
                    "channels": [{"channel_label": "ch_0", "items": _AWS_ITEMS[:2]}],
                },
            }
        }
    ),
    "aws_analytics": _json(_AWS_ANALYTICS),
    "aws_analytics#contact_lens": _json(_CONTACT_LENS),
    "deepgram": _json(_DEEPGRAM),
    "assemblyai": _json(_ASSEMBLYAI),
    "google_stt": _json(_GOOGLE_REST),
    "google_stt#proto": _json(_GOOGLE_PROTO),
    "azure": _json(_AZURE_BATCH),
    "azure#realtime": _json(_AZURE_REALTIME),
    "azure#lines": "\n".join(json.dumps(result) for result in _AZURE_REALTIME) + "\n",
    "revai": _json(_REVAI),
    "call_json": _json(_CALL_JSON),
    "eaf": _EAF,
    "textgrid": _TEXTGRID_LONG,
    "textgrid#short": _TEXTGRID_SHORT,
    "rttm": _RTTM,
}


class Seeds(dict[str, str]):
    """The seeds by key; shown by count, not by content, in a failing example's report."""

    def __repr__(self) -> str:
        return f"<{len(self)} seeds>"


@pytest.fixture(scope="session")
def seeds() -> Seeds:
    """Every seed by key ("azure#realtime"); the part before "#" is the format that reads it as it stands."""
    return Seeds(_SEEDS)
