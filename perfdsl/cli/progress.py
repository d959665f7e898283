"""Build several files in parallel (a process per core: pandoc and typst are the slow part)
with a progress line on the terminal."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed


def _one(args):
    from ..render.build import build_file

    source, formats, out_dir, strict, options, forms = args
    result = build_file(source, formats, out_dir, strict=strict, options=options, forms=forms)
    # The evaluation object graph is not needed by the caller: keep what it prints.
    return result


def run_builds(files: list[str], formats, out_dir, strict: bool, options, jobs: int = 0, forms=("报告",)):
    jobs = jobs or os.cpu_count() or 1
    if len(files) == 1 or jobs == 1:
        return [_one((f, formats, out_dir, strict, options, forms)) for f in files]
    results = {}
    show = sys.stderr.isatty()
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        futures = {pool.submit(_one, (f, formats, out_dir, strict, options, forms)): f for f in files}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            if show:
                bar = "█" * (30 * done // len(files))
                print(f"\r[{bar:<30}] {done}/{len(files)}", end="", file=sys.stderr, flush=True)
    if show:
        print(file=sys.stderr)
    return [results[f] for f in files]
