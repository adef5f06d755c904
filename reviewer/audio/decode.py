"""Decode any recording into one int16 timeline, shared by peaks and (later) playback.

pydub probes the file (ffprobe) and reads plain 16-bit PCM WAV itself. For everything else we run pydub's
configured ffmpeg straight to raw s16le and wrap the bytes in an AudioSegment: pydub's own from_file() copies the
decoded PCM through bytes -> bytearray -> bytes -> slice (four copies, measured in benchmarks/import_speed.py),
which a one-hour call cannot afford. μ-law, A-law, 8-bit and float inputs all end up as 16-bit samples.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is missing; decode() reports that for each file instead.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.exceptions import CouldntDecodeError
    from pydub.utils import mediainfo_json

from reviewer.audio.files import check_readable, check_wav_header
from reviewer.domain.call import AudioInfo
from reviewer.domain.problems import InputError, ProblemKind


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded recording: interleaved int16 frames (frames x channels) and the facts about it."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    codec: str

    @property
    def channels(self) -> int:
        """Number of channels."""
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        """Number of sample frames."""
        return int(self.samples.shape[0])

    @property
    def duration_ms(self) -> int:
        """Length in milliseconds, rounded down."""
        return self.frames * 1000 // self.sample_rate


def _require(tool: str, path: Path) -> str:
    found = shutil.which(tool)
    if found is None:
        raise InputError.of(ProblemKind.DECODER_MISSING, str(path), detail=f"{tool} is not installed")
    return found


def _ffmpeg_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def probe(path: Path) -> dict[str, Any]:
    """The first audio stream as ffprobe describes it; InputError when there is none."""
    _require("ffprobe", path)
    try:
        info = mediainfo_json(str(path))
    except (OSError, ValueError) as error:
        raise InputError.of(ProblemKind.NOT_AUDIO, str(path), detail=str(error)) from error
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise InputError.of(ProblemKind.NOT_AUDIO, str(path), detail="the file has no audio stream")
    stream: dict[str, Any] = streams[0]
    return stream


def _segment_samples(segment: AudioSegment) -> npt.NDArray[np.int16]:
    # A view over pydub's bytes: no copy. A streaming-header WAV (data size 0xFFFFFFFF) whose recorder died may
    # stop inside a frame, and pydub hands over every byte: drop the partial frame, or numpy cannot reshape it.
    frames = len(segment.raw_data) // (2 * segment.channels)
    data = np.frombuffer(segment.raw_data, dtype=np.int16, count=frames * segment.channels)
    return data.reshape(-1, segment.channels)


def _decode_with_ffmpeg(path: Path, channels: int, sample_rate: int) -> AudioSegment:
    command = [
        _require(AudioSegment.converter, path),
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        "-vn",
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "-ac",
        str(channels),
        "-ar",
        str(sample_rate),
        "-",
    ]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0 or not done.stdout:
        raise InputError.of(
            ProblemKind.NOT_AUDIO, str(path), detail=_ffmpeg_error(done.stderr.decode(errors="replace"))
        )
    usable = len(done.stdout) - len(done.stdout) % (2 * channels)
    data = done.stdout if usable == len(done.stdout) else done.stdout[:usable]
    return AudioSegment(data=data, sample_width=2, frame_rate=sample_rate, channels=channels)


def decode(path: Path) -> Decoded:
    """Decode one file; every refusal is an InputError naming the file and the reason."""
    size = check_readable(path)
    check_wav_header(path, size)
    stream = probe(path)
    codec = str(stream.get("codec_name", ""))
    channels = int(stream.get("channels") or 0)
    sample_rate = int(stream.get("sample_rate") or 0)
    if channels < 1 or sample_rate < 1:
        raise InputError.of(ProblemKind.NOT_AUDIO, str(path), detail=f"{codec or 'stream'} without channels/rate")
    segment = None
    if codec == "pcm_s16le":
        try:
            # Given a path, pydub leaves its own handle open; given a file object, it reads and leaves closing to us.
            with path.open("rb") as handle:
                segment = AudioSegment.from_file(handle, format="wav")
        except CouldntDecodeError:
            segment = None  # e.g. WAVE_FORMAT_EXTENSIBLE quirks: let ffmpeg have a go
    # A data size of 0 is a streaming header too (files.py lets it through); pydub takes it literally and reads no
    # samples, while ffmpeg reads to the end of the file.
    if segment is None or segment.sample_width != 2 or not segment.raw_data:
        segment = _decode_with_ffmpeg(path, channels, sample_rate)
    samples = _segment_samples(segment)
    if samples.shape[0] == 0:
        raise InputError.of(ProblemKind.NOT_AUDIO, str(path), detail="no samples decoded")
    return Decoded(samples=samples, sample_rate=int(segment.frame_rate), codec=codec)


def join_mono(first: Path, second: Path) -> Decoded:
    """Two mono recordings (one per party) as one two-channel timeline, the shorter padded with silence."""
    left, right = decode(first), decode(second)
    for path, part in ((first, left), (second, right)):
        if part.channels != 1:
            detail = f"each party's own file must be mono; this one has {part.channels} channels"
            raise InputError.of(ProblemKind.CHANNEL_MISMATCH, str(path), detail=detail)
    if left.sample_rate != right.sample_rate:
        detail = f"sample rate {right.sample_rate} Hz differs from {left.sample_rate} Hz of {first.name}"
        raise InputError.of(ProblemKind.CHANNEL_MISMATCH, str(second), detail=detail)
    both = np.zeros((max(left.frames, right.frames), 2), dtype=np.int16)
    both[: left.frames, 0] = left.samples[:, 0]
    both[: right.frames, 1] = right.samples[:, 0]
    return Decoded(samples=both, sample_rate=left.sample_rate, codec=f"{left.codec}+{right.codec}")


def decode_audio(audio: AudioInfo) -> Decoded:
    """A library call's recording: its one file, or its two mono files joined."""
    if audio.second_path is None:
        return decode(Path(audio.path))
    return join_mono(Path(audio.path), Path(audio.second_path))
