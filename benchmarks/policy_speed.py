"""Policy check speed: reading and checking call documents against a bare ``json.load`` of the same files.

Generates --calls (default 10,000) call documents, the JSON that ``reviewer check --file`` reads (see
``reviewer/formats/check_document.py``), each a 5-30 minute call with 50-200 tags from a seeded ``random.Random``:
mostly customer offences (profanity, insult, yelling, personal questions, circular dialogue, supervisor requests,
rarely a threat) with the agent's answers (warning, redirect, the R4/R5 procedure steps, a transfer whose note says
"approved in advance" or nothing, escalation), other agent conduct (empathy, hold, interruption, "calm down" as a
banned phrase), a farewell and one hang-up near the end (agent, customer, line or unknown), and the call facts
ticked after the call (lead_notified, account_noted). Each is written as its own file in a temporary folder. Then,
best of --repeat rounds in this process with the files in the page cache, the steps taking turns in each round:

- baseline: open + ``json.load`` of every file (what any checker must do at least);
- ours: read the file's text, ``read_check_document`` (decodes the JSON, validates, builds the tags), then
  ``check(policy, tags)`` against resources/policies/default.toml: the whole of ``reviewer check --file``;
- read + build: ours without the check, to show where the time goes;
- check alone: ``check()`` on tags already built (kept out of the garbage collector's way with ``gc.freeze``);
- json.loads alone: decoding texts already in memory, for comparison with "check alone".

Prints the times, per-document and per-tag figures and the ratios (target: ours <= 2x the baseline); never fails
on a miss. ``--profile`` adds a cProfile of ``check()`` over all documents. The last line is a JSON object.

    .venv/bin/python benchmarks/policy_speed.py [--calls 10000] [--repeat 3] [--seed 1] [--keep] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import io
import json
import os
import platform
import pstats
import random
import shutil
import sys
import tempfile
import time
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reviewer.domain.tags as tags_module
import reviewer.domain.verdict as verdict_module
import reviewer.policy.trail as trail_module
from reviewer.bundled import bundled_dir
from reviewer.domain.tags import Tag
from reviewer.formats.check_document import read_check_document
from reviewer.policy.checker import check
from reviewer.policy.loader import load_policy
from reviewer.policy.model import Policy

TARGET = 2.0
MINUTE_MS = 60_000

# Customer offences and how often each opens an episode (a threat is rare, as in life).
OFFENCE_WEIGHTS = {
    "profanity": 10.0,
    "yelling": 8.0,
    "insult": 6.0,
    "personal_question": 5.0,
    "circular_dialogue": 4.0,
    "supervisor_request": 4.0,
    "interruption": 3.0,
    "threat": 0.3,
}
# Agent conduct outside an answer to an offence.
AGENT_WEIGHTS = {"empathy": 6.0, "interruption": 1.5, "hold": 0.6, "banned_phrase": 0.4, "warning": 0.3}
LADDER_ANSWER = {"profanity": "warning", "insult": "warning", "yelling": "warning", "personal_question": "redirect"}
R4_STEPS = ("options_summary", "solution_restated", "transfer")
TRANSFER_NOTES = ("approved in advance", "", "pre-approved by the team lead", "not approved", "customer insisted")
HANG_UP_BY = {"agent": 0.5, "customer": 0.3, "call": 0.12, "unknown": 0.08}

Item = tuple[str, str, int, str]  # kind, actor, length in ms, note


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Call:
    """The running state of one generated call: which procedure step the agent takes next."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.r4 = 0  # next R4 step
        self.r5_requests = 0

    def episode(self) -> list[Item]:
        """A customer offence (sometimes a burst of them) and, usually, the agent's answer; or an agent act."""
        rng = self.rng
        if rng.random() >= 0.65:
            kind = _pick(rng, AGENT_WEIGHTS)
            note = "calm down" if kind == "banned_phrase" else ""
            length = rng.randint(30_000, 120_000) if kind == "hold" else rng.randint(800, 5_000)
            return [(kind, "agent", length, note)]
        kind = _pick(rng, OFFENCE_WEIGHTS)
        burst = 1 + (rng.random() < 0.2) + (rng.random() < 0.05) if kind in LADDER_ANSWER else 1
        items: list[Item] = [(kind, "customer", rng.randint(800, 6_000), "") for _ in range(burst)]
        if rng.random() < 0.75:
            items.extend(self._answer(kind))
        return items

    def _answer(self, offence: str) -> list[Item]:
        rng = self.rng
        if offence in LADDER_ANSWER:
            answer = [(LADDER_ANSWER[offence], "agent", rng.randint(2_000, 8_000), "")]
            if rng.random() < 0.2:
                answer.append(("empathy", "agent", rng.randint(1_000, 4_000), ""))
            return answer
        if offence == "threat":
            return [("escalation", "agent", rng.randint(2_000, 10_000), "")]
        if offence == "circular_dialogue" and self.r4 < len(R4_STEPS):
            step, self.r4 = R4_STEPS[self.r4], self.r4 + 1
            note = rng.choice(TRANSFER_NOTES) if step == "transfer" else ""
            return [(step, "agent", rng.randint(3_000, 15_000), note)]
        if offence == "supervisor_request":
            self.r5_requests += 1
            if self.r5_requests == 1:
                return [("supervisor_script", "agent", rng.randint(3_000, 10_000), "")]
            return [("transfer", "agent", rng.randint(2_000, 6_000), rng.choice(TRANSFER_NOTES))]
        return []  # an interruption, or circular dialogue after the procedure ran out


def generate_call(rng: random.Random) -> dict[str, Any]:
    """One call document: 50-200 tags in call order over 5-30 minutes, a hang-up near the end."""
    count = rng.randint(50, 200)
    duration = rng.randint(5 * MINUTE_MS, 30 * MINUTE_MS)
    hang_at = duration - rng.randint(0, 3_000)
    by = _pick(rng, HANG_UP_BY)
    tail: list[tuple[int, Item]] = []
    if rng.random() < (0.85 if by == "agent" else 0.4):
        tail.append((hang_at - rng.randint(4_000, 25_000), ("farewell", "agent", rng.randint(1_000, 3_000), "")))
    tail.append((hang_at, ("hang_up", by, 0, "")))
    for fact, chance in (("lead_notified", 0.55), ("account_noted", 0.5)):
        if rng.random() < chance:
            tail.append((hang_at, (fact, "call", 0, "")))
    call, body = _Call(rng), list[Item]()
    while len(body) < count - len(tail):
        body.extend(call.episode())
    del body[count - len(tail) :]
    # Episodes keep their order; the moments are spread over the call before the closing.
    starts = sorted(rng.randrange(0, hang_at - 30_000) for _ in body)
    tags = [_tag(start, item, hang_at, rng) for start, item in zip(starts, body, strict=True)]
    tags += [_tag(start, item, hang_at, rng) for start, item in tail]
    return {"duration_ms": duration, "tags": tags}


def _tag(start: int, item: Item, hang_at: int, rng: random.Random) -> dict[str, Any]:
    kind, actor, length, note = item
    tag: dict[str, Any] = {"kind": kind, "actor": actor, "start_ms": start, "end_ms": min(start + length, hang_at)}
    if note or rng.random() < 0.5:  # "note" is optional: half the empty ones are left out
        tag["note"] = note
    return tag


def write_calls(folder: Path, calls: int, seed: int) -> tuple[list[Path], int, int]:
    """The documents as files; (their paths, total tags, total bytes)."""
    rng = random.Random(seed)
    paths, tags, size = [], 0, 0
    for n in range(calls):
        document = generate_call(rng)
        path = folder / f"call-{n:05d}.json"
        text = json.dumps(document, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        tags += len(document["tags"])
        size += len(text.encode("utf-8"))
    return paths, tags, size


# ---------------------------------------------------------------------------------------------------------------
# The measured steps.


def baseline(paths: list[Path]) -> None:
    """open + json.load of every file."""
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            json.load(handle)


def ours(paths: list[Path], policy: Policy) -> None:
    """What `reviewer check --file` does per file: its text, the document and its tags, the verdict."""
    for path in paths:
        document = read_check_document(path.read_text(encoding="utf-8"), str(path))
        check(policy, document.tags)


def read_build(paths: list[Path]) -> None:
    """Ours without the check."""
    for path in paths:
        read_check_document(path.read_text(encoding="utf-8"), str(path))


def check_all(policy: Policy, documents: list[tuple[Tag, ...]]) -> None:
    """check() alone on tags already built."""
    for tags in documents:
        check(policy, tags)


def loads_all(texts: list[str]) -> None:
    """json.loads alone on texts already in memory."""
    for text in texts:
        json.loads(text)


def time_all(steps: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time of each step over `repeat` rounds, the steps taking turns within each round."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, run in steps.items():
            gc.collect()
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
            best[name] = min(best.get(name, float("inf")), elapsed)
    return best


def _label_dataclass_inits() -> None:
    """Every generated dataclass ``__init__`` is "<string>:2(__init__)" to cProfile, and pstats keeps only one entry
    per label: rename each one's code object after its class (behaviour unchanged) so the profile shows them all."""
    for module in (verdict_module, tags_module, trail_module):
        for value in vars(module).values():
            init = vars(value).get("__init__") if dataclasses.is_dataclass(value) and isinstance(value, type) else None
            if isinstance(init, types.FunctionType) and init.__code__.co_filename == "<string>":
                label = f"<dataclass {value.__module__}>"
                init.__code__ = init.__code__.replace(co_filename=label, co_name=f"{value.__name__}.__init__")


def profile_check(policy: Policy, documents: list[tuple[Tag, ...]], top: int) -> str:
    """cProfile of check() over every document: the `top` functions by own time."""
    _label_dataclass_inits()
    profiler = cProfile.Profile()
    profiler.enable()
    check_all(policy, documents)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)
    return out.getvalue()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def main() -> int:
    """Generate the documents, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=10_000, help="call documents to generate (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best counts (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where they are")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of check() alone")
    parser.add_argument("--top", type=int, default=25, help="functions the profile lists (default 25)")
    args = parser.parse_args()
    policy = load_policy(bundled_dir("resources") / "policies" / "default.toml")
    folder = Path(tempfile.mkdtemp(prefix="policy-speed-"))
    try:
        paths, tag_count, size = write_calls(folder, args.calls, args.seed)
        texts = [path.read_text(encoding="utf-8") for path in paths]  # also warms the page cache
        documents = [read_check_document(text, str(path)).tags for text, path in zip(texts, paths, strict=True)]
        verdicts = [check(policy, tags) for tags in documents]
        statuses = Counter(v.status.value for v in verdicts)
        findings = Counter(f.rule for v in verdicts for f in v.findings)
        steps = sum(len(v.trace) for v in verdicts)
        del verdicts
        gc.collect()
        gc.freeze()  # the documents kept for "check alone" are not rescanned by every collection
        times = time_all(
            {
                "baseline": lambda: baseline(paths),
                "ours": lambda: ours(paths, policy),
                "read_build": lambda: read_build(paths),
                "check_only": lambda: check_all(policy, documents),
                "loads_only": lambda: loads_all(texts),
            },
            args.repeat,
        )
        profile = profile_check(policy, documents, args.top) if args.profile else ""
        gc.unfreeze()
        info = {
            **machine(),
            "calls": args.calls,
            "tags": tag_count,
            "tags_per_call": tag_count / args.calls,
            "bytes": size,
            "repeat": args.repeat,
            "seed": args.seed,
            "policy": f"{policy.ref.name} {policy.ref.version}",
        }
        report(info, times, statuses=statuses, findings=findings, steps=steps, profile=profile)
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def report(
    info: dict[str, Any],
    times: dict[str, float],
    *,
    statuses: Counter[str],
    findings: Counter[str],
    steps: int,
    profile: str,
) -> None:
    """The human-readable lines, then one JSON object as the last line."""
    for key, value in info.items():
        print(f"{key:>14}: {value}")
    print(f"{'verdicts':>14}: {dict(statuses.most_common())}")
    print(f"{'trace steps':>14}: {steps} ({steps / info['tags']:.2f} per tag)")
    print(f"{'findings':>14}: {dict(findings.most_common(8))} ...")
    calls, tags = info["calls"], info["tags"]
    print("\nbest wall time           total s   per call us   per tag us")
    labels = {
        "baseline": "baseline: open+json.load",
        "ours": "ours: read+build+check",
        "read_build": "read + build tags",
        "check_only": "check() alone",
        "loads_only": "json.loads alone",
    }
    for name, label in labels.items():
        seconds = times[name]
        print(f"  {label:<24} {seconds:8.3f} {seconds / calls * 1e6:13.1f} {seconds / tags * 1e6:12.2f}")
    ratios = {
        "ours_vs_baseline": times["ours"] / times["baseline"],
        "read_build_vs_baseline": times["read_build"] / times["baseline"],
        "check_only_vs_baseline": times["check_only"] / times["baseline"],
        "check_only_vs_loads_only": times["check_only"] / times["loads_only"],
    }
    verdict = "PASS" if ratios["ours_vs_baseline"] <= TARGET else "MISS"
    print("\nratios:")
    print(f"  ours / baseline              {ratios['ours_vs_baseline']:6.2f}x (target <= {TARGET}x) {verdict}")
    print(f"  (info) read + build / baseline {ratios['read_build_vs_baseline']:6.2f}x")
    print(f"  (info) check() alone / baseline {ratios['check_only_vs_baseline']:6.2f}x")
    print(f"  (info) check() alone / json.loads alone {ratios['check_only_vs_loads_only']:6.2f}x")
    if profile:
        print("\ncProfile of check() alone (own time first; profiling slows it several times):")
        print(profile.rstrip())
    figures = {"input": info, "seconds": times, "ratios": ratios, "target": TARGET, "pass": verdict == "PASS"}
    figures["verdicts"] = dict(statuses)
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
