"""RTTM: speaker turns without text, choosing one recording of several, and refusals with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats import rttm
from reviewer.formats.base import RawTranscript
from reviewer.formats.text import read_text

ONE = """;; written by a diarizer
SPEAKER call42 1 0.500 1.250 <NA> <NA> spk_0 <NA> <NA>
SPKR-INFO call42 1 <NA> <NA> <NA> unknown spk_0 <NA>

SPEAKER call42 1 1.600 2.000 <NA> <NA> spk_1 <NA> <NA>
# a pyannote-style comment
SPEAKER call42 1 3.000 0.25 <NA> <NA> spk_0 0.93 <NA>
"""

SEVERAL = """SPEAKER dev00 1 1.440 11.872 <NA> <NA> MEE009 <NA> <NA>
SPEAKER dev01 1 4.304 3.000 <NA> <NA> MEE012 <NA> <NA>
SPEAKER dev00 1 13.152 3.770 <NA> <NA> MEE012 <NA> <NA>
"""


def _parse(text: str, uri: str | None = None, audio_name: str | None = None) -> RawTranscript:
    return rttm.parse(text, "calls.rttm", "utf-8", uri=uri, audio_name=audio_name)


def _turns(raw: RawTranscript) -> list[tuple[str, int, int, str]]:
    return [(t.speaker, t.start_ms, t.end_ms, t.text) for t in raw.turns]


def test_sniff() -> None:
    assert rttm.sniff(ONE)
    assert rttm.sniff(SEVERAL)
    assert not rttm.sniff("start,end,speaker,text\n0,1,A,hi\n")
    assert not rttm.sniff("SPEAKER is a word\n")
    assert not rttm.sniff(";; only a comment\n")


def test_speaker_lines_are_turns_without_text() -> None:
    raw = _parse(ONE)
    assert raw.format == "rttm"
    assert _turns(raw) == [("spk_0", 500, 1750, ""), ("spk_1", 1600, 3600, ""), ("spk_0", 3000, 3250, "")]
    assert [t.where for t in raw.turns] == ["line 2", "line 5", "line 7"]
    assert all(t.channel is None and t.role is None for t in raw.turns)


def test_an_explicit_uri_picks_its_recording() -> None:
    assert _turns(_parse(SEVERAL, uri="dev01")) == [("MEE012", 4304, 7304, "")]
    assert len(_parse(SEVERAL, uri="dev00", audio_name="dev01").turns) == 2


def test_an_unknown_uri_is_refused_with_the_uris_the_file_holds() -> None:
    with pytest.raises(InputError) as caught:
        _parse(SEVERAL, uri="dev02")
    assert caught.value.problem.kind is ProblemKind.BAD_VALUE
    assert "dev00, dev01" in caught.value.problem.detail


def test_the_audio_name_picks_among_several() -> None:
    assert [t.start_ms for t in _parse(SEVERAL, audio_name="dev00").turns] == [1440, 13152]


def test_several_recordings_and_no_choice_is_refused_listing_them() -> None:
    for audio_name in (None, "other"):
        with pytest.raises(InputError) as caught:
            _parse(SEVERAL, audio_name=audio_name)
        assert "dev00, dev01" in caught.value.problem.detail
        assert "--uri" in caught.value.problem.detail


def test_a_single_recording_needs_no_choice() -> None:
    assert len(_parse(ONE, audio_name="something-else").turns) == 3


def test_a_file_without_speaker_lines_has_no_turns() -> None:
    assert _parse(";; nothing\nSPKR-INFO x 1 <NA> <NA> <NA> unknown a <NA>\n").turns == ()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("SPEAKER a 1 0.0 1.0 <NA> <NA>\n", "line 1"),
        ("SPEAKER a 1 0.0 1.0 <NA> <NA> x\nSPEAKER a 1 zero 1.0 <NA> <NA> x\n", "line 2"),
        ("SPEAKER a 1 -1.0 1.0 <NA> <NA> x\n", "line 1"),
        ("SPEAKER a 1 1.0 -0.5 <NA> <NA> x\n", "line 1"),
        ("SPEAKER a 1 1.0 nan <NA> <NA> x\n", "line 1"),
        ("SPEAKER a 1 1.0 inf <NA> <NA> x\n", "line 1"),
        ("\n\nhello world\n", "line 3"),
        ("SPEAKER a 1 0 1 <NA> <NA> x\n\x00\x01garbage\n", "line 2"),
    ],
)
def test_malformed_lines_are_refused_by_line(text: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        _parse(text)
    assert caught.value.problem.kind is ProblemKind.BAD_VALUE
    assert caught.value.problem.where == where


def test_crlf_file_read_through_the_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "call42.rttm"
    path.write_bytes(ONE.replace("\n", "\r\n").encode("utf-8"))
    text, encoding = read_text(str(path))
    raw = rttm.parse(text, str(path), encoding)
    assert [t.where for t in raw.turns] == ["line 2", "line 5", "line 7"]


def test_every_truncation_is_read_or_refused() -> None:
    for cut in range(len(ONE)):
        try:
            raw = _parse(ONE[:cut])
        except InputError:
            continue
        assert all(t.start_ms >= 0 and t.end_ms >= t.start_ms for t in raw.turns)
