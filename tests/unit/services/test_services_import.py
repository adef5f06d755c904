"""Importing calls: one transaction per call, duplicates skipped, bad input refused without a trace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.domain.parties import ChannelLayout, Party
from reviewer.domain.problems import ProblemKind
from reviewer.services.batches import plan_folder, plan_manifest
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call, list_calls, swap_parties
from tests.testkit import VTT_TWO_PARTIES, write_wav


def _run(services: Services, *requests: ImportRequest) -> ImportReport:
    report = ImportReport()
    steps = list(import_calls(services, list(requests), report))
    assert steps[-1].done == steps[-1].total == len(requests)
    return report


def _library_state(services: Services) -> list[tuple[str, int, int]]:
    return [(c.external_id, c.utterances, c.tags) for c in list_calls(services)]


def test_stereo_call_with_transcript(services: Services, stereo_call: Path) -> None:
    transcript = stereo_call.with_suffix(".vtt")
    transcript.write_text(VTT_TWO_PARTIES)
    report = _run(services, ImportRequest(audio=stereo_call, transcript=transcript, agent="Anna", team="North"))
    assert report.ok and len(report.imported) == 1
    call = get_call(services, str(report.imported[0]))
    assert (call.audio.duration_ms, call.audio.sample_rate, call.audio.channels) == (4000, 8000, 2)
    assert call.audio.layout is ChannelLayout.AGENT_LEFT
    assert len(call.audio.sha256) == 64
    assert [(u.party, u.speaker) for u in call.utterances] == [(Party.AGENT, "Anna"), (Party.CUSTOMER, "Caller")]
    assert (call.agent, call.team, call.external_id) == ("Anna", "North", "call-001")
    assert call.transcript is not None and call.transcript.format == "vtt"
    peaks = services.peaks.load(call.audio.sha256)
    assert peaks is not None and peaks.channels == 2 and peaks.frames == 32000


def test_same_recording_twice_is_skipped(services: Services, stereo_call: Path, tmp_path: Path) -> None:
    copy = tmp_path / "renamed.wav"
    shutil.copy(stereo_call, copy)
    first = _run(services, ImportRequest(audio=stereo_call))
    second = _run(services, ImportRequest(audio=copy))
    assert second.imported == [] and [s.existing_id for s in second.skipped] == first.imported
    assert len(list_calls(services)) == 1


def test_two_mono_files_make_one_call(services: Services, tmp_path: Path) -> None:
    agent = write_wav(tmp_path / "agent.wav", seconds=3.0, channels=1)
    customer = write_wav(tmp_path / "customer.wav", seconds=2.0, channels=1)
    report = _run(services, ImportRequest(audio=agent, customer_audio=customer))
    call = get_call(services, str(report.imported[0]))
    assert call.audio.layout is ChannelLayout.SEPARATE_FILES
    assert (call.audio.channels, call.audio.duration_ms) == (2, 3000)
    assert call.audio.customer_path == str(customer.resolve())


def test_agent_right_layout_maps_channels(services: Services, stereo_call: Path) -> None:
    transcript = stereo_call.with_suffix(".csv")
    transcript.write_text("start,end,channel,text\n0.1,1.0,0,hello\n1.2,2.0,1,hi there\n")
    report = _run(services, ImportRequest(audio=stereo_call, transcript=transcript, layout=ChannelLayout.AGENT_RIGHT))
    call = get_call(services, str(report.imported[0]))
    assert [u.party for u in call.utterances] == [Party.CUSTOMER, Party.AGENT]


def test_swap_exchanges_parties_and_layout(services: Services, stereo_call: Path) -> None:
    transcript = stereo_call.with_suffix(".vtt")
    transcript.write_text(VTT_TWO_PARTIES)
    report = _run(services, ImportRequest(audio=stereo_call, transcript=transcript, external_id="c-1"))
    swapped = swap_parties(services, "c-1")
    assert [u.party for u in swapped.utterances] == [Party.CUSTOMER, Party.AGENT]
    assert swapped.audio.layout is ChannelLayout.AGENT_RIGHT and swapped.parties_swapped
    back = swap_parties(services, str(report.imported[0]))
    assert [u.party for u in back.utterances] == [Party.AGENT, Party.CUSTOMER] and not back.parties_swapped


def test_layout_needing_two_channels_refuses_mono(services: Services, tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", channels=1)
    report = _run(services, ImportRequest(audio=mono, layout=ChannelLayout.AGENT_LEFT))
    assert [p.kind for p in report.failed] == [ProblemKind.CHANNEL_MISMATCH]


def _bad_inputs(tmp_path: Path, good: Path) -> list[tuple[ImportRequest, ProblemKind, str]]:
    truncated = tmp_path / "truncated.wav"
    truncated.write_bytes(good.read_bytes()[:20_000])
    text_mp3 = tmp_path / "notes.mp3"
    text_mp3.write_text("these are meeting notes, not audio\n")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    late = tmp_path / "late.vtt"
    late.write_text("WEBVTT\n\n00:00.500 --> 00:09.000\n<v A>Too long.\n")
    backwards = tmp_path / "backwards.srt"
    backwards.write_text("1\n00:00:01,000 --> 00:00:02,000\nA: fine\n\n2\n00:00:03,000 --> 00:00:02,500\nB: bad\n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"segments": [{"start": 0.0, "end": 1.0, "text": "hi"}')
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("start,end,speaker,text\n0.1,1.0,agent,Здравствуйте\n".encode("cp1251"))
    return [
        (ImportRequest(audio=truncated), ProblemKind.TRUNCATED_AUDIO, "truncated.wav"),
        (ImportRequest(audio=text_mp3), ProblemKind.NOT_AUDIO, "notes.mp3"),
        (ImportRequest(audio=empty), ProblemKind.EMPTY, "empty.wav"),
        (ImportRequest(audio=tmp_path / "missing.wav"), ProblemKind.UNREADABLE, "missing.wav"),
        (ImportRequest(audio=good, transcript=late), ProblemKind.BEYOND_RECORDING, "late.vtt"),
        (ImportRequest(audio=good, transcript=backwards), ProblemKind.END_BEFORE_START, "backwards.srt"),
        (ImportRequest(audio=good, transcript=broken), ProblemKind.INVALID_JSON, "broken.json"),
        (ImportRequest(audio=good, transcript=legacy), ProblemKind.NOT_TEXT, "legacy.csv"),
    ]


def test_bad_inputs_are_refused_and_leave_the_library_as_it_was(
    services: Services, stereo_call: Path, tmp_path: Path
) -> None:
    kept = write_wav(tmp_path / "kept.wav", seconds=2.0)
    _run(services, ImportRequest(audio=kept, agent="Bo"))
    before = _library_state(services)
    cases = _bad_inputs(tmp_path, stereo_call)
    report = _run(services, *(request for request, _, _ in cases))
    assert report.imported == [] and report.skipped == []
    assert [(p.kind, Path(p.path).name) for p in report.failed] == [(kind, name) for _, kind, name in cases]
    assert _library_state(services) == before
    assert services.peaks.load(get_call(services, "kept").audio.sha256) is not None


def test_batch_goes_on_after_a_failure(services: Services, tmp_path: Path) -> None:
    good_a = write_wav(tmp_path / "a.wav")
    bad = tmp_path / "b.wav"
    bad.write_text("not audio")
    good_c = write_wav(tmp_path / "c.wav", seconds=3.0)
    report = _run(services, *(ImportRequest(audio=p) for p in (good_a, bad, good_c)))
    assert len(report.imported) == 2 and [Path(p.path).name for p in report.failed] == ["b.wav"]


def test_cp1251_is_read_when_the_encoding_is_given(services: Services, stereo_call: Path) -> None:
    legacy = stereo_call.with_suffix(".csv")
    legacy.write_bytes("start,end,speaker,text\n0.1,1.0,agent,Здравствуйте\n".encode("cp1251"))
    report = _run(services, ImportRequest(audio=stereo_call, transcript=legacy, transcript_encoding="cp1251"))
    assert get_call(services, str(report.imported[0])).utterances[0].text == "Здравствуйте"


def test_folder_pairs_transcripts_by_base_name(tmp_path: Path) -> None:
    write_wav(tmp_path / "one.wav")
    write_wav(tmp_path / "two.wav")
    (tmp_path / "one.vtt").write_text(VTT_TWO_PARTIES)
    (tmp_path / "two.wav.json").write_text('{"segments": []}')
    (tmp_path / "notes.txt").write_text("unrelated")
    requests, problems = plan_folder(tmp_path, ImportRequest(audio=Path(), agent="Zed"))
    assert problems == []
    pairs = {r.audio.name: (r.transcript.name if r.transcript else None, r.agent) for r in requests}
    assert pairs == {"one.wav": ("one.vtt", "Zed"), "two.wav": ("two.wav.json", "Zed")}


def test_folder_with_two_transcripts_for_one_recording_reports_it(tmp_path: Path) -> None:
    write_wav(tmp_path / "one.wav")
    (tmp_path / "one.vtt").write_text(VTT_TWO_PARTIES)
    (tmp_path / "one.srt").write_text("1\n00:00:00,500 --> 00:00:01,000\nhi\n")
    requests, problems = plan_folder(tmp_path, ImportRequest(audio=Path()))
    assert requests == [] and "one.srt" in problems[0].detail and "one.vtt" in problems[0].detail


def test_manifest_rows_and_bad_rows(services: Services, tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav")
    write_wav(tmp_path / "b.wav", seconds=2.0)
    (tmp_path / "a.vtt").write_text(VTT_TWO_PARTIES)
    manifest = tmp_path / "batch.csv"
    manifest.write_text(
        "call_id,agent,team,started_at,audio,transcript,layout,disconnect_reason\n"
        "A-1,Anna,North,2026-10-05T09:14:00+00:00,a.wav,a.vtt,agent-left,AGENT_DISCONNECT\n"
        "B-1,Boris,South,yesterday,b.wav,,,\n"
        "B-2,Boris,South,,b.wav,,sideways,\n"
    )
    requests, problems = plan_manifest(manifest, ImportRequest(audio=Path()))
    assert [p.where for p in problems] == ["line 3", "line 4"]
    assert "started_at" in problems[0].detail and "layout" in problems[1].detail
    report = _run(services, *requests)
    call = get_call(services, "A-1")
    assert (call.agent, call.team, call.disconnect_reason) == ("Anna", "North", "AGENT_DISCONNECT")
    assert call.started_at is not None and call.started_at.isoformat().startswith("2026-10-05T09:14")
    assert report.imported == [call.id]


@pytest.mark.parametrize("missing", ["audio"])
def test_manifest_without_audio_column(tmp_path: Path, missing: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("call_id,agent\nx,y\n")
    requests, problems = plan_manifest(manifest, ImportRequest(audio=Path()))
    assert requests == [] and problems[0].kind is ProblemKind.BAD_MANIFEST and missing in problems[0].detail
