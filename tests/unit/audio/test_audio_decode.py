"""decode(): every encoding a contact centre records in comes out as int16 frames of the right shape and rate."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reviewer.audio.decode import decode, join_mono
from reviewer.domain.problems import InputError, ProblemKind

MakeAudio = Callable[..., tuple[Path, npt.NDArray[np.int16]]]

PCM = ("s16", "u8", "f32", "mulaw", "alaw")
LOSSLESS = ("s16", "flac")
LOSSY = ("mp3", "ogg")
ALL = (*PCM, "flac", *LOSSY)
LAYOUTS = [(2, 8000), (1, 8000), (2, 16000), (1, 44100)]  # (channels, sample rate)

# How far the decoded length may be from the source, in frames.
# PCM and FLAC store the exact frame count: ±1 allows for nothing but rounding.
# MP3: one MPEG-1 frame (1152 samples) plus LAME's decoder delay (529), for a decoder that ignores the gapless tag.
# OGG Vorbis: one long block (2048), for a decoder that ignores the granule position of the last page.
# ffmpeg 5+ honours both tags and comes out exact, but the tests must not depend on it.
FRAME_TOLERANCE = {**dict.fromkeys((*PCM, "flac"), 1), "mp3": 1152 + 529, "ogg": 2048}

# Largest |decoded - source| on the int16 scale: 8-bit keeps the top byte; the companded codes have their largest
# step (1024) at full scale, so the error stays under it; float32 holds every int16 exactly.
MAX_ERROR = {"u8": 256, "mulaw": 1024, "alaw": 1024, "f32": 1}

TONES_HZ = (440.0, 1250.0)  # as written by conftest.synthesise: left, right


def _dominant_hz(column: npt.NDArray[np.int16], rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(column.astype(np.float64)))
    return float(np.fft.rfftfreq(len(column), 1 / rate)[int(np.argmax(spectrum))])


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        decode(path)
    assert caught.value.problem.path == str(path)
    return caught.value


@pytest.mark.parametrize(("channels", "rate"), LAYOUTS)
@pytest.mark.parametrize("encoding", ALL)
def test_every_encoding_decodes_to_int16_of_the_right_shape(
    make_audio: MakeAudio, encoding: str, channels: int, rate: int
) -> None:
    path, source = make_audio(encoding, channels=channels, rate=rate)

    decoded = decode(path)

    assert decoded.samples.dtype == np.int16
    assert decoded.samples.ndim == 2
    assert decoded.channels == channels
    assert decoded.sample_rate == rate
    assert abs(decoded.frames - source.shape[0]) <= FRAME_TOLERANCE[encoding]
    assert abs(decoded.duration_ms - 1000) <= FRAME_TOLERANCE[encoding] * 1000 // rate + 1


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("encoding", LOSSLESS)
def test_lossless_encodings_give_back_the_source_samples(make_audio: MakeAudio, encoding: str, channels: int) -> None:
    path, source = make_audio(encoding, channels=channels, rate=16000)

    np.testing.assert_array_equal(decode(path).samples, source)


@pytest.mark.parametrize("encoding", list(MAX_ERROR))
def test_lossy_pcm_encodings_stay_close_to_the_source(make_audio: MakeAudio, encoding: str) -> None:
    path, source = make_audio(encoding, channels=2, rate=8000)

    decoded = decode(path).samples

    assert decoded.shape == source.shape
    error = np.abs(decoded.astype(np.int32) - source.astype(np.int32))
    assert int(error.max()) < MAX_ERROR[encoding]
    for channel in range(2):
        correlation = np.corrcoef(decoded[:, channel], source[:, channel])[0, 1]
        assert correlation > 0.999


@pytest.mark.parametrize("encoding", ALL)
def test_stereo_channels_stay_in_order(make_audio: MakeAudio, encoding: str) -> None:
    path, _ = make_audio(encoding, channels=2, rate=8000, seconds=2.0)

    decoded = decode(path)

    left, right = decoded.samples[:, 0], decoded.samples[:, 1]
    assert _dominant_hz(left, decoded.sample_rate) == pytest.approx(TONES_HZ[0], abs=2)
    assert _dominant_hz(right, decoded.sample_rate) == pytest.approx(TONES_HZ[1], abs=2)


@pytest.mark.parametrize("encoding", ["s16", "u8", "mulaw"])
def test_a_wav_cut_short_is_refused_as_truncated(make_audio: MakeAudio, encoding: str) -> None:
    path, _ = make_audio(encoding)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])

    assert _refused(path).problem.kind is ProblemKind.TRUNCATED_AUDIO


def test_a_wav_cut_inside_its_header_is_refused_as_truncated(make_audio: MakeAudio) -> None:
    path, _ = make_audio()
    path.write_bytes(path.read_bytes()[:30])

    assert _refused(path).problem.kind is ProblemKind.TRUNCATED_AUDIO


def test_a_text_file_named_mp3_is_not_audio(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp3"
    path.write_text("Call back the customer on Monday.\n" * 50, encoding="utf-8")

    assert _refused(path).problem.kind is ProblemKind.NOT_AUDIO


def test_an_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.touch()

    assert _refused(path).problem.kind is ProblemKind.EMPTY


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    assert _refused(tmp_path / "gone.wav").problem.kind is ProblemKind.UNREADABLE


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.wav"
    folder.mkdir()

    assert _refused(folder).problem.kind is ProblemKind.UNREADABLE


def _with_data_size(path: Path, size: int) -> bytes:
    whole = path.read_bytes()
    at = whole.index(b"data")
    return whole[: at + 4] + struct.pack("<I", size) + whole[at + 8 :]


@pytest.mark.parametrize("size", [0xFFFFFFFF, 0])
def test_a_streaming_wav_data_size_is_not_refused(make_audio: MakeAudio, size: int) -> None:
    path, source = make_audio()
    path.write_bytes(_with_data_size(path, size))

    np.testing.assert_array_equal(decode(path).samples, source)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_streaming_wav_cut_mid_frame_keeps_its_whole_frames(make_audio: MakeAudio, cut: int) -> None:
    # A recorder that crashed never fixed up the size and may stop anywhere, even inside a sample.
    path, source = make_audio()
    path.write_bytes(_with_data_size(path, 0xFFFFFFFF)[:-cut])

    np.testing.assert_array_equal(decode(path).samples, source[:-1])


def test_join_mono_puts_agent_left_and_pads_the_shorter_file(make_audio: MakeAudio) -> None:
    agent_path, agent = make_audio(channels=1, seconds=1.0, seed=1)
    customer_path, customer = make_audio(channels=1, seconds=0.5, seed=2)

    joined = join_mono(agent_path, customer_path)

    assert joined.channels == 2
    assert joined.sample_rate == 8000
    assert joined.frames == agent.shape[0]
    np.testing.assert_array_equal(joined.samples[:, 0], agent[:, 0])
    np.testing.assert_array_equal(joined.samples[: customer.shape[0], 1], customer[:, 0])
    assert not joined.samples[customer.shape[0] :, 1].any()


def test_join_mono_pads_the_first_file_when_the_second_is_longer(make_audio: MakeAudio) -> None:
    first_path, first = make_audio(channels=1, seconds=0.5, seed=3)
    second_path, second = make_audio(encoding="flac", channels=1, seconds=1.0, seed=4)

    joined = join_mono(first_path, second_path)

    assert joined.frames == second.shape[0]
    np.testing.assert_array_equal(joined.samples[: first.shape[0], 0], first[:, 0])
    assert not joined.samples[first.shape[0] :, 0].any()
    assert joined.codec == "pcm_s16le+flac"


def test_join_mono_refuses_a_stereo_file(make_audio: MakeAudio) -> None:
    mono_path, _ = make_audio(channels=1)
    stereo_path, _ = make_audio(channels=2, seed=5)

    with pytest.raises(InputError) as caught:
        join_mono(mono_path, stereo_path)

    assert caught.value.problem.kind is ProblemKind.CHANNEL_MISMATCH
    assert caught.value.problem.path == str(stereo_path)


def test_join_mono_refuses_different_sample_rates(make_audio: MakeAudio) -> None:
    agent_path, _ = make_audio(channels=1, rate=8000)
    customer_path, _ = make_audio(channels=1, rate=16000)

    with pytest.raises(InputError) as caught:
        join_mono(agent_path, customer_path)

    assert caught.value.problem.kind is ProblemKind.CHANNEL_MISMATCH
    assert caught.value.problem.path == str(customer_path)
