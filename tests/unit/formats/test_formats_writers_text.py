"""WebVTT, SRT and CSV writers: what players and spreadsheets see, and write → read gives the call back."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain.call import AudioInfo, Call
from reviewer.domain.parties import Actor, ChannelLayout, Party
from reviewer.domain.problems import InputError, ProblemKind
from reviewer.domain.tags import DEFAULT_KINDS, Tag, TagSource
from reviewer.domain.transcript import Utterance
from reviewer.formats import csv_table, srt, vtt
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import map_parties
from reviewer.formats.registry import read_raw

WRITERS = [vtt, srt, csv_table]
EXTENSIONS = {vtt: ".vtt", srt: ".srt", csv_table: ".csv"}
HOUR = 3_600_000

AUDIO = AudioInfo("/calls/c.wav", "ab" * 32, 30 * HOUR, 8000, 2, ChannelLayout.AGENT_LEFT)

# Speech that looks like each writer's tag convention, markup and escapes, several scripts, times past an hour.
UTTERANCES = (
    Utterance(Party.AGENT, "Ирина", 500, 2400, "Здравствуйте, меня зовут Ирина."),
    Utterance(Party.CUSTOMER, "王伟", 2000, 4000, "您好，我的卡被冻结了。"),
    Utterance(Party.CUSTOMER, "王伟", 4100, 5200, "[tag customer profanity source=manual] not a tag"),
    Utterance(Party.AGENT, "tag-9 customer yelling", 5300, 6000, "<c.tag>[tag agent hang_up]</c> still speech"),
    Utterance(Party.AGENT, "", 6100, 7000, "(customer): 50% off %41 {\\i1} <b>x</b> & --> \\N"),
    Utterance(Party.CUSTOMER, "Agent", 7100, 8000, ""),  # a customer labelled "Agent": the party still wins
    Utterance(Party.CUSTOMER, "[tag agent x] (EN)", 8100, 9000, "Bob (agent): hi"),
    Utterance(Party.CUSTOMER, "Anna --", 8100, 9000, "--"),  # "<v Anna -->" would be a timings arrow
    Utterance(Party.AGENT, "Anna", HOUR + 1, HOUR + 2500, " 00:00:01,000 --> 00:00:02,000 "),
    Utterance(Party.CUSTOMER, "", 10 * HOUR + 1, 10 * HOUR + 1000, "안녕하세요 laba diena"),
)
TAGS = (
    # Overlapping tags of different kinds, and of the same kind, with notes that need care.
    Tag("profanity", Actor.CUSTOMER, 2000, 6000, 'Said "you idiot", twice;\nthen --> hung up', "Anna Smith"),
    Tag("yelling", Actor.CUSTOMER, 3000, 5000, source=TagSource.SUGGESTED),
    Tag("profanity", Actor.CUSTOMER, 4000, 9000, " second, overlapping \r\n\nsee <b>&amp;</b> ", "Ірина"),
    # Point events and call-level tags.
    Tag("hang_up", Actor.AGENT, 10 * HOUR + 1000, 10 * HOUR + 1000, source=TagSource.ACCEPTED),
    Tag("account_noted", Actor.CALL, 0, 0, "1\n12", source=TagSource.IMPORTED),
    Tag("non_talk", Actor.CALL, HOUR, HOUR + 60_000, "[tag call non_talk] 50%", "aws, analytics"),
    Tag("custom kind [x]", Actor.AGENT, 6100, 6100, "客户很生气", "王 伟"),
)


def _call(utterances: tuple[Utterance, ...] = UTTERANCES, tags: tuple[Tag, ...] = TAGS) -> Call:
    return Call("c-1", AUDIO, utterances=utterances, tags=tags)


def _parse(module: ModuleType, text: str) -> RawTranscript:
    raw = module.parse(text, "review" + EXTENSIONS[module], "utf-8")
    assert isinstance(raw, RawTranscript)
    return raw


def _assert_round_trip(call: Call, raw: RawTranscript, layout: ChannelLayout | None = None) -> None:
    _, utterances = map_parties(raw, layout)
    assert utterances == tuple(sorted(call.utterances, key=lambda u: (u.start_ms, u.end_ms)))
    # Writers put cues in time order; tags starting together keep the call's order.
    assert list(raw.events) == sorted(call.tags, key=lambda tag: tag.start_ms)


@pytest.mark.parametrize("layout", [None, *ChannelLayout])
@pytest.mark.parametrize("module", WRITERS)
def test_write_then_parse_gives_the_call_back(module: ModuleType, layout: ChannelLayout | None) -> None:
    call = _call()
    _assert_round_trip(call, _parse(module, module.write(call)), layout)


@pytest.mark.parametrize("module", WRITERS)
def test_a_written_file_is_detected_and_read_back(module: ModuleType, tmp_path: Path) -> None:
    # Reading a file turns CR into LF; only the CSV table keeps a CR in a cell as written.
    tags = TAGS if module is not csv_table else tuple(replace(t, note=t.note.replace("\r", "")) for t in TAGS)
    call = _call(tags=tags)
    path = tmp_path / f"review{EXTENSIONS[module]}"
    path.write_text(module.write(call), encoding="utf-8")
    raw = read_raw(str(path))
    assert raw.format == module.NAME
    _assert_round_trip(call, raw, ChannelLayout.AGENT_RIGHT)


def test_csv_file_reads_a_carriage_return_in_a_cell_as_a_line_feed(tmp_path: Path) -> None:
    path = tmp_path / "review.csv"
    path.write_text(csv_table.write(_call((), (Tag("hold", Actor.AGENT, 0, 5, "a\r\nb"),))), encoding="utf-8")
    assert [tag.note for tag in read_raw(str(path)).events] == ["a\nb"]


@pytest.mark.parametrize("module", WRITERS)
def test_empty_call(module: ModuleType) -> None:
    raw = _parse(module, module.write(_call((), ())))
    assert (raw.turns, raw.events) == ((), ())


@pytest.mark.parametrize("module", WRITERS)
def test_speech_that_looks_like_a_tag_stays_speech(module: ModuleType) -> None:
    call = _call(UTTERANCES[2:5], ())
    raw = _parse(module, module.write(call))
    assert raw.events == ()
    assert [t.text for t in raw.turns] == [u.text for u in UTTERANCES[2:5]]


def test_vtt_shows_voices_and_tag_labels_and_keeps_review_data_in_identifiers() -> None:
    text = vtt.write(_call(UTTERANCES[:1] + UTTERANCES[4:5], TAGS[3:4]))
    assert text.startswith("WEBVTT\n\nNOTE ")
    assert "\nagent-1\n00:00:00.500 --> 00:00:02.400\n<v Ирина>Здравствуйте, меня зовут Ирина.</v>\n" in text
    assert "\nagent-2 unlabelled\n" in text
    assert "<v Agent>(customer): 50% off %41 {\\i1} &lt;b&gt;x&lt;/b&gt; &amp; --&gt; \\N</v>" in text
    # A point event lasts 1 ms on screen, at the top; the identifier says it is a point.
    assert (
        "\ntag-3 agent hang_up point source=accepted\n10:00:01.000 --> 10:00:01.001 line:0\n"
        "<c.tag.hang_up>[tag agent hang_up]</c>\n"
    ) in text


def test_vtt_note_with_line_breaks_and_arrow_stays_in_one_cue() -> None:
    text = vtt.write(_call((), TAGS[:1]))
    assert "[tag customer profanity]</c> Said &quot;" not in text  # quotes need no escaping
    assert '<c.tag.profanity>[tag customer profanity]</c> Said "you idiot", twice;&#10;then --&gt; hung up' in text
    assert "author=Anna%20Smith" in text


def test_srt_shows_speaker_party_and_tags_as_text() -> None:
    text = srt.write(_call(UTTERANCES[:2], TAGS[:2]))
    assert text.startswith("1\n00:00:00,500 --> 00:00:02,400\nИрина (agent): Здравствуйте, меня зовут Ирина.\n\n2\n")
    assert "\n王伟 (customer): 您好，我的卡被冻结了。\n" in text
    tag = '\n[tag customer profanity source=manual author=Anna%20Smith] Said "you idiot", twice;%0Athen --> hung up\n'
    assert tag in text
    assert "\n[tag customer yelling source=suggested]\n" in text


def test_srt_point_event_and_escapes() -> None:
    text = srt.write(_call(UTTERANCES[4:5] + UTTERANCES[8:9], TAGS[3:4]))
    assert "\n10:00:01,000 --> 10:00:01,001\n[tag agent hang_up point source=accepted]\n" in text
    assert "\n(agent): (customer): 50% off %2541 %7B%5Ci1} %3Cb>x%3C/b> & --> %5CN\n" in text
    # A line with two timestamps would be a timings line: their colons are encoded.
    assert "\nAnna (agent): %2000%3A00%3A01,000 --> 00%3A00%3A02,000%20\n" in text


def test_csv_table_rows() -> None:
    text = csv_table.write(_call(UTTERANCES[:1], TAGS[4:5]))
    assert text == (
        "type,start_ms,end_ms,party,speaker,text,kind,note,source,author\r\n"
        'tag,0,0,call,,,account_noted,"1\n12",imported,\r\n'
        'speech,500,2400,agent,Ирина,"Здравствуйте, меня зовут Ирина.",,,,\r\n'
    )


def test_vtt_reader_takes_roles_and_tags_from_hand_made_cues() -> None:
    text = (
        "WEBVTT\n\ncustomer-1\n00:01.000 --> 00:02.000\n<v Bob>Hi &amp; bye\n\n"
        "tag-2 customer yelling\n00:01.500 --> 00:03.000\n<c.tag>[loud]</c> very\nloud\n\n"
        "7\n00:04.000 --> 00:05.000\n<v Ann>plain cue\n"
    )
    raw = vtt.parse(text, "x.vtt", "utf-8")
    assert [(t.speaker, t.role, t.text) for t in raw.turns] == [
        ("Bob", Party.CUSTOMER, "Hi & bye"),
        ("Ann", None, "plain cue"),
    ]
    assert raw.events == (Tag("yelling", Actor.CUSTOMER, 1500, 3000, "very\nloud", source=TagSource.IMPORTED),)


def test_srt_reader_takes_roles_and_tags_from_hand_made_cues() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nBob (customer): hi\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n[tag agent hold] on hold\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n[tag caller hold] Ann: not ours\n"
    )
    raw = srt.parse(text, "x.srt", "utf-8")
    assert [(t.speaker, t.role, t.text) for t in raw.turns] == [
        ("Bob", Party.CUSTOMER, "hi"),
        ("", None, "[tag caller hold] Ann: not ours"),
    ]
    assert raw.events == (Tag("hold", Actor.AGENT, 3000, 4000, "on hold", source=TagSource.IMPORTED),)


@pytest.mark.parametrize(
    ("module", "text", "where", "detail"),
    [
        (vtt, "WEBVTT\n\ntag-1 agent hold colour=red\n00:01.000 --> 00:02.000\nx\n", "cue 1, line 4", "colour"),
        (vtt, "WEBVTT\n\ntag-1 agent hold source=later\n00:01.000 --> 00:02.000\nx\n", "cue 1, line 4", "later"),
        (srt, "1\n00:00:01,000 --> 00:00:02,000\n[tag call hold sauce=x]\n", "cue 1, line 2", "sauce"),
        (csv_table, "type,start_ms,end_ms,party,kind\nnote,1,2,agent,hold\n", "row 2, column type", "note"),
        (csv_table, "type,start_ms,end_ms,party,kind,text\nspeech,1,2,call,,hi\n", "row 2, column party", "call"),
        (csv_table, "type,start_ms,end_ms,party,kind\ntag,1,2,caller,hold\n", "row 2", "caller"),
        (csv_table, "type,start_ms,end_ms,party,kind\ntag,5,2,agent,hold\n", "row 2", "bad span"),
        (csv_table, "type,start_ms,end_ms,party,kind\ntag,1,2,agent,\n", "row 2", "empty kind"),
    ],
)
def test_bad_review_cues_and_rows_are_refused_with_their_place(
    module: ModuleType, text: str, where: str, detail: str
) -> None:
    with pytest.raises(InputError) as caught:
        module.parse(text, "x", "utf-8")
    problem = caught.value.problem
    assert (problem.kind, problem.where) == (ProblemKind.BAD_VALUE, where)
    assert detail in problem.detail


def test_csv_with_a_stray_carriage_return_is_a_bad_value_not_a_crash() -> None:
    with pytest.raises(InputError) as caught:
        csv_table.parse("\n\nstart,end,text\n1,2,a\rb\n", "x.csv", "utf-8")
    assert (caught.value.problem.kind, caught.value.problem.where) == (ProblemKind.BAD_VALUE, "line 4")


def test_csv_with_a_type_column_but_no_kind_is_a_plain_table() -> None:
    raw = csv_table.parse("type,start,end,speaker,text\nmusic,1,2,Agent,la la\n", "x.csv", "utf-8")
    assert [(t.speaker, t.start_ms, t.text, t.role) for t in raw.turns] == [("Agent", 1000, "la la", Party.AGENT)]


# Property: any call survives every writer. Text mixes any printable character with the ones each format treats
# specially; control characters other than tab and line breaks are left out (no recording's transcript has them).
_SPECIAL = st.sampled_from(
    [
        *"<>&%{}\\()[]:;,\"'=#-\n\r\t \u00a0\u2028\u3000",
        "-->",
        "%41",
        "&amp;",
        "&#10;",
        "\\N",
        "<b>",
        "<v Bob>",
        "[tag customer profanity]",
        "[tag agent hold source=manual] ",
        "(agent): ",
        "tag-1 call x",
        "agent-1",
        "00:00:01,000",
        "01:02:03.004",
        "Жж",
        "你好",
    ]
)
_TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs", "Cc")), _SPECIAL), max_size=10).map("".join)
_KINDS = st.one_of(st.sampled_from([kind.name for kind in DEFAULT_KINDS]), _TEXT.filter(bool))
_START = st.integers(0, 30 * HOUR)
_LENGTH = st.one_of(st.just(0), st.integers(0, 2 * HOUR))


@st.composite
def _utterances(draw: st.DrawFn) -> Utterance:
    start = draw(_START)
    return Utterance(draw(st.sampled_from(Party)), draw(_TEXT), start, start + draw(_LENGTH), draw(_TEXT))


@st.composite
def _tags(draw: st.DrawFn) -> Tag:
    start = draw(_START)
    note, author = draw(_TEXT), draw(_TEXT)
    actor, source = draw(st.sampled_from(Actor)), draw(st.sampled_from(TagSource))
    return Tag(draw(_KINDS), actor, start, start + draw(_LENGTH), note, author, source)


_CALLS = st.builds(
    lambda utterances, tags: _call(tuple(sorted(utterances, key=lambda u: (u.start_ms, u.end_ms))), tuple(tags)),
    st.lists(_utterances(), max_size=6),
    st.lists(_tags(), max_size=6),
)


@pytest.mark.parametrize("module", WRITERS)
@settings(max_examples=150, deadline=None, database=None)
@given(call=_CALLS)
def test_any_call_survives_write_then_parse(module: ModuleType, call: Call) -> None:
    _assert_round_trip(call, _parse(module, module.write(call)), ChannelLayout.MONO)


# Property: text made of the conventions' pieces either parses or is refused with the project's own error.
_PIECES = st.sampled_from(
    [
        *'\n\r\t ,;"%&<>[]():',
        "WEBVTT\n\n",
        "tag-1 ",
        "agent-2",
        " unlabelled",
        "agent ",
        "call ",
        "hold",
        " point",
        " source=manual",
        " source=x",
        " author=%FF",
        "00:00:01.000 --> 00:00:02.000",
        "00:00:01,000 --> 00:00:02,000",
        "<v A>",
        "<c.tag>",
        "</c>",
        "&#99999999;",
        "[tag agent hold]",
        "[tag call x point]",
        "(customer): ",
        "type,start_ms,end_ms,party,kind,text,note\n",
        "speech,",
        "tag,",
        "-5,",
    ]
)


@pytest.mark.parametrize("module", WRITERS)
@settings(max_examples=300, deadline=None, database=None)
@given(text=st.lists(st.one_of(_PIECES, st.characters()), max_size=30).map("".join))
def test_text_near_the_conventions_parses_or_is_refused(module: ModuleType, text: str) -> None:
    with contextlib.suppress(InputError):
        assert isinstance(module.parse(text, "x", "utf-8"), RawTranscript)
