"""How wide text is on a screen, a grid table or a page of monospace: one rule for the
formatter's alignment, the grid tables pandoc reads, the terminal's carets and plain-text tables.

A CJK (wide or full-width) character takes two columns; a combining mark or a zero-width format
character takes none (pandoc's grid-table reader counts the same way, and a table whose borders
do not line up by this count is silently read as one cell)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)
def char_width(c: str) -> int:
    """Columns one character takes."""
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):  # combining marks, zero-width format
        return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def display_width(s: str) -> int:
    """Columns `s` takes."""
    if s.isascii() and s.isprintable():  # the common case: one column a character
        return len(s)
    if len(s) > _KEPT_WIDTH:  # a long text is counted each time (linear), not kept
        return sum(char_width(c) for c in s)
    return _short_width(s)


# The widths of the short texts asked for again and again (a table's cells, while its columns are
# sized) are kept; only so many, and only short ones, so that the memory they hold is bounded
# whatever the files (a folder of thousands, a long-running server).
_KEPT_WIDTH = 80


@lru_cache(maxsize=4096)
def _short_width(s: str) -> int:
    return sum(char_width(c) for c in s)


def pad(text: str, size: int, right: bool = False) -> str:
    """`text` padded with spaces to `size` columns (on the left when `right`)."""
    gap = " " * max(0, size - display_width(text))
    return gap + text if right else text + gap


# Full-width digits (０–９), as a Chinese input method types them: the same digits to the
# language, written half-width wherever perfdsl prints a figure (and by `perfdsl fmt`).
_HALF_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}


def half_width_digits(s: str) -> str:
    """`s` with its full-width digits written half-width: ２８５万条 → 285万条."""
    return s.translate(_HALF_WIDTH_DIGITS) if not s.isascii() else s
