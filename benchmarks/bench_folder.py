"""A folder checked as a reviewer checks it: whole processes, ratios taken side by side in one
run, best of several (this machine is shared: absolute times mean little).

    python benchmarks/bench_folder.py [--files 2000] [--neighbour]

Prints: start-up (`perfdsl check` of one small file against `python -c "import lark"`: its result
in the cache, as when a file is checked again, and with --no-cache, as for a file never seen); the
CPU cost per file of `check DIR --no-cache` (the process and its workers, less a one-file check)
against a raw Lark parse of the same 300 files; a folder of N generated files on every core
against one core (-j 1): wall time, CPU time of the process and its workers, peak memory; and
peak memory for N/4 files (it must not grow with the folder); and peak memory on one core for
N/4 and N files whose every figure is their own (what is kept from file to file must not grow
with them either). The folders are checked with --no-cache: what is measured is the checking,
not the cache.

--neighbour measures the per-file cost again beside a process that streams memory (two 64 MiB
buffers copied back and forth), as the other tenants of a busy shared machine do: it evicts the
shared cache, which the raw parse barely needs (its code and data fit in one core's own cache)
and a check needs (about 2 MiB a file: benchmarks/bench_footprint.py). On this 2-core machine,
on the acceptance check's corpus (300 copies of the examples): quiet 1.12–1.27×, beside one such
neighbour 1.26–1.34×, beside two 1.10–1.21× (the round before: 1.15–1.29×, 1.34–1.52×, 1.24–1.33×;
1.45–1.80× beside two while a folder's files went to a pool of two workers) — the busy spells in which that check's per-file row fails, made at will; on this
benchmark's generated corpus of small files, 1.38–1.52× (1.46–1.48× the round before, 1.61× and
1.82× before that), of which about 0.1× is the fork of a worker (see the README)."""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import corpus

ROOT = Path(__file__).resolve().parent.parent


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s of the command and its children, peak RSS MiB of the largest process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, int(p.stderr.strip().splitlines()[-1]) / 1024


def best(cmd: list[str], runs: int) -> tuple[float, float, float]:
    got = [measure(cmd) for _ in range(runs)]
    return tuple(min(g[i] for g in got) for i in range(3))  # type: ignore[return-value]


def folder(base: Path, name: str, n: int, own_figures: bool = False) -> Path:
    """`n` files of the corpus; with `own_figures`, every figure of each replaced by a random one,
    so that no two files share a figure (what a process must not keep from file to file)."""
    d = base / name
    rnd = random.Random(n)
    for i, text in enumerate(corpus(n)):
        if own_figures:
            text = _FIGURE.sub(lambda m: str(rnd.randint(1, 999_999)), text)
        sub = d / f"d{i // 250:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}.perf").write_text(text, encoding="utf-8")
    return d


_FIGURE = re.compile(r"(?<![\d.])\d+(?=(?:\.\d+)?(?:万元|元|万条|条|个|次|人|套|天|户|%))")


_RAW_PARSE = """import lark, sys, time
p = lark.Lark(open(sys.argv[1], encoding="utf-8").read(), parser="lalr")
texts = [open(f, encoding="utf-8").read() for f in sys.argv[2:]]
t = time.process_time()
for x in texts:
    p.parse(x)
print(time.process_time() - t)
"""


def per_file(base: Path, perfdsl: list[str], runs: int, beside: str = "") -> None:
    """`check DIR --no-cache` of 300 files, less a one-file check, against a raw Lark parse of the
    same texts (the grammar, Lark as it comes, building its own tree), CPU time, best of `runs`."""
    d, one = base / "c300", base / "one"
    if not d.exists():
        folder(base, "c300", 300)
    files = sorted(str(p) for p in d.rglob("*.perf"))
    if not one.exists():
        one.mkdir()
        shutil.copy(files[0], one)
    grammar = str(ROOT / "grammar" / "perf.lark")
    raw = min(
        float(
            subprocess.run([sys.executable, "-c", _RAW_PARSE, grammar, *files], capture_output=True, text=True).stdout
        )
        for _ in range(runs)
    )
    _, one_cpu, _ = best([*perfdsl, "check", str(one), "--no-cache"], runs)
    _, dir_cpu, _ = best([*perfdsl, "check", str(d), "--no-cache"], runs)
    print(
        f"check per file{beside}: {dir_cpu:.2f} s CPU for 300 files less {one_cpu:.2f} s for one, "
        f"raw Lark parse {raw:.2f} s: {(dir_cpu - one_cpu) / raw:.2f}×"
    )


_NEIGHBOUR = """a, b = bytearray(64 << 20), bytearray(64 << 20)
while True:
    b[:] = a
    a[:] = b
"""


@contextmanager
def neighbour() -> Iterator[None]:
    """A process streaming memory for as long as the block runs (see --neighbour)."""
    process = subprocess.Popen([sys.executable, "-c", _NEIGHBOUR])
    try:
        time.sleep(0.5)  # its buffers made and streaming
        yield
    finally:
        process.kill()
        process.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--neighbour", action="store_true", help="the per-file cost again beside a process streaming memory"
    )
    args = ap.parse_args()
    perfdsl = [shutil.which("perfdsl") or "perfdsl"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        starter = str(ROOT / "examples" / "starter.perf")
        w_lark, _, _ = best([sys.executable, "-c", "import lark"], 5)
        w_check, _, _ = best([*perfdsl, "check", starter], 5)
        w_fresh, _, _ = best([*perfdsl, "check", starter, "--no-cache"], 5)
        print(
            f"start-up: import lark {w_lark:.3f} s; check of one file {w_check:.3f} s ({w_check / w_lark:.2f}×), "
            f"--no-cache {w_fresh:.3f} s ({w_fresh / w_lark:.2f}×)"
        )
        per_file(base, perfdsl, args.runs)
        if args.neighbour:
            with neighbour():
                per_file(base, perfdsl, args.runs, beside=" beside a neighbour streaming memory")
        big = folder(base, "big", args.files)
        small = folder(base, "small", args.files // 4)
        for jobs in ("1", str(len(os.sched_getaffinity(0)))):
            wall, cpu, peak = best([*perfdsl, "check", str(big), "-j", jobs, "--no-cache"], args.runs)
            print(
                f"{args.files} files, -j {jobs}: {wall:.1f} s wall, {cpu:.1f} s CPU (wall/CPU {wall / cpu:.2f}), peak {peak:.0f} MiB"
            )
        _, _, peak_small = best([*perfdsl, "check", str(small), "--no-cache"], 1)
        print(f"peak memory {args.files // 4} files: {peak_small:.0f} MiB (×{peak / peak_small:.2f} for ×4 the files)")
        own = [folder(base, f"own{n}", n, own_figures=True) for n in (args.files // 4, args.files)]
        peaks = [best([*perfdsl, "check", str(d), "-j", "1", "--no-cache"], 1)[2] for d in own]
        print(
            f"peak memory, -j 1, files with figures of their own: {args.files // 4} files {peaks[0]:.0f} MiB, "
            f"{args.files} files {peaks[1]:.0f} MiB (×{peaks[1] / peaks[0]:.2f})"
        )


if __name__ == "__main__":
    main()
