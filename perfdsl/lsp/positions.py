"""Positions between perfdsl and the Language Server Protocol.

perfdsl spans are 1-based and count characters (code points), as Lark does. LSP positions are
0-based and count code units of the negotiated encoding: UTF-16 unless the client offers
another. Chinese characters of the Basic Multilingual Plane are one UTF-16 unit, but characters
beyond it (𠀀 U+20000, emoji) are two, so a column after such a character differs between the
two counts. Lines end at \\n, \\r\\n or \\r, as the protocol says."""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def units(s: str, encoding: str = UTF16) -> int:
    """The length of `s` in code units of `encoding`."""
    if encoding == UTF32:
        return len(s)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    if s.isascii():
        return len(s)
    return len(s) + len(_ASTRAL.findall(s))


def _unit(c: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return len(c.encode("utf-8", "surrogatepass"))
    return 2 if ord(c) > 0xFFFF else 1


class LineIndex:
    """A document's lines, for converting between character offsets, perfdsl (line, column) and
    LSP positions. Offsets index the text exactly as given (line breaks included)."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding if encoding in (UTF8, UTF16, UTF32) else UTF16
        starts, ends = [0], []
        for m in _LINE_BREAK.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self.starts, self.ends = starts, ends
        # per line, made when first needed: None when a character is one code unit on it, else
        # the code units before each character (so that every position on a long line costs
        # the same, and converting all of a line's tokens is linear, not quadratic)
        self._units_before: dict[int, list[int] | None] = {}

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line(self, n: int) -> str:
        """The text of 0-based line `n`, without its line break ("" beyond the end)."""
        if 0 <= n < len(self.starts):
            return self.text[self.starts[n] : self.ends[n]]
        return ""

    # ------------------------------------------------------------ offsets
    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position, clamped to the document. A position inside a
        character (between the two halves of a surrogate pair) falls before it."""
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[position.line], self.ends[position.line]
        want = max(0, position.character)
        line = self.text[start:end]
        if self.encoding == UTF32 or line.isascii() or (self.encoding == UTF16 and not _ASTRAL.search(line)):
            return start + min(want, len(line))
        used = 0
        for i, c in enumerate(line):
            step = _unit(c, self.encoding)
            if used + step > want:
                return start + i
            used += step
        return end

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset (clamped to the document)."""
        offset = max(0, min(offset, len(self.text)))
        n = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[n]
        if offset > self.ends[n]:  # inside a \r\n: the end of the line
            offset = self.ends[n]
        return types.Position(line=n, character=self._units(n, offset - start))

    def _units(self, n: int, chars: int) -> int:
        """Code units of the first `chars` characters of line `n`."""
        if n not in self._units_before:
            line = self.text[self.starts[n] : self.ends[n]]
            simple = self.encoding == UTF32 or line.isascii() or (self.encoding == UTF16 and not _ASTRAL.search(line))
            if simple:
                self._units_before[n] = None
            else:
                before, used = [0], 0
                for c in line:
                    used += _unit(c, self.encoding)
                    before.append(used)
                self._units_before[n] = before
        table = self._units_before[n]
        return chars if table is None else table[chars]

    def line_col(self, offset: int) -> tuple[int, int]:
        """perfdsl's 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        n = bisect.bisect_right(self.starts, offset) - 1
        return n + 1, offset - self.starts[n] + 1

    def offset_of(self, line: int, column: int) -> int:
        """The character offset of perfdsl's 1-based (line, column), clamped to the line."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        start, end = self.starts[line - 1], self.ends[line - 1]
        return min(start + max(column - 1, 0), end)

    # ------------------------------------------------------------ perfdsl spans
    def to_lsp(self, line: int, column: int) -> types.Position:
        """perfdsl (1-based line, 1-based character column) → LSP position."""
        if line > len(self.starts):
            return self.position(len(self.text))
        return self.position(self.offset_of(line, column))

    def from_lsp(self, position: types.Position) -> tuple[int, int]:
        """LSP position → perfdsl (1-based line, 1-based character column)."""
        return self.line_col(self.offset(position))

    def span_range(self, span) -> types.Range:
        """A perfdsl Span (or anything with line, column, end_line, end_column) as an LSP range."""
        start = self.to_lsp(span.line, span.column)
        end = self.to_lsp(span.end_line, span.end_column)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start=start, end=end)

    def range(self, start: int, end: int) -> types.Range:
        """Character offsets → LSP range."""
        return types.Range(start=self.position(start), end=self.position(end))

    def line_range(self, n: int, *, strip: bool = True) -> types.Range:
        """The range of 0-based line `n` (without its leading indentation when `strip`)."""
        text = self.line(n)
        start = self.starts[n] if n < len(self.starts) else len(self.text)
        lead = len(text) - len(text.lstrip()) if strip else 0
        return self.range(start + lead, start + len(text.rstrip()) if strip else start + len(text))
