"""What each command costs as a whole process, as a clerk or an editor meets it: start-up and one
file's work, against the floors (`python -c "import lark"`; for a DOCX, the bundled pandoc run on
the same Markdown), best of several, wall time, side by side in one run (this machine is shared:
absolute times mean little).

    python benchmarks/bench_startup.py [--perfdsl PATH] [--runs 5]

Rows: `check` of a file whose result is in the cache (a file checked again) and of a file never
seen (as at every save in an editor: a new text); `score` of a file scored before; `build` of the 12345 example to
Markdown, DOCX, XLSX and PDF; the language server's answer to `initialize`. The perfdsl measured
is the one on PATH (a fresh `pip install .` is what a user runs: an editable install in a shell
that sets PYTHONDONTWRITEBYTECODE compiles every module in every process)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "12345-hotline-2023.perf"
STARTER = ROOT / "examples" / "starter.perf"


def best(cmd: list[str], runs: int, before=None) -> float:
    """The fastest of `runs` runs of `cmd`, in ms (`before(i)` runs ahead of each, untimed)."""
    times = []
    for i in range(runs):
        if before is not None:
            before(i)
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def initialize(perfdsl: str, runs: int) -> float:
    """ms from starting `perfdsl lsp` to the first byte of its answer to `initialize`."""
    body = json.dumps(
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "processId": None}}
    ).encode()
    message = b"Content-Length: %d\r\n\r\n" % len(body) + body
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        server = subprocess.Popen([perfdsl, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(message)
        server.stdin.flush()
        server.stdout.readline()
        times.append(time.perf_counter() - t)
        server.kill()
        server.wait()
    return min(times) * 1000


def pandoc() -> str:
    sys.path.insert(0, str(ROOT))
    from perfdsl.render.pandoc import pandoc_path

    return pandoc_path()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--perfdsl", default=shutil.which("perfdsl") or "perfdsl")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    perfdsl, runs = args.perfdsl, args.runs
    python = str(Path(perfdsl).resolve().parent / "python")
    python = python if os.path.exists(python) else sys.executable

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        starter = STARTER.read_text(encoding="utf-8")
        new_file = work / "new.perf"

        def a_new_text(i: int) -> None:
            new_file.write_text(starter.replace('项目 "', f'项目 "{time.time_ns()}', 1), encoding="utf-8")

        # Warm what is made once per machine (the parser's tables, the compiled templates).
        subprocess.run(
            [perfdsl, "build", str(EXAMPLE), "--to", "docx,xlsx,md,pdf", "-o", str(work / "warm")], capture_output=True
        )
        markdown = next((work / "warm").rglob("*.md"))
        lark = best([python, "-c", "import lark"], runs)
        rows = [
            ("check, a file checked again", best([perfdsl, "check", str(STARTER)], runs), lark, "import lark"),
            ("check, a new file", best([perfdsl, "check", str(new_file)], runs, a_new_text), lark, "import lark"),
            ("score, a file scored again", best([perfdsl, "score", str(EXAMPLE)], runs), lark, "import lark"),
        ]
        raw = best([pandoc(), str(markdown), "-o", str(work / "raw.docx")], runs)
        for fmt in ("md", "docx", "xlsx", "pdf"):
            ms = best([perfdsl, "build", str(EXAMPLE), "--to", fmt, "-o", str(work / fmt)], runs)
            rows.append(
                (
                    f"build --to {fmt}",
                    ms,
                    raw if fmt == "docx" else lark,
                    "raw pandoc" if fmt == "docx" else "import lark",
                )
            )
        rows.append(("lsp: initialize answered", initialize(perfdsl, runs), lark, "import lark"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'what':32} {'ms':>7}  against the floor")
    for what, ms, floor, name in rows:
        print(f"{what:32} {ms:7.0f}  {ms / floor:5.2f}× {name} ({floor:.0f} ms)")


if __name__ == "__main__":
    main()
