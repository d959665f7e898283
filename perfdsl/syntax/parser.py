"""Text → syntax tree, with every syntax error as a located Diagnostic in the author's terms.

The grammar's LALR parser builds perfdsl's tree directly as it reduces (no intermediate parse
tree). A text the grammar accepts is read by the fused loop (fused.py) on the parser's tables,
without Lark itself; a text with a syntax error is read again by Lark's own loop
(lark_parser.py), which reports and recovers from each error. Lark, and the grammar analysed, are
loaded only then, or when the tables must be made."""

from __future__ import annotations

import re
from functools import cache

from ..diagnostics import Diagnostic, Span
from ..project import CONTROL_CHARACTERS
from ..resources import grammar_path
from . import ast, fused
from .builder import BUILDER, COMMENTS, LEXER_CALLBACKS, LOCK, at
from .fused import FusedLoop

MAX_FILE_BYTES = 4 * 1024 * 1024


@cache
def _fused_loop() -> FusedLoop | None:
    """The fused loop on the grammar's tables: those kept in the user's cache folder, else made
    from Lark's parser (and kept). None when Lark's parser is not as the loop expects: Lark's
    own loop then parses every text (the same trees, slower)."""
    grammar = grammar_path().read_text(encoding="utf-8")
    path = fused.cache_file("loop", grammar, fused.code_of_tables())
    tables = fused.read_tables(path) if path else None
    if tables is not None:
        try:
            return FusedLoop(tables, BUILDER, LEXER_CALLBACKS)
        except ValueError:
            pass  # tables of another builder, or damaged: made again
    from . import lark_parser

    tables = lark_parser.loop_tables()
    if tables is None:
        return None
    loop = FusedLoop(tables, BUILDER, LEXER_CALLBACKS)
    if path:
        fused.keep_tables(path, tables)
    return loop


def warm_up() -> None:
    """Make the fused loop now, with every state's lexer (34 of them, ~9 ms), which a single
    parse makes only as it meets them: for a process about to fork workers that will all parse,
    so that they are made once here rather than in each worker on its first files."""
    loop = _fused_loop()
    if loop is not None:
        loop.make_every_lexer()


# ---------------------------------------------------------------- entry point
def parse(text: str, file: str = "<text>", *, plain: bool = False) -> tuple[ast.File | None, list[Diagnostic]]:
    """Parse .perf source. Returns the tree (None when the text has syntax errors) and the
    diagnostics. Never raises for bad input. One slip gives one diagnostic: after an error, the
    next is reported only if it lies in a later top-level item (see lark_parser.py). `plain`:
    the text is known to hold no binary content (project.decode_source found it from the
    file's bytes), so it is not searched for it again."""
    problem = None if plain else _precheck(text, file)
    if problem:
        return None, [problem]
    loop = _fused_loop()
    if loop is not None:
        with LOCK:
            BUILDER.file = file
            COMMENTS.clear()
            result = loop.parse(text)
            comments = tuple([at("COMMENT", t, file) for t in COMMENTS])
        if result is not loop.FAILED:
            return ast.File(file, result, comments), []
    from . import lark_parser  # a syntax error: Lark's own loop reports it, and recovers

    return lark_parser.parse(text, file)


# Binary content: the control characters no text holds, U+FFFD, and the surrogates that stand for
# bytes that are not UTF-8 (project.decode_source).
_BINARY = re.compile("[" + CONTROL_CHARACTERS + "\udc80-\udcff\ufffd]")


def _precheck(text: str, file: str) -> Diagnostic | None:
    if len(text) * 4 > MAX_FILE_BYTES:  # only then can the UTF-8 size exceed the limit
        size = len(text.encode("utf-8", "surrogateescape"))
        if size > MAX_FILE_BYTES:
            return Diagnostic("P0004", Span.point(file, 1, 1), {"size": _mib(size), "limit": _mib(MAX_FILE_BYTES)})
    m = _BINARY.search(text)
    if m:
        i, c = m.start(), m.group()
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        what = f"U+{ord(c):04X}" if not "\udc80" <= c <= "\udcff" else _bad_bytes(text, ord(c) - 0xDC00)
        return Diagnostic("P0003", Span.point(file, line, col), {"line": line, "column": col, "what": what})
    return None


def _bad_bytes(text: str, byte: int) -> str:
    """Name the encoding a non-UTF-8 file was probably saved in (GBK is common in Chinese offices)."""
    raw = text.encode("utf-8", "surrogateescape")
    for encoding in ("gb18030", "utf-16"):
        try:
            raw.decode(encoding)
            if encoding == "gb18030":
                return f"字节 0x{byte:02X} 不是 UTF-8；文件像是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            continue
    return f"字节 0x{byte:02X} 不是 UTF-8 编码"


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"
