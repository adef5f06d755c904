"""Voice activity per channel on real speech (the demo calls' espeak voices), gated against noise and leaks."""

from __future__ import annotations

import numpy as np
import pytest

from reviewer.audio.decode import Decoded, decode
from reviewer.audio.vad import VadSettings, analyse_activity, frame_levels, runs, voice_activity
from reviewer.bundled import bundled_dir


@pytest.fixture(scope="module")
def demo07() -> Decoded:
    return decode(bundled_dir("resources") / "demo" / "calls" / "demo-07.mp3")


def _inside(spans: tuple[tuple[int, int], ...], start: int, end: int, slack: int = 120) -> bool:
    return any(s - slack <= start and end <= e + slack for s, e in spans)


def test_each_partys_channel_carries_its_own_turns(demo07: Decoded) -> None:
    agent, customer = voice_activity(demo07.samples, demo07.sample_rate)
    # demo-07's script: the agent greets at 0.6 s; the customer speaks 12.458-20.491 s; the agent cuts in at 19.491 s.
    assert _inside(agent, 600, 1500)
    assert _inside(agent, 19_491, 20_691)
    assert any(s <= 19_600 < e for s, e in customer)
    assert not any(s < 500 for s, _ in agent + customer)  # nobody speaks before the greeting
    assert not any(s < 3000 for s, _ in customer)  # the customer's line is quiet during the greeting


def test_silence_is_not_speech() -> None:
    silent = np.zeros((8000 * 3, 2), dtype=np.int16)
    assert voice_activity(silent, 8000) == ((), ())


def test_a_rate_webrtcvad_does_not_take_is_resampled(demo07: Decoded) -> None:
    samples = demo07.samples[: 8000 * 12]
    stretched = np.repeat(samples, 2, axis=0)  # the same speech at 16 kHz: the reference
    reference = voice_activity(stretched, 16000)
    odd = np.interp(np.arange(0, samples.shape[0], 8000 / 11025), np.arange(samples.shape[0]), samples[:, 0])
    odd_two = np.stack([odd, odd], axis=1).astype(np.int16)
    resampled = voice_activity(odd_two, 11025)
    assert resampled[0] and reference[0]
    assert abs(resampled[0][0][0] - reference[0][0][0]) <= 90


def test_the_other_partys_leak_is_not_speech(demo07: Decoded) -> None:
    agent = demo07.samples[:, 0].astype(np.float64)
    leaked = np.stack([agent, agent * 0.01], axis=1).astype(np.int16)  # -40 dB copy on the customer's channel
    own, leak = voice_activity(leaked, demo07.sample_rate)
    assert own and leak == ()


def test_levels_are_dbfs_per_frame() -> None:
    full = np.full((800, 1), 32767, dtype=np.int16)
    half = np.full((800, 1), 16384, dtype=np.int16)
    levels = frame_levels(np.concatenate([full, half, np.zeros((800, 1), dtype=np.int16)]), 8000, 100)
    assert levels.shape == (1, 3)
    assert levels[0, 0] == pytest.approx(0.0, abs=0.01)
    assert levels[0, 1] == pytest.approx(-6.02, abs=0.05)
    assert levels[0, 2] == -100.0


def test_settings_change_what_counts(demo07: Decoded) -> None:
    loose = analyse_activity(demo07.samples, demo07.sample_rate, VadSettings(min_speech_ms=30, bridge_ms=0))
    strict = analyse_activity(demo07.samples, demo07.sample_rate, VadSettings(min_speech_ms=600, bridge_ms=600))
    assert len(runs(strict.speech[0])) < len(runs(loose.speech[0]))


def test_runs_of_a_mask() -> None:
    assert runs(np.array([0, 1, 1, 0, 1], dtype=bool)) == [(1, 3), (4, 5)]
    assert runs(np.array([], dtype=bool)) == []


def test_other_rates_keep_decisions_and_levels_on_one_grid(demo07: Decoded) -> None:
    long = np.concatenate([demo07.samples] * 4)  # 2 minutes 15 s: a drifting grid would be seconds off by the end
    reference = voice_activity(long, 8000)
    for rate in (11025, 22050):
        positions = np.arange(long.shape[0] * rate // 8000) * (8000 / rate)
        resampled = np.stack(
            [np.interp(positions, np.arange(long.shape[0]), long[:, c]) for c in range(2)], axis=1
        ).astype(np.int16)
        found = voice_activity(resampled, rate)
        assert len(found[1]) == pytest.approx(len(reference[1]), abs=2)
        assert abs(found[1][-1][1] - reference[1][-1][1]) <= 90
