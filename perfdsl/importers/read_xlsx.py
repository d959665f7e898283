"""Sheets of an .xlsx workbook as grids (openpyxl), merged cells unfolded."""

from __future__ import annotations

import io
import warnings

from .grid import EMPTY, Cell, Grid, make_cell

MAX_CELLS = 200_000  # a form has hundreds; a sheet with more is not an evaluation table


class SheetTooLarge(Exception):
    pass


def grids(data: bytes, source: str) -> list[Grid]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions and data validation it drops
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    out = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" and sheet.max_row <= 1:
            continue
        rows_n, cols_n = sheet.max_row or 0, sheet.max_column or 0
        if rows_n * cols_n > MAX_CELLS:
            raise SheetTooLarge(f"{sheet.title}: {rows_n} × {cols_n}")
        rows: list[list[Cell]] = []
        for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=rows_n, max_col=cols_n), start=1):
            cells = []
            for c, cell in enumerate(row, start=1):
                ref = f"{sheet.title}!{get_column_letter(c)}{r}"
                value = getattr(cell, "value", None)
                cells.append(make_cell(value, ref, getattr(cell, "number_format", "")) if value is not None else EMPTY)
            rows.append(cells)
        for merged in sheet.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else EMPTY
            if not top.text:
                continue
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top
        out.append(Grid(source, sheet.title, rows))
    return out
