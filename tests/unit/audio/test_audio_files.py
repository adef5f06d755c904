"""The recording's hash, and the WAV header check that runs before any decoder."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reviewer.audio.decode import decode
from reviewer.audio.files import check_readable, check_wav_header, file_sha256, recording_sha256
from reviewer.domain.problems import InputError, ProblemKind

MakeAudio = Callable[..., tuple[Path, npt.NDArray[np.int16]]]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_file_sha256_is_the_plain_sha256(tmp_path: Path) -> None:
    # Bigger than the 1 MiB read size, and not a multiple of it.
    data = np.random.default_rng(1).bytes(2 * 1024 * 1024 + 12_345)
    path = _write(tmp_path / "call.wav", data)

    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    assert recording_sha256([file_sha256(path)]) == file_sha256(path)


def test_a_pair_of_party_files_is_one_recording_in_either_order(tmp_path: Path) -> None:
    agent = _write(tmp_path / "agent.wav", b"agent side")
    customer = _write(tmp_path / "customer.wav", b"customer side")
    hashes = [file_sha256(p) for p in (agent, customer)]

    pair = recording_sha256(hashes)

    assert pair == hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest()
    assert pair == recording_sha256(hashes[::-1])
    assert pair not in hashes


def _chunk(chunk_id: bytes, payload: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) & 1)


def _with_chunks_before_data(wav: bytes, *chunks: bytes) -> bytes:
    at = wav.index(b"data")
    body = wav[12:at] + b"".join(chunks) + wav[at:]
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


@pytest.mark.parametrize("info", [b"INFOISFT\x06\x00\x00\x00Lavf!\x00", b"INFOICMT\x05\x00\x00\x00odd!!\x00"])
def test_a_wav_with_a_list_chunk_before_data_is_accepted_and_decodes(
    make_audio: MakeAudio, info: bytes, tmp_path: Path
) -> None:
    # The second LIST payload has an odd length, so RIFF pads it with one byte the walk must skip.
    path, source = make_audio()
    tagged = _write(tmp_path / "tagged.wav", _with_chunks_before_data(path.read_bytes(), _chunk(b"LIST", info)))

    check_wav_header(tagged, check_readable(tagged))

    np.testing.assert_array_equal(decode(tagged).samples, source)


def test_a_wav_with_several_chunks_before_data_is_accepted(make_audio: MakeAudio, tmp_path: Path) -> None:
    path, _ = make_audio()
    chunks = [_chunk(b"LIST", b"INFO"), _chunk(b"bext", bytes(603)), _chunk(b"JUNK", bytes(28))]
    tagged = _write(tmp_path / "broadcast.wav", _with_chunks_before_data(path.read_bytes(), *chunks))

    check_wav_header(tagged, check_readable(tagged))


def test_a_chunk_before_data_that_runs_past_the_end_is_truncation(make_audio: MakeAudio, tmp_path: Path) -> None:
    path, _ = make_audio()
    wav = path.read_bytes()
    at = wav.index(b"data")
    cut = _write(tmp_path / "cut.wav", wav[:at] + b"LIST" + struct.pack("<I", 10**6) + b"INFO")

    with pytest.raises(InputError) as caught:
        check_wav_header(cut, check_readable(cut))

    assert caught.value.problem.kind is ProblemKind.TRUNCATED_AUDIO
    assert caught.value.problem.path == str(cut)


def test_files_that_are_not_riff_wave_are_left_to_the_decoder(tmp_path: Path) -> None:
    for name, data in [("a.mp3", b"ID3\x04" + bytes(200)), ("a.avi", b"RIFF\x00\x00\x00\x00AVI LIST"), ("x", b"RI")]:
        path = _write(tmp_path / name, data)
        check_wav_header(path, check_readable(path))
