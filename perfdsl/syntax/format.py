"""The canonical layout of a .perf file (`perfdsl fmt`).

One layout, no options:

- two spaces of indentation per level of braces; one entry or indicator per line;
- fields of a plain block in the schema's order (repeating fields keep their relative order,
  fields the schema does not know go last); top-level items stay where the author put them,
  the figures at the end of a tree (陈述总分 …) go after its indicators;
- an indicator's attributes in a fixed order: 实际 分值 得分 达成度 公式 分类, then the long
  text attributes 指标解释 评价要点 依据 偏差原因 改进措施, then 陈述完成率 陈述得分 陈述偏差率. The
  indicator's line holds its name, its target and the attributes before the first long one; from
  the first long one on, each attribute has a line of its own, one level deeper (and a group's
  `{` then has a line of its own);
- sibling indicators not parted by a blank line or a group are aligned: the name and target
  columns are padded (by display width, a CJK character being two columns) so that the first
  attribute after the target (usually 实际) lines up;
- one space between tokens, two before a trailing comment; a block written on one line stays
  on one line when it holds only single-line fields and fits in 100 columns, with a space inside
  its braces; every other block has one field per line; an empty block is `{}`;
- exactly one blank line between top-level blocks (consecutive 引用 lines may stay together);
  single blank lines between entries and indicators kept, runs of them collapsed, none after
  `{` or before `}`;
- text blocks re-indented to their line's indentation + 2 (content and closing quotes), their
  value unchanged;
- keywords (Chinese or English), numbers and units exactly as written.

Comments stay with what they annotate: a comment on its own line belongs to the item after it (or,
indented deeper than the item above it and directly below it, to that item); a trailing comment
stays at the end of its item's line; comments before a closing brace stay inside the block.

Every result is proved before it is returned (as black does): the text is parsed again and must
give the same syntax tree (up to the reordering above), the same text-block values and the same
comments, and formatting it again must change nothing. A failed proof raises
InternalFormatError instead of returning text that could lose anything."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

from ..core import schema
from ..core.text import display_width
from ..diagnostics import Diagnostic
from ..project import normalise_line_ends
from . import ast, slips
from .parser import parse

__all__ = [
    "Mode",
    "DEFAULT_MODE",
    "InternalFormatError",
    "NestingTooDeep",
    "format_text",
    "canonical_tree",
    "ATTR_ORDER",
    "LONG_ATTRS",
]


@dataclass(frozen=True)
class Mode:
    """Formatting options. There are none on purpose: one layout for everyone. The class exists so
    that the entry point's signature will not change if one is ever needed."""


DEFAULT_MODE = Mode()


class InternalFormatError(Exception):
    """The formatter produced something it cannot prove equivalent to its input: nothing may be
    written. `where` is the item of the input the difference was found in, when known."""

    def __init__(self, message: str, where=None):
        super().__init__(message)
        self.where = where


class NestingTooDeep(InternalFormatError):
    """Blocks nested deeper than MAX_NESTING: no evaluation does that, and the formatter (which
    recurses) declines rather than risk the interpreter's stack."""


INDENT = 2
MAX_NESTING = 64
ONE_LINE_WIDTH = 100  # a one-line block must fit in this many display columns, indentation included

# Indicator attributes in their canonical order (grammar rule names): the schema's order.
ATTR_ORDER = tuple(f.key for f in schema.ATTRIBUTES.fields)
# Texts take a line of their own, and so does each stage of the year (a monitoring point, a 调整).
LONG_ATTRS = schema.attributes_taking("text") | {"monitor", "adjust"}
# A monitoring point's own attributes: the figures on its line, the texts on lines below it.
PART_ORDER = tuple(f.key for f in schema.PROGRESS.fields)
LONG_PARTS = frozenset(f.key for f in schema.PROGRESS.fields if f.values[0] == "text")
TREE_ATTR_ORDER = tuple(f.key for f in schema.TREE_ATTRIBUTES.fields)

_ATTR_RANK = {k: i for i, k in enumerate(ATTR_ORDER)}
_PART_RANK = {k: i for i, k in enumerate(PART_ORDER)}
_TREE_ATTR_RANK = {k: i for i, k in enumerate(TREE_ATTR_ORDER)}
_BLANK = " \t\f\r"


# ---------------------------------------------------------------- entry point
def format_text(text: str, file: str = "<text>", mode: Mode = DEFAULT_MODE) -> tuple[str | None, list[Diagnostic]]:
    """The canonical layout of `text`, or None and the diagnostics when it has syntax errors.
    Raises InternalFormatError when the result cannot be proved equivalent to the input."""
    text = normalise_line_ends(text)  # as the loader reads it: the formatter keeps the meaning perfdsl gives the file
    tree, diagnostics = parse(text, file)
    if tree is None:
        return None, diagnostics
    layout_slips = slips.find(tree)
    if layout_slips:
        return None, layout_slips
    if _nesting(tree.items) > MAX_NESTING:
        raise NestingTooDeep(f"{file}: blocks are nested more than {MAX_NESTING} deep", tree.items[0].span)
    out = _Formatter(text, tree).run()
    _prove(tree, out, file)
    return out, []


def _nesting(items) -> int:
    deepest, stack = 0, [(item, 1) for item in items]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, ast.Tree):
            children = item.nodes
        else:
            children = getattr(item, "children", None) or ()
        stack.extend((c, depth + 1) for c in children)
    return deepest


# ---------------------------------------------------------------- the proof
def _prove(before: ast.File, out: str, file: str) -> None:
    after, diagnostics = parse(out, file)
    if after is None:
        raise InternalFormatError(
            "the formatted text would not parse ("
            + "; ".join(f"{d.span.line}:{d.span.column} {d.code}" for d in diagnostics if d.span)
            + ")",
            before.items[0].span if before.items else None,
        )
    b, a = canonical_tree(before), canonical_tree(after)
    if b != a:
        where = next((x.span for x, y in zip(before.items, zip(b.items, a.items)) if y[0] != y[1]), None)
        raise InternalFormatError("the formatted text would mean something else (the syntax trees differ)", where)
    if Counter(_text_values(before.items)) != Counter(_text_values(after.items)):
        raise InternalFormatError("a text block's value would change")
    if _comment_texts(before) != _comment_texts(after):
        raise InternalFormatError("comments would be lost or changed")
    if slips.find(after):
        raise InternalFormatError("the formatted text would put a unit apart from its number")
    again = _Formatter(out, after).run()
    if again != out:
        raise InternalFormatError("formatting is not stable (a second pass changes the text)")


def _comment_texts(tree: ast.File) -> Counter:
    return Counter(c.text.rstrip() for c in tree.comments)


def _text_values(items) -> list[str]:
    out: list[str] = []
    for item in items:
        _gather_texts(item, out)
    return out


def _gather_texts(item, out: list[str]) -> None:
    """The text blocks below `item`, in order. (A function of the module, not one nested in
    _text_values: a nested function that calls itself is a reference cycle, which would keep the
    file's texts until the collector's next full pass.)"""
    children: tuple = ()
    if isinstance(item, ast.Entry):
        values: list = list(item.values)
        children = item.children or ()
    elif isinstance(item, ast.Node):
        values = [v for a in item.attrs for v in (a.value, *(part.value for part in getattr(a, "parts", ())))]
        children = item.children or ()
    elif isinstance(item, ast.Tree):
        values, children = [], item.nodes
    else:
        return
    out.extend(t.value for t in values if isinstance(t, ast.Token) and t.kind == "TEXT")
    for c in children:
        _gather_texts(c, out)


def canonical_tree(tree: ast.File) -> ast.File:
    """The tree as the formatter arranges it: plain fields in schema order and text blocks by
    value (their indentation is layout). AST equality of two canonical trees is the proof."""
    return ast.File(tree.path, tuple(_canonical_item(i, schema.TOP) for i in tree.items), ())


def _canonical_item(item, spec):
    if isinstance(item, ast.Entry):
        child_spec = _child_spec(item, spec)
        children = None
        if item.children is not None:
            children = tuple(_canonical_item(c, child_spec) for c in _sorted_entries(item.children, child_spec))
        return ast.Entry(item.name, tuple(_canonical_token(v) for v in item.values), children, item.span)
    if isinstance(item, ast.Node):
        attrs = tuple(_canonical_attr(a) for a in item.attrs)
        children = None if item.children is None else tuple(_canonical_item(c, None) for c in item.children)
        return ast.Node(item.name, item.target, attrs, children, item.span)
    if isinstance(item, ast.Tree):
        return ast.Tree(
            item.keyword, item.kind, tuple(_canonical_item(n, None) for n in item.nodes), item.attrs, item.span
        )
    return item


def _canonical_attr(a: ast.Attr) -> ast.Attr:
    if isinstance(a, ast.Clause):
        parts = tuple(_canonical_attr(p) for p in a.parts)
        return ast.Clause(a.kind, a.keyword, _canonical_token(a.value), a.span, parts)
    return ast.Attr(a.kind, a.keyword, _canonical_token(a.value), a.span)


def _canonical_token(v):
    if isinstance(v, ast.Token) and v.kind == "TEXT":
        return ast.Token("TEXT", '"""' + v.value + '"""', v.span)
    return v


# ---------------------------------------------------------------- ordering
def _child_spec(entry: ast.Entry, spec: schema.BlockSpec | None) -> schema.BlockSpec | None:
    if spec is None:
        return None
    f = spec.find(entry.name.text)
    return f.block if f is not None else None


def _sorted_entries(entries, spec: schema.BlockSpec | None) -> list:
    """Schema order; fields the schema does not know go last, in the order written."""
    if spec is None or spec is schema.TOP:
        return list(entries)
    rank = _RANKS.get(id(spec))
    if rank is None:
        rank = _RANKS[id(spec)] = {n: i for i, f in enumerate(spec.fields) for n in f.names}
    last = len(spec.fields)
    return sorted(entries, key=lambda e: rank.get(e.name.text, last))


_RANKS: dict[int, dict[str, int]] = {}  # the schema's blocks are module constants


def _sorted_attrs(attrs) -> list[ast.Attr]:
    return sorted(attrs, key=lambda a: _ATTR_RANK.get(a.kind, len(ATTR_ORDER)))


def _split_parts(clause: ast.Clause) -> tuple[list[ast.Attr], list[ast.Attr]]:
    """(a monitoring point's figures, on its line; its texts, each on a line of its own)."""
    ordered = sorted(clause.parts, key=lambda a: _PART_RANK.get(a.kind, len(PART_ORDER)))
    return [a for a in ordered if a.kind not in LONG_PARTS], [a for a in ordered if a.kind in LONG_PARTS]


def _split_attrs(node: ast.Node) -> tuple[list[ast.Attr], list[ast.Attr]]:
    """(attributes on the indicator's line, attributes on lines of their own)."""
    ordered = _sorted_attrs(node.attrs)
    for i, a in enumerate(ordered):
        if a.kind in LONG_ATTRS:
            return ordered[:i], ordered[i:]
    return ordered, []


# ---------------------------------------------------------------- the formatter
class _Formatter:
    """One pass: attach comments to items by position, then print the tree."""

    def __init__(self, text: str, tree: ast.File):
        self.text = text
        self.tree = tree
        self.lines = text.split("\n")
        self.line_starts = [0]
        for line in self.lines[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        # comments, keyed by id() of the syntax node they belong to
        self.leading: dict[int, list[list]] = {}  # own-line comments before an item: [token, blank before]
        self.item_blank: dict[int, bool] = {}  # a blank line between the last of them and the item
        self.inner: dict[int, list[ast.Token]] = {}  # comments from inside an item, printed above it
        self.follow: dict[int, list[ast.Token]] = {}  # own-line comments right under an item, deeper
        self.attr_leading: dict[int, list[ast.Token]] = {}  # own-line comments before an attribute line
        self.head_end: dict[int, list[ast.Token]] = {}  # before a node's `{` on a line of its own
        self.dangling: dict[int, list[list]] = {}  # before a closing brace / the end of the file
        self.trailing: dict[tuple, list[ast.Token]] = {}  # (line kind, id) -> comments
        self.open_brace: dict[int, int] = {}  # offset of an item's `{`
        self.split: dict[int, tuple[list, list]] = {}
        self.one_line: set[int] = set()
        self.positions: dict[int, tuple[list, list[int]]] = {}
        self.out: list[str] = []

    # ------------------------------------------------------------ positions
    def off(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def start(self, x) -> int:
        return self.off(x.span.line, x.span.column)

    def end(self, x) -> int:
        return self.off(x.span.end_line, x.span.end_column)

    def starts_line(self, line: int, column: int) -> bool:
        return self.lines[line - 1][: column - 1].strip(_BLANK) == ""

    def blank_above(self, line: int, column: int) -> bool:
        return line > 1 and self.starts_line(line, column) and self.lines[line - 2].strip(_BLANK) == ""

    def find_open_brace(self, after: int) -> int:
        text, i = self.text, after
        while i < len(text):
            c = text[i]
            if c == "{":
                return i
            if c == "#":
                nl = text.find("\n", i)
                i = len(text) if nl < 0 else nl
            else:
                i += 1
        raise InternalFormatError("a block's opening brace was not found")

    # ------------------------------------------------------------ driver
    def run(self) -> str:
        self.prepare(self.tree.items)
        comments = self.tree.comments
        own: list[ast.Token] = []
        trailing: list[ast.Token] = []
        for c in comments:
            (own if self.starts_line(c.span.line, c.span.column) else trailing).append(c)
        for c in own:
            self.place(c)
        self.decide_one_line(self.tree.items, schema.TOP, 0)
        self.assign_trailing(trailing)
        self.render_container(0, list(self.tree.items), 0, schema.TOP, is_file=True)
        return "\n".join(self.out) + "\n" if self.out else ""

    def prepare(self, items) -> None:
        """Opening braces, attribute splits, and item blank-line flags."""
        for item in items:
            self.item_blank[id(item)] = self.blank_above(item.span.line, item.span.column)
            if isinstance(item, ast.Entry):
                if item.children is not None:
                    last = item.values[-1] if item.values else item.name
                    self.open_brace[id(item)] = self.find_open_brace(self.end(last))
                    self.prepare(item.children)
            elif isinstance(item, ast.Node):
                self.split[id(item)] = _split_attrs(item)
                if item.children is not None:
                    parts = [item.name, *([item.target] if item.target else []), *item.attrs]
                    self.open_brace[id(item)] = self.find_open_brace(max(self.end(p) for p in parts))
                    self.prepare(item.children)
            elif isinstance(item, ast.Tree):
                self.open_brace[id(item)] = self.find_open_brace(self.end(item.keyword))
                self.prepare(self.tree_children(item))

    def tree_children(self, tree: ast.Tree) -> list:
        return sorted([*tree.nodes, *tree.attrs], key=lambda x: (x.span.line, x.span.column))

    def container_children(self, owner) -> list:
        if owner is None:
            return list(self.tree.items)
        if isinstance(owner, ast.Tree):
            return self.tree_children(owner)
        return list(owner.children or ())

    def positioned_children(self, owner) -> tuple[list, list[int]]:
        """A container's children in source order and their start offsets (cached)."""
        key = 0 if owner is None else id(owner)
        found = self.positions.get(key)
        if found is None:
            children = self.container_children(owner)
            found = self.positions[key] = (children, [self.start(x) for x in children])
        return found

    # ------------------------------------------------------------ own-line comments
    def place(self, c: ast.Token) -> None:
        o = self.off(c.span.line, c.span.column)
        owner = None
        while True:
            children, starts = self.positioned_children(owner)
            i = bisect.bisect_right(starts, o) - 1
            prev = children[i] if i >= 0 else None
            if prev is not None and o < self.end(prev):
                inner = self.place_inside(prev, c, o)
                if inner is None:
                    return
                owner = inner
                continue
            nxt = children[i + 1] if i + 1 < len(children) else None
            self.place_between(owner, prev, nxt, c)
            return

    def place_inside(self, item, c: ast.Token, o: int):
        """Place a comment inside `item`'s span; returns the item when the comment is inside its
        block (the caller goes on one level down), else None."""
        brace = self.open_brace.get(id(item))
        if brace is not None and o > brace:
            return item
        if isinstance(item, ast.Node):
            head, own = self.split[id(item)]
            for a in own:  # inside a monitoring point: above it (its lines are laid out anew)
                if isinstance(a, ast.Clause) and self.start(a) < o < self.end(a):
                    self.attr_leading.setdefault(id(a), []).append(c)
                    return None
            parts = ([item.target] if item.target else []) + list(item.attrs)
            after = [p for p in parts if self.start(p) > o]
            if after:
                first = min(after, key=self.start)
                if isinstance(first, ast.Attr) and any(first is a for a in own):
                    self.attr_leading.setdefault(id(first), []).append(c)
                    return None
            elif own and item.children is not None:
                self.head_end.setdefault(id(item), []).append(c)
                return None
        self.add_leading(item, c)
        return None

    def add_leading(self, item, c: ast.Token) -> None:
        """A comment from inside the item's first lines (between its tokens, or a trailing
        comment that lost its line when lines were joined): printed just above the item."""
        self.inner.setdefault(id(item), []).append(c)

    def place_between(self, owner, prev, nxt, c: ast.Token) -> None:
        key = 0 if owner is None else id(owner)
        if owner is not None and prev is not None and c.span.column > prev.span.column:
            follow = self.follow.setdefault(id(prev), [])
            above = follow[-1].span.line if follow else prev.span.end_line
            if c.span.line == above + 1:  # directly below the item (or its last such comment)
                follow.append(c)
                return
        blank = self.blank_above(c.span.line, c.span.column)
        if nxt is not None:
            self.leading.setdefault(id(nxt), []).append([c, blank])
        else:
            self.dangling.setdefault(key, []).append([c, blank])

    # ------------------------------------------------------------ layout decisions
    def decide_one_line(self, items, spec, indent: int) -> None:
        for item in items:
            if isinstance(item, ast.Entry) and item.children is not None:
                child_spec = _child_spec(item, spec)
                brace = self.open_brace[id(item)]
                same_line = self.off(item.span.end_line, 1) <= brace
                # every field with a value: `资金 { 自评表 全年预算数 }` (two bare names) would read back
                # differently once the fields are reordered
                simple = all(
                    c.children is None and c.values and not any(_is_text(v) for v in c.values) for c in item.children
                )
                if same_line and simple and item.children and not self.dangling.get(id(item)):
                    width = indent + display_width(self.one_line_text(item, child_spec))
                    if width <= ONE_LINE_WIDTH:
                        self.one_line.add(id(item))
                        continue
                self.decide_one_line(item.children, child_spec, indent + INDENT)

    def one_line_text(self, entry: ast.Entry, spec) -> str:
        inner = " ".join(self.entry_head(c, 0) for c in _sorted_entries(entry.children, spec))
        return f"{self.entry_head(entry, 0)} {{ {inner} }}"

    def collapsed(self, owner) -> bool:
        """An empty block with no comments inside prints as `{}`."""
        return not self.container_children(owner) and not self.dangling.get(id(owner))

    # ------------------------------------------------------------ trailing comments
    def assign_trailing(self, trailing: list[ast.Token]) -> None:
        if not trailing:
            return
        marks: list[tuple[int, tuple]] = []
        self.units(self.tree.items, marks)
        marks.sort(key=lambda m: m[0])
        ends = [m[0] for m in marks]
        objects = {}
        for c in trailing:
            o = self.off(c.span.line, c.span.column)
            i = bisect.bisect_right(ends, o) - 1
            if i < 0:
                raise InternalFormatError("a trailing comment has no code before it")
            kind, obj = marks[i][1]
            objects[(kind, id(obj))] = marks[i][1]
            self.trailing.setdefault((kind, id(obj)), []).append(c)
        for key, cs in self.trailing.items():
            if len(cs) > 1:  # two lines joined into one: all but the last comment go above it
                for c in cs[:-1]:
                    self.comment_above(objects[key], c)
                del cs[:-1]

    def comment_above(self, unit: tuple, c: ast.Token) -> None:
        kind, obj = unit
        if kind == "item":
            self.add_leading(obj, c)
        elif kind == "attr":
            self.attr_leading.setdefault(id(obj), []).append(c)
        elif kind == "open":
            self.head_end.setdefault(id(obj), []).append(c)
        else:  # a closing brace: the comment stays inside the block
            self.dangling.setdefault(id(obj), []).append([c, False])

    def units(self, items, marks: list, unit: tuple | None = None) -> None:
        """(end offset, output line) for every token: the line a trailing comment after it joins."""

        def mark(tok, u):
            marks.append((self.end(tok), u))

        for item in items:
            own = unit or ("item", item)
            if isinstance(item, ast.Include):
                mark(item.keyword, own)
                mark(item.path, own)
            elif isinstance(item, ast.Attr):
                mark(item.keyword, own)
                mark(item.value, own)
            elif isinstance(item, ast.Entry):
                mark(item.name, own)
                for v in item.values:
                    if isinstance(v, ast.DateRange):
                        for t in (v.start, v.keyword, v.end):
                            mark(t, own)
                    else:
                        mark(v, own)
                if item.children is not None:
                    marks.append((self.open_brace[id(item)] + 1, own))
                    inline = unit is not None or id(item) in self.one_line or self.collapsed(item)
                    self.units(item.children, marks, own if inline else None)
                    marks.append((self.end(item), own if inline else ("close", item)))
            elif isinstance(item, ast.Node):
                head, own_attrs = self.split[id(item)]
                mark(item.name, own)
                if item.target:
                    mark(item.target.comparator, own)
                    mark(item.target.value, own)
                for a in head:
                    mark(a.keyword, own)
                    mark(a.value, own)
                for a in own_attrs:
                    mark(a.keyword, ("attr", a))
                    mark(a.value, ("attr", a))
                    for part in getattr(a, "parts", ()):
                        mark(part.keyword, ("attr", a))
                        mark(part.value, ("attr", a))
                if item.children is not None:
                    opening = ("open", item) if own_attrs else own
                    marks.append((self.open_brace[id(item)] + 1, opening))
                    self.units(item.children, marks)
                    marks.append((self.end(item), opening if self.collapsed(item) else ("close", item)))
            elif isinstance(item, ast.Tree):
                mark(item.keyword, own)
                marks.append((self.open_brace[id(item)] + 1, own))
                self.units(self.tree_children(item), marks)
                marks.append((self.end(item), own if self.collapsed(item) else ("close", item)))

    # ------------------------------------------------------------ printing
    def emit(self, indent: int, s: str) -> None:
        self.out.append(" " * indent + s)

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def trail(self, unit: tuple) -> None:
        for c in self.trailing.get((unit[0], id(unit[1])), ()):
            self.out[-1] += "  " + c.text.rstrip()

    def comment(self, indent: int, c: ast.Token) -> None:
        self.emit(indent, c.text.rstrip())

    def output_order(self, owner, spec) -> list:
        children = self.container_children(owner)
        if isinstance(owner, ast.Tree):
            return list(owner.nodes) + sorted(owner.attrs, key=lambda a: _TREE_ATTR_RANK.get(a.kind, 99))
        if isinstance(owner, ast.Entry):
            return _sorted_entries(children, spec)
        return children

    def render_container(self, key, children: list, indent: int, spec, *, is_file: bool = False) -> None:
        flags = []
        for i, child in enumerate(children):
            f = [b for _, b in self.leading.get(id(child), ())] + [self.item_blank.get(id(child), False)]
            if i == 0:
                f[0] = False
            elif is_file and not (isinstance(child, ast.Include) and isinstance(children[i - 1], ast.Include)):
                f[0] = True
            flags.append(f)
        widths = self.alignment(children, flags)
        for child, f in zip(children, flags):
            for (c, _), b in zip(self.leading.get(id(child), ()), f):
                if b:
                    self.blank()
                self.comment(indent, c)
            if f[-1]:
                self.blank()
            for c in _in_order(self.inner.get(id(child), ())):
                self.comment(indent, c)
            self.render_item(child, indent, spec, widths.get(id(child), (0, 0)))
            for c in self.follow.get(id(child), ()):
                self.comment(indent + INDENT, c)
        for j, (c, b) in enumerate(self.dangling.get(key, ())):
            if b and (children or j > 0):
                self.blank()
            self.comment(indent, c)

    def alignment(self, children: list, flags: list) -> dict[int, tuple[int, int]]:
        """Name and target column widths for each aligned indicator: runs of sibling indicators
        (nodes without a body) not parted by a blank line or a group; an indicator with nothing
        after its name takes no part."""
        widths: dict[int, tuple[int, int]] = {}
        run: list[ast.Node] = []

        def close():
            if run:
                name_w = max(display_width(n.name.text) for n in run)
                target_w = max(
                    (display_width(_target_text(n.target)) for n in run if n.target and self.split[id(n)][0]), default=0
                )
                for n in run:
                    widths[id(n)] = (name_w, target_w)
                run.clear()

        for child, f in zip(children, flags):
            if not isinstance(child, ast.Node) or child.children is not None or any(f):
                close()
            if isinstance(child, ast.Node) and child.children is None and (child.target or self.split[id(child)][0]):
                run.append(child)
        close()
        return widths

    def render_item(self, item, indent: int, spec, widths: tuple[int, int]) -> None:
        unit = ("item", item)
        if isinstance(item, ast.Include):
            self.emit(indent, f"{item.keyword.text} {item.path.text}")
            self.trail(unit)
        elif isinstance(item, ast.Attr):
            self.emit(indent, self.attr_text(item, indent))
            self.trail(unit)
        elif isinstance(item, ast.Entry):
            self.render_entry(item, indent, spec)
        elif isinstance(item, ast.Node):
            self.render_node(item, indent, widths)
        elif isinstance(item, ast.Tree):
            if self.collapsed(item):
                self.emit(indent, f"{item.keyword.text} {{}}")
                self.trail(unit)
                return
            self.emit(indent, f"{item.keyword.text} {{")
            self.trail(unit)
            self.render_container(id(item), self.output_order(item, None), indent + INDENT, None)
            self.emit(indent, "}")
            self.trail(("close", item))

    def render_entry(self, entry: ast.Entry, indent: int, spec) -> None:
        unit = ("item", entry)
        child_spec = _child_spec(entry, spec)
        head = self.entry_head(entry, indent)
        if entry.children is None:
            self.emit(indent, head)
            self.trail(unit)
        elif id(entry) in self.one_line:
            self.emit(indent, self.one_line_text(entry, child_spec))
            self.trail(unit)
        elif self.collapsed(entry):
            self.emit(indent, head + " {}")
            self.trail(unit)
        else:
            self.emit(indent, head + " {")
            self.trail(unit)
            self.render_container(id(entry), self.output_order(entry, child_spec), indent + INDENT, child_spec)
            self.emit(indent, "}")
            self.trail(("close", entry))

    def entry_head(self, entry: ast.Entry, indent: int) -> str:
        parts = [entry.name.text]
        for v in entry.values:
            if isinstance(v, ast.DateRange):
                parts.append(f"{v.start.canonical} {v.keyword.text} {v.end.canonical}")
            else:
                parts.append(_value_text(v, indent))
        return " ".join(parts)

    def attr_text(self, a: ast.Attr, indent: int) -> str:
        return f"{a.keyword.text} {_value_text(a.value, indent)}"

    def render_clause(self, clause: ast.Clause, indent: int) -> None:
        """`监控 6月 已完成 … 预计完成 … 可能性 …`, then its texts one level deeper."""
        figures, texts = _split_parts(clause)
        self.emit(indent, " ".join([self.attr_text(clause, indent), *(self.attr_text(a, indent) for a in figures)]))
        for a in texts:
            self.emit(indent + INDENT, self.attr_text(a, indent + INDENT))

    def render_node(self, node: ast.Node, indent: int, widths: tuple[int, int]) -> None:
        unit = ("item", node)
        head_attrs, own = self.split[id(node)]
        name_w, target_w = widths
        name = node.name.text
        target = _target_text(node.target) if node.target else ""
        attrs = " ".join(self.attr_text(a, indent) for a in head_attrs)
        line = name
        if target or attrs:
            line = _pad(name, name_w)
            if target and attrs:
                line += " " + _pad(target, target_w) + " " + attrs
            elif target:
                line += " " + target
            else:
                line += " " + (" " * target_w + " " if target_w else "") + attrs
        body = node.children is not None
        collapsed = body and self.collapsed(node)
        if body and not own:
            line += " {}" if collapsed else " {"
        self.emit(indent, line)
        self.trail(unit)
        deeper = indent + INDENT
        for a in own:
            for c in _in_order(self.attr_leading.get(id(a), ())):
                self.comment(deeper, c)
            if isinstance(a, ast.Clause):
                self.render_clause(a, deeper)
            else:
                self.emit(deeper, self.attr_text(a, deeper))
            self.trail(("attr", a))
        if body and own:
            for c in _in_order(self.head_end.get(id(node), ())):
                self.comment(deeper, c)
            self.emit(indent, "{}" if collapsed else "{")
            self.trail(("open", node))
        if body and not collapsed:
            self.render_container(id(node), list(node.children or ()), deeper, None)
            self.emit(indent, "}")
            self.trail(("close", node))


def _in_order(comments) -> list[ast.Token]:
    return sorted(comments, key=lambda c: (c.span.line, c.span.column))


def _is_text(v) -> bool:
    return isinstance(v, ast.Token) and v.kind == "TEXT"


def _target_text(t: ast.Target) -> str:
    return f"{t.comparator.text} {t.value.canonical}"


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - display_width(s))


def _value_text(tok, indent: int) -> str:
    if isinstance(tok, ast.Token) and tok.kind == "TEXT":
        return _text_block(tok.value, indent + INDENT)
    return tok.canonical  # figures and dates with half-width digits


def _text_block(value: str, indent: int) -> str:
    """A text block whose content and closing quotes sit at `indent`: the parser removes the
    common indentation, so the value is the same whatever the indentation."""
    pad = " " * indent
    lines = value.split("\n") if value else []
    return '"""' + "".join("\n" + (pad + line if line.strip(" \t") else "") for line in lines) + "\n" + pad + '"""'
