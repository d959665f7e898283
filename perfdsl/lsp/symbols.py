"""The outline (document symbols: the project, the funds, the indicator trees as nested groups
with their scores) and folding ranges (blocks, text blocks, runs of comments)."""

from __future__ import annotations

from lsprotocol import types

from ..core.numbers import fixed, trimmed
from ..syntax import ast
from .analysis import Analysis
from .figures import find_node, number_text, percent_text, tree_score, weight_text
from .positions import LineIndex
from .scan import tokenize

S = types.SymbolKind
_BLOCK_KIND = {"项目": S.Package, "project": S.Package, "资金": S.Object, "funds": S.Object}
_TREE_TITLE = {"self_evaluation": "自评表", "evaluation": "评价指标体系"}


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_text(v) -> str:
    if isinstance(v, ast.DateRange):
        return f"{v.start.text} {v.keyword.text} {v.end.text}"
    if v.kind in ("STRING", "TEXT"):
        return _short(str(v.value))
    return v.text


def document_symbols(shape: Analysis | None, fig: Analysis | None, lang: str = "zh") -> list[types.DocumentSymbol]:
    """`shape` supplies the syntax tree and its positions (the current text when it parses, else
    the last text that did); `fig` the figures."""
    if shape is None or shape.ast is None:
        return []
    index = shape.index
    card = fig.scorecard if fig is not None else None
    out = []
    for item in shape.ast.items:
        if not shape.is_here(item.span):
            continue
        if isinstance(item, ast.Include):
            out.append(_symbol(index, f"{item.keyword.text} {item.path.value}", S.File, item.span, item.path.span))
        elif isinstance(item, ast.Entry):
            out.append(_entry(index, item, card, top=True))
        elif isinstance(item, ast.Tree):
            out.append(_tree(index, item, card, lang))
    return out


def _symbol(index: LineIndex, name: str, kind, span, selection, detail: str | None = None, children=None):
    rng = index.span_range(span)
    sel = index.span_range(selection)
    if (sel.start.line, sel.start.character) < (rng.start.line, rng.start.character) or (
        sel.end.line,
        sel.end.character,
    ) > (rng.end.line, rng.end.character):
        sel = types.Range(start=rng.start, end=rng.start)
    return types.DocumentSymbol(
        name=name or "—", kind=kind, range=rng, selection_range=sel, detail=detail, children=children or None
    )


def _entry(index: LineIndex, e: ast.Entry, card, top: bool = False) -> types.DocumentSymbol:
    name = e.name.text
    values = " ".join(_value_text(v) for v in e.values)
    detail = values or None
    if top and name in ("正文", "narrative") and e.values:
        name, detail = f"{name} {_value_text(e.values[0])}", None
        kind = S.String
    elif top:
        kind = _BLOCK_KIND.get(name, S.Struct)
    else:
        kind = S.Object if e.children is not None else S.Property
    if top and name in ("资金", "funds") and card is not None and card.funds is not None:
        parts = []
        if card.funds.execution_rate and card.funds.execution_rate.percent is not None:
            parts.append(f"执行率 {card.funds.execution_rate.text()}")
        if card.funds.arrival_rate and card.funds.arrival_rate.percent is not None:
            parts.append(f"到位率 {card.funds.arrival_rate.text()}")
        detail = " · ".join(parts) or detail
    children = [_entry(index, c, card) for c in e.children] if e.children else None
    return _symbol(index, name, kind, e.span, e.name.span, detail, children)


def _tree(index: LineIndex, t: ast.Tree, card, lang: str) -> types.DocumentSymbol:
    ts = tree_score(card, t.kind)
    detail = None
    if ts is not None:
        detail = f"总分 {fixed(ts.total, card.ruleset.places)} · {ts.grade}"
    children = [_node(index, n, t.kind, (), card) for n in t.nodes]
    for a in t.attrs:
        children.append(_symbol(index, a.keyword.text, S.Constant, a.span, a.keyword.span, a.value.text))
    return _symbol(index, t.keyword.text, S.Namespace, t.span, t.keyword.span, detail, children)


def _node(index: LineIndex, n: ast.Node, kind: str, parent: tuple[str, ...], card) -> types.DocumentSymbol:
    name = n.name.value
    path = parent + (name,)
    ns = find_node(card, kind, path, n.span.line) if card is not None else None
    places = card.ruleset.places if card is not None else 2
    detail = None
    if n.children is not None:
        if ns is not None:
            detail = f"小计 {number_text(ns.score, places)} / {weight_text(ns.weight)}"
        children = [_node(index, c, kind, path, card) for c in n.children]
        sym_kind = S.Module if not parent else S.Class
    else:
        children = None
        if ns is not None:
            detail = f"得分 {number_text(ns.score, places)} / {weight_text(ns.weight)}"
            if ns.completion is not None and ns.completion.percent is not None:
                detail += f" · 完成率 {percent_text(ns.completion.percent, places)}"
        elif (weight := n.attr("weight")) is not None:
            detail = f"分值 {trimmed(weight.value.value.number)}"
        sym_kind = S.Field
    return _symbol(index, name, sym_kind, n.span, n.name.span, detail, children)


# ---------------------------------------------------------------- folding
def folding_ranges(text: str) -> list[types.FoldingRange]:
    index = LineIndex(text)
    out = []
    stack = []
    comment_run: list[int] = []

    def flush():
        if len(comment_run) >= 2:
            out.append(
                types.FoldingRange(
                    start_line=comment_run[0], end_line=comment_run[-1], kind=types.FoldingRangeKind.Comment
                )
            )
        comment_run.clear()

    for tok in tokenize(text):
        line = index.position(tok.start).line
        if tok.kind == "comment":
            if comment_run and line != comment_run[-1] + 1:
                flush()
            comment_run.append(line)
            continue
        if comment_run and line != comment_run[-1]:
            flush()
        if tok.kind == "lbrace":
            stack.append(line)
        elif tok.kind == "rbrace" and stack:
            start = stack.pop()
            if line - 1 > start:
                out.append(types.FoldingRange(start_line=start, end_line=line - 1))
        elif tok.kind == "text":
            end = index.position(tok.end).line
            if end > line:
                out.append(types.FoldingRange(start_line=line, end_line=end))
    flush()
    return out
