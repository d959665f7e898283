"""A form laid out once, rendered twice: the cells of a one-table form (the 申报表, the 监控表)
with their spans, as a pandoc grid table (→ DOCX, PDF, HTML) and as an XLSX sheet (render/formbook.py).

A form is a grid of cells placed like HTML's <td> (row, column, rows and columns spanned), each
with its display text and, for the spreadsheet, the number it stands for and its number format.
Its context builder (render/filing.py, render/monitoring.py) decides what goes where; nothing here
knows one form from another. The spreadsheet follows render/xlsx.py: the same fonts, borders,
row heights estimated from the text, page breaks between 一级 groups, the indicator header
repeated on every printed page, a deterministic package."""

from __future__ import annotations

from dataclasses import dataclass, field

from .gridtable import Cell, grid_table
from .pagefit import fit_page

TITLE_ROWS = 2  # the spreadsheet's title and year above the form (the DOCX has them as its title)


@dataclass
class FormCell:
    row: int  # from 1, within the form's table
    col: int
    text: str = ""
    rows: int = 1
    cols: int = 1
    head: bool = False  # a label (bold in the spreadsheet)
    align: str = "center"  # "left" for long texts
    value: float | int | None = None  # what the spreadsheet stores instead of the text (a number)
    fmt: str | None = None  # its number format


@dataclass
class Group:
    """Rows kept on one printed page where they fit (a 一级 group), with the parts (二级 groups)
    a page may break between."""

    start: int
    end: int
    parts: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Form:
    title: str  # 项目支出绩效目标申报表
    subtitle: str  # （2024年度）
    sheet: str  # the spreadsheet's sheet name
    widths: list[float]  # column widths, in the spreadsheet's units (their proportions in DOCX)
    cells: list[FormCell] = field(default_factory=list)
    note: str = ""  # below the table
    landscape: bool = False
    head: tuple[int, int] | None = None  # the indicator table's header rows (repeated on each page)
    groups: list[Group] = field(default_factory=list)
    # The least width (display columns) each column keeps when the form is fitted to its page,
    # a figure's column never less than its figures; None: three Chinese characters a line.
    narrowest: list[int] | None = None

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> int:
        return max((c.row + c.rows - 1 for c in self.cells), default=0)

    def put(self, row: int, col: int, text: str = "", **kw) -> None:
        self.cells.append(FormCell(row, col, text, **kw))


# ---------------------------------------------------------------- DOCX / PDF / HTML
# The least width a form's column of text keeps when the form is narrowed to its page: three
# Chinese characters a line.
_READABLE = 6


def markdown_table(form: Form) -> str:
    """The form's table as a pandoc grid table (its title is the document's, its note the
    template's), its columns in the proportions of the spreadsheet's, fitted to the page: every
    figure whole on its line, the columns of text narrowed first (a 监控表 has 17 columns)."""
    rows = _rows(form)
    requested = [max(4, round(w)) for w in form.widths]
    prose = dict(enumerate(form.narrowest or [_READABLE] * form.columns))
    widths = fit_page(rows, requested, prose, form.landscape)
    if form.head is None:
        return grid_table(rows, col_widths=widths, header_rows=0)
    # The indicators a table of their own, on the same columns, whose header rows repeat on each
    # page (as the report's 自评表 and the workbook's print titles do): a form that runs over a
    # page still names its columns, and its header never stands alone at the foot of a page.
    first, last = form.head
    above, indicators = rows[: first - 1], rows[first - 1 :]
    header = last - first + 1
    table = grid_table(indicators, col_widths=widths, header_rows=header if len(indicators) > header else 0)
    return (grid_table(above, col_widths=widths, header_rows=0) + "\n" if above else "") + table


def _rows(form: Form) -> list[list[Cell]]:
    """Rows of grid-table cells: each row lists the cells that start in it; a slot no cell
    covers gets an empty cell, so the grid is whole."""
    n, m = form.rows, form.columns
    covered = [[False] * m for _ in range(n)]
    starts: dict[tuple[int, int], FormCell] = {}
    for c in form.cells:
        starts[(c.row - 1, c.col - 1)] = c
        for r in range(c.row - 1, c.row - 1 + c.rows):
            for k in range(c.col - 1, c.col - 1 + c.cols):
                if covered[r][k]:
                    raise ValueError(f"{form.sheet}: cells overlap at row {r + 1}, column {k + 1}")
                covered[r][k] = True
    rows: list[list[Cell]] = []
    for r in range(n):
        row: list[Cell] = []
        for k in range(m):
            start = starts.get((r, k))
            if start is not None:
                row.append(Cell(start.text, start.rows, start.cols))
            elif not covered[r][k]:
                row.append(Cell(""))
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the indicator block
def indicator_rows(form: Form, start: int, nodes, label, cells, *, skip=lambda node: False) -> int:
    """The 三级 indicators of a tree from row `start`: 一级 and 二级 in columns 1 and 2, merged
    down their rows (`label(group)` gives their text), the indicator's name in column 3 (across
    1–3 for an indicator at the top, 2–3 for one right under 一级), and `cells(row, node)` for
    the columns after. Records each 一级 group for page breaks; returns the next free row."""
    row = start
    for top in nodes:
        if skip(top):
            continue
        if not top.is_group:
            form.put(row, 1, top.name, cols=3)
            cells(row, top)
            row += 1
            continue
        group = Group(row, row)
        for mid in top.children:
            if skip(mid):
                continue
            first = row
            if not mid.is_group:
                form.put(row, 2, mid.name, cols=2)
                cells(row, mid)
                row += 1
            else:
                for leaf in mid.leaves():
                    if skip(leaf):
                        continue
                    form.put(row, 3, leaf.name)
                    cells(row, leaf)
                    row += 1
                if row > first:
                    form.put(first, 2, label(mid), rows=row - first)
            if row > first:
                group.parts.append((first, row - 1))
        if row > group.start:
            group.end = row - 1
            form.put(group.start, 1, label(top), rows=row - group.start)
            form.groups.append(group)
    return row


def group_label(node) -> str:
    """一级/二级 names as the forms print them: 产出 → 产出指标, 数量 → 数量指标."""
    return node.name if node.name.endswith("指标") else node.name + "指标"
