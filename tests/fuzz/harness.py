"""The fuzz harness: inputs made three ways, and one oracle every input must satisfy.

Inputs
- `perf_files()`: files generated from the grammar (the formatter's property tests' strategy:
  every construct, random layout, comments, text blocks);
- `mutants()`: the examples and the bad-input corpus, edited at random — spans deleted,
  repeated or moved, characters inserted from a list of troublemakers (braces, quotes, text-block quotes,
  comment marks, CR, CRLF, tabs, no-break and ideographic spaces, a BOM, control and bidi
  characters, minus signs, long digit runs, keywords);
- anything else a caller hands to `check` (scripts/fuzz.py runs as many as asked).

The oracle (`check(text)`): loading never raises and every diagnostic is located and readable;
`fmt` either lays the file out with the loader's meaning unchanged (the same diagnostics and the
same figures) and stable, or refuses with located diagnostics; a file that loads clean renders
its report's Markdown (a template error is a RenderError, never anything else); the language
server's outline, folding ranges and hover answer; `diff` against the starter answers; and all
of it within a time limit (a hang is a failure). `check` returns the problems found, empty when
the input passes."""

from __future__ import annotations

import traceback
from contextlib import suppress
from pathlib import Path

from hypothesis import strategies as st

from ..alarm import Hang, time_limit

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "examples").glob("*.perf")) + sorted((REPO / "tests" / "bad_inputs").glob("*.perf"))
TIME_LIMIT = 20  # seconds for one input, every stage together

TROUBLE = [
    "{",
    "}",
    "{}",
    '"',
    '"""',
    "#",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\x1b[2J",
    "\u202e",
    "\x00",
    "-",
    "−",
    "%",
    "万元",
    "1" * 60,
    "9.999999999",
    "0",
    "≥",
    "=",
    "实际",
    "分值",
    "得分",
    '引用 "x.perf"',
    "自评表 {",
    "评价指标体系 {",
    "项目 {",
    "资金 {",
    '正文 "x" """',
    "[a](javascript:alert(1))",
    "![x](y.png)",
    "{{ 7*7 }}",
    "@zhang",
    "\\",
    "'",
    "：",
    "（",
    "）",
    "…",
    "\u200b",
]


# ---------------------------------------------------------------- inputs


@st.composite
def mutants(draw) -> str:
    """A seed file, edited a few times at random."""
    text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 200)))
        op = draw(st.sampled_from(["delete", "repeat", "insert", "insert", "move", "replace-line"]))
        if op == "delete":
            text = text[:a] + text[b:]
        elif op == "repeat":
            text = text[:b] + text[a:b] * draw(st.integers(1, 3)) + text[b:]
        elif op == "insert":
            piece = draw(st.sampled_from(TROUBLE)) if draw(st.booleans()) else draw(st.text(max_size=8))
            text = text[:a] + piece + text[a:]
        elif op == "move":
            cut = text[a:b]
            rest = text[:a] + text[b:]
            at = draw(st.integers(0, len(rest)))
            text = rest[:at] + cut + rest[at:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from(TROUBLE)).join(lines[i].split(" ", 1))
            text = "\n".join(lines)
    return text


def grammar_files():
    from tests.fmt.test_fmt_properties import perf_files

    return perf_files()


def inputs():
    return st.one_of(mutants(), grammar_files())


# ---------------------------------------------------------------- the oracle


def check(text: str, folder: Path) -> list[str]:
    """Every problem the input shows (empty: it passes). `folder` is a scratch project folder."""
    path = folder / "case.perf"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        with time_limit(TIME_LIMIT):
            return _check(text, path)
    except Hang as e:
        return [f"hang: {e}"]
    except RecursionError:
        return ["RecursionError"]
    except Exception as e:  # the oracle's own net: any exception is a finding
        return [f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=-6)}"]


def _check(text: str, path: Path) -> list[str]:
    from perfdsl.loader import load

    problems: list[str] = []
    loaded = load(str(path))
    for d in loaded.diagnostics:
        if d.span is None or d.span.line < 1 or d.span.column < 1:
            problems.append(f"{d.code} is not located: {d.span}")
        if not d.message("zh") or not d.message("en"):
            problems.append(f"{d.code} has no message")
    problems += _fmt(text, path, loaded)
    if loaded.ok and loaded.evaluation is not None and not loaded.evaluation.is_fragment:
        problems += _render(loaded)
    problems += _lsp(text)
    problems += _diff(loaded)
    return problems


def _meaning(loaded) -> tuple:
    card = loaded.scorecard
    totals = ()
    if card is not None:
        totals = tuple(str(t.total) for t in (card.self_evaluation, card.framework) if t is not None)
    return tuple(sorted(d.code for d in loaded.diagnostics)), totals


def _fmt(text: str, path: Path, loaded) -> list[str]:
    from perfdsl.loader import load
    from perfdsl.syntax.format import InternalFormatError, format_text

    try:
        formatted, diagnostics = format_text(text, str(path))
    except InternalFormatError:  # a refusal: `perfdsl fmt` shows it as a located diagnostic (P0110)
        return []
    if formatted is None:
        return [] if diagnostics else ["fmt refused without saying why"]
    again, _ = format_text(formatted, str(path))
    if again != formatted:
        return ["fmt is not stable"]
    after = path.with_name("formatted.perf")
    after.write_text(formatted, encoding="utf-8", errors="surrogateescape")
    before_meaning, after_meaning = _meaning(loaded), _meaning(load(str(after)))
    if before_meaning != after_meaning:
        return [f"fmt changed the meaning: {before_meaning} → {after_meaning}"]
    return []


def _render(loaded) -> list[str]:
    from perfdsl.render.errors import RenderError
    from perfdsl.render.report import render_markdown

    with suppress(RenderError):
        render_markdown(loaded.evaluation, loaded.scorecard)
    return []


def _lsp(text: str) -> list[str]:
    from lsprotocol import types

    from perfdsl.lsp.analysis import analyze
    from perfdsl.lsp.hover import hover
    from perfdsl.lsp.symbols import document_symbols, folding_ranges

    a = analyze("file:///fuzz/case.perf", text, 1)
    document_symbols(a, a)
    folding_ranges(text)
    lines = text.split("\n")
    for line in (0, len(lines) // 2, len(lines) - 1):
        hover(text, types.Position(line=line, character=min(3, len(lines[line]))), a, a)
    return []


def _diff(loaded) -> list[str]:
    from perfdsl.authoring.diff import diff
    from perfdsl.loader import load

    if loaded.evaluation is None or loaded.scorecard is None:
        return []
    starter = load(str(REPO / "examples" / "starter.perf"))
    diff(starter, loaded)
    diff(loaded, starter)
    return []
