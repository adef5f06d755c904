"""The peaks pyramid against a brute-force min/max, the level choice, and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from reviewer.audio.peaks import COARSE, FINE, PeaksCache, PeaksPyramid, build_peaks

LENGTHS = [1, 100, 255, 256, 257, 1000, 65_535, 65_536, 65_537, 3 * 65_536 + 1000, 300_001]


def _random(frames: int, channels: int, seed: int = 0) -> npt.NDArray[np.int16]:
    rng = np.random.default_rng(seed + frames)
    data = rng.integers(-32768, 32767, size=(frames, channels), endpoint=True, dtype=np.int16)
    if frames > 2:  # the extremes must survive every level
        data[frames // 2, 0] = -32768
        data[frames // 3, -1] = 32767
    return data


def _brute(samples: npt.NDArray[np.int16], block: int) -> npt.NDArray[np.int16]:
    """(channels, blocks, [min, max]) the slow obvious way."""
    frames, channels = samples.shape
    starts = range(0, frames, block)
    return np.array(
        [[[samples[s : s + block, c].min(), samples[s : s + block, c].max()] for s in starts] for c in range(channels)],
        dtype=np.int16,
    ).reshape(channels, len(starts), 2)


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("frames", LENGTHS)
def test_fine_level_is_min_max_per_256_samples(frames: int, channels: int) -> None:
    samples = _random(frames, channels)

    peaks = build_peaks(samples, 8000)

    assert peaks.levels[FINE].dtype == np.int16
    np.testing.assert_array_equal(peaks.levels[FINE], _brute(samples, FINE))
    assert peaks.frames == frames
    assert peaks.channels == channels
    assert peaks.sample_rate == 8000


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("frames", LENGTHS)
def test_coarse_level_is_min_max_per_65536_samples(frames: int, channels: int) -> None:
    samples = _random(frames, channels)

    coarse = build_peaks(samples, 8000).levels[COARSE]

    assert coarse.dtype == np.int16
    np.testing.assert_array_equal(coarse, _brute(samples, COARSE))


def test_a_non_contiguous_view_gives_the_same_peaks() -> None:
    # e.g. one channel picked out of a wider recording
    wide = _random(70_000, 3)

    peaks = build_peaks(wide[:, 1:], 8000)

    np.testing.assert_array_equal(peaks.levels[FINE], _brute(wide[:, 1:], FINE))
    np.testing.assert_array_equal(peaks.levels[COARSE], _brute(wide[:, 1:], COARSE))


@pytest.mark.parametrize(
    ("samples_per_pixel", "level"),
    [(0.25, FINE), (1, FINE), (256, FINE), (1000, FINE), (65_535, FINE), (65_536, COARSE), (10_000_000, COARSE)],
)
def test_level_for_picks_fine_zoomed_in_and_coarse_zoomed_out(samples_per_pixel: float, level: int) -> None:
    peaks = build_peaks(_random(1000, 2), 8000)

    assert peaks.level_for(samples_per_pixel) == level


def _assert_same(loaded: PeaksPyramid | None, saved: PeaksPyramid) -> None:
    assert loaded is not None
    assert (loaded.sample_rate, loaded.frames) == (saved.sample_rate, saved.frames)
    assert loaded.levels.keys() == saved.levels.keys()
    for level, array in saved.levels.items():
        assert loaded.levels[level].dtype == np.int16
        np.testing.assert_array_equal(loaded.levels[level], array)


def test_cache_round_trips_exactly_and_leaves_no_temp_file(tmp_path: Path) -> None:
    cache = PeaksCache(tmp_path / "peaks")
    saved = build_peaks(_random(200_000, 2), 44_100)

    written = cache.save("ab" * 32, saved)

    assert written == cache.path_for("ab" * 32)
    _assert_same(cache.load("ab" * 32), saved)
    assert [p.name for p in cache.directory.iterdir()] == [written.name]


def test_cache_overwrites_an_existing_entry(tmp_path: Path) -> None:
    cache = PeaksCache(tmp_path)
    cache.save("x", build_peaks(_random(1000, 1), 8000))
    newer = build_peaks(_random(5000, 2), 16_000)

    cache.save("x", newer)

    _assert_same(cache.load("x"), newer)
    assert not list(tmp_path.glob("*.tmp"))


def test_cache_returns_none_for_a_missing_entry(tmp_path: Path) -> None:
    assert PeaksCache(tmp_path / "never-made").load("0" * 64) is None


def _corruptions(good: bytes) -> dict[str, bytes]:
    return {
        "garbage": b"this is not numpy data " * 20,
        "half": good[: len(good) // 2],
        "tail cut": good[:-30],
        "zip magic only": b"PK\x03\x04" + bytes(100),
        "flipped byte": good[:200] + bytes([good[200] ^ 0xFF]) + good[201:],
    }


@pytest.mark.parametrize("kind", ["garbage", "half", "tail cut", "zip magic only", "flipped byte"])
def test_cache_returns_none_for_a_corrupt_file(tmp_path: Path, kind: str) -> None:
    cache = PeaksCache(tmp_path)
    good = cache.save("good", build_peaks(_random(100_000, 2), 8000)).read_bytes()
    cache.path_for("bad").write_bytes(_corruptions(good)[kind])

    assert cache.load("bad") is None


def test_a_failed_save_leaves_no_temp_file(tmp_path: Path) -> None:
    cache = PeaksCache(tmp_path)
    incomplete = PeaksPyramid(8000, 10, {FINE: np.zeros((1, 1, 2), dtype=np.int16)})  # no coarse level

    with pytest.raises(KeyError):
        cache.save("y", incomplete)

    assert list(tmp_path.iterdir()) == []
