"""check + score throughput on a generated corpus, against the floor: raw Lark parsing of the
same text with the same grammar. Run: python benchmarks/bench_check.py [FILES]"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from corpus import corpus  # noqa: E402

from perfdsl.diagnostics import Severity  # noqa: E402
from perfdsl.loader import load  # noqa: E402
from perfdsl.syntax.parser import raw_parser  # noqa: E402


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    texts = corpus(count)
    lines = sum(t.count("\n") for t in texts)
    lark = raw_parser()
    for t in texts[:3]:  # warm up both
        lark.parse(t)
        load("warm.perf", t)
    errors = sum(1 for i, t in enumerate(texts) for d in load(f"{i}.perf", t).diagnostics if d.severity == Severity.ERROR)
    assert errors == 0, f"the generated corpus should be clean, found {errors} errors"

    raw = best_of(3, lambda: [lark.parse(t) for t in texts])
    full = best_of(3, lambda: [load(f"{i}.perf", t) for i, t in enumerate(texts)])
    print(f"corpus: {count} files, {lines} lines ({lines / count:.0f} lines a file)")
    print(f"raw Lark parse:       {raw:.3f} s  ({count / raw:.0f} files/s)")
    print(f"perfdsl check+score:  {full:.3f} s  ({count / full:.0f} files/s on one core)")
    print(f"ratio check+score / raw parse: {full / raw:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
