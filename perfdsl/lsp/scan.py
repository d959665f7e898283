"""A tolerant reading of .perf text for the editor: tokens and the nesting at any point, even in
a half-typed file that the parser rejects.

The parser decides what is valid; this scan only answers "where am I": inside which blocks
(资金 › 来源, or 评价指标体系 › 产出 › 数量), after which keyword, inside a string or a comment.
It never fails: an unclosed string ends at its line, an unclosed text block at the end."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import normalize
from .positions import LineIndex
from .vocabulary import is_value_word, keywords

_TOKEN = re.compile(
    r'(?P<text>"""(?:.|\n)*?(?:"""|\Z))'
    r'|(?P<string>"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z))'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<lbrace>\{)|(?P<rbrace>\})"
    r"|(?P<ws>\s+)"
    r"|(?P<cmp>>=|<=|≥|≤|＝|=|>|<)"
    r'|(?P<word>[^\s"#{}<>=≥≤＝]+)',
    re.S,
)


@dataclass(frozen=True)
class Tok:
    kind: str  # text, string, comment, lbrace, rbrace, cmp, word
    text: str
    start: int  # character offsets in the scanned text
    end: int

    @property
    def closed(self) -> bool:
        """Strings and text blocks: whether the closing quote(s) were written."""
        if self.kind == "text":
            return len(self.text) >= 6 and self.text.endswith('"""')
        if self.kind == "string":
            return len(self.text) >= 2 and self.text.endswith('"') and not self.text.endswith('\\"')
        return True

    @property
    def value(self) -> str:
        """A string's content without its quotes; other tokens as written."""
        if self.kind == "string":
            return self.text[1:-1] if self.closed else self.text[1:]
        return self.text


def tokenize(text: str, end: int | None = None) -> list[Tok]:
    """The tokens of text[:end] (whitespace left out)."""
    out = []
    for m in _TOKEN.finditer(text, 0, len(text) if end is None else end):
        kind = m.lastgroup
        if kind is not None and kind != "ws":
            out.append(Tok(kind, m.group(), m.start(), m.end()))
    return out


@dataclass
class Frame:
    """An open block: the file itself, an entry's block (项目 {…}), a tree or a node body."""

    kind: str  # top, entry, tree, node
    name: str = ""  # the entry head or node name that opened it ("" for top)
    tree: str | None = None  # self_evaluation | evaluation, inside a tree
    start: int = 0  # offset of the "{"
    head_start: int = 0  # offset of the statement that opened it
    names: list[str] = field(default_factory=list)  # entry heads / node names written so far inside it


@dataclass
class Context:
    """Where an offset sits."""

    frames: list[Frame]
    prev: Tok | None = None  # the last token before the offset (comments skipped)
    expecting: Tok | None = None  # a keyword or comparator still waiting for its value
    head: Tok | None = None  # the current entry head (plain blocks) or node name (trees)
    statement_start: int = 0  # where the enclosing top-level statement begins
    since_head: list[Tok] = field(default_factory=list)  # the tokens after the head (its target, attributes, values)

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def tree(self) -> str | None:
        return self.frame.tree

    @property
    def in_tree(self) -> bool:
        return self.frame.kind in ("tree", "node")

    @property
    def node_path(self) -> tuple[str, ...]:
        """The names of the open node bodies (the parent path of a node written here)."""
        return tuple(f.name for f in self.frames if f.kind == "node")

    @property
    def entry_path(self) -> list[str]:
        return [f.name for f in self.frames if f.kind == "entry"]


_TREE_KINDS = {
    "自评表": "self_evaluation",
    "self-evaluation": "self_evaluation",
    "评价指标体系": "evaluation",
    "evaluation": "evaluation",
    "绩效指标": "self_evaluation",
    "indicators": "self_evaluation",
}


def walk(tokens: list[Tok], upto: int | None = None, names: list | None = None) -> Context:
    """The context after tokens[:upto]. `names`, when given, collects every node name as
    (tree kind, parent path, name, token)."""
    kw = keywords()
    value_keywords = kw.value_keywords
    includes = set(kw.words("include"))
    adjust = set(kw.words("adjust"))  # 调整 ≥ 10个: a comparator, then its value
    ctx = Context(frames=[Frame("top")])
    pending_tree: str | None = None
    for tok in tokens[:upto]:
        if tok.kind == "comment":
            continue
        frame = ctx.frames[-1]
        in_tree = frame.kind in ("tree", "node")
        ctx.since_head.append(tok)
        if tok.kind == "lbrace":
            if pending_tree is not None and frame.kind == "top":
                ctx.frames.append(Frame("tree", "", pending_tree, tok.start, ctx.statement_start))
            elif in_tree:
                name = _name_of(ctx.head) if ctx.head is not None else ""
                ctx.frames.append(Frame("node", name, frame.tree, tok.start, ctx.head.start if ctx.head else tok.start))
            else:
                name = ctx.head.text if ctx.head is not None else ""
                ctx.frames.append(Frame("entry", name, None, tok.start, ctx.head.start if ctx.head else tok.start))
            pending_tree, ctx.head, ctx.expecting = None, None, None
            ctx.since_head = []
        elif tok.kind == "rbrace":
            if len(ctx.frames) > 1:
                ctx.frames.pop()
            ctx.head, ctx.expecting = None, None
            ctx.since_head = []
        elif in_tree:
            if ctx.expecting is not None and tok.kind == "cmp" and ctx.expecting.text in adjust:
                ctx.expecting = tok
            elif ctx.expecting is not None and not (tok.kind == "word" and tok.text in value_keywords):
                ctx.expecting = None  # the value of the keyword before
            elif tok.kind == "cmp" or (tok.kind == "word" and tok.text in value_keywords):
                ctx.expecting = tok
            elif tok.kind in ("word", "string"):
                ctx.head = tok  # a node name
                ctx.since_head = []
                frame.names.append(_name_of(tok))
                if names is not None:
                    names.append(
                        (frame.tree, tuple(f.name for f in ctx.frames if f.kind == "node"), _name_of(tok), tok)
                    )
            else:
                ctx.expecting = None
        else:
            if ctx.expecting is not None and tok.kind in ("string", "text"):
                ctx.expecting = None  # the path of an include
            elif tok.kind == "word" and frame.kind == "top" and tok.text in _TREE_KINDS:
                pending_tree, ctx.head, ctx.expecting = _TREE_KINDS[tok.text], tok, None
                ctx.statement_start, ctx.since_head = tok.start, []
            elif tok.kind == "word" and frame.kind == "top" and tok.text in includes:
                ctx.expecting, ctx.head, pending_tree = tok, None, None
                ctx.statement_start, ctx.since_head = tok.start, []
            elif tok.kind == "word" and not is_value_word(tok.text):
                ctx.head, ctx.expecting, pending_tree = tok, None, None
                ctx.since_head = []
                frame.names.append(tok.text)
                if frame.kind == "top":
                    ctx.statement_start = tok.start
        ctx.prev = tok
    return ctx


def _name_of(tok: Tok) -> str:
    return tok.value if tok.kind == "string" else tok.text


def token_at(tokens: list[Tok], offset: int) -> int | None:
    """The index of the token that contains `offset` or ends right at it (the word under or just
    before the cursor), preferring the one that starts there."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end < offset:
            lo = mid + 1
        else:
            hi = mid
    best = None
    for i in range(lo, min(lo + 2, len(tokens))):
        t = tokens[i]
        if t.start <= offset <= t.end:
            if t.start == offset:
                return i
            best = i
    return best


@dataclass(frozen=True)
class Cursor:
    """The document around an LSP position: its text (line ends normalised), line index and
    tokens, and the index of the token under the cursor."""

    text: str
    index: LineIndex
    tokens: list[Tok]
    i: int

    @property
    def tok(self) -> Tok:
        return self.tokens[self.i]


def cursor(text: str, position, encoding: str = "utf-16") -> Cursor | None:
    """The token under an LSP position, or None when there is none."""
    text = normalize(text)
    index = LineIndex(text, encoding)
    tokens = tokenize(text)
    i = token_at(tokens, index.offset(position))
    return None if i is None else Cursor(text, index, tokens, i)
