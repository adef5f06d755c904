"""Lexicon quality and speed: precision/recall per language on the labelled phrase sets, and µs per line.

The sets are tests/data/lexicon/<lang>.tsv (``category<TAB>text``; ``none`` marks an innocent line). A labelled line
counts as found when its category is among the matches; an innocent line with a profanity, insult, threat or slur
match is a false alarm. For each language, with resources/lexicons loaded (plus any --lexicons folders):

- ours: ``Lexicons.find`` (whole words by stem for ru/en/lt, `word*` prefixes, substrings for zh/ko);
- baseline: ``str.casefold()`` of the line and an ``in`` test for every phrase the same entries spell out (each `a|b`
  alternative expanded, `*` dropped), against that language's entries only — the naive matcher, for speed and to
  show what stems and word boundaries buy in quality.

Speed is the best of --repeat rounds of --rounds passes over the set, in this process: "warm" once the stem cache
holds the set's words (the steady state of a review session), "cold" the first pass after loading, which stems every
word (Snowball is pure Python, about 20 µs a word). Prints a table and, as the last line, a JSON object. Never fails.

    .venv/bin/python benchmarks/lexicon_quality.py [--repeat 5] [--rounds 20] [--data DIR] [--lexicons DIR ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer.bundled import bundled_dir
from reviewer.detect.lexicon import Category, Lexicons, load_lexicons

ROOT = Path(__file__).resolve().parents[1]
ABUSE = frozenset({Category.PROFANITY, Category.INSULT, Category.THREAT, Category.SLUR})
UNSPACED = frozenset({"zh", "ko"})  # entries are plain substrings; `a|b` spells the whole entry two ways
Row = tuple[str, str]  # label, text
Finder = Callable[[str], set[Category]]


def read_sets(folder: Path) -> dict[str, list[Row]]:
    """Every <lang>.tsv in the folder as (label, text) rows."""
    sets = {}
    for path in sorted(folder.glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        sets[path.stem] = [(label, text) for label, _, text in (line.partition("\t") for line in lines) if text]
    return sets


def score(find: Finder, rows: list[Row]) -> dict[str, float]:
    """Precision, recall and F1 of a matcher over labelled rows."""
    hits = misses = alarms = 0
    for label, text in rows:
        found = find(text)
        if label == "none":
            alarms += bool(found & ABUSE)
        elif Category(label) in found:
            hits += 1
        else:
            misses += 1
    precision = hits / (hits + alarms) if hits + alarms else 0.0
    recall = hits / (hits + misses) if hits + misses else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "false_alarms": alarms, "misses": misses}


def spellings(entry: str, language: str) -> list[str]:
    """The phrases an entry spells out, casefolded, for the substring baseline."""
    if language in UNSPACED:
        return [spelling.replace("*", "").casefold() for spelling in entry.split("|")]
    words = [word.replace("*", "").split("|") for word in entry.casefold().split()]
    return [" ".join(choice) for choice in itertools.product(*words)]


def baseline_finder(lexicons: Lexicons, language: str) -> tuple[Finder, int]:
    """A casefold + `in` scan over every phrase of the language's entries; also how many phrases that is."""
    needles = [
        (needle, category)
        for category in Category
        for entry in lexicons.entries(language, category)
        for needle in spellings(entry, language)
    ]

    def find(text: str) -> set[Category]:
        folded = text.casefold()
        return {category for needle, category in needles if needle in folded}

    return find, len(needles)


def ours_finder(lexicons: Lexicons) -> Finder:
    """The categories `Lexicons.find` reports for a text."""
    return lambda text: {match.category for match in lexicons.find(text)}


def per_line_us(find: Finder, texts: list[str], rounds: int, repeat: int) -> float:
    """Best over `repeat` rounds of the mean µs per line across `rounds` passes."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                find(text)
        best = min(best, (time.perf_counter() - start) / (rounds * len(texts)))
    return best * 1e6


def cold_us(roots: list[Path], texts: list[str]) -> float:
    """µs per line of the first pass after a fresh load, every word stemmed for the first time."""
    find = ours_finder(load_lexicons(*roots))
    start = time.perf_counter()
    for text in texts:
        find(text)
    return (time.perf_counter() - start) / len(texts) * 1e6


def measure(roots: list[Path], language: str, rows: list[Row], args: argparse.Namespace) -> dict[str, Any]:
    """Quality and speed of ours and the baseline on one language's rows."""
    lexicons = load_lexicons(*roots)
    texts = [text for _, text in rows]
    ours, (baseline, needles) = ours_finder(lexicons), baseline_finder(lexicons, language)
    cold = cold_us(roots, texts)
    for text in texts:  # fills the stem cache: what follows is the warm figure
        ours(text)
    warm = per_line_us(ours, texts, args.rounds, args.repeat)
    plain = per_line_us(baseline, texts, args.rounds, args.repeat)
    words = sum(len(text.split()) for text in texts) / len(texts)
    return {
        "lines": len(rows),
        "innocent": sum(label == "none" for label, _ in rows),
        "words_per_line": words,
        "ours": score(ours, rows),
        "baseline": score(baseline, rows),
        "baseline_phrases": needles,
        "us_per_line": {"ours_warm": warm, "ours_cold": cold, "baseline": plain},
        "ratio_warm_vs_baseline": warm / plain,
    }


def report(figures: dict[str, dict[str, Any]]) -> None:
    """The tables, then the JSON line."""
    print("quality (an innocent line matched as abuse is a false alarm)")
    print("lang  lines  innocent   precision  recall     F1 | baseline P      R     F1")
    for language, row in figures.items():
        ours, plain = row["ours"], row["baseline"]
        print(
            f"{language:<5} {row['lines']:5d} {row['innocent']:9d} {ours['precision']:11.3f} {ours['recall']:7.3f}"
            f" {ours['f1']:6.3f} | {plain['precision']:10.3f} {plain['recall']:6.3f} {plain['f1']:6.3f}"
        )
    print("\nspeed, µs per line (best of rounds)")
    print("lang  words/line   ours warm   ours cold   baseline (phrases)   warm / baseline")
    for language, row in figures.items():
        speed = row["us_per_line"]
        print(
            f"{language:<5} {row['words_per_line']:10.1f} {speed['ours_warm']:11.1f} {speed['ours_cold']:11.1f}"
            f" {speed['baseline']:10.1f} ({row['baseline_phrases']:6d}) {row['ratio_warm_vs_baseline']:12.2f}x"
        )
    print(json.dumps({"python": platform.python_version(), "languages": figures}))


def main() -> int:
    """Load the lexicons and the sets, measure each language, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "lexicon", help="folder of <lang>.tsv")
    parser.add_argument("--lexicons", type=Path, nargs="*", default=[], help="extra lexicon folders, loaded last")
    parser.add_argument("--rounds", type=int, default=20, help="passes over a set per timed round (default 20)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds; the best counts (default 5)")
    args = parser.parse_args()
    roots = [bundled_dir("resources") / "lexicons", *args.lexicons]
    sets = read_sets(args.data)
    if not sets:
        print(f"no <lang>.tsv files in {args.data}", file=sys.stderr)
        return 1
    report({language: measure(roots, language, rows, args) for language, rows in sets.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
