"""The language server on hostile nesting and long lines: answers bounded in depth, positions
converted in time linear in the line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.lsp.analysis import analyze
from perfdsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, units
from perfdsl.lsp.symbols import MAX_DEPTH, document_symbols, folding_ranges

from .conftest import STARTER


def _depth(symbols) -> int:
    deepest, stack = 0, [(s, 1) for s in symbols]
    while stack:
        s, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in s.children or ())
    return deepest


def test_the_outline_of_a_file_nested_a_thousand_deep_is_bounded():
    text = STARTER + "评价指标体系 {\n" + "产出 {\n" * 1000 + "}\n" * 1001
    a = analyze("file:///x.perf", text, 1)
    symbols = document_symbols(a, a)
    assert symbols and _depth(symbols) <= MAX_DEPTH


def test_nested_entries_are_bounded_too():
    text = "资金 {\n" + "来源 {\n" * 500 + "}\n" * 501
    a = analyze("file:///x.perf", text, 1)
    assert _depth(document_symbols(a, a)) <= MAX_DEPTH


def test_folding_ranges_of_a_long_line():
    text = "x " + "中 " * 20000 + "\n项目 {\n  年度 2024\n}\n"
    ranges = folding_ranges(text)
    assert [(r.start_line, r.end_line) for r in ranges] == [(1, 2)]


@given(
    st.text(alphabet=st.sampled_from(["a", "中", "𠀀", "😀", " ", "\n"]), max_size=60),
    st.sampled_from([UTF8, UTF16, UTF32]),
)
@settings(max_examples=200, deadline=None)
def test_positions_from_the_line_table_match_counting_units(text, encoding):
    index = LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        p = index.position(offset)
        line_start = index.starts[p.line]
        assert p.character == units(text[line_start : min(offset, index.ends[p.line])], encoding)
