"""Importing calls: one transaction per call, duplicates skipped, bad input refused without a trace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.domain.parties import ChannelLayout, Party
from reviewer.domain.problems import ProblemKind
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_calls
from reviewer.services.library import get_call, list_calls, remember_source_swapped, swap_parties
from reviewer.text.problems import describe
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


def test_two_mono_files_make_one_call_whatever_the_order(services: Services, tmp_path: Path) -> None:
    agent = write_wav(tmp_path / "agent.wav", seconds=3.0, channels=1)
    customer = write_wav(tmp_path / "customer.wav", seconds=2.0, channels=1)
    report = _run(services, ImportRequest(audio=agent, customer_audio=customer))
    call = get_call(services, str(report.imported[0]))
    assert (call.audio.channels, call.audio.duration_ms) == (2, 3000)
    # Channel order is canonical (by hash); the layout records which of the two files is the agent's.
    agent_first = call.audio.path == str(agent.resolve())
    assert {call.audio.path, call.audio.second_path} == {str(agent.resolve()), str(customer.resolve())}
    assert call.audio.layout is (ChannelLayout.AGENT_LEFT if agent_first else ChannelLayout.AGENT_RIGHT)
    reversed_pair = _run(services, ImportRequest(audio=customer, customer_audio=agent))
    assert reversed_pair.imported == [] and [s.existing_id for s in reversed_pair.skipped] == report.imported


def test_the_same_file_as_both_parties_is_refused(services: Services, tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", channels=1)
    report = _run(services, ImportRequest(audio=mono, customer_audio=mono))
    assert [(p.kind, p.path) for p in report.failed] == [(ProblemKind.CHANNEL_MISMATCH, str(mono))]


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
    text_only = swap_parties(services, "c-1", channels=False)
    assert [u.party for u in text_only.utterances] == [Party.CUSTOMER, Party.AGENT]
    assert text_only.audio.layout is ChannelLayout.AGENT_LEFT
    channels_only = swap_parties(services, "c-1", speakers=False)
    assert [u.party for u in channels_only.utterances] == [Party.CUSTOMER, Party.AGENT]
    assert channels_only.audio.layout is ChannelLayout.AGENT_RIGHT


def test_layout_needing_two_channels_refuses_mono(services: Services, tmp_path: Path) -> None:
    mono = write_wav(tmp_path / "mono.wav", channels=1)
    report = _run(services, ImportRequest(audio=mono, layout=ChannelLayout.AGENT_LEFT))
    assert [p.kind for p in report.failed] == [ProblemKind.CHANNEL_MISMATCH]


def _make_bad(kind: str, tmp_path: Path, good: Path) -> ImportRequest:
    """One of the issue's bad inputs, written for real."""
    if kind == "truncated_wav":
        (tmp_path / "truncated.wav").write_bytes(good.read_bytes()[:20_000])
        return ImportRequest(audio=tmp_path / "truncated.wav")
    if kind == "text_named_mp3":
        (tmp_path / "notes.mp3").write_text("these are meeting notes, not audio\n")
        return ImportRequest(audio=tmp_path / "notes.mp3")
    if kind == "empty_file":
        (tmp_path / "empty.wav").write_bytes(b"")
        return ImportRequest(audio=tmp_path / "empty.wav")
    if kind == "unreadable_path":
        return ImportRequest(audio=tmp_path / "missing.wav")
    transcripts = {
        "ends_after_recording": ("late.vtt", b"WEBVTT\n\n00:00.500 --> 00:09.000\n<v A>Too long.\n"),
        "cue_ends_before_start": (
            "backwards.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nA: fine\n\n2\n00:00:03,000 --> 00:00:02,500\nB: bad\n",
        ),
        "invalid_json": ("broken.json", b'{"segments": [{"start": 0.0, "end": 1.0, "text": "hi"}'),
        "not_text": ("garbled.csv", b"start,end,speaker,text\n0.1,1.0,agent," + bytes(range(128, 256)) + b"\n"),
    }
    name, data = transcripts[kind]
    (tmp_path / name).write_bytes(data)
    return ImportRequest(audio=good, transcript=tmp_path / name)


BAD_INPUTS = {
    "truncated_wav": (ProblemKind.TRUNCATED_AUDIO, "truncated.wav", "data chunk"),
    "text_named_mp3": (ProblemKind.NOT_AUDIO, "notes.mp3", ""),
    "empty_file": (ProblemKind.EMPTY, "empty.wav", ""),
    "unreadable_path": (ProblemKind.UNREADABLE, "missing.wav", ""),
    "ends_after_recording": (ProblemKind.BEYOND_RECORDING, "late.vtt", "cue 1"),
    "cue_ends_before_start": (ProblemKind.END_BEFORE_START, "backwards.srt", "cue 2"),
    "invalid_json": (ProblemKind.INVALID_JSON, "broken.json", "line 1, column"),
    "not_text": (ProblemKind.NOT_TEXT, "garbled.csv", "line 2, column 15"),
}


@pytest.mark.parametrize("bad", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_file_place_and_reason_and_nothing_changes(
    services: Services, stereo_call: Path, tmp_path: Path, bad: str
) -> None:
    kept = write_wav(tmp_path / "kept.wav", seconds=2.0)
    _run(services, ImportRequest(audio=kept, agent="Bo"))
    before = _library_state(services)
    report = _run(services, _make_bad(bad, tmp_path, stereo_call))
    kind, name, where = BAD_INPUTS[bad]
    assert report.imported == [] and report.skipped == []
    [problem] = report.failed
    assert (problem.kind, Path(problem.path).name) == (kind, name)
    assert problem.where.startswith(where)
    assert describe(problem).startswith(problem.path) and len(describe(problem)) > len(problem.path) + 10
    assert _library_state(services) == before
    assert len(list(services.peaks.directory.glob("*.npz"))) == 1  # only the kept call's waveform


def test_batch_goes_on_after_a_failure(services: Services, tmp_path: Path) -> None:
    good_a = write_wav(tmp_path / "a.wav")
    bad = tmp_path / "b.wav"
    bad.write_text("not audio")
    good_c = write_wav(tmp_path / "c.wav", seconds=3.0)
    report = _run(services, *(ImportRequest(audio=p) for p in (good_a, bad, good_c)))
    assert len(report.imported) == 2 and [Path(p.path).name for p in report.failed] == ["b.wav"]


def test_cp1251_without_bom_is_detected(services: Services, stereo_call: Path) -> None:
    # Issue 2 refused legacy encodings; issue 3 detects them and records which one was used.
    legacy = stereo_call.with_suffix(".csv")
    legacy.write_bytes('start,end,speaker,text\n0.1,1.0,agent,"Здравствуйте, меня зовут Ольга"\n'.encode("cp1251"))
    call = get_call(services, str(_run(services, ImportRequest(audio=stereo_call, transcript=legacy)).imported[0]))
    assert call.utterances[0].text == "Здравствуйте, меня зовут Ольга"
    assert call.transcript is not None and call.transcript.encoding == "cp1251"


def test_cp1251_is_read_when_the_encoding_is_given(services: Services, stereo_call: Path) -> None:
    legacy = stereo_call.with_suffix(".csv")
    legacy.write_bytes("start,end,speaker,text\n0.1,1.0,agent,Здравствуйте\n".encode("cp1251"))
    report = _run(services, ImportRequest(audio=stereo_call, transcript=legacy, transcript_encoding="cp1251"))
    assert get_call(services, str(report.imported[0])).utterances[0].text == "Здравствуйте"


def test_unlabelled_transcript_on_stereo_follows_the_louder_channel(services: Services, stereo_call: Path) -> None:
    whisper = stereo_call.with_suffix(".json")
    whisper.write_text(
        '{"segments": [{"start": 0.5, "end": 1.8, "text": "Thank you for calling."},'
        ' {"start": 1.9, "end": 3.5, "text": "My card was blocked."}]}'
    )
    report = _run(services, ImportRequest(audio=stereo_call, transcript=whisper, layout=ChannelLayout.AGENT_RIGHT))
    call = get_call(services, str(report.imported[0]))
    # The first line is loud on channel 0, which is the customer's in an agent-right recording.
    assert [u.party for u in call.utterances] == [Party.CUSTOMER, Party.AGENT]


def test_labelled_speakers_go_to_the_channel_they_are_loud_on(services: Services, stereo_call: Path) -> None:
    transcript = stereo_call.with_suffix(".vtt")
    transcript.write_text(VTT_TWO_PARTIES)
    report = _run(services, ImportRequest(audio=stereo_call, transcript=transcript, layout=ChannelLayout.AGENT_RIGHT))
    call = get_call(services, str(report.imported[0]))
    assert [(u.speaker, u.party) for u in call.utterances] == [("Anna", Party.CUSTOMER), ("Caller", Party.AGENT)]


def test_a_transcript_without_speech_still_imports_the_call(services: Services, stereo_call: Path) -> None:
    silent = stereo_call.with_suffix(".json")
    silent.write_text('{"segments": []}')
    report = _run(services, ImportRequest(audio=stereo_call, transcript=silent))
    call = get_call(services, str(report.imported[0]))
    assert call.utterances == () and call.transcript is not None and call.transcript.format == "whisper"


def test_long_names_and_nul_characters_store_on_every_backend(services: Services, stereo_call: Path) -> None:
    long_name = "Agent " + "x" * 300
    transcript = stereo_call.with_suffix(".json")
    transcript.write_text(
        '{"segments": [{"start": 0.5, "end": 1.8, "text": "hi\\u0000there", "speaker": "' + "S" * 300 + '"}]}'
    )
    request = ImportRequest(
        audio=stereo_call, transcript=transcript, agent=long_name, team="T" * 300,
        external_id="E" * 300, disconnect_reason="R" * 300,
    )  # fmt: skip
    report = _run(services, request)
    assert report.failed == []
    call = get_call(services, str(report.imported[0]))
    assert (call.agent, call.utterances[0].text, len(call.utterances[0].speaker)) == (long_name, "hithere", 300)


def test_missing_ffmpeg_names_the_file(
    services: Services, stereo_call: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    report = _run(services, ImportRequest(audio=stereo_call))
    [problem] = report.failed
    assert (problem.kind, problem.path) == (ProblemKind.DECODER_MISSING, str(stereo_call))
    assert "ffprobe is not installed" in describe(problem) and "apt-get install ffmpeg" in describe(problem)


def test_unwritable_waveform_cache_refuses_the_call_and_stores_nothing(services: Services, stereo_call: Path) -> None:
    services.peaks.directory.parent.mkdir(parents=True, exist_ok=True)
    services.peaks.directory.write_text("a file where the cache folder should be")
    report = _run(services, ImportRequest(audio=stereo_call))
    [problem] = report.failed
    assert problem.kind is ProblemKind.STORAGE and "waveform cache" in problem.detail
    assert list_calls(services) == []


def test_a_source_marked_swapped_swaps_every_later_import(services: Services, tmp_path: Path) -> None:
    recorder = tmp_path / "recorder-7"
    recorder.mkdir()
    first = write_wav(recorder / "a.wav")
    first.with_suffix(".vtt").write_text(VTT_TWO_PARTIES)
    report = _run(services, ImportRequest(audio=first, transcript=first.with_suffix(".vtt")))
    assert get_call(services, str(report.imported[0])).utterances[0].party is Party.AGENT

    source = remember_source_swapped(services, str(report.imported[0]), swapped=True)
    assert source == str(recorder.resolve())
    second = write_wav(recorder / "b.wav", seconds=5.0)
    second.with_suffix(".vtt").write_text(VTT_TWO_PARTIES)
    later = get_call(
        services, str(_run(services, ImportRequest(audio=second, transcript=second.with_suffix(".vtt"))).imported[0])
    )
    assert [u.party for u in later.utterances] == [Party.CUSTOMER, Party.AGENT]
    assert later.audio.layout is ChannelLayout.AGENT_RIGHT and later.parties_swapped

    remember_source_swapped(services, str(report.imported[0]), swapped=False)
    third = write_wav(recorder / "c.wav", seconds=6.0)
    assert not get_call(services, str(_run(services, ImportRequest(audio=third)).imported[0])).parties_swapped
