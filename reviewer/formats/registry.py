"""The transcript readers by name: detect a file's format from its content and read it as a RawTranscript."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats import (
    assemblyai,
    aws_analytics,
    aws_transcribe,
    azure,
    call_json,
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
from reviewer.formats.json_fields import JsonFields, looks_like_json
from reviewer.formats.text import read_text


@dataclass(frozen=True, slots=True)
class _Reader:
    """One format: its name, the extensions that break ties, and its sniff and parse functions."""

    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[str], bool]
    parse: Callable[[str, str, str], RawTranscript]
    # Formats whose files hold several recordings take (text, path, encoding, uri, audio_name) instead.
    selects_recording: Callable[[str, str, str, str | None, str | None], RawTranscript] | None = None


# Detection order: the most specific signatures first (Call Analytics before plain Transcribe, CSV last).
_READERS: tuple[_Reader, ...] = (
    _Reader(vtt.NAME, (".vtt",), vtt.sniff, vtt.parse),
    _Reader(srt.NAME, (".srt",), srt.sniff, srt.parse),
    _Reader(call_json.NAME, (".json",), call_json.sniff, call_json.parse),
    _Reader(aws_analytics.NAME, (".json",), aws_analytics.sniff, aws_analytics.parse),
    _Reader(aws_transcribe.NAME, (".json",), aws_transcribe.sniff, aws_transcribe.parse),
    _Reader(whisper.NAME, (".json",), whisper.sniff, whisper.parse),
    _Reader(deepgram.NAME, (".json",), deepgram.sniff, deepgram.parse),
    _Reader(assemblyai.NAME, (".json",), assemblyai.sniff, assemblyai.parse),
    _Reader(google_stt.NAME, (".json",), google_stt.sniff, google_stt.parse),
    _Reader(azure.NAME, (".json", ".jsonl"), azure.sniff, azure.parse),
    _Reader(revai.NAME, (".json",), revai.sniff, revai.parse),
    _Reader(eaf.NAME, (".eaf",), eaf.sniff, eaf.parse),
    _Reader(textgrid.NAME, (".textgrid",), textgrid.sniff, textgrid.parse),
    _Reader(rttm.NAME, (".rttm",), rttm.sniff, rttm.parse, selects_recording=rttm.parse),
    _Reader(csv_table.NAME, (".csv", ".tsv", ".txt"), csv_table.sniff, csv_table.parse),
)
_BY_NAME = {reader.name: reader for reader in _READERS}

FORMAT_NAMES: tuple[str, ...] = tuple(reader.name for reader in _READERS)


def claimants(text: str) -> list[str]:
    """Every format whose signature the content matches, in detection order (usually one)."""
    return [reader.name for reader in _READERS if reader.sniff(text)]


def detect(text: str, path: str) -> str:
    """The name of the format the content matches; the file extension only decides between several matches."""
    matches = [_BY_NAME[name] for name in claimants(text)]
    if not matches:
        _refuse_unknown(text, path)
    suffix = PurePath(path).suffix.lower()
    preferred = [reader for reader in matches if suffix in reader.extensions]
    return (preferred or matches)[0].name


def read_raw(
    path: str,
    format: str | None = None,
    encoding: str | None = None,
    *,
    uri: str | None = None,
    audio_name: str | None = None,
) -> RawTranscript:
    """Read a transcript file: decode it, detect its format unless given, and parse it.

    `uri` picks one recording of a file that holds several (RTTM); without it, the one named like the audio
    file (`audio_name`, its base name) is taken. Other formats hold one recording and ignore both.
    """
    if format is not None and format not in _BY_NAME:
        _refuse_format_name(path, format)
    text, used_encoding = read_text(path, encoding)
    reader = _BY_NAME[format if format is not None else detect(text, path)]
    if reader.selects_recording is not None:
        return reader.selects_recording(text, path, used_encoding, uri, audio_name)
    return reader.parse(text, path, used_encoding)


def _supported() -> str:
    return f"supported: {', '.join(FORMAT_NAMES)}"


def _refuse_unknown(text: str, path: str) -> NoReturn:
    if looks_like_json(text):
        JsonFields(path).load(text)  # a broken JSON file deserves its decoder's line and column
    raise InputError.of(ProblemKind.UNKNOWN_FORMAT, path, detail=_supported())


def _refuse_format_name(path: str, name: str) -> NoReturn:
    raise InputError.of(ProblemKind.UNKNOWN_FORMAT, path, detail=f"no format named {name!r}; {_supported()}")
