"""The tree builder: perfdsl's syntax tree made as the parser reduces — by the fused loop
(fused.py) or by Lark's own loop (lark_parser.py), which both call it — and what a parse shares
between them (the comments the lexer hands over, the lock of the one builder)."""

from __future__ import annotations

import threading

from ..core import schema
from ..diagnostics import span_from_tuple
from . import ast
from .fused import PASS_THROUGH

# Grammar rules built as plain attributes (keyword and value): the schema's indicator, tree and
# monitoring-point attributes; a monitoring point (monitor) and a 调整 (adjust) have builders of their own.
ATTR_RULES = {f.key for f in schema.ATTRIBUTES.fields + schema.TREE_ATTRIBUTES.fields + schema.PROGRESS.fields} - {
    "monitor",
    "adjust",
}
TREE_KINDS = {
    "自评表": "self_evaluation",
    "self-evaluation": "self_evaluation",
    "评价指标体系": "evaluation",
    "evaluation": "evaluation",
    "绩效指标": "self_evaluation",  # the same tree, named as it is at the start of the year
    "indicators": "self_evaluation",
}


def _is_parser_token(x) -> bool:
    """A token as the parser hands it to the builder: ours, from the fused loop, not yet given
    its kind and file; or Lark's (a str), from Lark's own loop. Not one of our nodes."""
    return type(x) is ast.Token or isinstance(x, str)


def _end_of(x) -> tuple[int, int]:
    """Where a parser token or one of our nodes ends."""
    if _is_parser_token(x):
        return x.end_line or 0, x.end_column or 0
    span = x.span
    return span.end_line, span.end_column


at = ast.Token.at  # (kind, Lark token, file) → our token, its span made only when asked for


class _Builder:
    """Builds perfdsl.syntax.ast nodes as the parser reduces. It runs once for each of the
    ~300 reductions of a typical file, so it is written for speed: token kinds are known from the
    rule (no lookups), spans are made straight from the tokens that bound them. Lark calls it as
    it would a Transformer (a method by the name of each rule; tokens as they are); it is not
    one, so that the fused loop builds with it without Lark loaded."""

    def __init__(self, file: str):
        self.file = file

    def start(self, items):
        return tuple(items)

    def include(self, c):
        kw, path = c
        file = self.file
        return ast.Include(
            at("KEYWORD", kw, file),
            at("STRING", path, file),
            span_from_tuple((file, kw.line, kw.column, path.end_line, path.end_column)),
        )

    def entry(self, c):
        file = self.file
        first, last = c[0], c[-1]
        if type(last) is tuple:  # a block: (its entries, its closing brace)
            children, end = last
            given = c[1:-1]
        else:
            children, end = None, last
            given = c[1:]
        values = tuple([v if type(v) is ast.DateRange else at(v.type, v, file) for v in given])
        end_line, end_column = _end_of(end)
        return ast.Entry(
            at("NAME", first, file),
            values,
            children,
            span_from_tuple((file, first.line, first.column, end_line, end_column)),
        )

    def block(self, c):  # "{" entry* "}"
        return (tuple(c[1:-1]), c[-1])

    node_body = block  # "{" node* "}"

    def date_range(self, c):
        start, kw, end = c
        file = self.file
        return ast.DateRange(
            at("DATE", start, file),
            at("KEYWORD", kw, file),
            at("DATE", end, file),
            span_from_tuple((file, start.line, start.column, end.end_line, end.end_column)),
        )

    def tree(self, c):
        kw, close = c[0], c[-1]
        body = c[2:-1]
        return ast.Tree(
            kw,
            TREE_KINDS[kw.text],
            tuple(x for x in body if type(x) is ast.Node),
            tuple(x for x in body if type(x) is ast.Attr),
            span_from_tuple((self.file, kw.line, kw.column, close.end_line, close.end_column)),
        )

    def tree_kind(self, c):
        return at("KEYWORD", c[0], self.file)

    def node(self, c):
        name = c[0]
        target, attrs, children, last = None, [], None, name
        for x in c[1:]:
            kind = type(x)
            if kind is ast.Attr or kind is ast.Clause:
                attrs.append(x)
                last = x
            elif kind is ast.Target:
                target = last = x
            else:  # the body: (its nodes, its closing brace)
                children, last = x
        end_line, end_column = _end_of(last)
        return ast.Node(
            name,
            target,
            tuple(attrs),
            children,
            span_from_tuple((self.file, name.line, name.column, end_line, end_column)),  # not name.span: one less made
        )

    def name(self, c):
        t = c[0]
        return at(t.type, t, self.file)

    def target(self, c):
        comparator, value = c
        file = self.file
        return ast.Target(
            comparator,
            at(value.type, value, file),
            comparator.text in ("定性", "qualitative"),
            span_from_tuple((file, comparator.line, comparator.column, value.end_line, value.end_column)),
        )

    def comparator(self, c):
        return at("KEYWORD", c[0], self.file)

    qualitative = comparator

    # attr, tree_attr and progress only choose among the attribute rules: their child is the result
    attr = tree_attr = progress = staticmethod(PASS_THROUGH)

    def monitor(self, c):  # 监控 6月 followed by the monitoring point's own attributes
        kw, month, *parts = c
        file = self.file
        end = parts[-1].span if parts else month
        end_line, end_column = (end.end_line, end.end_column)
        return ast.Clause(
            "monitor",
            at("KEYWORD", kw, file),
            at("QUANTITY", month, file),
            span_from_tuple((file, kw.line, kw.column, end_line, end_column)),
            tuple(parts),
        )

    def adjust(self, c):  # 调整 followed by a target, a weight (分值 2) or a word (取消, 新增)
        kw, value = c
        file = self.file
        if _is_parser_token(value):
            value = at(value.type, value, file)
        end = value.span
        return ast.Attr(
            "adjust",
            at("KEYWORD", kw, file),
            value,
            span_from_tuple((file, kw.line, kw.column, end.end_line, end.end_column)),
        )

    def __default__(self, data, children, meta):
        if data.startswith("_"):  # Lark's own helper rules (x*): their children are spliced in
            from lark import Tree  # only Lark's own loop calls this: Lark is loaded

            return Tree(data, children, meta)
        raise AssertionError(f"grammar rule {data} has no builder")


def _attr_builder(kind: str):
    def build(self: _Builder, c):
        kw, value = c
        file = self.file
        return ast.Attr(
            kind,
            at("KEYWORD", kw, file),
            at(value.type, value, file),
            span_from_tuple((file, kw.line, kw.column, value.end_line, value.end_column)),
        )

    return build


for _kind in ATTR_RULES:
    setattr(_Builder, _kind, _attr_builder(_kind))


BUILDER = _Builder("<text>")
COMMENTS: list = []  # filled by the lexer during one parse (under LOCK)
LEXER_CALLBACKS = {"COMMENT": COMMENTS.append}  # comments are otherwise ignored: kept for the formatter
LOCK = threading.Lock()  # the builder knows the current file name: one parse at a time
