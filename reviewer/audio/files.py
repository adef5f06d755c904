"""Checks on an audio file before any decoder sees it: readable, not empty, WAV header consistent; its hash."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from pathlib import Path

from reviewer.domain.problems import InputError, ProblemKind

_CHUNK = 1 << 20
# Recorders that stream write these as the data size and fix it up on close (or never): not a truncation.
_STREAMING_SIZES = (0, 0xFFFFFFFF)


def check_readable(path: Path) -> int:
    """The file's size; InputError when it is missing, a directory, unreadable or empty."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
    except OSError as error:
        raise InputError.of(ProblemKind.UNREADABLE, str(path), detail=error.strerror or str(error)) from error
    if size == 0:
        raise InputError.of(ProblemKind.EMPTY, str(path), detail="0 bytes")
    return size


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def recording_sha256(digests: Sequence[str]) -> str:
    """The identity of a recording: its file's hash, or for separate party files the hash of their sorted hashes,
    so the same pair given in the other order is still the same recording."""
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("".join(sorted(digests)).encode()).hexdigest()


def check_wav_header(path: Path, size: int) -> None:
    """Refuse a RIFF/WAVE file whose data chunk promises more bytes than the file holds (a cut-off copy)."""
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return
        position = 12
        while position + 8 <= size:
            handle.seek(position)
            chunk_id, chunk_size = struct.unpack("<4sI", handle.read(8))
            if chunk_id == b"data":
                available = size - position - 8
                if chunk_size not in _STREAMING_SIZES and chunk_size > available:
                    raise InputError.of(
                        ProblemKind.TRUNCATED_AUDIO,
                        str(path),
                        where=f"data chunk at byte {position}",
                        detail=f"header promises {chunk_size} bytes of samples, file holds {available}",
                    )
                return
            position += 8 + chunk_size + (chunk_size & 1)
    raise InputError.of(ProblemKind.TRUNCATED_AUDIO, str(path), detail="no data chunk before the end of the file")
