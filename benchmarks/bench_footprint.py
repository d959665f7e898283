"""What a file's check touches, against a raw Lark parse of it: instructions and the misses of a
simulated cache the size of one core's own (valgrind's cachegrind; deterministic, so two versions
of the code compare to the count, where CPU time on a shared machine swings by a quarter).

    python benchmarks/bench_footprint.py [--files 40] [--cache-kib 1024]

Why: in instructions a check costs about what Lark's raw parse costs, but in CPU time more, and
much more when the machine is busy (other tenants, or the other worker of the same run, fill the
shared cache): the parse loop runs over little code and data, the check over several hundred
functions and the model they build, once a file. The misses of a cache of one core's size say
how much of that is fetched again for every file; they are what to bring down to be steady under
load. Each figure is per file, the cost of reading the texts taken off (a run that only reads)."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_READ = """import glob, sys
files = sys.argv[3:]
texts = [open(f, encoding="utf-8").read() for f in files]
"""
_RAW = (
    _READ
    + """import lark
p = lark.Lark(open(sys.argv[1], encoding="utf-8").read(), parser="lalr")
p.parse(texts[-1])  # the scanners built before counting, as in a long run
if sys.argv[2] == "work":
    for x in texts:
        p.parse(x)
"""
)
_CHECK = (
    _READ
    + """from perfdsl.engine import tune_gc
from perfdsl.engine.check import CheckJob, check_file, prepare
prepare(None, None)
tune_gc()
check_file(CheckJob(files[-1], None, None, "zh", False, False, None, 1))
if sys.argv[2] == "work":  # one run, as `perfdsl check DIR` makes its jobs
    for f in files:
        check_file(CheckJob(f, None, None, "zh", False, False, None, 1))
"""
)


def counts(script: str, mode: str, files: list[str], cache_bytes: int) -> tuple[int, int]:
    """(instructions, last-level misses) of the whole process."""
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=yes",
            f"--LL={cache_bytes},16,64",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            script,
            str(ROOT / "grammar" / "perf.lark"),
            mode,
            *files,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stderr
    number = lambda label: int(re.search(rf"{label}:\s+([\d,]+)", out).group(1).replace(",", ""))  # noqa: E731
    return number("I\\s+refs"), number("LL misses")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--cache-kib", type=int, default=1024, help="the simulated last-level cache (one core's L2 here)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed: apt-get install -y valgrind")
    examples = sorted((ROOT / "examples").glob("*.perf"))
    with tempfile.TemporaryDirectory(prefix="perfdsl-footprint-") as work:
        files = []
        for i in range(args.files):  # the acceptance check's corpus: the examples, each file its own name
            text = examples[i % len(examples)].read_text(encoding="utf-8")
            path = Path(work) / f"{i:05d}.perf"
            path.write_text(re.sub(r'项目 "', f'项目 "样本{i:05d}', text, count=1), encoding="utf-8")
            files.append(str(path))
        cache = args.cache_kib * 1024
        per_file = {}
        for name, script in (("raw Lark parse", _RAW), ("perfdsl check", _CHECK)):
            (read_ir, read_miss), (work_ir, work_miss) = (counts(script, m, files, cache) for m in ("read", "work"))
            per_file[name] = ((work_ir - read_ir) / args.files, (work_miss - read_miss) / args.files)
    print(f"{args.files} files, a {args.cache_kib} KiB last-level cache simulated; per file:")
    for name, (ir, miss) in per_file.items():
        print(f"  {name:15s} {ir / 1e6:6.2f} M instructions  {miss:8.0f} last-level misses")
    (raw_ir, raw_miss), (ir, miss) = per_file["raw Lark parse"], per_file["perfdsl check"]
    print(f"  check / raw parse: {ir / raw_ir:.2f}× the instructions, {miss / max(raw_miss, 1):.1f}× the misses")


if __name__ == "__main__":
    main()
