"""Transcript parse speed: our readers against a bare ``json.load`` of the same two-hour file.

The 3-speaker AWS Transcribe file (03-speaker-identification.json, 141.5 s) and the 3-speaker Deepgram file
(dg_speakers.json, 169.8 s) from ../shared/corpus are repeated end to end, every time shifted, until they cover
two hours. For each we time, best of --repeat runs in this process with the file in the page cache:

- baseline: ``json.load`` of the file (what any reader must do at least);
- ours: ``read_raw(path)`` — decode the text, detect the format from the content, parse to turns and words;
- ours + mapping: the same plus ``validate_times`` and ``map_parties`` (everything the importer does with text).

Prints the ratios against the baseline (target: ours <= 3x) and, as the last line, a JSON object with the figures.
Run: .venv/bin/python benchmarks/parse_speed.py [--hours 2] [--repeat 5] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer.formats.parties import map_parties, validate_times
from reviewer.formats.registry import read_raw

TARGET = 3.0
ROOT = Path(__file__).resolve().parents[1]


def _shift_seconds(value: Any, offset: float) -> str:
    return f"{float(value) + offset:.3f}"


def scale_aws(doc: dict[str, Any], copies: int, length_s: float) -> dict[str, Any]:
    """AWS Transcribe JSON repeated `copies` times: items and speaker segments shifted by the file's length."""
    out = copy.deepcopy(doc)
    results, source = out["results"], doc["results"]
    results["items"], results["speaker_labels"]["segments"] = [], []
    for n in range(copies):
        offset = n * length_s
        for item in source["items"]:
            shifted = dict(item)
            for key in ("start_time", "end_time"):
                if key in item:
                    shifted[key] = _shift_seconds(item[key], offset)
            results["items"].append(shifted)
        for segment in source["speaker_labels"]["segments"]:
            moved = dict(segment, start_time=_shift_seconds(segment["start_time"], offset))
            moved["end_time"] = _shift_seconds(segment["end_time"], offset)
            moved["items"] = [
                dict(
                    i,
                    start_time=_shift_seconds(i["start_time"], offset),
                    end_time=_shift_seconds(i["end_time"], offset),
                )
                for i in segment.get("items", [])
            ]
            results["speaker_labels"]["segments"].append(moved)
    return out


def _shift_words(words: list[dict[str, Any]], offset: float) -> list[dict[str, Any]]:
    return [dict(w, start=w["start"] + offset, end=w["end"] + offset) for w in words]


def scale_deepgram(doc: dict[str, Any], copies: int, length_s: float) -> dict[str, Any]:
    """Deepgram JSON repeated: channel words and utterances shifted by the file's length."""
    out = copy.deepcopy(doc)
    alternative = out["results"]["channels"][0]["alternatives"][0]
    words = doc["results"]["channels"][0]["alternatives"][0]["words"]
    alternative["words"] = [w for n in range(copies) for w in _shift_words(words, n * length_s)]
    utterances = doc["results"].get("utterances", [])
    out["results"]["utterances"] = [
        dict(
            u,
            start=u["start"] + n * length_s,
            end=u["end"] + n * length_s,
            words=_shift_words(u["words"], n * length_s),
        )
        for n in range(copies)
        for u in utterances
    ]
    return out


def best(run: Callable[[], object], repeat: int) -> float:
    """Minimum wall time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _measure(path: Path, repeat: int) -> dict[str, float]:
    def load() -> object:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)

    def full() -> object:
        raw = read_raw(str(path))
        validate_times(raw, str(path), None)
        return map_parties(raw, None)

    load()  # warm the page cache
    return {
        "json_load": best(load, repeat),
        "ours": best(lambda: read_raw(str(path)), repeat),
        "ours_mapped": best(full, repeat),
    }


def _machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def main() -> int:
    """Generate the inputs, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--hours", type=float, default=2.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("REVIEWER_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    args = parser.parse_args()
    sources = {
        "aws_transcribe": (args.corpus / "aws_transcribe" / "03-speaker-identification.json", scale_aws),
        "deepgram": (args.corpus / "other_asr" / "deepgram" / "dg_speakers.json", scale_deepgram),
    }
    figures: dict[str, Any] = {"machine": _machine(), "hours": args.hours, "repeat": args.repeat, "formats": {}}
    print(f"machine: {figures['machine']}")
    with tempfile.TemporaryDirectory(prefix="parse-bench-") as folder:
        for name, (source, scale) in sources.items():
            doc = json.loads(source.read_text(encoding="utf-8"))
            length_s = _length_seconds(name, doc)
            copies = max(1, round(args.hours * 3600 / length_s))
            path = Path(folder) / f"{name}.json"
            path.write_text(json.dumps(scale(doc, copies, length_s)), encoding="utf-8")
            seconds = _measure(path, args.repeat)
            raw = read_raw(str(path))
            entry = {
                "file_bytes": path.stat().st_size, "copies": copies, "turns": len(raw.turns),
                "words": sum(len(t.words) for t in raw.turns), "detected": raw.format, "seconds": seconds,
                "ratio": seconds["ours"] / seconds["json_load"],
                "ratio_mapped": seconds["ours_mapped"] / seconds["json_load"],
            }  # fmt: skip
            figures["formats"][name] = entry
            verdict = "PASS" if entry["ratio"] <= TARGET else "MISS"
            print(
                f"{name}: {entry['file_bytes'] / 1e6:.1f} MB, {entry['turns']} turns, {entry['words']} words; "
                f"json.load {seconds['json_load']:.3f} s, ours {seconds['ours']:.3f} s "
                f"({entry['ratio']:.2f}x, target <= {TARGET}x: {verdict}), "
                f"with speaker mapping {seconds['ours_mapped']:.3f} s ({entry['ratio_mapped']:.2f}x)"
            )
    print(json.dumps(figures))
    return 0


def _length_seconds(name: str, doc: dict[str, Any]) -> float:
    if name == "deepgram":
        return float(doc["metadata"]["duration"])
    return max(float(i["end_time"]) for i in doc["results"]["items"] if "end_time" in i)


if __name__ == "__main__":
    sys.exit(main())
