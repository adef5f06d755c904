"""Planning batches: pairing a folder's recordings with transcripts, and reading manifest CSVs."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reviewer.domain.parties import ChannelLayout
from reviewer.domain.problems import Problem, ProblemKind
from reviewer.services.batches import plan_drop, plan_folder, plan_manifest
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call
from tests.testkit import VTT_TWO_PARTIES, write_wav

TEMPLATE = ImportRequest(audio=Path())


def _touch(folder: Path, *names: str) -> None:
    """Planning never decodes or parses, so a few bytes stand in for recordings and transcripts."""
    for name in names:
        (folder / name).write_bytes(b"x")


def _pairs(folder: Path) -> tuple[dict[str, str | None], list[Problem]]:
    requests, problems = plan_folder(folder, TEMPLATE)
    return {r.audio.name: r.transcript.name if r.transcript else None for r in requests}, problems


# --- folders ------------------------------------------------------------------------------------------------------


def test_folder_pairs_by_exact_stem_or_whisper_full_name(tmp_path: Path) -> None:
    _touch(tmp_path, "one.wav", "one.vtt", "two.wav", "two.wav.json", "three.mp3", "three.mp3.words.json", "four.wav")
    requests, problems = plan_folder(tmp_path, ImportRequest(audio=Path(), agent="Zed", external_id="ignored"))
    assert problems == []
    pairs = {r.audio.name: (r.transcript.name if r.transcript else None, r.agent, r.external_id) for r in requests}
    assert pairs == {
        "one.wav": ("one.vtt", "Zed", None),
        "two.wav": ("two.wav.json", "Zed", None),
        "three.mp3": ("three.mp3.words.json", "Zed", None),
        "four.wav": (None, "Zed", None),
    }


def test_longer_name_sharing_a_prefix_does_not_steal_the_pairing(tmp_path: Path) -> None:
    _touch(tmp_path, "call7.wav", "call7.vtt", "call7.1.vtt", "call7.10.wav", "call7.10.srt")
    assert _pairs(tmp_path) == ({"call7.wav": "call7.vtt", "call7.10.wav": "call7.10.srt"}, [])


def test_upper_and_mixed_case_names_pair(tmp_path: Path) -> None:
    _touch(tmp_path, "CALL.WAV", "CALL.VTT", "Mixed.Mp3", "mixed.SRT", "Rec.Flac", "REC.FLAC.JSON")
    assert _pairs(tmp_path) == ({"CALL.WAV": "CALL.VTT", "Mixed.Mp3": "mixed.SRT", "Rec.Flac": "REC.FLAC.JSON"}, [])


def test_hidden_and_appledouble_files_are_ignored(tmp_path: Path) -> None:
    _touch(tmp_path, "call.wav", "call.vtt", "._call.wav", "._call.vtt", ".call.srt", ".secret.wav")
    (tmp_path / "folder.wav").mkdir()
    assert _pairs(tmp_path) == ({"call.wav": "call.vtt"}, [])


@pytest.mark.parametrize("suffix", [".aif", ".AIFF", ".amr", ".gsm", ".caf", ".wv", ".mka", ".webm", ".3gp"])
def test_recorder_and_ffmpeg_audio_extensions_are_recordings(tmp_path: Path, suffix: str) -> None:
    _touch(tmp_path, f"rec{suffix}", "rec.vtt")
    assert _pairs(tmp_path) == ({f"rec{suffix}": "rec.vtt"}, [])


def test_files_without_a_reader_are_not_transcripts(tmp_path: Path) -> None:
    _touch(tmp_path, "a.wav", "a.txt", "a.eaf", "a.TextGrid", "a.rttm", "b.wav", "b.txt", "b.vtt", "notes.txt")
    assert _pairs(tmp_path) == ({"a.wav": None, "b.wav": "b.vtt"}, [])


@pytest.mark.parametrize("second", ["one.srt", "one.wav.json"])
def test_two_candidate_transcripts_are_reported_naming_both(tmp_path: Path, second: str) -> None:
    _touch(tmp_path, "one.wav", "one.vtt", second, "two.wav", "two.vtt")
    pairs, problems = _pairs(tmp_path)
    assert pairs == {"two.wav": "two.vtt"}
    assert [(p.kind, p.path) for p in problems] == [(ProblemKind.AMBIGUOUS_PAIRING, str(tmp_path / "one.wav"))]
    assert "one.vtt" in problems[0].detail and second in problems[0].detail


def test_one_transcript_for_two_recordings_imports_neither(tmp_path: Path) -> None:
    _touch(tmp_path, "x.wav", "x.mp3", "x.vtt", "y.wav")
    pairs, problems = _pairs(tmp_path)
    assert pairs == {"y.wav": None}
    assert {p.path: p.kind for p in problems} == {
        str(tmp_path / "x.mp3"): ProblemKind.AMBIGUOUS_PAIRING,
        str(tmp_path / "x.wav"): ProblemKind.AMBIGUOUS_PAIRING,
    }
    details = {Path(p.path).name: p.detail for p in problems}
    assert "x.vtt" in details["x.wav"] and "x.mp3" in details["x.wav"]
    assert "x.vtt" in details["x.mp3"] and "x.wav" in details["x.mp3"]


# --- manifests ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_manifest_delimiter_bom_and_padded_headers(tmp_path: Path, delimiter: str) -> None:
    header = delimiter.join([" Call_ID ", "Agent", " AUDIO ", "Transcript ", " Layout"])
    row = delimiter.join(["A-1", "Анна", "a.wav", "a.vtt", "Agent-Right"])
    manifest = tmp_path / "batch.csv"
    manifest.write_bytes(codecs.BOM_UTF8 + f"{header}\r\n{row}\r\n".encode())
    requests, problems = plan_manifest(manifest, ImportRequest(audio=Path(), team="North"))
    assert problems == []
    [request] = requests
    assert (request.audio, request.transcript) == (tmp_path / "a.wav", tmp_path / "a.vtt")
    assert (request.external_id, request.agent, request.team) == ("A-1", "Анна", "North")
    assert request.layout is ChannelLayout.AGENT_RIGHT


def test_cp1251_manifest_is_detected_or_read_with_the_encoding_given(tmp_path: Path) -> None:
    manifest = tmp_path / "legacy.csv"
    manifest.write_bytes("call_id,agent,audio\nA-1,Ольга,a.wav\n".encode("cp1251"))
    for encoding in (None, "cp1251"):
        requests, problems = plan_manifest(manifest, TEMPLATE, encoding=encoding)
        assert problems == [] and [r.agent for r in requests] == ["Ольга"]


def test_a_manifest_that_is_not_text_is_refused_at_the_bad_byte(tmp_path: Path) -> None:
    manifest = tmp_path / "garbled.csv"
    manifest.write_bytes(b"call_id,agent,audio\nA-1," + bytes(range(128, 256)) + b",a.wav\n")
    requests, problems = plan_manifest(manifest, TEMPLATE)
    assert requests == []
    assert [(p.kind, p.path, p.where) for p in problems] == [(ProblemKind.NOT_TEXT, str(manifest), "line 2, column 5")]


def test_missing_manifest_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    requests, problems = plan_manifest(tmp_path / "nope.csv", TEMPLATE)
    assert requests == [] and [p.kind for p in problems] == [ProblemKind.UNREADABLE]


def test_windows_backslash_paths_resolve(tmp_path: Path) -> None:
    (tmp_path / "calls").mkdir()
    _touch(tmp_path, "calls/a.wav", "calls/a.vtt", "odd\\name.wav")
    manifest = tmp_path / "m.csv"
    manifest.write_text("audio,transcript\ncalls\\a.wav,calls\\a.vtt\nodd\\name.wav,\n")
    requests, problems = plan_manifest(manifest, TEMPLATE)
    assert problems == []
    assert [(r.audio, r.transcript) for r in requests] == [
        (tmp_path / "calls" / "a.wav", tmp_path / "calls" / "a.vtt"),
        (tmp_path / "odd\\name.wav", None),  # a POSIX file really named so is taken as given
    ]
    assert all(r.audio.is_file() for r in requests)


def test_bad_rows_are_reported_by_line_and_good_rows_plan(tmp_path: Path) -> None:
    manifest = tmp_path / "batch.csv"
    manifest.write_text(
        "call_id,agent,started_at,audio,layout,disconnect_reason\n"
        "A-1,Anna,2026-10-05T09:14:00+00:00,a.wav,mono,AGENT_DISCONNECT\n"
        "B-1,Boris,yesterday,b.wav,,\n"
        "\n"
        "B-2,Boris,,b.wav,sideways,\n"
        "C-1,Cleo,,,,\n"
        "D-1,Dan,2026-10-05 09:14,d.wav,,\n"
    )
    requests, problems = plan_manifest(manifest, ImportRequest(audio=Path(), layout=ChannelLayout.AGENT_LEFT))
    assert [(p.kind, p.where) for p in problems] == [(ProblemKind.BAD_MANIFEST, f"line {n}") for n in (3, 5, 6)]
    assert [d.split(":")[0] for d in (p.detail for p in problems)] == ["started_at", "layout", "audio"]
    assert "yesterday" in problems[0].detail and "sideways" in problems[1].detail
    assert [(r.external_id, r.layout, r.disconnect_reason) for r in requests] == [
        ("A-1", ChannelLayout.MONO, "AGENT_DISCONNECT"),
        ("D-1", ChannelLayout.AGENT_LEFT, None),
    ]
    started = [r.started_at for r in requests]
    assert started[0] is not None and started[0].isoformat() == "2026-10-05T09:14:00+00:00"
    assert started[1] is not None and started[1].tzinfo is not None  # no offset: this machine's zone


def test_manifest_without_audio_column_lists_expected_columns(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("call_id;agent;file\nx;y;z.wav\n")
    requests, problems = plan_manifest(manifest, TEMPLATE)
    assert requests == []
    assert [(p.kind, p.path, p.where) for p in problems] == [(ProblemKind.BAD_MANIFEST, str(manifest), "line 1")]
    assert "found: call_id, agent, file" in problems[0].detail
    assert "audio" in problems[0].detail and "disconnect_reason" in problems[0].detail


def test_planned_manifest_imports_end_to_end(sqlite_services: Services, tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav")
    (tmp_path / "a.vtt").write_text(VTT_TWO_PARTIES)
    manifest = tmp_path / "batch.csv"
    manifest.write_text("call_id;agent;team;audio;transcript\nA-1;Anna;North;a.wav;a.vtt\n")
    requests, problems = plan_manifest(manifest, TEMPLATE)
    report = ImportReport()
    list(import_calls(sqlite_services, requests, report))
    call = get_call(sqlite_services, "A-1")
    assert problems == [] and report.imported == [call.id]
    assert (call.agent, call.team, len(call.utterances)) == ("Anna", "North", 2)


def test_dropped_files_pair_by_name_and_report_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.wav").write_bytes(b"x")
    (tmp_path / "a.vtt").write_text("WEBVTT\n")
    (tmp_path / "b.mp3").write_bytes(b"x")
    (tmp_path / "lonely.srt").write_text("1\n")
    (tmp_path / "notes.docx").write_bytes(b"x")
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "c.wav").write_bytes(b"x")
    dropped = [tmp_path / n for n in ("a.wav", "a.vtt", "b.mp3", "lonely.srt", "notes.docx")] + [folder]
    requests, problems = plan_drop(dropped, ImportRequest(audio=Path()))
    pairs = sorted((r.audio.name, r.transcript.name if r.transcript else None) for r in requests)
    assert pairs == [("a.wav", "a.vtt"), ("b.mp3", None), ("c.wav", None)]
    reasons = {Path(p.path).name: p.detail for p in problems}
    assert set(reasons) == {"lonely.srt", "notes.docx"}
    assert "needs its recording" in reasons["lonely.srt"]
