"""Full-width digits (０–９, as a Chinese input method types them) are the same digits: a file
written with them scores the same, its report and workbook print the figures half-width, and
`perfdsl fmt` rewrites them (tests/fmt/cases/full-width-digits: figures and dates only, prose
as written)."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from perfdsl.loader import load
from perfdsl.render.report import render_markdown
from perfdsl.render.xlsx import write_xlsx
from perfdsl.score.export import scorecard_data
from tests.conftest import EXAMPLES

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _full_width_figures(text: str) -> str:
    """Every figure outside strings and comments written with full-width digits."""
    out = []
    for line in text.splitlines(keepends=True):
        code, hash_, comment = line.partition("#")
        parts = re.split(r'("(?:[^"\\]|\\.)*")', code)
        out.append("".join(p if p.startswith('"') else p.translate(FULL) for p in parts) + hash_ + comment)
    return "".join(out)


def test_full_width_figures_score_the_same_and_print_half_width():
    text = (EXAMPLES / "starter.perf").read_text(encoding="utf-8")
    full = _full_width_figures(text)
    assert "１９.２万元" in full
    a, b = load("x.perf", text), load("x.perf", full)
    assert a.ok and b.ok
    assert scorecard_data(a.evaluation, a.scorecard) == scorecard_data(b.evaluation, b.scorecard)
    md = render_markdown(b.evaluation, b.scorecard)
    assert "全年执行数为19.2万元" in md and not re.search("[０-９]", md)  # the starter's prose has no digits
    wb = load_workbook(io.BytesIO(write_xlsx(b.evaluation, b.scorecard)))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if re.search("[０-９]", c)]
