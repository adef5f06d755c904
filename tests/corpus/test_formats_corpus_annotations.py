"""The TextGrid and RTTM readers on the real files of ../shared/corpus/diarization, checked against SOURCES.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats import rttm, textgrid
from reviewer.formats.base import RawTranscript, Turn
from reviewer.formats.parties import validate_times
from reviewer.formats.text import read_text

# Annotation files that are not transcripts: scored regions (.uem) and voice-activity labels (.lab).
NOT_TRANSCRIPTS = {".uem", ".lab"}
FOLDERS = ("diarization/textgrid", "diarization/pyannote", "diarization/vbx")


@dataclass(frozen=True, slots=True)
class Expected:
    """What one recording of a corpus file should read as (times in ms)."""

    path: str
    speakers: tuple[str, ...]  # in order of first appearance in the file
    turns: int
    first_start: int
    last_end: int
    overlap_ms: int  # time during which two or more speakers talk at once
    uri: str | None = None


CASES = [
    # SOURCES.md: 3 speaker tiers bob/mary/sarah, 10 s, mary/sarah overlap 3.77-4.14 s (~0.36 s).
    Expected("diarization/textgrid/textgrid_to_merge_longfile.TextGrid", ("bob", "mary", "sarah"), 11, 736, 9830, 363),
    # SOURCES.md: short format, phone/word interval tiers + a pitch point tier (not speech, so ignored).
    Expected("diarization/textgrid/mary.TextGrid", ("phone", "word"), 18, 315, 1518, 1203),
    # SOURCES.md: the same grid, long format, UTF-16 (big-endian, with BOM), "xmin = -0".
    Expected("diarization/textgrid/mary_longfile_with_negative_zero.TextGrid", ("phone", "word"), 18, 315, 1518, 1203),
    # SOURCES.md: 1 tier, exported by ELAN (its tier ends before the grid and starts with a gap at 12 ms).
    Expected("diarization/textgrid/bobby_phones_elan.TextGrid", ("phone",), 13, 65, 1117, 0),
    # SOURCES.md: 3 tiers; two interval tiers (one named '"word"', quotes included) and an unnamed point tier.
    Expected(
        "diarization/textgrid/bobby_words_with_newlines_longfile.TextGrid", ('"word"', "phrase"), 5, 65, 1117, 1052
    ),
    # SOURCES.md: 2 speakers, 10 turns, ~1.9 s overlap; the audio is 30 s.
    Expected("diarization/pyannote/sample.rttm", ("speaker90", "speaker91"), 10, 6690, 30000, 1890),
    # SOURCES.md: dev00/dev01, 2 speakers each, ~1.4 s overlap each, 17 SPEAKER lines.
    Expected("diarization/pyannote/debug.development.rttm", ("MEE009", "MEE012"), 9, 1440, 30000, 1415, "dev00"),
    Expected("diarization/pyannote/debug.development.rttm", ("MEE012", "MEE009"), 8, 4304, 29536, 1376, "dev01"),
    # SOURCES.md: tst00/tst01, 4 speakers, tst00 ~17.8 s overlap, 27 SPEAKER lines (tst01 also has 4 speakers).
    Expected(
        "diarization/pyannote/debug.test.rttm", ("MEE071", "MEE073", "FEO072", "FEO070"), 22, 0, 30000, 17817, "tst00"
    ),
    Expected(
        "diarization/pyannote/debug.test.rttm", ("FEO072", "MEE073", "MEE071", "FEO070"), 5, 4390, 29456, 0, "tst01"
    ),
    # SOURCES.md: trn00-trn09, 1-4 speakers, overlaps up to ~13 s; the first, the single-speaker and the largest.
    Expected("diarization/pyannote/debug.train.rttm", ("MÉO069", "MEE068", "MEE067"), 14, 3168, 30000, 3855, "trn00"),
    Expected("diarization/pyannote/debug.train.rttm", ("FEO066",), 1, 20704, 21392, 0, "trn02"),
    Expected("diarization/pyannote/debug.train.rttm", ("FEE083", "MEE094", "MEE095"), 8, 0, 30000, 13224, "trn09"),
    # SOURCES.md: CALLHOME "iaaa", 2 speakers, 27 turns, 72.5 s, no overlap.
    Expected("diarization/vbx/iaaa.rttm", ("1", "4"), 27, 0, 72510, 0),
    # SOURCES.md: VBx output, 5 clusters, no overlap, 50 SPEAKER lines (306.6 s of meeting).
    Expected("diarization/vbx/ES2005a.vbx_output.rttm", ("1", "9", "7", "14", "16"), 50, 0, 306590, 0),
]

TRAIN_URIS = tuple(f"trn{n:02d}" for n in range(10))


def _reader(path: str) -> Callable[..., RawTranscript]:
    return rttm.parse if path.endswith(".rttm") else textgrid.parse


def _read(corpus_dir: Path, case: Expected) -> RawTranscript:
    path = str(corpus_dir / case.path)
    text, encoding = read_text(path)
    module = rttm if case.path.endswith(".rttm") else textgrid
    assert module.sniff(text)
    if case.uri is not None:
        return rttm.parse(text, path, encoding, uri=case.uri)
    return _reader(case.path)(text, path, encoding)


def overlap_ms(turns: tuple[Turn, ...]) -> int:
    """How long two or more turns run at once (a sweep over start and end points)."""
    points = sorted([(t.start_ms, 1) for t in turns] + [(t.end_ms, -1) for t in turns])
    total, active, previous = 0, 0, 0
    for time, step in points:
        if active >= 2:  # two voices make an overlap
            total += time - previous
        active, previous = active + step, time
    return total


@pytest.mark.parametrize("case", CASES, ids=[f"{Path(c.path).name}:{c.uri or ''}" for c in CASES])
def test_corpus_annotation_file_reads_as_sources_md_says(corpus_dir: Path, case: Expected) -> None:
    raw = _read(corpus_dir, case)
    assert tuple(dict.fromkeys(t.speaker for t in raw.turns)) == case.speakers
    assert len(raw.turns) == case.turns
    assert min(t.start_ms for t in raw.turns) == case.first_start
    assert max(t.end_ms for t in raw.turns) == case.last_end
    assert overlap_ms(raw.turns) == case.overlap_ms
    assert raw.events == ()
    validate_times(raw, case.path, case.last_end)


def test_every_annotation_file_in_the_corpus_is_covered(corpus_dir: Path) -> None:
    files = {
        str(path.relative_to(corpus_dir))
        for folder in FOLDERS
        for path in (corpus_dir / folder).iterdir()
        if path.suffix not in NOT_TRANSCRIPTS
    }
    assert files == {case.path for case in CASES}


def test_merge_grid_overlap_is_mary_and_sarah_at_3_77_to_4_14(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[0])
    mary = [t for t in raw.turns if t.speaker == "mary"]
    sarah = [t for t in raw.turns if t.speaker == "sarah"]
    both = [(max(m.start_ms, s.start_ms), min(m.end_ms, s.end_ms)) for m in mary for s in sarah]
    assert [span for span in both if span[0] < span[1]] == [(3774, 4137)]


def test_utf16_grid_reads_like_its_utf8_short_twin(corpus_dir: Path) -> None:
    path = corpus_dir / CASES[2].path
    assert path.read_bytes()[:2] == b"\xfe\xff"
    assert "xmin = -0" in read_text(str(path))[0]
    utf16, short = _read(corpus_dir, CASES[2]), _read(corpus_dir, CASES[1])
    assert utf16.encoding.startswith("utf-16")
    assert [(t.speaker, t.start_ms, t.end_ms, t.text) for t in utf16.turns] == [
        (t.speaker, t.start_ms, t.end_ms, t.text) for t in short.turns
    ]
    assert [t.text for t in short.turns if t.speaker == "word"] == ["mary", "rolled", "the", "barrel"]


def test_labels_with_newlines_keep_them(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[4])
    assert [t.text for t in raw.turns][:2] == ['"""BOBBY"""\nNoun', "RIPPED\nVerb"]


@pytest.mark.parametrize(
    ("path", "uris"),
    [
        ("diarization/pyannote/debug.development.rttm", ("dev00", "dev01")),
        ("diarization/pyannote/debug.test.rttm", ("tst00", "tst01")),
        ("diarization/pyannote/debug.train.rttm", TRAIN_URIS),
    ],
)
def test_multi_recording_files_want_a_choice(corpus_dir: Path, path: str, uris: tuple[str, ...]) -> None:
    text, encoding = read_text(str(corpus_dir / path))
    with pytest.raises(InputError) as caught:
        rttm.parse(text, path, encoding)
    assert ", ".join(uris) in caught.value.problem.detail
    with pytest.raises(InputError) as unknown:
        rttm.parse(text, path, encoding, uri="nope")
    assert unknown.value.problem.kind is ProblemKind.BAD_VALUE
    # The audio's base name picks its recording (audio/dev00.wav goes with uri dev00).
    assert len(rttm.parse(text, path, encoding, audio_name=uris[0]).turns) > 0


def test_train_file_holds_77_turns_over_ten_recordings(corpus_dir: Path) -> None:
    path = "diarization/pyannote/debug.train.rttm"
    text, encoding = read_text(str(corpus_dir / path))
    per_uri = [rttm.parse(text, path, encoding, uri=uri) for uri in TRAIN_URIS]
    assert sum(len(raw.turns) for raw in per_uri) == 77
    assert {len({t.speaker for t in raw.turns}) for raw in per_uri} == {1, 2, 3, 4}
    assert max(overlap_ms(raw.turns) for raw in per_uri) == 13224
