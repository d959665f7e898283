"""Report building against its floor: DOCX time per report vs raw pandoc on the same Markdown
(batch of N), PDF time per report, and batch throughput with one process per core.
Run: python benchmarks/bench_reports.py [N]"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfdsl.loader import load  # noqa: E402
from perfdsl.render.build import build_file  # noqa: E402
from perfdsl.render.pandoc import _PAGE_BREAKS, READER_FORMAT, pandoc_path, template_path  # noqa: E402
from perfdsl.render.report import render_markdown  # noqa: E402

SEEDS = [ROOT / "examples" / "12345-hotline-2023.perf", ROOT / "examples" / "xinfang-office-2023.perf"]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sources = [SEEDS[i % 2] for i in range(n)]
    # The floor: pandoc alone, on the Markdown perfdsl generates, with the same reference.docx.
    markdown = {}
    for s in SEEDS:
        loaded = load(str(s))
        markdown[s] = render_markdown(loaded.evaluation, loaded.scorecard)
    ref = template_path("reference.docx")
    plain = [pandoc_path(), "-f", READER_FORMAT, "-t", "docx", "--reference-doc", str(ref), "-o", "-"]
    # The same pandoc with the one Lua filter perfdsl's DOCX needs (annex page breaks and
    # titles): pandoc starts its Lua interpreter for any filter, ~10 ms a run — the share of the
    # gap to the floor that is pandoc's, not perfdsl's.
    filtered = [*plain, *_PAGE_BREAKS()]
    with tempfile.TemporaryDirectory() as d:
        # Taken in turn, report by report, so that a spell of a busy machine weighs on each alike
        # (the floor measured first, alone, ran on colder caches).
        times: dict[str, list[float]] = {"raw": [], "filter": [], "docx": []}
        for i, s in enumerate(sources):
            for name, cmd in (("raw", plain), ("filter", filtered)):
                t0 = time.perf_counter()
                subprocess.run(cmd, input=markdown[s].encode(), check=True, capture_output=True)
                times[name].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            build_file(str(s), ("docx",), os.path.join(d, "docx", str(i)))
            times["docx"].append(time.perf_counter() - t0)
        raw, with_filter, docx = (statistics.median(times[k]) for k in ("raw", "filter", "docx"))
        pdf_runs = min(n, 10)
        t0 = time.perf_counter()
        for i, s in enumerate(sources[:pdf_runs]):
            build_file(str(s), ("pdf",), os.path.join(d, "pdf", str(i)))
        pdf = (time.perf_counter() - t0) / pdf_runs
        xlsx_t0 = time.perf_counter()
        for i, s in enumerate(sources[:pdf_runs]):
            build_file(str(s), ("xlsx",), os.path.join(d, "xlsx", str(i)))
        xlsx = (time.perf_counter() - xlsx_t0) / pdf_runs
        batch_dir = Path(d) / "batch"
        batch_dir.mkdir()
        files = []
        for i, s in enumerate(sources):
            f = batch_dir / f"r{i}.perf"
            f.write_text(s.read_text(encoding="utf-8"), encoding="utf-8")
            files.append(str(f))
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "perfdsl.cli.main",
                "build",
                str(batch_dir),
                "--to",
                "docx,xlsx",
                "-o",
                str(Path(d) / "batch-out"),
            ],
            check=True,
            capture_output=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
        batch = time.perf_counter() - t0
    print(f"reports: {n} (the two seed examples alternately), {os.cpu_count()} cores")
    print(f"raw pandoc md→docx:        {raw * 1000:.0f} ms a report (medians)")
    print(f"pandoc with the filter:    {with_filter * 1000:.0f} ms a report  ({with_filter / raw:.2f})")
    print(f"perfdsl build --to docx:   {docx * 1000:.0f} ms a report  (ratio {docx / raw:.2f}, target ≤ 1.15;")
    print(f"                           {docx / with_filter:.2f} against pandoc with the filter)")
    print(f"perfdsl build --to pdf:    {pdf * 1000:.0f} ms a report")
    print(f"perfdsl build --to xlsx:   {xlsx * 1000:.0f} ms a report")
    print(f"batch docx+xlsx, {n} files: {batch:.1f} s  ({n / batch:.1f} reports/s, one process per core)")


if __name__ == "__main__":
    main()
