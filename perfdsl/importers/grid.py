"""A table as a grid of cells, whatever it was read from: merged cells unfolded (each cell of a
merge holds the merge's text and knows the cell it came from, so that a value is placed once),
and every cell named the way its reader shows it (`Sheet1!C12`, `表2 第5行第3列`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import cell_text


@dataclass(frozen=True)
class Cell:
    text: str
    ref: str  # where the cell's value is: the merge's first cell
    value: object = None  # the typed value (a number from a spreadsheet), when there is one
    number_format: str = ""


EMPTY = Cell("", "")


@dataclass
class Grid:
    source: str  # the file
    name: str  # the sheet, or 表N of a Word file
    rows: list[list[Cell]]
    before: list[Cell] = field(default_factory=list)  # paragraphs before a Word table
    after: list[Cell] = field(default_factory=list)  # and after it

    def cell(self, r: int, c: int) -> Cell:
        row = self.rows[r] if 0 <= r < len(self.rows) else []
        return row[c] if 0 <= c < len(row) else EMPTY

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def refs(self) -> list[Cell]:
        """Every non-empty cell once (a merge counted at its first cell)."""
        seen: set[str] = set()
        out = []
        for cell in [*self.before, *(c for row in self.rows for c in row), *self.after]:
            if cell.text and cell.ref not in seen:
                seen.add(cell.ref)
                out.append(cell)
        return out


def make_cell(value: object, ref: str, number_format: str = "") -> Cell:
    return Cell(cell_text(value), ref, value, number_format or "")
