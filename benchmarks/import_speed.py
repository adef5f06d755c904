"""Import speed and memory for one long call: our decode + peaks pyramid against plain ffmpeg and plain numpy.

Generates a stereo 8 kHz call (default one hour) as 16-bit PCM WAV and as MP3 with ffmpeg, then measures

* ours: ``reviewer.audio.decode.decode`` + ``reviewer.audio.peaks.build_peaks`` (and, apart, the SHA-256 that
  import adds, the ffprobe call, decode and peaks alone, and the whole ``import_one`` into a fresh SQLite library);
* baseline A: ``ffmpeg -i FILE -f s16le -acodec pcm_s16le -`` read fully into memory through a pipe (WAV and MP3);
* baseline B (WAV): ``np.fromfile`` past the header + per-channel min/max per 256 samples in numpy (and per
  65,536 from those, as ours does); checked to give exactly our pyramid;
* for information: pydub's own ``AudioSegment.from_file`` on the MP3, which decode.py bypasses.

Times are the best of --repeat runs, all steps taking turns in this one process with the files in the page cache.
Peak memory is measured once per step in a fresh child process: the child imports everything, records its RSS,
resets the high-water mark (/proc/self/clear_refs), runs the step and reads VmHWM; "extra" is VmHWM - RSS before.
Only the Python process is counted, not the ffmpeg/ffprobe it starts (their ru_maxrss would include the parent's
pages, counted before exec). Targets: WAV ≤ 1.5x numpy, MP3 ≤ 1.2x ffmpeg alone, peak memory ≤ 2.5x the decoded
PCM. The last line printed is one JSON object with every figure.

    .venv/bin/python benchmarks/import_speed.py [--minutes 60] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pydub import AudioSegment

from reviewer.audio.decode import decode, probe
from reviewer.audio.files import file_sha256
from reviewer.audio.peaks import COARSE, FINE, PeaksCache, build_peaks
from reviewer.audio.playback import PlaybackCache
from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import migrate
from reviewer.services.context import Services
from reviewer.services.importing import ImportReport, ImportRequest, import_one
from reviewer.services.preferences import PreferencesStore

RATE = 8000
MP3_BITRATE = "32k"
TARGETS = {"wav_vs_numpy": 1.5, "mp3_vs_ffmpeg": 1.2, "memory_vs_pcm": 2.5}
# numpy advises transparent huge pages for arrays over 4 MiB. With THP in "madvise" mode and memory fragmented by
# the previous step, the kernel then compacts memory synchronously: measured here, 0.15-0.25 s of system time
# landing on whichever step allocates next with numpy (baseline B's np.fromfile, 0.33 s instead of 0.17 s). That is
# the kernel's noise, not our code's cost, so it is off by default (--numpy-hugepages keeps numpy's default).
_HUGEPAGE_VAR = "NUMPY_MADVISE_HUGEPAGE"

Runner = Callable[[], object]


@dataclass(frozen=True)
class Inputs:
    """The generated files."""

    wav: Path
    mp3: Path


# ---------------------------------------------------------------------------------------------------------------
# The measured steps. Each prepare() does untimed set-up and returns the runner to time plus a clean-up.


def _ffmpeg_pcm(path: Path) -> bytes:
    command = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "s16le", "-acodec", "pcm_s16le", "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def _wav_data(path: Path) -> tuple[int, int, int]:
    """(byte offset of the samples, their byte count, channels): a minimal RIFF walk, independent of our code."""
    with path.open("rb") as handle:
        head = handle.read(12)
        assert head[:4] == b"RIFF" and head[8:] == b"WAVE", "not a RIFF/WAVE file"
        channels = 0
        while chunk := handle.read(8):
            chunk_id, size = struct.unpack("<4sI", chunk)
            if chunk_id == b"data":
                return handle.tell(), size, channels
            body = handle.read(size + (size & 1))
            if chunk_id == b"fmt ":
                channels = struct.unpack_from("<H", body, 2)[0]
    raise ValueError("no data chunk")


def _numpy_minmax(column: npt.NDArray[np.int16], block: int) -> npt.NDArray[np.int16]:
    whole = len(column) // block * block
    blocks = column[:whole].reshape(-1, block)
    mins, maxs = [blocks.min(axis=1)], [blocks.max(axis=1)]
    if whole < len(column):
        mins.append(column[whole:].min(keepdims=True))
        maxs.append(column[whole:].max(keepdims=True))
    return np.stack([np.concatenate(mins), np.concatenate(maxs)], axis=1)


def numpy_wav(path: Path) -> dict[int, npt.NDArray[np.int16]]:
    """Baseline B: read the samples past the header and compute both levels per channel, straight numpy."""
    offset, size, channels = _wav_data(path)
    samples = np.fromfile(path, dtype="<i2", count=size // 2, offset=offset).reshape(-1, channels)
    fine = np.stack([_numpy_minmax(samples[:, c], FINE) for c in range(channels)])
    factor = COARSE // FINE  # like ours, the coarse level comes from the fine one
    coarse = np.stack(
        [
            np.stack([_numpy_minmax(fine[c, :, 0], factor)[:, 0], _numpy_minmax(fine[c, :, 1], factor)[:, 1]], axis=1)
            for c in range(channels)
        ]
    )
    return {FINE: fine, COARSE: coarse}


def numpy_wav_interleaved(path: Path) -> npt.NDArray[np.int16]:
    """Baseline B': the same read, the fine level reduced over the middle axis of (blocks, 256, channels).

    The obvious numpy one-liner, and what peaks.py did until it de-interleaved first: shows what the layout costs.
    """
    offset, size, channels = _wav_data(path)
    samples = np.fromfile(path, dtype="<i2", count=size // 2, offset=offset).reshape(-1, channels)
    blocks = samples[: len(samples) // FINE * FINE].reshape(-1, FINE, channels)
    return np.stack([blocks.min(axis=1), blocks.max(axis=1)], axis=-1)


def ours(path: Path) -> object:
    """decode + build_peaks, as import does."""
    decoded = decode(path)
    return build_peaks(decoded.samples, decoded.sample_rate)


def _prepare_import(path: Path) -> tuple[Runner, Callable[[], None]]:
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    database = Database(sqlite_url(folder / "library.sqlite3"))
    migrate(database)
    services = Services(
        database=database,
        peaks=PeaksCache(folder / "peaks"),
        playback=PlaybackCache(folder / "playback"),
        demo_dir=folder,
        preferences=PreferencesStore(folder / "preferences.json"),
    )
    report = ImportReport()

    def run() -> object:
        import_one(services, ImportRequest(audio=path), report)
        assert report.imported and not report.failed, report
        return report

    def clean() -> None:
        database.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    return run, clean


def _simple(make: Callable[[], object]) -> Callable[[Inputs], tuple[Runner, Callable[[], None]]]:
    return lambda _inputs: (make, lambda: None)


def steps(inputs: Inputs) -> dict[str, Callable[[Inputs], tuple[Runner, Callable[[], None]]]]:
    """Every measured step by name."""
    wav, mp3 = inputs.wav, inputs.mp3
    return {
        "ours_wav": _simple(lambda: ours(wav)),
        "ours_mp3": _simple(lambda: ours(mp3)),
        "ffmpeg_wav": _simple(lambda: _ffmpeg_pcm(wav)),
        "ffmpeg_mp3": _simple(lambda: _ffmpeg_pcm(mp3)),
        "numpy_wav": _simple(lambda: numpy_wav(wav)),
        "numpy_wav_interleaved": _simple(lambda: numpy_wav_interleaved(wav)),
        "pydub_mp3": _simple(lambda: AudioSegment.from_file(str(mp3))),
        "probe_wav": _simple(lambda: probe(wav)),
        "probe_mp3": _simple(lambda: probe(mp3)),
        "decode_wav": _simple(lambda: decode(wav)),
        "decode_mp3": _simple(lambda: decode(mp3)),
        "peaks_only": _peaks_only,
        "sha256_wav": _simple(lambda: file_sha256(wav)),
        "sha256_mp3": _simple(lambda: file_sha256(mp3)),
        "import_wav": lambda i: _prepare_import(i.wav),
        "import_mp3": lambda i: _prepare_import(i.mp3),
    }


def _peaks_only(inputs: Inputs) -> tuple[Runner, Callable[[], None]]:
    decoded = decode(inputs.wav)
    return (lambda: build_peaks(decoded.samples, decoded.sample_rate)), lambda: None


MEMORY_STEPS = (
    "ours_wav",
    "ours_mp3",
    "numpy_wav",
    "ffmpeg_wav",
    "ffmpeg_mp3",
    "pydub_mp3",
    "import_wav",
    "import_mp3",
)


# ---------------------------------------------------------------------------------------------------------------
# Memory: one fresh child process per step.


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def child(step: str, inputs: Inputs) -> None:
    """Run one step in this (fresh) process and print its memory figures as JSON."""
    run, clean = steps(inputs)[step](inputs)
    gc.collect()
    before = _status_kib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
        reset = True
    except OSError:
        reset = False
    result = run()
    peak = _status_kib("VmHWM")
    del result
    clean()
    print(json.dumps({"rss_before_kib": before, "hwm_kib": peak, "hwm_reset": reset}))


def measure_memory(step: str, inputs: Inputs) -> dict[str, int | bool]:
    """Peak extra RSS of one step, run in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", step, str(inputs.wav), str(inputs.mp3)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, int | bool] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["extra_bytes"] = max(0, int(figures["hwm_kib"]) - int(figures["rss_before_kib"])) * 1024
    return figures


# ---------------------------------------------------------------------------------------------------------------
# Timing, generation and the report.


def time_all(inputs: Inputs, repeat: int) -> dict[str, float]:
    """Best wall time of each step, the steps taking turns within each round."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, prepare in steps(inputs).items():
            run, clean = prepare(inputs)
            gc.collect()
            start = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - start
            del result
            clean()
            best[name] = min(best.get(name, float("inf")), elapsed)
    return best


def generate(folder: Path, minutes: float) -> Inputs:
    """A stereo 8 kHz call: a tone on the left, pink noise on the right; WAV 16-bit and MP3 CBR."""
    seconds = str(minutes * 60)
    wav, mp3 = folder / "call.wav", folder / "call.mp3"
    left = f"sine=frequency=440:sample_rate={RATE}:duration={seconds}"
    right = f"anoisesrc=color=pink:amplitude=0.25:sample_rate={RATE}:duration={seconds}"
    base = ["ffmpeg", "-nostdin", "-v", "error", "-y"]
    merge = ["-filter_complex", "[0:a][1:a]amerge=inputs=2[a]", "-map", "[a]"]
    sources = ["-f", "lavfi", "-i", left, "-f", "lavfi", "-i", right]
    subprocess.run([*base, *sources, *merge, "-c:a", "pcm_s16le", str(wav)], check=True)
    subprocess.run([*base, "-i", str(wav), "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, str(mp3)], check=True)
    return Inputs(wav, mp3)


def machine() -> dict[str, str | int | None]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "ffmpeg": ffmpeg,
        "platform": platform.platform(),
    }


def _verdict(ratio: float, target: float) -> str:
    return f"{ratio:5.2f}x (target <= {target}x) {'PASS' if ratio <= target else 'MISS'}"


def report(info: dict[str, object], times: dict[str, float], memory: dict[str, dict[str, int | bool]]) -> None:
    """Print the human-readable lines, then one JSON object as the last line."""
    for key, value in info.items():
        print(f"{key:>22}: {value}")
    print("\nbest wall time (s):")
    for name, seconds in times.items():
        print(f"  {name:<24} {seconds:8.3f}")
    pcm = int(str(info["pcm_bytes"]))
    print("\npeak extra RSS of the Python process, fresh child per step (MiB, and x PCM size):")
    for name, figures in memory.items():
        extra = int(figures["extra_bytes"])
        print(f"  {name:<24} {extra / 2**20:8.1f} MiB  {extra / pcm:5.2f}x")
    ratios = {
        "wav_vs_numpy": times["ours_wav"] / times["numpy_wav"],
        "mp3_vs_ffmpeg": times["ours_mp3"] / times["ffmpeg_mp3"],
        "memory_wav_vs_pcm": int(memory["ours_wav"]["extra_bytes"]) / pcm,
        "memory_mp3_vs_pcm": int(memory["ours_mp3"]["extra_bytes"]) / pcm,
    }
    informative = {
        "wav_vs_ffmpeg": times["ours_wav"] / times["ffmpeg_wav"],
        "wav_vs_numpy_interleaved": times["ours_wav"] / times["numpy_wav_interleaved"],
        "pydub_mp3_vs_decode_mp3": times["pydub_mp3"] / times["decode_mp3"],
        "pydub_mp3_memory_vs_pcm": int(memory["pydub_mp3"]["extra_bytes"]) / pcm,
        "import_wav_vs_ours_wav": times["import_wav"] / times["ours_wav"],
        "import_mp3_vs_ours_mp3": times["import_mp3"] / times["ours_mp3"],
        "sha256_wav_share_of_import": times["sha256_wav"] / times["import_wav"],
    }
    print("\nratios:")
    print(f"  WAV  ours / numpy (baseline B)    {_verdict(ratios['wav_vs_numpy'], TARGETS['wav_vs_numpy'])}")
    print(f"  MP3  ours / ffmpeg (baseline A)   {_verdict(ratios['mp3_vs_ffmpeg'], TARGETS['mp3_vs_ffmpeg'])}")
    print(f"  WAV  peak memory / PCM size       {_verdict(ratios['memory_wav_vs_pcm'], TARGETS['memory_vs_pcm'])}")
    print(f"  MP3  peak memory / PCM size       {_verdict(ratios['memory_mp3_vs_pcm'], TARGETS['memory_vs_pcm'])}")
    for name, ratio in informative.items():
        print(f"  (info) {name:<30} {ratio:5.2f}x")
    everything = {"input": info, "seconds": times, "memory": memory, "ratios": ratios, "info_ratios": informative}
    everything["targets"] = TARGETS
    everything["pass"] = {
        "wav_vs_numpy": ratios["wav_vs_numpy"] <= TARGETS["wav_vs_numpy"],
        "mp3_vs_ffmpeg": ratios["mp3_vs_ffmpeg"] <= TARGETS["mp3_vs_ffmpeg"],
        "memory_vs_pcm": max(ratios["memory_wav_vs_pcm"], ratios["memory_mp3_vs_pcm"]) <= TARGETS["memory_vs_pcm"],
    }
    print(json.dumps(everything, sort_keys=False))


def _check_same_peaks(inputs: Inputs) -> None:
    """The baseline must compute what we compute, or the comparison means nothing."""
    decoded = decode(inputs.wav)
    pyramid = build_peaks(decoded.samples, decoded.sample_rate)
    reference = numpy_wav(inputs.wav)
    for level in (FINE, COARSE):
        assert np.array_equal(pyramid.levels[level], reference[level]), f"baseline B differs at level {level}"


def main() -> None:
    """Parse arguments; run as the benchmark or as one memory child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=60.0, help="length of the generated call (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per step; the best counts (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where they are")
    parser.add_argument(
        "--numpy-hugepages", action="store_true", help="leave numpy's transparent-huge-page advice on (noisier)"
    )
    parser.add_argument("--child", nargs=3, metavar=("STEP", "WAV", "MP3"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.numpy_hugepages and os.environ.get(_HUGEPAGE_VAR) != "0":
        # numpy reads this once, at import: start again with it set (the memory children inherit it).
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, _HUGEPAGE_VAR: "0"})  # noqa: S606
    if args.child:
        step, wav, mp3 = args.child
        child(step, Inputs(Path(wav), Path(mp3)))
        return
    folder = Path(tempfile.mkdtemp(prefix="import-speed-"))
    try:
        inputs = generate(folder, args.minutes)
        for path in (inputs.wav, inputs.mp3):
            path.read_bytes()  # warm-up read: the file is in the page cache for every timed run
        decoded = decode(inputs.wav)
        info: dict[str, object] = {
            **machine(),
            "minutes": args.minutes,
            "channels": decoded.channels,
            "sample_rate": decoded.sample_rate,
            "frames": decoded.frames,
            "pcm_bytes": decoded.samples.nbytes,
            "wav_bytes": inputs.wav.stat().st_size,
            "mp3_bytes": inputs.mp3.stat().st_size,
            "mp3_bitrate": MP3_BITRATE,
            "repeat": args.repeat,
            "numpy_hugepages": os.environ.get(_HUGEPAGE_VAR) != "0",
        }
        del decoded
        _check_same_peaks(inputs)
        times = time_all(inputs, args.repeat)
        memory = {step: measure_memory(step, inputs) for step in MEMORY_STEPS}
        report(info, times, memory)
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
