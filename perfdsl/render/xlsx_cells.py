"""Spreadsheet cells are data: text from a .perf file never becomes a formula.

Excel, LibreOffice Calc and WPS evaluate a cell whose text starts with `=`, and also (when the
cell is edited or the file is imported as text) one starting with `+`, `-` or `@`; a leading tab
or carriage return hides such a start from a reviewer. Every text cell of every workbook perfdsl
writes goes through `make_inert` before it is saved: such a cell is stored as a string with the
quote prefix (the `'` Excel shows in the formula bar), which every one of them honours.

One pass over the finished workbook rather than a rule at each place a cell is set: a cell copied
from another (a label repeated on the next page) or written by a new sheet is covered as well."""

from __future__ import annotations

from typing import Any

# What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def make_inert(workbook: Any) -> int:
    """Mark every text cell that could be read as a formula as a quoted string; the number of
    cells marked."""
    marked = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and needs_quote(value):
                    cell.value = value
                    cell.data_type = "s"  # openpyxl stores a leading "=" as a formula otherwise
                    cell.quotePrefix = True
                    marked += 1
    return marked
