"""`perfdsl summary` of a county's repository: cold (no cache), warm after a one-file edit, and
on a Dask LocalCluster of the same cores against the local run — whole processes, side by side.

    python benchmarks/bench_summary.py [--files 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_folder import folder


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10000)
    args = ap.parse_args()
    perfdsl = shutil.which("perfdsl") or "perfdsl"
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory() as tmp:
        tree = folder(Path(tmp), "tree", args.files)
        summary = [perfdsl, "summary", str(tree), "--format", "json"]
        no_cache = timed([*summary, "--no-cache"])
        cold = timed(summary)
        edited = next(tree.rglob("*.perf"))
        edited.write_text(edited.read_text(encoding="utf-8") + "\n# 一处改动\n", encoding="utf-8")
        warm = timed(summary)
        print(f"{args.files} files on {cores} cores: --no-cache {no_cache:.1f} s, cold {cold:.1f} s, "
              f"after a one-file edit {warm:.2f} s ({warm / no_cache:.3f} of the uncached run); "
              f"{args.files / no_cache:.0f} files/s, {args.files / no_cache / cores:.0f} per core")  # fmt: skip
        try:
            from dask.distributed import LocalCluster
        except ImportError:
            print('Dask: not installed (pip install "perfdsl[dask]")')
            return
        cluster = LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None)
        try:
            dask = timed([*summary, "--no-cache", "--executor", "dask", "--scheduler", cluster.scheduler_address])
        finally:
            cluster.close()
        print(f"Dask LocalCluster of {cores} workers: {dask:.1f} s, ×{dask / no_cache:.2f} the local run")


if __name__ == "__main__":
    main()
