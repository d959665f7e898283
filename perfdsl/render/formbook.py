"""The forms of render/formgrid.py as a workbook: a sheet each, laid out by render/xlsx.py's grid.
Apart from the forms' Markdown so that a document built without a workbook never loads openpyxl
(about 60 ms of a one-file build)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from .formgrid import TITLE_ROWS, Form
from .xlsx import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    AUTHOR,
    F_BODY,
    F_HEAD,
    F_NOTE,
    F_SUBTITLE,
    F_TITLE,
    FIXED_TIME,
    _Grid,
    _keep_with_last,
    _Unit,
    deterministic_zip,
)


def workbook(forms: list[Form], title: str) -> bytes:
    """The forms as a deterministic XLSX, a sheet each."""
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.created = props.modified = FIXED_TIME
    props.title = title
    props.language = "zh-CN"
    for form in forms:
        _sheet(wb, form)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def _sheet(wb: Workbook, form: Form) -> None:
    ws = wb.create_sheet(form.sheet)
    g = _Grid(ws, form.widths)
    last = form.columns
    g.put(1, 1, form.title, cols=last, font=F_TITLE, border=False)
    g.at_least(1, 32)
    g.put(2, 1, form.subtitle, cols=last, font=F_SUBTITLE, border=False)
    g.at_least(2, 22)
    for c in form.cells:
        value = c.value if c.value is not None else c.text
        font = F_HEAD if c.head else F_BODY
        g.put(c.row + TITLE_ROWS, c.col, value, rows=c.rows, cols=c.cols, font=font, fmt=c.fmt, align=c.align)
    end = form.rows + TITLE_ROWS
    if form.note:
        end += 1
        g.put(end, 1, form.note, cols=last, font=F_NOTE, align="left", border=False)
    units, header = _units(form, end)
    g.finish(units, A4_LANDSCAPE if form.landscape else A4_PORTRAIT, header)
    if form.head is not None and form.head[1] > form.head[0]:  # a header of two rows repeats whole
        ws.print_title_rows = f"{form.head[0] + TITLE_ROWS}:{form.head[1] + TITLE_ROWS}"


def _units(form: Form, end: int) -> tuple[list[_Unit], int | None]:
    """Page units: what comes before the indicator header, the header (kept with what follows),
    each 一级 group with its 二级 parts; the rows after the last group stay with it."""
    shift = TITLE_ROWS
    if form.head is None:
        return [_Unit(1, end)], None
    first, last = form.head
    units = [_Unit(1, first - 1 + shift), _Unit(first + shift, last + shift, keep_with_next=True)]
    groups = [
        _Unit(g.start + shift, g.end + shift, [_Unit(a + shift, b + shift) for a, b in g.parts]) for g in form.groups
    ]
    if groups:
        _keep_with_last(groups, end)
    elif end > last + shift:
        groups = [_Unit(last + shift + 1, end)]
    return units + groups, last + shift
