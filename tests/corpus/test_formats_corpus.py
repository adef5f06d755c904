"""The transcript readers on the real files of ../shared/corpus, checked against SOURCES.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.domain.parties import Actor, Party
from reviewer.domain.tags import Tag, TagSource
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.registry import detect, read_raw
from reviewer.formats.text import read_text


@dataclass(frozen=True, slots=True)
class Expected:
    """What one corpus file should read as."""

    path: str
    format: str
    speakers: int
    turns: int
    duration_s: float  # the last end, within a second


CASES = [
    # SOURCES.md: 2 channels ch_0/ch_1, 141.5 s. Turns are runs of one channel in time order.
    Expected("aws_transcribe/02-channel-identification.json", "aws_transcribe", 2, 7, 141.5),
    # SOURCES.md: 3 speakers, 24 segments, 141.5 s; one turn per segment.
    Expected("aws_transcribe/03-speaker-identification.json", "aws_transcribe", 3, 24, 141.5),
    # No speaker or channel labels: one unlabelled turn for the whole audiobook reading.
    Expected(
        "aws_transcribe/05-automatic-content-redaction-with-undredacted-redacted.json", "aws_transcribe", 1, 1, 141.5
    ),
    Expected("aws_transcribe/07-vocabulary-filter-mask.json", "aws_transcribe", 1, 1, 141.5),
    # SOURCES.md: 32.1 s, 10 turns.
    Expected("aws_transcribe/awsdocs/contact_lens_doc_example_analysis.json", "aws_analytics", 2, 10, 32.1),
    # SOURCES.md: 3 speakers / 39 segments, 301 s. Eight segments labelled "" and one spk_0 segment hold no
    # items, so 30 turns by 2 speakers carry all the words.
    Expected("aws_transcribe/bbc-react-transcript-editor/todayinfocus.sample.json", "aws_transcribe", 2, 30, 301.4),
    # SOURCES.md: 3 cues; no voices, so one unlabelled speaker.
    Expected("diarization/webvtt/cue_tags.vtt", "vtt", 1, 3, 21.5),
    # SOURCES.md: 4 segments, 25.3 s.
    Expected("whisper/deepgram-captions-fixtures/whisper_timestamped.json", "whisper", 1, 4, 25.3),
    # SOURCES.md: 15 segments, 78.5 s.
    Expected("whisper/whisper-timestamped/large_apollo11.mp3.words.json", "whisper", 1, 15, 78.5),
]

TCA = "aws_transcribe/awsdocs/tca_doc_example_ConversationCharacteristics.json"


def _read(corpus_dir: Path, relative: str) -> RawTranscript:
    return read_raw(str(corpus_dir / relative))


@pytest.mark.parametrize("case", CASES, ids=[Path(case.path).name for case in CASES])
def test_corpus_file_reads_as_sources_md_says(corpus_dir: Path, case: Expected) -> None:
    path = str(corpus_dir / case.path)
    text, _ = read_text(path)
    assert detect(text, path) == case.format
    raw = read_raw(path)
    speakers, utterances = map_parties(raw, None)
    assert len(speakers) == case.speakers
    assert len(raw.turns) == case.turns == len(utterances)
    assert min(t.start_ms for t in raw.turns) >= 0
    assert abs(max(t.end_ms for t in raw.turns) - case.duration_s * 1000) <= 1000
    validate_times(raw, path, round(case.duration_s * 1000))


def test_speaker_identification_labels(corpus_dir: Path) -> None:
    speakers, _ = map_parties(_read(corpus_dir, CASES[1].path), None)
    assert [(s.label, s.party) for s in speakers] == [
        ("spk_0", Party.AGENT),
        ("spk_1", Party.CUSTOMER),
        ("spk_2", Party.CUSTOMER),
    ]


def test_channel_identification_gives_channel_indices(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[0].path)
    assert {(t.speaker, t.channel) for t in raw.turns} == {("ch_0", 0), ("ch_1", 1)}
    speakers, _ = map_parties(raw, None)
    # ch_1 starts reading at 0.49 s, ch_0 only at 15.09 s.
    assert [(s.label, s.channel) for s in speakers] == [("ch_1", 1), ("ch_0", 0)]


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_turn_text_is_the_whole_transcript(corpus_dir: Path, index: int) -> None:
    # Every word, punctuation mark, "***" mask and "[PII]" token must survive the grouping into turns.
    path = corpus_dir / CASES[index].path
    stated = json.loads(path.read_text(encoding="utf-8"))["results"]["transcripts"][0]["transcript"]
    ours = " ".join(turn.text for turn in read_raw(str(path)).turns)
    assert ours.split() == stated.split()


def test_vocabulary_filter_masks_survive_as_words(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[3].path)
    masked = [w for t in raw.turns for w in t.words if w.text.rstrip(".,?!") == "***"]
    assert len(masked) == 10
    assert masked[0].start_ms == 1670


def test_call_analytics_characteristics_give_two_interruptions(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, TCA)
    assert (raw.format, raw.turns) == ("aws_analytics", ())
    assert set(raw.events) == {
        Tag("interruption", Actor.AGENT, 26040, 31550, author="aws", source=TagSource.IMPORTED),
        Tag("interruption", Actor.CUSTOMER, 770, 5960, author="aws", source=TagSource.IMPORTED),
    }
    validate_times(raw, TCA, 42460)


def test_contact_lens_roles(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[4].path)
    assert [t.role for t in raw.turns[:3]] == [Party.AGENT, Party.CUSTOMER, Party.AGENT]
    assert raw.events == ()  # Interruptions TotalCount 0, NonTalkTime empty
    assert raw.disconnect_reason is None


def test_vtt_cue_tags_are_stripped(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[6].path)
    assert [(t.start_ms, t.end_ms, t.text) for t in raw.turns] == [
        (16500, 18500, "When the moon hits your eye"),
        (18500, 20500, "Like a big-a pizza pie"),
        (20500, 21500, "That's amore"),
    ]


def test_whisper_words_carry_confidence(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, CASES[8].path)
    first = raw.turns[0].words[0]
    assert (first.text, first.start_ms, first.end_ms, first.confidence) == ("Apollo", 360, 920, 0.791)
    assert all(w.confidence is not None for t in raw.turns for w in t.words)
