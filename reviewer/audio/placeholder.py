"""Silent placeholder recordings that cost no disk: a WAV header and a hole where the zero samples would be.

The demo's review history needs a recording for every call (the library identifies a call by its audio's hash, and
the review window decodes it), but hundreds of minutes of real audio would take minutes to encode and hundreds of
megabytes to keep. A 16-bit PCM file of silence is a header plus zeros; `truncate()` past the header leaves the
zeros as a hole on filesystems with sparse files (ext4, APFS, NTFS, btrfs), so the file takes a few kilobytes while
every reader (wave, pydub, ffmpeg) sees a full-length recording. A comment chunk naming the call makes every file's
bytes, and so its SHA-256, differ.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

_SAMPLE_BYTES = 2  # 16-bit PCM
_ZEROS = bytes(1 << 20)  # what the hole reads as, hashed in 1 MiB steps


def silent_wav_header(frames: int, marker: str, sample_rate: int = 8000, channels: int = 1) -> bytes:
    """RIFF/WAVE header of `frames` silent frames: fmt, LIST/INFO with an ICMT comment, and the data chunk's head."""
    comment = marker.encode("utf-8") + b"\0"  # RIFF strings are NUL-terminated; the size counts the NUL
    icmt = b"ICMT" + struct.pack("<I", len(comment)) + comment + b"\0" * (len(comment) % 2)  # chunks are word-aligned
    info = b"INFO" + icmt
    block = channels * _SAMPLE_BYTES
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * block, block, 8 * _SAMPLE_BYTES)
    data_size = frames * block
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"LIST" + struct.pack("<I", len(info)) + info
    body = b"WAVE" + chunks + b"data" + struct.pack("<I", data_size)
    return b"RIFF" + struct.pack("<I", len(body) + data_size) + body


def write_silent_wav(path: Path, duration_ms: int, marker: str, *, sample_rate: int = 8000, channels: int = 1) -> str:
    """Write a silent 16-bit PCM WAV of `duration_ms` as a sparse file; returns its SHA-256 (hex).

    The hash is of the bytes as any reader sees them: the header, then the zeros of the hole.
    """
    if duration_ms < 0:
        raise ValueError(f"a recording cannot last {duration_ms} ms")
    frames = duration_ms * sample_rate // 1000
    header = silent_wav_header(frames, marker, sample_rate, channels)
    remaining = frames * channels * _SAMPLE_BYTES
    with path.open("wb") as handle:
        handle.write(header)
        handle.truncate(len(header) + remaining)  # the zero samples: a hole, not written blocks
    digest = hashlib.sha256(header)
    zeros = memoryview(_ZEROS)
    while remaining:
        step = min(remaining, len(zeros))
        digest.update(zeros[:step])
        remaining -= step
    return digest.hexdigest()
