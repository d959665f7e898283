"""Column widths fitted to the page: a table's columns wide enough for every figure on paper, and
the whole no wider than the text block, the excess taken from the columns of prose.

The DOCX and PDF text block is 156 mm wide on a portrait page and 243 mm on a landscape one (the
same side margins); 10.5 pt table text fits about 84 display columns across 156 mm, less 1.6 a
column for the cells' margins. Widths that add up to more are shrunk by the writer, every
character below its size, and a figure that fits its column by count no longer fits on paper:
"=5000⏎元/人", "96.00⏎%", "2690⏎0人次". So the widths are fitted to every unbreakable run (digits
counted at the width of the fallback serif, NARROW) and the excess is taken from the prose
columns, the widest first."""

from __future__ import annotations

from .gridtable import Cell, fitted_widths

NARROW = 1.3
_PORTRAIT_COLUMNS = 84  # display columns of 10.5 pt text across the 156 mm text block
_LANDSCAPE_MM, _PORTRAIT_MM = 243, 156


def page_capacity(ncols: int, landscape: bool = False) -> int:
    across = _PORTRAIT_COLUMNS * (_LANDSCAPE_MM / _PORTRAIT_MM if landscape else 1)
    return int(across - 1.6 * ncols)


def fit_page(rows: list[list[Cell]], widths: list[int], prose: dict[int, int], landscape: bool = False) -> list[int]:
    """Column widths for `rows`: `widths` widened to hold every figure, then the prose columns
    (column → the least width it keeps) narrowed, the widest first, until the table fits the
    text block."""
    fitted = fitted_widths(rows, widths, narrow=NARROW)
    least = fitted_widths(rows, [prose.get(c, w) for c, w in enumerate(widths)], narrow=NARROW)
    excess = sum(fitted) - page_capacity(len(widths), landscape)
    while excess > 0:
        room = [c for c in prose if fitted[c] > least[c]]
        if not room:
            break  # every column is as narrow as its figures allow: the table is as good as it gets
        c = max(room, key=lambda k: (fitted[k] - least[k], -k))
        fitted[c] -= 1
        excess -= 1
    return fitted
