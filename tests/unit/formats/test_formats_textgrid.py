"""Praat TextGrid: long and short format, UTF-16, tag tiers, refusals, and the writer's round trip."""

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
from reviewer.formats import textgrid
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import map_parties
from reviewer.formats.text import read_text

LONG = '''File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 6.5
tiers? <exists>
size = 4
item []:
    item [1]:
        class = "IntervalTier"
        name = "Agent"
        xmin = 0
        xmax = 6.5
        intervals: size = 3
        intervals [1]:
            xmin = 0
            xmax = 0.5
            text = ""
        intervals [2]:
            xmin = 0.5
            xmax = 2.25
            text = "Thank you for calling, this is ""Anna"""
        intervals [3]:
            xmin = 2.25
            xmax = 6.5
            text = ""
    item [2]:
        class = "IntervalTier"
        name = "Клиент"
        xmin = 0
        xmax = 6.5
        intervals: size = 2
        intervals [1]:
            xmin = 0
            xmax = 2
            text = ""
        intervals [2]:
            xmin = 2
            xmax = 6.5
            text = "Здравствуйте,
у меня вопрос"
    item [3]:
        class = "TextTier"
        name = "pitch"
        xmin = 0
        xmax = 6.5
        points: size = 1
        points [1]:
            number = 1.5
            mark = "120"
    item [4]:
        class = "TextTier"
        name = "agent:hang_up"
        xmin = 0
        xmax = 6.5
        points: size = 1
        points [1]:
            number = 6.25
            mark = "@imported said ""bye"""
'''

SHORT = """File type = "ooTextFile"
Object class = "TextGrid"

0
3.5
<exists>
2
"IntervalTier"
"customer"
0
3.5
3
0
1
""
1
2.5
"我的卡被冻结了"
2.5
3.5
""
"TextTier"
"call:lead_notified"
0
3.5
1
3
"@point @accepted ""lead"" sent"
"""


def _parse(text: str) -> RawTranscript:
    return textgrid.parse(text, "call.TextGrid", "utf-8")


def test_sniff_knows_text_textgrids() -> None:
    assert textgrid.sniff(LONG)
    assert textgrid.sniff("\ufeff" + SHORT)
    assert not textgrid.sniff('File type = "ooTextFile"\nObject class = "Pitch 1"\n')
    assert not textgrid.sniff('{"xmin": 0, "tiers": []}')


def test_long_format_interval_tiers_are_speakers() -> None:
    raw = _parse(LONG)
    assert raw.format == "textgrid"
    assert [(t.speaker, t.role, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("Agent", Party.AGENT, 500, 2250, 'Thank you for calling, this is "Anna"'),
        ("Клиент", None, 2000, 6500, "Здравствуйте,\nу меня вопрос"),
    ]
    assert raw.turns[1].where == "tier 2 ('Клиент'), interval 2"


def test_point_tiers_give_events_only_under_the_tag_convention() -> None:
    events = _parse(LONG).events
    assert [(e.kind, e.actor, e.start_ms, e.end_ms, e.note, e.source) for e in events] == [
        ("hang_up", Actor.AGENT, 6250, 6250, 'said "bye"', TagSource.IMPORTED),
    ]


def test_short_format() -> None:
    raw = _parse(SHORT)
    assert [(t.speaker, t.role, t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        ("customer", Party.CUSTOMER, 1000, 2500, "我的卡被冻结了"),
    ]
    assert [(e.kind, e.actor, e.start_ms, e.end_ms, e.note, e.source) for e in raw.events] == [
        ("lead_notified", Actor.CALL, 3000, 3000, '"lead" sent', TagSource.ACCEPTED),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_files_decode_and_parse(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "call.TextGrid"
    bom = "\ufeff" if encoding != "utf-16" else ""  # Python's "utf-16" writes its own BOM
    path.write_bytes((bom + LONG.replace("xmin = 0\n", "xmin = -0\n")).encode(encoding))
    text, used = read_text(str(path))
    assert used.startswith("utf-16")
    raw = textgrid.parse(text, str(path), used)
    assert [t.text for t in raw.turns][1] == "Здравствуйте,\nу меня вопрос"
    assert raw.encoding == used


def test_crlf_and_negative_zero_are_accepted() -> None:
    raw = _parse(LONG.replace("xmin = 0\n", "xmin = -0\n").replace("\n", "\r\n"))
    assert [t.start_ms for t in raw.turns] == [500, 2000]


BAD = [
    ("", "line 1"),
    ("hello", "line 1"),
    ('{"File type": "ooTextFile", "Object class": "TextGrid"}', "line 1"),
    ('File type = "ooTextFile"\nObject class = "TextGrid"\n', ""),
    ('File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n1\n<exists>\n1\n"IntervalTier"\n', ""),
    (LONG.replace("xmax = 2.25", "xmax = soon"), ""),
    (LONG.replace("xmin = 0.5", "xmin = -0.5"), "line 20"),
    (SHORT.replace("\n1\n2.5\n", "\n1\n-2.5\n"), "tier 1 ('customer'), interval 2"),
    (SHORT.replace("\n1\n2.5\n", "\n1\nnan\n"), "tier 1 ('customer'), interval 2"),
    (LONG.replace("number = 6.25", "number = 1e400"), ""),
]


@pytest.mark.parametrize(("text", "where"), BAD)
def test_malformed_textgrids_are_refused(text: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        _parse(text)
    assert caught.value.problem.kind is ProblemKind.BAD_VALUE
    assert caught.value.problem.where.startswith(where)


def test_inverted_tag_interval_is_refused_where_it_is() -> None:
    text = SHORT.replace('"customer"', '"customer:yelling"').replace("\n1\n2.5\n", "\n2.6\n2.5\n")
    with pytest.raises(InputError) as caught:
        _parse(text)
    assert caught.value.problem.where == "tier 1 ('customer:yelling'), interval 2"


# ---------------------------------------------------------------------------------------------------------------
# Writing.


def _call(utterances: tuple[Utterance, ...] = (), tags: tuple[Tag, ...] = (), duration_ms: int = 60_000) -> Call:
    audio = AudioInfo("/calls/0001.wav", "0" * 64, duration_ms, 8000, 2, ChannelLayout.AGENT_LEFT)
    return Call("0001", audio, utterances=utterances, tags=tags)


UTTERANCES = (
    Utterance(Party.AGENT, "Анна", 0, 2400, "Здравствуйте, меня зовут Анна"),
    Utterance(Party.CUSTOMER, "王先生", 2000, 5000, '您好，我的卡被冻结了 "quoted"'),
    Utterance(Party.AGENT, "Анна", 4800, 6000, "@понимаю"),
    Utterance(Party.CUSTOMER, "", 5500, 7000, ""),
    Utterance(Party.AGENT, "Анна", 5900, 6500, "overlapping herself"),
)
TAGS = (
    Tag("profanity", Actor.CUSTOMER, 2000, 3000, "first"),
    Tag("profanity", Actor.CUSTOMER, 2500, 4000, "overlaps the first", source=TagSource.ACCEPTED),
    Tag("yelling", Actor.CUSTOMER, 2500, 4000),
    Tag("warning", Actor.AGENT, 4800, 6000, 'said "предупреждение"', source=TagSource.SUGGESTED),
    Tag("warning", Actor.AGENT, 5000, 5000, "a point of a span kind"),
    Tag("hang_up", Actor.AGENT, 7000, 7000, '"\\@ note"'),
    Tag("hang_up", Actor.AGENT, 7000, 7000, "same instant", source=TagSource.IMPORTED),
    Tag("lead_notified", Actor.CALL, 6500, 6500),
    Tag("non_talk", Actor.CALL, 7000, 9000),
)


def _key(u: Utterance) -> tuple[int, int, str, str, str]:
    return u.start_ms, u.end_ms, u.party, u.speaker, u.text


def _tag_key(t: Tag) -> tuple[str, str, int, int, str, str]:
    return t.kind, t.actor, t.start_ms, t.end_ms, t.note, t.source


def _round_trip(call: Call) -> tuple[RawTranscript, tuple[Utterance, ...]]:
    raw = _parse(textgrid.write(call))
    return raw, map_parties(raw, None)[1]


def test_round_trip_keeps_utterances_and_tags() -> None:
    raw, utterances = _round_trip(_call(UTTERANCES, TAGS))
    assert sorted(map(_key, utterances)) == sorted(map(_key, UTTERANCES))
    assert sorted(map(_tag_key, raw.events)) == sorted(map(_tag_key, TAGS))


def test_written_grid_is_long_format_with_the_conventions_tiers() -> None:
    text = textgrid.write(_call(UTTERANCES, TAGS, duration_ms=8000))
    assert text.startswith('File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0 \nxmax = 9 \n')
    for tier in (
        '"IntervalTier" \n        name = "Анна (agent)" ',
        'name = "Анна (agent)#2" ',
        'name = "(customer)" ',
        'name = "customer:profanity#2" ',
        '"IntervalTier" \n        name = "agent:warning" ',
        '"TextTier" \n        name = "agent:warning#2" ',
        '"TextTier" \n        name = "agent:hang_up#2" ',
        '"TextTier" \n        name = "call:lead_notified" ',
    ):
        assert tier in text
    assert 'text = "@speech"' in text
    assert 'mark = "@manual"' in text


def test_grid_spans_the_recording() -> None:
    text = textgrid.write(_call((UTTERANCES[0],), duration_ms=60_000))
    assert "xmax = 60 \n" in text


def test_empty_call_round_trips_to_nothing() -> None:
    raw, utterances = _round_trip(_call())
    assert (raw.turns, raw.events, utterances) == ((), (), ())


def test_written_grid_reads_back_from_a_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "call.TextGrid"
    path.write_text(textgrid.write(_call(UTTERANCES, TAGS)), encoding="utf-16")
    text, encoding = read_text(str(path))
    raw = textgrid.parse(text, str(path), encoding)
    assert sorted(map(_tag_key, raw.events)) == sorted(map(_tag_key, TAGS))


_TEXT = st.text(st.sampled_from("aZ я文 @\\\"'\n#:()"), max_size=12).map(str.strip)
_SPANS = st.tuples(st.integers(0, 5000), st.integers(0, 3000)).map(lambda s: (s[0], s[0] + s[1]))
_UTTERANCE = st.builds(
    lambda party, speaker, span, text: Utterance(party, speaker, span[0], max(span[1], span[0] + 1), text),
    st.sampled_from(Party),
    st.sampled_from(["Anna", "", 'O"Neil', "Зоя (VIP)"]),
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
    raw, read = _round_trip(_call(tuple(utterances), tuple(tags), duration_ms=4000))
    assert sorted(map(_key, read)) == sorted(map(_key, utterances))
    assert sorted(map(_tag_key, raw.events)) == sorted(map(_tag_key, tags))


@pytest.mark.parametrize("text", [LONG, SHORT, textgrid.write(_call(UTTERANCES, TAGS))], ids=["long", "short", "ours"])
def test_every_truncation_is_read_or_refused(text: str) -> None:
    for cut in range(0, len(text), 3):
        try:
            raw = _parse(text[:cut])
        except InputError:
            continue
        assert all(t.start_ms >= 0 and t.end_ms >= 0 for t in raw.turns)
