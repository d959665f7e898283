"""The checks across the stages of the year, data-driven: each file of tests/lifecycle/cases/
is a year recorded in one file and states, in its leading comments, the diagnostics it must
yield (the directives of tests/bad_inputs/: `# expect: CODE LINE:COL`, `# expect-info:`,
`# expect-text: CODE text`, `# why:`; `# expect: nothing` for a file that must be clean).

The expected errors and warnings are exactly those the file yields, the reviewer's rules aside
(they are judgement, tested on their own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfdsl.diagnostics import Severity
from perfdsl.loader import load
from perfdsl.messages import CATALOGUE

CASES = Path(__file__).parent / "cases"
DIRECTIVE = re.compile(r"#\s*(expect|expect-info|expect-text|why)\s*:\s*(.*?)\s*$")
WHERE = re.compile(r"^([A-Z]\d{4})\s+(\d+):(\d+)$")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def read(path: Path) -> dict:
    case: dict = {"expect": set(), "expect-info": set(), "expect-text": [], "why": ""}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = DIRECTIVE.match(line)
        if m is None:
            continue
        kind, value = m.groups()
        if kind == "why":
            case["why"] = value
        elif kind == "expect-text":
            code, _, text = value.partition(" ")
            case["expect-text"].append((code, text))
        elif value != "nothing":
            where = WHERE.match(value)
            assert where, f"{path.name}: cannot read '{kind}: {value}'"
            case[kind].add((where.group(1), int(where.group(2)), int(where.group(3))))
    return case


PATHS = sorted(CASES.glob("*.perf"))


def test_the_cases_cover_every_check_across_stages():
    codes = {code for p in PATHS for kind in ("expect", "expect-info") for code, *_ in read(p)[kind]}
    lifecycle = {code for code in CATALOGUE if code.startswith("L")}
    assert lifecycle <= codes, sorted(lifecycle - codes)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_case(path: Path):
    case = read(path)
    assert case["why"], "a case says why"
    loaded = load(path.name, path.read_text(encoding="utf-8"))
    found = [d for d in loaded.diagnostics if not d.code.startswith("R")]
    got = {(d.code, d.span.line, d.span.column) for d in found if d.severity != Severity.INFO and d.span}
    assert got == case["expect"], [(d.code, d.span.line, d.span.column, d.message()) for d in found]
    infos = {(d.code, d.span.line, d.span.column) for d in found if d.severity == Severity.INFO and d.span}
    assert case["expect-info"] <= infos
    for code, text in case["expect-text"]:
        said = [d.message() + " " + (d.hint() or "") for d in found if d.code == code]
        assert any(text in s for s in said), (code, text, said)
    for d in found:  # both languages, every placeholder filled
        for lang in ("zh", "en"):
            assert not PLACEHOLDER.search(d.message(lang) + (d.hint(lang) or "")), d.message(lang)
