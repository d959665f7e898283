"""Making one syntax slip one diagnostic.

An LALR parser that resumes after an error reports everything that follows a missing brace or
an unclosed quote as new errors. This module looks at the text's block structure (braces and
text blocks, skipping strings and comments) to keep only errors that are independent — in a
later top-level item — and to name the real cause: the block left open, the text block never
closed, the misspelt block keyword."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

_SCAN = re.compile(r'"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|[{}]|\n')


@dataclass(frozen=True)
class Opener:
    pos: int
    line: int
    column: int
    name: str  # the first word of the line that opens the block ("资金", "来源")


@dataclass
class Structure:
    zero_points: list[int]  # positions after which the brace depth is back to 0
    openers_at: list[tuple[int, tuple[Opener, ...]]]  # (pos, open blocks after pos), in order
    text_quotes: list[int]  # positions of """ in order
    ok: bool  # the scan reached the end (no unterminated text block)

    def independent(self, previous: int, pos: int) -> bool:
        """Is the depth back to 0 somewhere between two error positions?"""
        i = bisect.bisect_right(self.zero_points, previous)
        return i < len(self.zero_points) and self.zero_points[i] <= pos

    def open_blocks(self, pos: int) -> tuple[Opener, ...]:
        i = bisect.bisect_right([p for p, _ in self.openers_at], pos) - 1
        return self.openers_at[i][1] if i >= 0 else ()


def scan(text: str) -> Structure:
    zero: list[int] = [0]
    openers_at: list[tuple[int, tuple[Opener, ...]]] = [(0, ())]
    quotes: list[int] = []
    stack: list[Opener] = []
    line, line_start = 1, 0
    in_text = False
    for m in _SCAN.finditer(text):
        tok = m.group()
        if tok == '"""':
            quotes.append(m.start())
            in_text = not in_text
            continue
        if tok == "\n":
            line += 1
            line_start = m.end()
            continue
        if in_text:
            continue
        if tok == "{":
            head = text[line_start : m.start()].strip()
            name = head.split()[0] if head else ""
            stack.append(Opener(m.start(), line, m.start() - line_start + 1, name))
            openers_at.append((m.start(), tuple(stack)))
        elif tok == "}":
            if stack:
                stack.pop()
            openers_at.append((m.start(), tuple(stack)))
            if not stack:
                zero.append(m.end())
    return Structure(zero, openers_at, quotes, not in_text)


def unclosed_text_block(text: str, structure: Structure) -> int | None:
    """The position of a text block opener that was never closed, when the pairing of the
    file's \"\"\" shows one: a \"\"\" that, as a closer, would be followed by more words on its
    line, or preceded by a field name, is really the next block's opener."""
    quotes = structure.text_quotes
    if len(quotes) % 2:
        # an odd count: find the first pair whose "closer" looks like an opener
        for i in range(0, len(quotes) - 1, 2):
            if _looks_like_opener(text, quotes[i + 1]):
                return quotes[i]
        return quotes[-1]
    for i in range(0, len(quotes) - 1, 2):
        if _looks_like_opener(text, quotes[i + 1]):
            return quotes[i]
    return None


def _looks_like_opener(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos].strip()
    return bool(before) and not before.endswith(("。", "；", "，", ".", "！", "？", "”", "）"))


def misspelt_block(name: str, known: list[str]) -> str | None:
    if name in known or not name:
        return None
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return close[0] if close else None
