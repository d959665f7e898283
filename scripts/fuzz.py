"""Fuzz perfdsl for as long as asked, and file what breaks as cases of tests/bad_inputs/.

    python scripts/fuzz.py [--cases N] [--seed S]

Runs the harness of tests/fuzz (inputs from the grammar and edits of the examples and the
bad-input corpus; the oracle: no traceback, located diagnostics, fmt keeps the meaning, report,
language server and diff answer, no hang) on N new inputs (default 5000). Each input that fails
is written as `tests/bad_inputs/NN-fuzz-<hash>.perf` with `# why:` and `# known-bug:` lines
saying what broke: the case then runs as an expected failure until the fault is fixed and its
`# expect:` lines are filled in (tests/bad_inputs/README.md)."""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.fuzz.harness import check, inputs  # noqa: E402

CORPUS = ROOT / "tests" / "bad_inputs"


def file_case(text: str, problems: list[str]) -> Path:
    digest = hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    taken = [int(m.group(1)) for p in CORPUS.iterdir() if (m := re.match(r"(\d+)-", p.name))]
    first = problems[0].splitlines()[0][:150]
    path = CORPUS / f"{max(taken, default=0) + 1:02d}-fuzz-{digest}.perf"
    header = f"# expect: P0101 1:1\n# why: found by scripts/fuzz.py\n# known-bug: {first}\n"
    path.write_text(header + text, encoding="utf-8", errors="surrogateescape")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    found: list[Path] = []
    count = [0]

    @settings(
        max_examples=args.cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs())
    def run(text: str) -> None:
        count[0] += 1
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "perfdsl.toml").write_text("")
            problems = check(text, Path(folder))
        if problems:
            found.append(file_case(text, problems))
            print(f"{found[-1].name}: {problems[0].splitlines()[0]}", flush=True)

    if args.seed is not None:
        from hypothesis import seed

        run = seed(args.seed)(run)
    run()
    print(f"{count[0]} inputs, {len(found)} failing (filed in {CORPUS})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
