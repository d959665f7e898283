"""What the reviewer's rules add to `check`, on the corpus of benchmarks/corpus.py.

Two figures: the whole pipeline with and without lint (every file loaded both ways in each
round, its best round counted), and the lint step alone (run_lint on evaluations already checked)
against check without lint. Times are this process's CPU time, best of several rounds: what the
code costs, whatever else the machine is doing.
Run: python benchmarks/bench_lint.py [FILES] [ROUNDS]   (target: lint adds ≤ 20 %)"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

from corpus import corpus

from perfdsl.diagnostics import Severity
from perfdsl.lint import all_rules, run_lint
from perfdsl.loader import load

TARGET = 20.0


def timed(fn) -> float:
    """CPU seconds of this process: other work on a shared machine slows the wall clock, not this."""
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    texts = corpus(count)
    names = [f"{i}.perf" for i in range(count)]
    for t in texts[:3]:  # warm up: grammar, rulesets, the rule registry, the config lookup
        load("warm.perf", t, lint=False)
        load("warm.perf", t)
    errors = findings = 0
    for n, t in zip(names, texts):
        diagnostics = load(n, t).diagnostics
        errors += sum(1 for d in diagnostics if d.severity == Severity.ERROR)
        findings += sum(1 for d in diagnostics if d.code.startswith("R"))
    assert errors == 0, f"the generated corpus should be clean, found {errors} errors"

    # End to end: each file loaded without and with lint, alternately, in every round; a file's time
    # is its best round. Summing per-file bests keeps a burst of load elsewhere on the machine from
    # landing on one side only. (Nothing else is kept alive meanwhile: a large live heap makes every
    # garbage collection slower and would charge lint's extra objects for the benchmark's own lists.)
    best_without = [float("inf")] * count
    best_with = [float("inf")] * count
    for _ in range(rounds):
        for i, (n, t) in enumerate(zip(names, texts)):
            best_without[i] = min(best_without[i], timed(lambda n=n, t=t: load(n, t, lint=False)))
            best_with[i] = min(best_with[i], timed(lambda n=n, t=t: load(n, t)))
    without, with_lint = sum(best_without), sum(best_with)
    # The lint step alone, on evaluations already checked.
    checked = [load(n, t, lint=False) for n, t in zip(names, texts)]
    step = float("inf")
    for _ in range(rounds):
        step = min(
            step, timed(lambda: [run_lint(l.evaluation, l.scorecard, l.diagnostics, None).diagnostics for l in checked])
        )
    added = (with_lint - without) / without * 100
    share = step / without * 100
    print(
        f"corpus: {count} files; {len(all_rules())} rules; {findings} findings ({findings / count:.1f} a file); "
        f"best of {rounds} rounds"
    )
    print(f"check without lint: {without:.3f} s  ({without / count * 1000:.2f} ms a file)")
    print(f"check with lint:    {with_lint:.3f} s  ({with_lint / count * 1000:.2f} ms a file)")
    print(f"lint step alone:    {step:.3f} s  ({step / count * 1000:.2f} ms a file)")
    print(
        f"lint adds {added:.1f} % to check end to end; the lint step is {share:.1f} % of check  (target ≤ {TARGET:.0f} %)"
    )
    return 0 if min(added, share) <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
