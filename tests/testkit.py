"""Helpers shared by the tests: real recordings written on the fly, small transcripts."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, seconds: float = 4.0, channels: int = 2, rate: int = 8000) -> Path:
    """A real 16-bit PCM recording: a different tone per channel, in bursts, so channels are told apart."""
    t = np.arange(int(seconds * rate)) / rate
    gate = (np.sin(2 * np.pi * 0.5 * t) > 0).astype(float)
    columns = [0.4 * gate * np.sin(2 * np.pi * (300 + 200 * c) * t) for c in range(channels)]
    samples = (np.stack(columns, axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


VTT_TWO_PARTIES = """WEBVTT

00:00.500 --> 00:01.800
<v Anna>Thank you for calling, this is Anna.

00:01.900 --> 00:03.500
<v Caller>Hi, my card was blocked.
"""
