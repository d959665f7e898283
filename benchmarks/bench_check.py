"""check + score throughput on a generated corpus, against the floor: raw Lark parsing of the
same text with the same grammar and options (Lark unmodified, building its own tree).

perfdsl's parser is Lark with speed-ups of its own (perfdsl/syntax/speedups.py: helper rules on
Lark's own tree builder, whitespace skipped in one step, grammar rules compared by identity), so
the breakdown line shows both what the parse costs and what resolving, scoring and checking add.
Run: python benchmarks/bench_check.py [FILES] [ROUNDS]"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from corpus import corpus

from perfdsl.diagnostics import Severity
from perfdsl.loader import load
from perfdsl.syntax.lark_parser import raw_parser
from perfdsl.syntax.parser import parse


def interleaved(runs: int, **fns) -> dict[str, float]:
    """CPU time of each function, best of `runs` rounds taken in turn: on a shared virtual machine
    wall time swings by tens of percent; CPU time of the best round is what the code costs."""
    best = {name: float("inf") for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - t0)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    texts = corpus(count)
    lines = sum(t.count("\n") for t in texts)
    lark = raw_parser()
    for t in texts[:3]:  # warm up both
        lark.parse(t)
        load("warm.perf", t)
    errors = sum(
        1 for i, t in enumerate(texts) for d in load(f"{i}.perf", t).diagnostics if d.severity == Severity.ERROR
    )
    assert errors == 0, f"the generated corpus should be clean, found {errors} errors"

    t = interleaved(
        rounds,
        raw=lambda: [lark.parse(t) for t in texts],
        parse=lambda: [parse(t, f"{i}.perf") for i, t in enumerate(texts)],
        core=lambda: [load(f"{i}.perf", t, lint=False) for i, t in enumerate(texts)],
        full=lambda: [load(f"{i}.perf", t) for i, t in enumerate(texts)],
    )
    raw, ours, core, full = t["raw"], t["parse"], t["core"], t["full"]
    print(f"corpus: {count} files, {lines} lines ({lines / count:.0f} lines a file); CPU seconds, best of {rounds}")
    print(f"raw Lark parse:                    {raw:.3f} s  ({count / raw:.0f} files/s)")
    print(f"check+score (checker, no lint):    {core:.3f} s  ({count / core:.0f} files/s on one core)")
    print(f"check+score with reviewer's rules: {full:.3f} s  ({count / full:.0f} files/s on one core)")
    print(f"ratio check+score / raw parse: {core / raw:.2f} without lint, {full / raw:.2f} with (target ≤ 1.5)")
    print(
        f"  of which: perfdsl's parse (syntax tree built) {ours / raw:.2f}, "
        f"resolve+score+check {(core - ours) / raw:.2f}, reviewer's rules {(full - core) / raw:.2f}"
    )


if __name__ == "__main__":
    main()
