"""Golden findings on both seed examples. Each finding of the reviewer's rules is listed, with why it
is a real issue of that report, in tests/lint/golden/<example>.golden; a finding not listed there,
or a listed one that no longer appears, fails the test. Lines are matched by their text, so that
reformatting an example does not break the test."""

from collections import Counter
from pathlib import Path

import pytest

from perfdsl.loader import load
from tests.conftest import SEED_000, SEED_003

GOLDEN = Path(__file__).resolve().parent / "golden"
MAX_DIAGNOSTICS, MAX_PER_LINE = 40, 3


def read_golden(path: Path) -> list[tuple[str, str, str, int]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        code, anchor, fragment = (part.strip() for part in line.split("|"))
        out.append((code, anchor, fragment, number))
    return out


def lint_findings(loaded):
    return [d for d in loaded.diagnostics if d.code.startswith("R") and not d.code.startswith("R9")]


@pytest.mark.parametrize("seed", [SEED_000, SEED_003], ids=lambda p: p.stem)
def test_golden_findings(seed):
    loaded = load(str(seed))
    golden = read_golden(GOLDEN / f"{seed.stem}.golden")
    lines = loaded.texts[str(seed)].split("\n")
    unmatched = list(golden)
    extra = []
    for d in lint_findings(loaded):
        source_line = lines[d.span.line - 1]
        hit = next((g for g in unmatched if g[0] == d.code and g[1] in source_line and g[2] in d.message()), None)
        if hit is None:
            extra.append(f"{d.code} {d.span.line}:{d.span.column} {d.message()}\n      on: {source_line.strip()[:80]}")
        else:
            unmatched.remove(hit)
    problems = [f"not in the golden file (review it, then list it or fix the rule): {e}" for e in extra]
    problems += [f"golden line {g[3]} ({g[0]} {g[2]}) was not found" for g in unmatched]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("seed", [SEED_000, SEED_003], ids=lambda p: p.stem)
def test_seed_is_not_flooded(seed):
    loaded = load(str(seed))
    assert len(loaded.diagnostics) <= MAX_DIAGNOSTICS
    per_line = Counter((d.span.file, d.span.line) for d in loaded.diagnostics if d.span)
    assert max(per_line.values()) <= MAX_PER_LINE, per_line.most_common(3)
    assert not [d for d in loaded.diagnostics if d.code.startswith("R9")]
    assert loaded.ok  # the reviewer's findings are warnings and notes, never errors


def test_blank_reason_gives_a_new_finding_near_it(tmp_path):
    """Blanking the quoted reason of 每次缴纳通讯费支出标准 (it holds 电信及联通通讯费) to "无" must raise a
    new finding within three lines of it."""
    body = SEED_003.read_text(encoding="utf-8")
    start = body.index("电信及联通通讯费")
    open_quote, close_quote = body.rindex('"', 0, start), body.index('"', start)
    line = body[:open_quote].count("\n") + 1
    a, b = tmp_path / "a.perf", tmp_path / "b.perf"
    a.write_text(body, encoding="utf-8")
    b.write_text(body[:open_quote] + '"无"' + body[close_quote + 1 :], encoding="utf-8")
    before = {(d.code, d.span.line) for d in load(str(a)).diagnostics}
    new = [d for d in load(str(b)).diagnostics if (d.code, d.span.line) not in before]
    near = [d for d in new if abs(d.span.line - line) <= 3]
    assert any(d.code == "R013" for d in near), [(d.code, d.span.line, d.message()) for d in new]
