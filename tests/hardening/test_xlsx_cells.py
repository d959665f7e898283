"""Spreadsheet cells are data: text that a spreadsheet could evaluate carries the quote prefix."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfdsl.loader import load
from perfdsl.render.xlsx import write_xlsx
from perfdsl.render.xlsx_cells import FORMULA_STARTS, make_inert, needs_quote

from .conftest import STARTER, vary

LEADS = ["=", "+", "-", "@", "\t", "\r"]


def _cells(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    yield c


@pytest.mark.parametrize("lead", LEADS)
def test_every_field_that_reaches_a_cell_is_inert(project, lead):
    text = STARTER
    for old, new in [
        ('实施单位 "某某单位"', f'实施单位 "{lead}1+1单位"'),
        ('主管部门 "某某主管部门"', f'主管部门 "{lead}HYPERLINK(1)部门"'),
        ("采购设备数量 ≥ 10台", f'"{lead}cmd|calc!A0数量" ≥ 10台'),
        ('定性 "业务系统全年正常运行"', f'定性 "{lead}SUM(1)运行"'),
    ]:
        text = vary(text, old, new.replace("\t", "\\t").replace("\r", "\\r") if lead in "\t\r" else new)
    path = project("x.perf", text)
    loaded = load(str(path))
    assert loaded.evaluation is not None, [d.message() for d in loaded.diagnostics]
    cells = [c for c in _cells(write_xlsx(loaded.evaluation, loaded.scorecard)) if needs_quote(c.value)]
    assert cells, "the injected text did not reach the workbook"
    for c in cells:
        assert c.data_type == "s" and c.quotePrefix, f"{c.coordinate} {c.value!r}"


def test_a_label_repeated_on_a_later_page_is_inert_too():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"
    ws["A2"] = ws["A1"].value  # a copy made after the first cell was set
    ws["A3"] = "-5 ok"
    ws["A4"] = "plain"
    ws["A5"] = 5
    assert make_inert(wb) == 3
    assert [ws[f"A{i}"].quotePrefix for i in range(1, 6)] == [True, True, True, False, False]
    assert ws["A1"].data_type == "s"


@given(st.text(max_size=20))
def test_needs_quote_is_exactly_the_dangerous_starts(text):
    assert needs_quote(text) == (text[:1] in FORMULA_STARTS and text != "")
