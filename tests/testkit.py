"""Helpers shared by the tests: real recordings written on the fly, small transcripts."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, seconds: float = 4.0, channels: int = 2, rate: int = 8000) -> Path:
    """A real 16-bit PCM recording shaped like a call: channel 0 (the agent) "speaks" a tone from 10 % to 46 % of
    the length, channel 1 (the customer) another tone from 47 % to 90 %, so each party sits on its own channel."""
    t = np.arange(int(seconds * rate)) / rate
    turns = [(0.10, 0.46), (0.47, 0.90)] if channels > 1 else [(0.10, 0.90)]
    columns = []
    for c in range(channels):
        start, end = turns[c % len(turns)]
        active = (t >= start * seconds) & (t < end * seconds)
        columns.append(0.4 * active * np.sin(2 * np.pi * (300 + 200 * c) * t))
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
