"""ELAN EAF: participants, unaligned time slots, reference tiers, refusals, and the writer's round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain.call import AudioInfo, Call
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import Tag, TagSource
from reviewer.domain.transcript import Utterance
from reviewer.formats import eaf
from reviewer.formats.base import RawTranscript
from reviewer.formats.eaf import decode_tag_value, encode_tag_value, speech_tier_label
from reviewer.formats.parties import map_parties
from reviewer.formats.text import read_text

ELAN_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-01-01T00:00:00+00:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"/>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
        <TIME_SLOT TIME_SLOT_ID="ts2"/>
        <TIME_SLOT TIME_SLOT_ID="ts3"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="2500"/>
        <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="3000"/>
        <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="4200"/>
        <TIME_SLOT TIME_SLOT_ID="ts7"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="Anna" TIER_ID="A">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>Thank you for calling</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="words" PARENT_REF="A" PARTICIPANT="Anna" TIER_ID="A-words">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>Thank you</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
                <ANNOTATION_VALUE>for</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>calling</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="A" TIER_ID="A-ru">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a5" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>Спасибо за звонок</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="gloss" PARENT_REF="A-ru" TIER_ID="A-ru-gloss">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a6" ANNOTATION_REF="a5">
                <ANNOTATION_VALUE>thanks</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a7" ANNOTATION_REF="a5" PREVIOUS_ANNOTATION="a6">
                <ANNOTATION_VALUE>for-call</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="utterance" TIER_ID="Caller">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a8" TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6">
                <ANNOTATION_VALUE>Hi</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a9" TIME_SLOT_REF1="ts6" TIME_SLOT_REF2="ts7">
                <ANNOTATION_VALUE/>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="utterance" PARTICIPANT="" TIER_ID="customer#2"/>
    <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="utterance" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
"""


def _parse(text: str) -> RawTranscript:
    return eaf.parse(text, "call.eaf", "utf-8")


def _spans(raw: RawTranscript, speaker: str) -> list[tuple[int, int, str]]:
    return [(t.start_ms, t.end_ms, t.text) for t in raw.turns if t.speaker == speaker]


def test_sniff_knows_elan_documents() -> None:
    assert eaf.sniff(ELAN_FILE)
    assert not eaf.sniff('<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"/>')
    assert not eaf.sniff('{"ANNOTATION_DOCUMENT": 1}')


def test_participant_names_the_speaker_and_the_tier_id_stands_in() -> None:
    raw = _parse(ELAN_FILE)
    assert raw.format == "eaf"
    assert _spans(raw, "Caller")[0] == (3000, 4200, "Hi")
    assert {t.speaker for t in raw.turns} == {"Anna", "A-ru", "A-ru-gloss", "Caller"}
    assert all(t.role is None for t in raw.turns)
    assert raw.events == ()


def test_unaligned_slots_are_placed_evenly_between_aligned_neighbours() -> None:
    words = [t for t in _parse(ELAN_FILE).turns if t.where.startswith("tier 'A-words'")]
    assert [(t.start_ms, t.end_ms, t.text) for t in words] == [
        (1000, 1500, "Thank you"),
        (1500, 2000, "for"),
        (2000, 2500, "calling"),
    ]


def test_unaligned_slot_after_the_last_aligned_one_takes_its_time() -> None:
    # ts7 has no aligned slot after it: the empty annotation a9 collapses onto ts6 instead of inventing a length.
    assert _spans(_parse(ELAN_FILE), "Caller")[1] == (4200, 4200, "")


def test_reference_tiers_inherit_times_and_subdivisions_share_them() -> None:
    raw = _parse(ELAN_FILE)
    assert _spans(raw, "A-ru") == [(1000, 2500, "Спасибо за звонок")]
    assert _spans(raw, "A-ru-gloss") == [(1000, 1750, "thanks"), (1750, 2500, "for-call")]
    assert next(t.where for t in raw.turns if t.text == "thanks") == "tier 'A-ru-gloss', annotation a6"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("agent", ("agent", Party.AGENT)),
        ("Customer#3", ("Customer", Party.CUSTOMER)),
        ("Anna (agent)", ("Anna", Party.AGENT)),
        ("Anna (agent)#2", ("Anna", Party.AGENT)),
        ("(customer)", ("", Party.CUSTOMER)),
        ("agents", ("agents", None)),
        ("mary", ("mary", None)),
    ],
)
def test_tier_names_that_state_a_party(name: str, expected: tuple[str, Party | None]) -> None:
    assert speech_tier_label(name) == expected


def test_tag_values_carry_marks_before_the_note() -> None:
    tag = Tag("hang_up", Actor.AGENT, 5, 5, "@home", source=TagSource.SUGGESTED)
    value = encode_tag_value(tag, mark_point=True, never_empty=False)
    assert value == "@point @suggested \\@home"
    decoded = decode_tag_value(value)
    assert (decoded.note, decoded.source, decoded.point) == ("@home", TagSource.SUGGESTED, True)
    # A hand-written note that happens to start with "@" stays a note.
    assert decode_tag_value("@home visit").note == "@home visit"


def test_hand_made_tag_tiers_become_events() -> None:
    text = ELAN_FILE.replace('TIER_ID="Caller"', 'TIER_ID="customer:yelling"')
    raw = _parse(text)
    assert [(e.kind, e.actor, e.start_ms, e.end_ms, e.note) for e in raw.events] == [
        ("yelling", Actor.CUSTOMER, 3000, 4200, "Hi"),
        ("yelling", Actor.CUSTOMER, 4200, 4200, ""),
    ]
    assert "Caller" not in {t.speaker for t in raw.turns}


BAD_FILES = [
    ("<ANNOTATION_DOCUMENT><TIER", "line 1"),
    ("", "line 1"),
    ("<TT/>", "line 1"),
    (
        '<ANNOTATION_DOCUMENT><TIME_ORDER><TIME_SLOT TIME_SLOT_ID="t" TIME_VALUE="-5"/></TIME_ORDER>'
        "</ANNOTATION_DOCUMENT>",
        "time slot t",
    ),
    (
        '<ANNOTATION_DOCUMENT><TIME_ORDER><TIME_SLOT TIME_SLOT_ID="t" TIME_VALUE="soon"/></TIME_ORDER>'
        "</ANNOTATION_DOCUMENT>",
        "time slot t",
    ),
    ("<ANNOTATION_DOCUMENT><TIER><ANNOTATION/></TIER></ANNOTATION_DOCUMENT>", "tier 1"),
    (
        '<ANNOTATION_DOCUMENT><TIER TIER_ID="x"><ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" '
        'TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2"/></ANNOTATION></TIER></ANNOTATION_DOCUMENT>',
        "tier 'x', annotation a1",
    ),
    (
        '<ANNOTATION_DOCUMENT><TIER TIER_ID="x"><ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a1" ANNOTATION_REF="a9"/>'
        "</ANNOTATION></TIER></ANNOTATION_DOCUMENT>",
        "tier 'x', annotation a1",
    ),
    (
        '<ANNOTATION_DOCUMENT><TIER TIER_ID="x"><ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a1" ANNOTATION_REF="a2"/>'
        '</ANNOTATION><ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a2" ANNOTATION_REF="a1"/></ANNOTATION></TIER>'
        "</ANNOTATION_DOCUMENT>",
        "tier 'x', annotation a",
    ),
]


@pytest.mark.parametrize(("text", "where"), BAD_FILES)
def test_malformed_documents_are_refused_with_a_location(text: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        _parse(text)
    assert caught.value.problem.kind in (ProblemKind.BAD_VALUE, ProblemKind.MISSING_FIELD)
    assert caught.value.problem.where.startswith(where)


def test_an_inverted_tag_span_is_the_files_error_not_a_crash() -> None:
    text = ELAN_FILE.replace('TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6"', 'TIME_SLOT_REF1="ts6" TIME_SLOT_REF2="ts5"')
    text = text.replace('TIER_ID="Caller"', 'TIER_ID="customer:threat"')
    with pytest.raises(InputError) as caught:
        _parse(text)
    assert caught.value.problem.where == "tier 'customer:threat', annotation a8"


# ---------------------------------------------------------------------------------------------------------------
# Writing.


def _call(utterances: tuple[Utterance, ...] = (), tags: tuple[Tag, ...] = (), duration_ms: int = 60_000) -> Call:
    audio = AudioInfo("/calls/0001.wav", "0" * 64, duration_ms, 8000, 2, ChannelLayout.AGENT_LEFT)
    return Call("0001", audio, utterances=utterances, tags=tags)


UTTERANCES = (
    Utterance(Party.AGENT, "Анна", 0, 2400, "Здравствуйте, меня зовут Анна"),
    Utterance(Party.CUSTOMER, "王先生", 2000, 5000, '您好，我的卡被冻结了 <&> "quoted"'),
    Utterance(Party.AGENT, "Анна", 4800, 6000, "@понимаю"),
    Utterance(Party.CUSTOMER, "Second caller", 5500, 7000, "me too"),
    Utterance(Party.AGENT, "Анна", 5900, 6500, "overlapping herself"),
    Utterance(Party.AGENT, "Анна", 9000, 9000, "zero"),
)
TAGS = (
    Tag("profanity", Actor.CUSTOMER, 2000, 3000, "first"),
    Tag("profanity", Actor.CUSTOMER, 2500, 4000, "overlaps the first", source=TagSource.ACCEPTED),
    Tag("yelling", Actor.CUSTOMER, 2500, 4000),
    Tag("warning", Actor.AGENT, 4800, 6000, "предупреждение", source=TagSource.SUGGESTED),
    Tag("hang_up", Actor.AGENT, 7000, 7000, "\\@ note"),
    Tag("hang_up", Actor.AGENT, 7000, 7000, "same instant", source=TagSource.IMPORTED),
    Tag("lead_notified", Actor.CALL, 6500, 6500),
    Tag("non_talk", Actor.CALL, 7000, 9000, "  spaced  "),
)


def _round_trip(call: Call) -> tuple[RawTranscript, tuple[Utterance, ...]]:
    raw = _parse(eaf.write(call))
    return raw, map_parties(raw, None)[1]


def _key(u: Utterance) -> tuple[int, int, str, str, str]:
    return u.start_ms, u.end_ms, u.party, u.speaker, u.text


def _tag_key(t: Tag) -> tuple[str, str, int, int, str, str]:
    return t.kind, t.actor, t.start_ms, t.end_ms, t.note, t.source


def test_round_trip_keeps_utterances_and_tags() -> None:
    raw, utterances = _round_trip(_call(UTTERANCES, TAGS))
    expected = [
        u if u.end_ms > u.start_ms else Utterance(u.party, u.speaker, u.start_ms, u.start_ms + 1, u.text)
        for u in UTTERANCES
    ]  # a zero-length utterance comes back 1 ms long
    assert sorted(map(_key, utterances)) == sorted(map(_key, expected))
    assert sorted(map(_tag_key, raw.events)) == sorted(map(_tag_key, TAGS))


def test_written_tiers_follow_the_convention() -> None:
    text = eaf.write(_call(UTTERANCES, TAGS))
    for tier in (
        'TIER_ID="agent" LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="Анна"',
        'TIER_ID="agent#2"',
        'TIER_ID="customer"',
        'TIER_ID="customer#2"',
        'TIER_ID="customer:profanity"',
        'TIER_ID="customer:profanity#2"',
        'TIER_ID="customer:yelling"',
        'TIER_ID="agent:hang_up#2"',
        'TIER_ID="call:lead_notified"',
    ):
        assert tier in text
    assert 'TIER_ID="customer:yelling#2"' not in text
    assert "file:///calls/0001.wav" in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_roles_come_back_from_tier_ids() -> None:
    raw, _ = _round_trip(_call(UTTERANCES))
    assert {(t.speaker, t.role) for t in raw.turns} == {
        ("Анна", Party.AGENT),
        ("王先生", Party.CUSTOMER),
        ("Second caller", Party.CUSTOMER),
    }


def test_empty_call_round_trips_to_nothing() -> None:
    raw, utterances = _round_trip(_call())
    assert (raw.turns, raw.events, utterances) == ((), (), ())


def test_written_file_reads_through_the_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "call.eaf"
    path.write_text(eaf.write(_call(UTTERANCES, TAGS)), encoding="utf-8")
    text, encoding = read_text(str(path))
    assert eaf.sniff(text)
    assert len(eaf.parse(text, str(path), encoding).turns) == len(UTTERANCES)


_TEXT = st.text(st.sampled_from("aZ я文 @\\\"<&>'\n#:"), max_size=12).map(str.strip)
_SPANS = st.tuples(st.integers(0, 5000), st.integers(0, 3000)).map(lambda s: (s[0], s[0] + s[1]))
_UTTERANCE = st.builds(
    lambda party, speaker, span, text: Utterance(party, speaker, span[0], max(span[1], span[0] + 1), text),
    st.sampled_from(Party),
    st.sampled_from(["Anna", "Bob", "Зоя"]),
    _SPANS,
    _TEXT,
)
_TAG = st.builds(
    lambda kind, actor, span, note, source: Tag(kind, actor, span[0], span[1], note, source=source),
    st.sampled_from(["profanity", "hang_up", "custom_kind"]),
    st.sampled_from(Actor),
    _SPANS,
    _TEXT,
    st.sampled_from(TagSource),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_UTTERANCE, max_size=8), st.lists(_TAG, max_size=8))
def test_round_trip_of_any_call(utterances: list[Utterance], tags: list[Tag]) -> None:
    raw, read = _round_trip(_call(tuple(utterances), tuple(tags)))
    assert sorted(map(_key, read)) == sorted(map(_key, utterances))
    assert sorted(map(_tag_key, raw.events)) == sorted(map(_tag_key, tags))


@pytest.mark.parametrize("text", [ELAN_FILE, eaf.write(_call(UTTERANCES, TAGS))], ids=["elan", "ours"])
def test_every_truncation_is_read_or_refused(text: str) -> None:
    for cut in range(0, len(text), 7):
        try:
            raw = _parse(text[:cut])
        except InputError:
            continue
        assert all(t.start_ms >= 0 and t.end_ms >= 0 for t in raw.turns)
