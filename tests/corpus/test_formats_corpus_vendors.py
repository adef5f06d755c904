"""The vendor readers (Deepgram, AssemblyAI, Google, Azure, Rev.ai) on the real files of ../shared/corpus/other_asr.

Checked against SOURCES.md; where a file holds something else, the case says so and asserts the file.
Readers are called directly: their place in the registry's detection order is tested with the registry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.domain.transcript import WordMark
from reviewer.formats import (
    assemblyai,
    aws_analytics,
    aws_transcribe,
    azure,
    csv_table,
    deepgram,
    eaf,
    google_stt,
    revai,
    rttm,
    srt,
    textgrid,
    vtt,
    whisper,
)
from reviewer.formats.base import RawTranscript
from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.text import read_text

Parse = Callable[[str, str, str], RawTranscript]

PARSERS: dict[str, Parse] = {
    deepgram.NAME: deepgram.parse,
    assemblyai.NAME: assemblyai.parse,
    google_stt.NAME: google_stt.parse,
    azure.NAME: azure.parse,
    revai.NAME: revai.parse,
}

# Every transcript reader there is, the existing ones included: no two may claim the same file.
SNIFFS: dict[str, Callable[[str], bool]] = {
    vtt.NAME: vtt.sniff,
    srt.NAME: srt.sniff,
    aws_analytics.NAME: aws_analytics.sniff,
    aws_transcribe.NAME: aws_transcribe.sniff,
    whisper.NAME: whisper.sniff,
    eaf.NAME: eaf.sniff,
    textgrid.NAME: textgrid.sniff,
    rttm.NAME: rttm.sniff,
    csv_table.NAME: csv_table.sniff,
    deepgram.NAME: deepgram.sniff,
    assemblyai.NAME: assemblyai.sniff,
    google_stt.NAME: google_stt.sniff,
    azure.NAME: azure.sniff,
    revai.NAME: revai.sniff,
}


@dataclass(frozen=True, slots=True)
class Expected:
    """What one corpus file reads as: speaker labels in order of first speech, counts, first start, last end."""

    path: str
    format: str
    speakers: tuple[str, ...]
    turns: int
    words: int
    start_ms: int
    end_ms: int
    duration_ms: int  # the recording's length as the file (or SOURCES.md) states it, for validate_times


CASES = [
    # SOURCES: 169.8 s, 3 speakers, 226 words, 22 utterances. 169.8 s is metadata.duration (the audio);
    # the last utterance ends at 163.1 s.
    Expected("deepgram/dg_speakers.json", "deepgram", ("0", "1", "2"), 22, 226, 3040, 163_105, 169_802),
    # SOURCES: 25.9 s, 62 words; no diarization and no utterances, so one unlabelled run of words.
    Expected("deepgram/dg_transcription.json", "deepgram", ("",), 1, 62, 80, 25_440, 25_933),
    # SOURCES: 25.9 s, 6 utterances, no diarization.
    Expected("deepgram/dg_utterances.json", "deepgram", ("",), 6, 62, 80, 25_440, 25_933),
    # SOURCES: Deepgram schema, same 25.9 s audio; Whisper found 59 words where Nova found 62.
    Expected("deepgram/dg_whisper_transcription.json", "deepgram", ("",), 1, 59, 60, 25_560, 25_933),
    # SOURCES: 25 s (`audio_duration`, whole seconds: speech ends at 25.14 s), 60 words, "utterances empty":
    # the file has `"utterances": null`; the words give one run of speaker A.
    Expected("assemblyai/assemblyai_transcription.json", "assemblyai", ("A",), 1, 60, 170, 25_140, 25_000),
    # SOURCES: 1 utterance, speaker A.
    Expected("assemblyai/assemblyai_utterances.json", "assemblyai", ("A",), 1, 60, 170, 25_140, 25_000),
    # SOURCES: 7.5 s, channel 0, speakers 1/2; the top-level duration is PT7.48S. One channel: Turn.channel None.
    Expected("azure/transcriptSample.json", "azure", ("1", "2"), 3, 11, 40, 7_460, 7_480),
    # SOURCES: SpeakerId "0"/"1"; no words (NBest Words are null). Audio: audio/test_audio_stereo.wav, 1.72 s.
    Expected("azure/realtimeresult.json", "azure", ("0", "1"), 2, 0, 90, 1_700, 1_720),
    # SOURCES: 57 results, no diarization. Speech runs 12.9-706.0 s; the last resultEndTime is 706.99 s.
    Expected("google/gcpStt2022.sample.json", "google_stt", ("",), 57, 1774, 12_900, 706_000, 706_990),
    # SOURCES: 1 speaker, ~106 s, 414 words; the speaker's two monologues are two turns.
    Expected("revai/transcript.json", "revai", ("0",), 2, 414, 300, 106_330, 106_330),
]

# Every transcript in the corpus with the one reader that must claim it (None: no reader reads it).
OWNERS: dict[str, str | None] = {
    **{f"other_asr/{case.path}": case.format for case in CASES},
    "aws_transcribe/02-channel-identification.json": "aws_transcribe",
    "aws_transcribe/03-speaker-identification.json": "aws_transcribe",
    "aws_transcribe/05-automatic-content-redaction-with-undredacted-redacted.json": "aws_transcribe",
    "aws_transcribe/07-vocabulary-filter-mask.json": "aws_transcribe",
    "aws_transcribe/bbc-react-transcript-editor/todayinfocus.sample.json": "aws_transcribe",
    "aws_transcribe/awsdocs/contact_lens_doc_example_analysis.json": "aws_analytics",
    "aws_transcribe/awsdocs/tca_doc_example_ConversationCharacteristics.json": "aws_analytics",
    "whisper/deepgram-captions-fixtures/whisper_timestamped.json": "whisper",
    "whisper/whisper-timestamped/large_apollo11.mp3.words.json": "whisper",
    "diarization/webvtt/cue_tags.vtt": "vtt",
    "diarization/pyannote/debug.development.rttm": "rttm",
    "diarization/pyannote/debug.test.rttm": "rttm",
    "diarization/pyannote/debug.train.rttm": "rttm",
    "diarization/pyannote/sample.rttm": "rttm",
    "diarization/vbx/ES2005a.vbx_output.rttm": "rttm",
    "diarization/vbx/iaaa.rttm": "rttm",
    "diarization/textgrid/bobby_phones_elan.TextGrid": "textgrid",
    "diarization/textgrid/bobby_words_with_newlines_longfile.TextGrid": "textgrid",
    "diarization/textgrid/mary.TextGrid": "textgrid",
    "diarization/textgrid/mary_longfile_with_negative_zero.TextGrid": "textgrid",
    "diarization/textgrid/textgrid_to_merge_longfile.TextGrid": "textgrid",
    # Scored regions and VAD labels: no speech turns, no reader.
    "diarization/pyannote/debug.development.uem": None,
    "diarization/vbx/ES2005a.lab": None,
}

AWS_MASK = "aws_transcribe/07-vocabulary-filter-mask.json"
AWS_REDACTION = "aws_transcribe/05-automatic-content-redaction-with-undredacted-redacted.json"


def _read(corpus_dir: Path, relative: str, format: str) -> RawTranscript:
    path = str(corpus_dir / relative)
    text, encoding = read_text(path)
    return PARSERS[format](text, path, encoding)


@pytest.mark.parametrize("case", CASES, ids=[Path(case.path).name for case in CASES])
def test_vendor_file_reads_as_sources_md_says(corpus_dir: Path, case: Expected) -> None:
    raw = _read(corpus_dir, f"other_asr/{case.path}", case.format)
    speakers, utterances = map_parties(raw, None)
    assert raw.format == case.format
    assert tuple(speaker.label for speaker in speakers) == case.speakers
    assert len(raw.turns) == case.turns == len(utterances)
    assert sum(len(turn.words) for turn in raw.turns) == case.words
    assert (min(t.start_ms for t in raw.turns), max(t.end_ms for t in raw.turns)) == (case.start_ms, case.end_ms)
    validate_times(raw, case.path, case.duration_ms)


def test_whole_corpus_file_list_is_covered(corpus_dir: Path) -> None:
    # A file added to the corpus must be given its owner here.
    found = {
        str(path.relative_to(corpus_dir))
        for path in corpus_dir.rglob("*")
        if path.is_file() and path.suffix not in (".md", ".wav", ".mp3")
    }
    assert found == set(OWNERS)


@pytest.mark.parametrize("relative", sorted(OWNERS))
def test_each_file_is_claimed_by_exactly_its_own_reader(corpus_dir: Path, relative: str) -> None:
    text, _ = read_text(str(corpus_dir / relative))
    owner = OWNERS[relative]
    assert [name for name, sniff in SNIFFS.items() if sniff(text)] == ([owner] if owner else [])


def test_deepgram_metadata_duration_is_the_one_sources_md_states(corpus_dir: Path) -> None:
    metadata = json.loads((corpus_dir / "other_asr/deepgram/dg_speakers.json").read_text(encoding="utf-8"))["metadata"]
    assert round(metadata["duration"], 1) == 169.8


def test_deepgram_utterance_text_is_punctuated(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, "other_asr/deepgram/dg_speakers.json", "deepgram")
    first = raw.turns[0]
    assert (first.speaker, first.text, first.words[0].text, first.where) == (
        "0",
        "And,",
        "And,",
        "results.utterances[0]",
    )


def test_azure_batch_words_use_ticks(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, "other_asr/azure/transcriptSample.json", "azure")
    assert [t.text for t in raw.turns] == ["Run Alabama drivers license.", "0030", "669"]
    assert {t.channel for t in raw.turns} == {None}  # the file says channel 0 of one: no channel split
    assert [(w.text, w.start_ms, w.end_ms) for w in raw.turns[1].words][:2] == [
        ("zero", 2280, 3040),
        ("zero", 3060, 3800),
    ]


def test_google_turns_take_the_result_transcripts(corpus_dir: Path) -> None:
    raw = _read(corpus_dir, "other_asr/google/gcpStt2022.sample.json", "google_stt")
    assert raw.turns[-1].text == "thank you"
    assert [t.where for t in raw.turns[:2]] == ["results[0]", "results[1]"]


def test_aws_vocabulary_filter_masks_are_marked(corpus_dir: Path) -> None:
    path = str(corpus_dir / AWS_MASK)
    text, encoding = read_text(path)
    words = [w for t in aws_transcribe.parse(text, path, encoding).turns for w in t.words]
    masked = [w for w in words if w.mark is WordMark.MASKED]
    assert len(masked) == 10
    assert all(w.text.rstrip(".,?!") == "***" for w in masked)
    assert (masked[0].start_ms, masked[0].end_ms) == (1670, 2060)
    assert not [w for w in words if w.mark is WordMark.REDACTED]


def test_aws_redaction_sample_holds_no_redacted_word(corpus_dir: Path) -> None:
    # SOURCES.md promises [PII] tokens in this file, but its items hold none: nothing may be marked.
    path = str(corpus_dir / AWS_REDACTION)
    text, encoding = read_text(path)
    assert "[PII]" not in text
    raw = aws_transcribe.parse(text, path, encoding)
    assert sum(len(t.words) for t in raw.turns) > 300
    assert [w for t in raw.turns for w in t.words if w.mark is not None] == []
