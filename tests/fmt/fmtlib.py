"""Shared checks for the formatter tests: what "the formatter changed nothing that matters"
means, checked independently of the proof format_text runs itself."""

from __future__ import annotations

from collections import Counter

from perfdsl.syntax import ast
from perfdsl.syntax.format import canonical_tree, format_text
from perfdsl.syntax.parser import parse


def text_values(tree: ast.File) -> Counter:
    """Every text block's value (what the reports print), wherever it is."""
    out: Counter = Counter()

    def walk(item):
        if isinstance(item, ast.Entry):
            out.update(v.value for v in item.values if isinstance(v, ast.Token) and v.kind == "TEXT")
            for c in item.children or ():
                walk(c)
        elif isinstance(item, ast.Node):
            attrs = [*item.attrs, *(part for a in item.attrs for part in getattr(a, "parts", ()))]
            out.update(a.value.value for a in attrs if isinstance(a.value, ast.Token) and a.value.kind == "TEXT")
            for c in item.children or ():
                walk(c)
        elif isinstance(item, ast.Tree):
            for n in item.nodes:
                walk(n)

    for item in tree.items:
        walk(item)
    return out


def comment_texts(tree: ast.File) -> Counter:
    return Counter(c.text.rstrip() for c in tree.comments)


def assert_same_meaning(before: str, after: str) -> None:
    """The two texts parse to the same tree (fields of plain blocks in schema order, text blocks
    by value), with the same text-block values and the same comments."""
    a, da = parse(before, "before.perf")
    b, db = parse(after, "after.perf")
    assert a is not None, da
    assert b is not None, [(d.code, d.span.line, d.span.column) for d in db]
    assert canonical_tree(a) == canonical_tree(b)
    assert text_values(a) == text_values(b)
    assert comment_texts(a) == comment_texts(b)


def assert_layout_hygiene(out: str) -> None:
    """No trailing whitespace, no tabs outside text blocks, one final newline, no blank runs."""
    if not out:
        return
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert not out.startswith("\n")
    in_text, previous = False, None
    for line in out.split("\n")[:-1]:
        if not in_text:
            assert line == line.rstrip(), repr(line)
            assert "\t" not in line.split("#")[0], repr(line)
            assert not (line == "" and previous == ""), "two blank lines in a row"
        if line.split("#")[0].count('"""') % 2 == 1:
            in_text = not in_text
        previous = line


def format_twice(text: str, file: str = "case.perf") -> str:
    """Format, then check that the result is meaning-preserving, tidy and stable."""
    out, diagnostics = format_text(text, file)
    assert out is not None, [(d.code, d.span.line, d.span.column, d.message("en")) for d in diagnostics]
    assert_same_meaning(text, out)
    assert_layout_hygiene(out)
    again, _ = format_text(out, file)
    assert again == out, "a second pass changed the text"
    return out
