"""Two layout slips the grammar reads as a new indicator or entry, repaired on the syntax tree.

- a unit written apart from its number: `发送短信 ≥ 285 万条` parses as an indicator 万条, and
  `全年预算数 20 万元` in 资金 as an entry 万元;
- a keyword run into its value: `实际61.99万条` parses as an indicator 实际61.99万条.

Each is reported once (P0107, P0108) and the tree is rewritten to what the author meant, so that
nothing downstream reports the same mistake again. The resolver reads the repaired tree; the
formatter refuses a file with slips (moving the pieces onto separate lines would hide them).
Both are syntax-tree rewrites: they need nothing from the model."""

from __future__ import annotations

from dataclasses import replace

from ..core import schema
from ..diagnostics import Diagnostic
from . import ast

# The attribute keywords a clerk runs into their values, and the attribute each one starts.
SLIP_KEYWORDS = {
    "实际完成值": "actual",
    "实际": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "陈述完成率": "stated_completion",
    "陈述得分": "stated_score",
    "陈述偏差率": "stated_deviation",
}
MAX_UNIT_LENGTH = 4  # 万条, 元/人, 人次: a longer name is an indicator, not a unit gone astray


def repair(nodes) -> tuple[list[ast.Node], list[Diagnostic], bool]:
    """The sibling nodes with slips repaired, the diagnostics, and whether a node had to be
    dropped (a keyword run into its value with no indicator before it to belong to)."""
    out: list[ast.Node] = []
    diagnostics: list[Diagnostic] = []
    dropped = False
    for n in nodes:
        previous = out[-1] if out else None
        name = n.name.text
        if n.name.kind == "NAME" and n.children is None and n.target is None:
            keyword = _keyword_run_in(name)
            if keyword is not None:
                diagnostics.append(Diagnostic("P0108", n.name.span, {"keyword": keyword, "name": name}))
                if previous is None:
                    dropped = True
                    continue
                out[-1] = replace(previous, attrs=previous.attrs + (_split_attr(n, keyword),) + n.attrs)
                continue
            last = _last_token(previous) if previous is not None else None
            if (
                last is not None
                and last.kind == "QUANTITY"
                and not last.value.unit.text
                and len(name) <= MAX_UNIT_LENGTH
                and last.span.end_line == n.name.span.line
            ):
                joined = last.text + name
                diagnostics.append(Diagnostic("P0107", n.name.span, {"name": name, "joined": joined}))
                token = ast.Token(
                    "QUANTITY",
                    joined,
                    ast.Span(
                        last.span.file, last.span.line, last.span.column, n.name.span.end_line, n.name.span.end_column
                    ),
                )
                assert previous is not None  # it holds the last token
                out[-1] = _with_last_token(previous, token, n.attrs)
                continue
        out.append(n)
    return out, diagnostics, dropped


# The field names of the plain blocks: a name among them is a field, never a unit gone astray
# (项目 { 年度 2023 实施单位 "…" } on one line).
FIELD_NAMES = frozenset(
    name
    for spec in (schema.TOP, schema.PROJECT, schema.FUNDS, schema.SOURCE, schema.GOALS, schema.SURVEY, schema.WORK)
    for name in spec.all_names()
)


def repair_entries(entries) -> tuple[list[ast.Entry], list[Diagnostic]]:
    """A block's entries with units written apart from their numbers joined back (P0107, the
    message indicator lines get): `全年预算数 20 万元` reads as an entry 万元 after a number
    without a unit, on the same line."""
    out: list[ast.Entry] = []
    diagnostics: list[Diagnostic] = []
    for e in entries:
        previous = out[-1] if out else None
        last = previous.values[-1] if previous is not None and previous.values else None
        name = e.name.text
        if (
            isinstance(last, ast.Token)
            and last.kind == "QUANTITY"
            and not last.value.unit.text
            and previous is not None
            and previous.children is None
            and e.name.kind == "NAME"
            and not e.values
            and e.children is None
            and len(name) <= MAX_UNIT_LENGTH
            and name not in FIELD_NAMES
            and last.span.end_line == e.name.span.line
        ):
            joined = last.text + name
            diagnostics.append(Diagnostic("P0107", e.name.span, {"name": name, "joined": joined}))
            s = last.span
            token = ast.Token(
                "QUANTITY", joined, ast.Span(s.file, s.line, s.column, e.span.end_line, e.span.end_column)
            )
            span = ast.Span(
                previous.span.file, previous.span.line, previous.span.column, e.span.end_line, e.span.end_column
            )
            out[-1] = replace(previous, values=previous.values[:-1] + (token,), span=span)
            continue
        out.append(e)
    return out, diagnostics


def find(tree: ast.File) -> list[Diagnostic]:
    """Every slip in the file, in its indicator trees and its plain blocks (the formatter's
    question; the parser's too, for a file that also has syntax errors)."""
    found: list[Diagnostic] = []
    pending_nodes = [item.nodes for item in tree.items if isinstance(item, ast.Tree)]
    pending_entries = [[item for item in tree.items if isinstance(item, ast.Entry)]]
    while pending_nodes:
        nodes = pending_nodes.pop()
        repaired, diagnostics, _ = repair(nodes)
        found.extend(diagnostics)
        pending_nodes.extend(n.children for n in repaired if n.children)
    while pending_entries:
        entries = pending_entries.pop()
        repaired_entries, diagnostics = repair_entries(entries)
        found.extend(diagnostics)
        pending_entries.extend(list(e.children) for e in repaired_entries if e.children)
    return sorted(found, key=lambda d: (d.span.line, d.span.column) if d.span is not None else (0, 0))


def _keyword_run_in(name: str) -> str | None:
    return next(
        (
            k
            for k in SLIP_KEYWORDS
            if name.startswith(k) and len(name) > len(k) and (name[len(k)].isdigit() or name[len(k)] in "+-.")
        ),
        None,
    )


def _split_attr(n: ast.Node, keyword: str) -> ast.Attr:
    s = n.name.span
    name = n.name.text
    keyword_token = ast.Token("KEYWORD", keyword, ast.Span(s.file, s.line, s.column, s.line, s.column + len(keyword)))
    value = ast.Token(
        "QUANTITY", name[len(keyword) :], ast.Span(s.file, s.line, s.column + len(keyword), s.end_line, s.end_column)
    )
    return ast.Attr(SLIP_KEYWORDS[keyword], keyword_token, value, s)


def _with_last_token(n: ast.Node, token: ast.Token, more_attrs) -> ast.Node:
    if n.attrs:
        last = n.attrs[-1]
        if isinstance(last, ast.Clause) and last.parts:  # the unit belongs to the monitoring point's last figure
            parts = last.parts[:-1] + (replace(last.parts[-1], value=token),)
            return replace(n, attrs=n.attrs[:-1] + (replace(last, parts=parts),) + more_attrs)
        return replace(n, attrs=n.attrs[:-1] + (replace(last, value=token),) + more_attrs)
    assert n.target is not None  # _last_token found the token in the target
    return replace(n, target=replace(n.target, value=token), attrs=n.attrs + more_attrs)


def _last_token(n: ast.Node) -> ast.Token | None:
    if n.children is not None:
        return None
    if n.attrs:
        last = n.attrs[-1]
        value = last.last_token() if isinstance(last, ast.Clause) else last.value
        return value if isinstance(value, ast.Token) else None  # not a 调整's target or weight
    return n.target.value if n.target else None
