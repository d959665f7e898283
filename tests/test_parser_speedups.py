"""The parser's speed-ups (perfdsl/syntax/speedups.py: helper rules on Lark's own tree builder,
grammar rules compared by identity, whitespace skipped in one step) change nothing a user sees:
the same syntax trees, spans, comments and diagnostics as Lark as it comes — on every example,
every bad input, the benchmark corpus and random text."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.syntax import ast, parser, speedups

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [*ROOT.glob("examples/*.perf"), *ROOT.glob("tests/bad_inputs/**/*.perf"), *ROOT.glob("tests/fmt/**/*.perf")]
)

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import corpus  # noqa: E402


@pytest.fixture(scope="module")
def plain():
    """perfdsl's tree builder on Lark as it comes: no speed-ups."""
    return parser.inline_parser(speedups=False)


def dump(x):
    """Everything about a parse, positions included (the trees' == ignores positions)."""
    if isinstance(x, ast.Token):
        return ("token", x.kind, x.text, tuple(x.span))
    if isinstance(x, (tuple, list)):
        return tuple(dump(y) for y in x)
    if dataclasses.is_dataclass(x):
        return (type(x).__name__, *(dump(getattr(x, f.name)) for f in dataclasses.fields(x)))
    return x


def both(text: str, plain_lark) -> tuple:
    fast = parser.parse(text, "a.perf")
    fast_lark = parser._lark
    parser._lark = lambda: plain_lark  # parse() asks for its parser by this name
    try:
        slow = parser.parse(text, "a.perf")
    finally:
        parser._lark = fast_lark
    return dump(fast), dump(slow)


def test_the_speedups_are_in_place():
    """If a new Lark moved the structures they rely on, they would quietly switch themselves off
    (the parser stays correct, only slower): this says so."""
    lark = parser._lark()
    contextual = lark.parser.lexer
    assert type(contextual.root_lexer) is speedups.WhitespaceSkippingLexer
    assert {type(x) for x in contextual.lexers.values()} == {speedups.WhitespaceSkippingLexer}
    rules = [k for k in lark.parser.parser.parser.callbacks if not isinstance(k, str)]
    assert rules and all(type(r) is speedups.IdentityRule for r in rules)
    assert isinstance(lark.fused_loop, speedups.FusedLoop)


def test_the_fused_loop_reads_every_example_itself():
    """A text the grammar accepts is read by the fused loop, not handed back to Lark's: the
    examples parse there, and a slip makes it hand the text back."""
    fused = parser._lark().fused_loop
    for path in ROOT.glob("examples/*.perf"):
        assert fused.parse(path.read_text(encoding="utf-8")) is not fused.FAILED, path
    assert fused.parse('项目 "甲" {\n  年度 2023\n') is fused.FAILED  # a brace left open
    assert fused.parse('项目 "甲" {\n  年度 ¤\n}\n') is fused.FAILED  # a character no terminal takes


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_parse_on_every_example_and_bad_input(path, plain):
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    fast, slow = both(text, plain)
    assert fast == slow


def test_same_parse_on_the_benchmark_corpus(plain):
    for text in corpus(20):
        fast, slow = both(text, plain)
        assert fast == slow


# Whitespace of every kind the grammar ignores, comments, strings and text blocks, keywords.
PIECES = st.sampled_from(
    [
        "项目",
        "资金",
        "自评表",
        "产出",
        "数量",
        "指标",
        "实际",
        "分值",
        "得分",
        "依据",
        "定性",
        "≥",
        "≤",
        "=",
        "{",
        "}",
        '"',
        '"""',
        "#",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\f",
        "\r",
        "# 注释\n",
        "5",
        "95%",
        "285万条",
        "2024-01-01",
        "至",
        "名称",
        '"文字"',
        "\u3000",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES, max_size=60).map("".join))
def test_same_parse_on_random_text(text, plain):
    fast, slow = both(text, plain)
    assert fast == slow
