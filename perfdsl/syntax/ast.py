"""The syntax tree of a .perf file: plain dataclasses with spans.

Tokens keep the exact text the author wrote (numbers, units, keyword spelling), so that the
formatter can print them back unchanged; `value` gives the meaning.

The tree is a value: nothing changes a node after the parser made it; a changed tree is made
of copies (dataclasses.replace). The classes are not declared frozen only because a frozen
dataclass costs three times as much to make, and a parse makes about a hundred of them per file."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core import comparators
from ..core.quantity import parse_quantity
from ..core.text import half_width_digits
from ..diagnostics import Span, span_from_tuple

UNSET = object()  # a token's value not worked out yet (None is a value)


class Token:
    """A token as written. Plain slots rather than a dataclass: files have tens of thousands.
    The parser's fused loop makes its tokens as these directly (one object a token, not Lark's
    and then ours); a token of Lark's own loop is copied into one (`at`). Either way the span is
    made from the positions only when first asked for (most never are)."""

    __slots__ = ("kind", "text", "_span", "_value", "_file", "line", "column", "end_line", "end_column")
    _file: str
    line: int  # where the parser found it; unset on a token made with its span
    column: int
    end_line: int
    end_column: int

    def __init__(self, kind: str, text: str, span: Span | None):
        self.kind = kind  # NAME, STRING, TEXT, QUANTITY, DATE, KEYWORD, COMMENT
        self.text = text
        self._span = span
        self._value = UNSET

    @classmethod
    def at(cls, kind: str, source, file: str) -> Token:
        """Our token of kind `kind`, in `file`, for a token of the parser: one made by the fused
        loop is that token, given its kind and file; one of Lark's is copied."""
        if type(source) is cls:
            source.kind = kind
            source._file = file
            return source
        token = cls.__new__(cls)
        token.kind = kind
        token.text = source.value  # the plain str Lark keeps (str(source) would copy it)
        token._span = None
        token._value = UNSET
        token._file = file
        token.line, token.column, token.end_line, token.end_column = (
            source.line,
            source.column,
            source.end_line,
            source.end_column,
        )
        return token

    @property
    def type(self) -> str:
        """The parser's name for the token (its terminal) until the tree builder gives it its kind."""
        return self.kind

    @property
    def span(self) -> Span:
        if self._span is None:
            self._span = span_from_tuple((self._file, self.line, self.column, self.end_line, self.end_column))
        return self._span

    @property
    def value(self):
        v = self._value
        if v is not UNSET:
            return v
        kind = self.kind
        if kind == "QUANTITY":
            v = parse_quantity(self.text)
        elif kind == "STRING":
            v = unescape(self.text[1:-1]) if "\\" in self.text else self.text[1:-1]
        elif kind == "TEXT":
            v = dedent_text(self.text[3:-3])
        else:
            v = self.canonical
        self._value = v
        return v

    @property
    def canonical(self) -> str:
        """The token as `perfdsl fmt` writes it: a figure or a date with half-width digits
        (２０万元 → 20万元: full-width digits are the same digits); anything else as written."""
        if self.kind in ("QUANTITY", "DATE") and not self.text.isascii():
            return half_width_digits(self.text)
        return self.text

    def __eq__(self, other):  # meaning, not position: two tokens are equal when they say the same
        return isinstance(other, Token) and self.kind == other.kind and self.canonical == other.canonical

    def __hash__(self):
        return hash((self.kind, self.canonical))

    def __repr__(self):
        return f"Token({self.kind}, {self.text!r}, {self.span.line}:{self.span.column})"


def unescape(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def dedent_text(body: str) -> str:
    """Text blocks may be indented with the file; the indentation is not part of the text. A line
    of nothing but spaces — any spaces: a no-break or ideographic one too, as before the closing
    quotes — sets no indentation (textwrap alone would count one that is not a space or a tab)."""
    if body.startswith("\n"):
        body = body[1:]
    head, _, tail = body.partition("\n")
    if "\n" not in tail and not tail.lstrip(" \t"):  # one line (and the closing quotes' indentation)
        return head.lstrip(" \t").rstrip()
    return dedent(body, any_space=not body.isascii()).rstrip()


def dedent(text: str, any_space: bool = False) -> str:
    """textwrap.dedent, line by line: the same result (tests/test_properties.py holds them equal),
    in half the time — every text block of every file goes through it, and textwrap makes three
    regular-expression passes over the text. Lines of only spaces and tabs (with `any_space`, of
    only spaces of any kind) become empty and set no margin; the margin is the longest run of
    spaces and tabs that begins every other line."""
    lines = text.split("\n")
    margin = None
    for line in lines:
        stripped = line.lstrip(" \t")
        if not stripped or any_space and stripped.isspace():
            continue
        indent = line[: len(line) - len(stripped)]
        if margin is None or margin.startswith(indent):
            margin = indent
        elif not indent.startswith(margin):
            margin = margin[: next(i for i, (x, y) in enumerate(zip(margin, indent)) if x != y)]
    cut = len(margin) if margin else 0
    return "\n".join(
        "" if not (stripped := line.lstrip(" \t")) or any_space and stripped.isspace() else line[cut:] for line in lines
    )


@dataclass(eq=False, slots=True)
class DateRange:
    """A period as written (start 至 end)."""

    start: Token
    keyword: Token
    end: Token
    span: Span

    def __eq__(self, other):
        return isinstance(other, DateRange) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self):
        return hash((self.start, self.end))


Value = Token | DateRange


@dataclass(eq=False, slots=True)
class Entry:
    """A field as written: its name, values and block, if any."""

    name: Token
    values: tuple[Value, ...]
    children: tuple[Entry, ...] | None  # None: no block; () an empty block
    span: Span

    def __eq__(self, other):
        return isinstance(other, Entry) and (self.name, self.values, self.children) == (
            other.name,
            other.values,
            other.children,
        )

    def __hash__(self):
        return hash((self.name, self.values))


@dataclass(eq=False, slots=True)
class Include:
    """An include as written (引用 "file")."""

    keyword: Token
    path: Token
    span: Span

    def __eq__(self, other):
        return isinstance(other, Include) and self.path == other.path

    def __hash__(self):
        return hash(self.path)


@dataclass(eq=False, slots=True)
class Attr:
    """An indicator's attribute as written (分值 5, 实际 10台 …)."""

    kind: str  # weight, actual, score, basis, … (the grammar rule's name)
    keyword: Token
    value: Token  # a Target or a weight Attr after 调整 (adjust), which have a `text` too
    span: Span

    def __eq__(self, other):
        return isinstance(other, Attr) and (self.kind, self.value) == (other.kind, other.value)

    def __hash__(self):
        return hash((self.kind, self.value))

    @property
    def text(self) -> str:
        """As written, one space between keyword and value (an attribute inside 调整 分值 2)."""
        return f"{self.keyword.text} {self.value.text}"


@dataclass(eq=False, slots=True)
class Clause(Attr):
    """An attribute with attributes of its own: a monitoring point beside an indicator,
    `监控 6月 已完成 5次 预计完成 11次 可能性 有可能 …` (value: the month; parts: the rest)."""

    parts: tuple[Attr, ...] = ()

    def __eq__(self, other):
        return (
            isinstance(other, Clause)
            and (self.kind, self.value) == (other.kind, other.value)
            and sorted(self.parts, key=_attr_key) == sorted(other.parts, key=_attr_key)
        )

    def __hash__(self):
        return hash((self.kind, self.value))

    def part(self, kind: str) -> Attr | None:
        for a in self.parts:
            if a.kind == kind:
                return a
        return None

    def last_token(self) -> Token:
        return self.parts[-1].value if self.parts else self.value


@dataclass(eq=False, slots=True)
class Target:
    """An indicator's target as written: a comparator and a value, or 定性 and a text."""

    comparator: Token  # the comparator or the 定性 keyword, as written
    value: Token
    qualitative: bool
    span: Span

    def __eq__(self, other):
        return isinstance(other, Target) and (canonical_comparator(self.comparator.text), self.value) == (
            canonical_comparator(other.comparator.text),
            other.value,
        )

    def __hash__(self):
        return hash(self.value)

    @property
    def text(self) -> str:
        return f"{self.comparator.text} {self.value.text}"

    @property
    def canonical(self) -> str:
        """As `perfdsl fmt` writes it: the figure with half-width digits (see Token.canonical)."""
        return f"{self.comparator.text} {self.value.canonical}"


@dataclass(eq=False, slots=True)
class Node:
    """An indicator or group as written, with its target, attributes and children."""

    name: Token
    target: Target | None
    attrs: tuple[Attr, ...]
    children: tuple[Node, ...] | None
    span: Span

    def __eq__(self, other):
        return isinstance(other, Node) and (
            self.name.value,
            self.target,
            sorted(self.attrs, key=_attr_key),
            self.children,
        ) == (other.name.value, other.target, sorted(other.attrs, key=_attr_key), other.children)

    def __hash__(self):
        return hash(self.name.value)

    def attr(self, kind: str) -> Attr | None:
        for a in self.attrs:
            if a.kind == kind:
                return a
        return None


def _attr_key(a: Attr):
    return (a.kind, a.value.text)


@dataclass(eq=False, slots=True)
class Tree:
    """An indicator tree block as written."""

    keyword: Token
    kind: str  # self_evaluation | evaluation
    nodes: tuple[Node, ...]
    attrs: tuple[Attr, ...]
    span: Span

    def __eq__(self, other):
        return isinstance(other, Tree) and (self.kind, self.nodes, sorted(self.attrs, key=_attr_key)) == (
            other.kind,
            other.nodes,
            sorted(other.attrs, key=_attr_key),
        )

    def __hash__(self):
        return hash(self.kind)


Item = Include | Entry | Tree


@dataclass(eq=False, slots=True)
class File:
    """A parsed file: its items and comments."""

    path: str
    items: tuple[Item, ...]
    comments: tuple[Token, ...]

    def __eq__(self, other):  # AST equality ignores positions and comments (formatter proof)
        return isinstance(other, File) and self.items == other.items

    def __hash__(self):
        return hash(self.items)


canonical_comparator = comparators.canonical


def decimal_of(token: Token) -> Decimal:
    return token.value.number
