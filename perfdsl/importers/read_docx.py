"""Tables of a .docx as grids, read from the OOXML directly: `w:gridSpan` spans across,
`w:vMerge` down, `w:br` inside a cell a line break; the paragraphs around each table (its
title above, the sign-off below) kept with it."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from .grid import EMPTY, Cell, Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class NotAWordFile(Exception):
    pass


def _text(element) -> str:
    parts = []
    for p in element.iter(f"{W}p"):
        line = []
        for node in p.iter():
            if node.tag == f"{W}t" and node.text:
                line.append(node.text)
            elif node.tag in (f"{W}br", f"{W}cr"):
                line.append("\n")
            elif node.tag == f"{W}tab":
                line.append(" ")
        parts.append("".join(line))
    return "\n".join(parts).strip()


def _paragraph(p, n: int) -> Cell:
    return Cell(_text(p), f"段落{n}", None)


def _table(tbl, number: int, source: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # the cell a vMerge continues, by column
    for r, tr in enumerate(tbl.findall(f"{W}tr"), start=1):
        row: list[Cell] = []
        for c, tc in enumerate(tr.findall(f"{W}tc"), start=1):
            props = tc.find(f"{W}tcPr")
            span, merge = 1, None
            if props is not None:
                g = props.find(f"{W}gridSpan")
                if g is not None:
                    try:
                        span = max(1, min(int(g.get(f"{W}val", "1")), 64))
                    except ValueError:
                        span = 1
                v = props.find(f"{W}vMerge")
                if v is not None:
                    merge = v.get(f"{W}val", "continue")
            col = len(row)
            if merge == "continue" and col in above:
                cell = above[col]
            else:
                text = _text(tc)
                cell = Cell(text, f"表{number} 第{r}行第{c}列", text) if text else EMPTY
            for k in range(span):
                row.append(cell)
                above[col + k] = cell
        rows.append(row)
    return rows


def grids(data: bytes, source: str) -> list[Grid]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except (KeyError, zipfile.BadZipFile) as e:
        raise NotAWordFile(str(e)) from e
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as e:
        raise NotAWordFile(str(e)) from e
    body = root.find(f"{W}body")
    if body is None:
        return []
    out: list[Grid] = []
    pending: list[Cell] = []
    paragraphs = 0
    for child in body:
        if child.tag == f"{W}p":
            paragraphs += 1
            cell = _paragraph(child, paragraphs)
            if cell.text:
                pending.append(cell)
        elif child.tag == f"{W}tbl":
            out.append(Grid(source, f"表{len(out) + 1}", _table(child, len(out) + 1, source), before=pending))
            pending = []
    if out and pending:
        out[-1].after = pending
    return out
