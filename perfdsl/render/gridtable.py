"""Pandoc Markdown grid tables with row and column spans.

Grid tables are the only pandoc Markdown table syntax that carries merged cells, and the DOCX,
HTML and Typst writers all keep them (``w:vMerge``/``w:gridSpan``, ``rowspan``/``colspan``,
``table.cell(rowspan: …)``).  Pandoc finds the cells by display position, so borders are laid
out in display columns: a wide (CJK) character takes two columns.  A single misaligned border
makes pandoc read the whole table as one cell, silently.

Cell text is literal: every character Markdown could interpret is escaped, and lines are only
ever broken where pandoc will not insert a space (at a space, or between two wide characters
— the reader must enable ``east_asian_line_breaks``).  A column too narrow for a run that has
no such break point (a number like ``93.91%``) is widened instead of splitting the run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..core.text import char_width, display_width
from .numberunit import number_with_unit

__all__ = ["Cell", "escape_markdown", "fitted_widths", "grid_table"]


def _full_width_columns(ncols: int) -> int:
    """Line width at which pandoc's relative widths come close to the full text width.

    A table no wider than --columns (72) keeps its fraction of the page.  A wider one gets
    widths (segment + 1) / (sum of (segment + 1) + ncols - 2), measured: the sum falls short
    of 100 % by about (ncols - 2) / width, so a wide table is stretched until that is < 2 %.
    Only the proportions reach the output; a long source line costs nothing.
    """
    return max(80, 50 * (ncols - 2))


# colons at the ends of a border segment: (left, right); None keeps the border character
_ALIGN_MARKS = {None: (None, None), "left": (":", None), "right": (None, ":"), "center": (":", ":")}


@dataclass(frozen=True)
class Cell:
    """One table cell, placed like an HTML ``<td>``: a row lists only the cells that start in
    it; slots covered by a span from an earlier row or column are skipped.

    ``text`` is literal.  A single newline is a line break, a blank line starts a new paragraph.
    """

    text: str = ""
    rowspan: int = 1
    colspan: int = 1


# ASCII punctuation with a meaning somewhere in pandoc Markdown (emphasis, links, lists,
# headings, quotes, smart typography, citations, spans, math, entities, pipes…).  Pandoc's
# all_symbols_escapable makes a backslash before any of them literal.  ',', '%', '/', ';' and
# '?' mean nothing in a table cell and are left alone to keep the source readable; '.' only
# matters after a list number or in '...', so it is kept between two digits (93.91).
_ESCAPE = set("\\`*_{}[]()<>#-!~^$@&\"':=")
# '+' and '|' draw the grid itself: inside a cell that spans columns one could land where a
# column boundary runs and be taken for a corner or border before any Markdown escape is
# read.  They are written as character references, which contain neither.
_ENTITY = {"+": "&#43;", "|": "&#124;"}
# Anything escape_markdown would change: the characters above, '.', and spaces other than ASCII ones.
_NEEDS_ESCAPE = re.compile(r"[\\`*_{}\[\]()<>#\-!~^$@&\"':=+|.]|[^\S \t\r\f\v\n]")


def escape_markdown(text: str) -> str:
    """Backslash-escape ``text`` so pandoc reads it back as the same literal characters.

    Non-ASCII spaces (U+3000, U+00A0…) become numeric character references: pandoc would trim
    them at the start or end of a line.  So do '+' and '|' (see _ENTITY).
    """
    if not _NEEDS_ESCAPE.search(text):  # most cell text is plain Chinese and digits
        return text
    return _NEEDS_ESCAPE.sub(_escaped, text)  # one pass in C over the few characters that need it


def _escaped(m: re.Match) -> str:
    c = m.group()
    if c in _ESCAPE:
        return "\\" + c
    if c in _ENTITY:
        return _ENTITY[c]
    if c == ".":
        text, i = m.string, m.start()
        between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        return c if between_digits else "\\."
    return f"&#{ord(c)};"  # a space other than an ASCII one


# --- splitting text into atoms ---------------------------------------------------------------

_ASCII_SPACE = " \t\r\f\v"
# Control characters other than whitespace have no place in a document (and XML forbids most).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _is_wide(c: str) -> bool:
    return char_width(c) == 2


def _chunks(line: str) -> list[tuple[str, bool]]:
    """Split one logical line into unbreakable chunks.

    Returns ``[(chunk, space_before)]``.  A break between chunks is invisible in pandoc's
    output: either there was a space (the break replaces it) or both neighbouring characters
    are wide (east_asian_line_breaks drops the soft break). A number and its unit are one
    chunk: the documents keep them on one line ("36350人次"), so the column must hold them.
    """
    chunks: list[tuple[str, bool]] = []
    for word in re.split(r"[ \t\f\v]+", line.strip(_ASCII_SPACE)):
        if not word:
            continue
        joined = {i for m in number_with_unit().finditer(word) for i in range(m.start() + 1, m.end())}
        start = 0
        for i in range(1, len(word)):
            if _is_wide(word[i - 1]) and _is_wide(word[i]) and i not in joined:
                chunks.append((word[start:i], start == 0 and bool(chunks)))
                start = i
        chunks.append((word[start:], start == 0 and bool(chunks)))
    # A space between two wide characters must not become a line break: pandoc would drop it
    # together with the break.  Such a space stays inside one chunk.
    merged: list[tuple[list[str], bool]] = []  # parts joined at the end: linear in a long run
    for chunk, space in chunks:
        if space and merged and _is_wide(merged[-1][0][-1][-1]) and _is_wide(chunk[0]):
            merged[-1][0].append(chunk)
        else:
            merged.append(([chunk], space))
    return [(" ".join(parts), space) for parts, space in merged]


def _paragraphs(text: str) -> list[list[list[tuple[str, bool]]]]:
    """Paragraphs → logical lines (hard breaks) → chunks, escaped.

    Only ASCII whitespace separates words and is trimmed; other spaces are kept as text."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paras = []
    for para in re.split(r"\n[ \t\f\v]*\n[ \t\f\v\n]*", text.strip(_ASCII_SPACE + "\n")):
        lines = [_chunks(line) for line in para.split("\n")]
        lines = [[(escape_markdown(c), sp) for c, sp in line] for line in lines if line]
        if lines:
            paras.append(lines)
    return paras


# Comparison signs are narrow by Unicode but drawn about 0.84 em wide in the serif fonts ("≥36000人次").
_WIDE_SIGNS = "≥≤=<>≠±×÷"


def _min_width(paras, narrow: float = 1.0) -> int:
    """Narrowest content width that never has to split a chunk. ``narrow``: the display columns
    a narrow character is taken to need (see fitted_widths)."""
    widest = 0
    for lines in paras:
        for j, chunks in enumerate(lines):
            for k, (c, _) in enumerate(chunks):
                extra = 1 if (k == len(chunks) - 1 and j < len(lines) - 1) else 0  # the '\'
                w = display_width(c)
                if narrow != 1.0:
                    wide = w - len(c)  # every wide character counts one column more than a narrow one
                    signs = sum(map(c.count, _WIDE_SIGNS))
                    w = 2 * (wide + signs) + math.ceil((len(c) - wide - signs) * narrow)
                widest = max(widest, w + extra)
    return widest


def _natural_width(paras) -> int:
    best = 0
    for lines in paras:
        for j, chunks in enumerate(lines):
            w = sum(display_width(c) + (1 if sp else 0) for c, sp in chunks)
            best = max(best, w + (1 if j < len(lines) - 1 else 0))
    return best


def _wrap(paras, width: int) -> list[str]:
    """Lay the cell out in lines of at most ``width`` display columns."""
    out: list[str] = []
    for p, lines in enumerate(paras):
        if p:
            out.append("")  # blank line: new paragraph inside the cell
        for j, chunks in enumerate(lines):
            hard_break = j < len(lines) - 1
            cur, cur_w = "", 0
            for k, (c, sp) in enumerate(chunks):
                cw = display_width(c)
                # the last chunk of a hard-broken line must leave room for the trailing '\'
                need = cw + (1 if hard_break and k == len(chunks) - 1 else 0)
                sep = " " if (sp and cur) else ""
                if cur and cur_w + len(sep) + need > width:
                    out.append(cur)
                    cur, cur_w, sep = "", 0, ""
                cur += sep + c
                cur_w += len(sep) + cw
            out.append(cur + ("\\" if hard_break else ""))
    return out


# --- the table -------------------------------------------------------------------------------


def _place(rows: list[list[Cell]]) -> tuple[list[list[int]], list[tuple[int, int, Cell]]]:
    """HTML-style placement: slot grid of cell ids, and (row, col, cell) per id."""
    ncols = None
    grid: dict[tuple[int, int], int] = {}
    placed: list[tuple[int, int, Cell]] = []
    row_width: dict[int, int] = {}  # columns each row's slots reach: kept as slots fill (linear)
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if cell.rowspan < 1 or cell.colspan < 1:
                raise ValueError(f"row {r}: spans must be >= 1")
            while (r, c) in grid:
                c += 1
            if r + cell.rowspan > len(rows):
                raise ValueError(f"row {r}, column {c}: rowspan {cell.rowspan} runs past the table")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if (r + dr, c + dc) in grid:
                        raise ValueError(f"row {r}, column {c}: cell overlaps another span")
                    grid[(r + dr, c + dc)] = len(placed)
                row_width[r + dr] = max(row_width.get(r + dr, 0), c + cell.colspan)
            placed.append((r, c, cell))
            c += cell.colspan
        width = row_width.get(r, 0)
        ncols = width if ncols is None else ncols
        if width != ncols or any((r, cc) not in grid for cc in range(ncols)):
            raise ValueError(f"row {r} covers {width} columns with gaps or differs from {ncols}")
    return [[grid[(r, c)] for c in range(ncols or 0)] for r in range(len(rows))], placed


def fitted_widths(rows: list[list[Cell]], col_widths: list[int] | None = None, *, narrow: float = 1.0) -> list[int]:
    """The column widths ``grid_table`` would give ``rows``: requested (or natural), widened where
    a cell holds a longer unbreakable run. Tables that must line up column for column (one form
    printed as two tables) are each drawn with the widths fitted to all their rows.

    ``narrow``: display columns a narrow character (a digit, a Latin letter) is taken to need.
    A display column is half an em; digits in Times New Roman are half an em, in the serif a
    machine without it falls back to (DejaVu Serif) about 0.64 em, so a layout that must hold
    "1194.67元/月" on one line everywhere asks for 1.3."""
    grid, placed = _place(rows)
    return _fitted(placed, [_paragraphs(cell.text) for _, _, cell in placed], len(grid[0]), col_widths, narrow)


def _fitted(placed, paras, ncols: int, col_widths: list[int] | None, narrow: float = 1.0) -> list[int]:
    # Column widths: requested (or natural, capped), then wide enough for every chunk.
    if col_widths is None:
        widths = [1] * ncols
        for (_, c, cell), p in zip(placed, paras):
            if cell.colspan == 1:
                widths[c] = max(widths[c], min(_natural_width(p), 30))
    else:
        widths = [max(1, int(w)) for w in col_widths]
    for (_, c, cell), p in sorted(zip(placed, paras), key=lambda x: x[0][2].colspan):
        short = _min_width(p, narrow) - (sum(widths[c : c + cell.colspan]) + 3 * (cell.colspan - 1))
        if short > 0:
            widths[c + cell.colspan - 1] += short
    return widths


def grid_table(
    rows: list[list[Cell]],
    col_widths: list[int] | None = None,
    header_rows: int = 0,
    aligns: list[str | None] | None = None,
    full_width: bool = True,
) -> str:
    """Render ``rows`` as a pandoc Markdown grid table.

    ``col_widths`` are content widths in display columns.  Only their proportions reach the
    output (the table is as wide as the text): across the 156 mm text block of the A4
    DOCX/PDF, 10.5 pt table text fits about 84 display columns less 1.6 per column for cell
    margins, e.g. 70 for 8 columns.  A column is widened where a cell holds a longer
    unbreakable run.  ``header_rows`` leading rows form the table head (no row span may cross
    it).  ``aligns`` gives per-column alignment, ``"left"``/``"center"``/``"right"``/``None``:
    pandoc Markdown has no per-cell alignment.  ``full_width`` stretches the table to the text
    width; without it a narrow table keeps its fraction of the page.
    """
    if not rows:
        raise ValueError("a table needs at least one row")
    grid, placed = _place(rows)
    nrows, ncols = len(grid), len(grid[0])
    if col_widths is not None and len(col_widths) != ncols:
        raise ValueError(f"{len(col_widths)} widths for {ncols} columns")
    if aligns is not None and len(aligns) != ncols:
        raise ValueError(f"{len(aligns)} alignments for {ncols} columns")
    if any(a not in _ALIGN_MARKS for a in aligns or []):
        raise ValueError(f"alignments must be one of {list(_ALIGN_MARKS)}")
    if not 0 <= header_rows < nrows:
        raise ValueError("header_rows must leave at least one body row")
    if header_rows and any(grid[header_rows - 1][c] == grid[header_rows][c] for c in range(ncols)):
        raise ValueError("a row span crosses the end of the table head")
    for r in range(nrows - 1):  # a row boundary shows only where some cell ends on it
        if grid[r] == grid[r + 1]:
            raise ValueError(f"rows {r} and {r + 1} are spanned by the same cells: merge them")

    paras = [_paragraphs(cell.text) for _, _, cell in placed]
    widths = _fitted(placed, paras, ncols, col_widths)

    def span_width(c: int, n: int) -> int:  # inner width of a cell over columns c..c+n-1
        return sum(widths[c : c + n]) + 3 * (n - 1)

    total = sum(widths) + 3 * ncols + 1
    target = _full_width_columns(ncols)
    if full_width and total < target:
        scale = (target - 3 * ncols - 1) / sum(widths)
        widths = [math.ceil(w * scale) for w in widths]

    lines_of = [_wrap(p, span_width(c, cell.colspan)) for (_, c, cell), p in zip(placed, paras)]

    # Row heights: a cell's lines run through every line of its span, separators included
    # (a blank line inside a cell would start a new paragraph).
    heights = [1] * nrows
    for (r, _, cell), lines in sorted(zip(placed, lines_of), key=lambda x: x[0][0] + x[0][2].rowspan):
        last = r + cell.rowspan - 1
        have = sum(heights[r:last]) + (cell.rowspan - 1)
        heights[last] = max(heights[last], len(lines) - have)

    # Physical line of each row's first content line; separator after row r is at top[r+1]-1.
    top = [1]
    for h in heights:
        top.append(top[-1] + h + 1)

    def content(cid: int, y: int) -> str:
        r, c, cell = placed[cid]
        i = y - top[r]
        lines = lines_of[cid]
        text = lines[i] if 0 <= i < len(lines) else ""
        inner = span_width(c, cell.colspan)
        return " " + text + " " * (inner - display_width(text)) + " "

    def separator(r: int) -> str:
        """Line between row r and r+1 (r = -1: top border, r = nrows-1: bottom border)."""
        y = top[r + 1] - 1
        fill = "=" if (header_rows and r == header_rows - 1) else "-"
        marks = r == (header_rows - 1 if header_rows else -1)
        ruled = [r in (-1, nrows - 1) or grid[r][c] != grid[r + 1][c] for c in range(ncols)]
        out, c = [], 0
        while c < ncols:  # c is always the first column of a cell: spans are skipped whole
            left_ruled = ruled[c - 1] if c else False
            out.append("+" if ruled[c] or left_ruled else "|")  # a corner, or a border passing by
            if ruled[c]:
                lm, rm = _ALIGN_MARKS[aligns[c] if (aligns and marks) else None]
                out.append((lm or fill) + fill * widths[c] + (rm or fill))
                c += 1
            else:
                cid = grid[r][c]
                out.append(content(cid, y))
                c += placed[cid][2].colspan
        out.append("+" if ruled[-1] else "|")
        return "".join(out)

    def row_line(r: int, y: int) -> str:
        out, c = [], 0
        while c < ncols:
            cid = grid[r][c]
            out.append("|" + content(cid, y))
            c += placed[cid][2].colspan
        return "".join(out) + "|"

    out = [separator(-1)]
    for r in range(nrows):
        out.extend(row_line(r, y) for y in range(top[r], top[r] + heights[r]))
        out.append(separator(r))
    return "\n".join(out) + "\n"
