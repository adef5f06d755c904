"""What the machine lacks that some features need; the faces say so instead of failing later."""

from __future__ import annotations

import shutil

DECODER_TOOLS = ("ffmpeg", "ffprobe")


def missing_tools() -> tuple[str, ...]:
    """The external programs not found on PATH (import and playback of compressed audio need them)."""
    return tuple(tool for tool in DECODER_TOOLS if shutil.which(tool) is None)
