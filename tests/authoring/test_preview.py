"""The preview's HTML: grid tables read back into cells with their spans (as pandoc reads them),
and author Markdown kept inert."""

from __future__ import annotations

import html
import re

import pytest

from perfdsl.authoring.preview import markdown_to_html, parse_grid_table, validate_link
from perfdsl.loader import load
from perfdsl.render.gridtable import Cell, grid_table
from perfdsl.render.report import render_markdown
from tests.conftest import SEED_000, SEED_003


def _cells(page: str) -> list:
    """Every table as rows of (rowspan, colspan, text without spaces)."""
    out = []
    for t in re.findall(r"<table.*?</table>", page, re.S):
        rows = []
        for tr in re.findall(r"<tr.*?</tr>", t, re.S):
            row = []
            for m in re.finditer(r"<(td|th)([^>]*)>(.*?)</\1>", tr, re.S):
                rs = re.search(r'rowspan="(\d+)"', m.group(2))
                cs = re.search(r'colspan="(\d+)"', m.group(2))
                text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", m.group(3))))
                row.append((int(rs.group(1)) if rs else 1, int(cs.group(1)) if cs else 1, text))
            rows.append(row)
        out.append(rows)
    return out


@pytest.mark.parametrize("seed", [SEED_000, SEED_003], ids=["seed000", "seed003"])
def test_tables_match_what_pandoc_reads(seed):
    from perfdsl.render.pandoc import markdown_to_html as pandoc_html

    loaded = load(str(seed))
    md = render_markdown(loaded.evaluation, loaded.scorecard)
    ours, pandoc = _cells(markdown_to_html(md)), _cells(pandoc_html(md))
    assert len(ours) == md.count("\n\n+") and ours
    assert ours == pandoc


def test_every_figure_of_the_scorecard_is_on_the_page():
    from perfdsl.score.export import scorecard_data

    loaded = load(str(SEED_003))
    page = markdown_to_html(render_markdown(loaded.evaluation, loaded.scorecard))
    data = scorecard_data(loaded.evaluation, loaded.scorecard)
    for key in ("self_evaluation", "evaluation"):
        tree = data[key]
        assert tree["total"] in page
        for item in tree["items"]:
            if item["score"] is not None and item["level"] == 3:
                assert item["score"] in page, item["path"]


def test_spans_and_wide_characters():
    rows = [
        [Cell("一级指标"), Cell("得分")],
        [Cell("产出（合并两行）", rowspan=2), Cell("12.50")],
        [Cell("7.5")],
        [Cell("合计 A*B_c", colspan=2)],
    ]
    cells, widths = parse_grid_table(grid_table(rows, col_widths=[12, 8], header_rows=1).strip().split("\n"))
    got = [(c.row, c.col, c.rowspan, c.colspan, c.text, c.header) for c in cells]
    assert got[0][:4] == (0, 0, 1, 1) and got[0][5] is True
    assert got[2][:4] == (1, 0, 2, 1) and got[2][4] == "产出（合并两行）"
    assert got[-1][:4] == (3, 0, 1, 2)
    assert len(widths) == 2
    page = markdown_to_html(grid_table(rows, col_widths=[12, 8], header_rows=1))
    assert "<th>一级指标</th>" in page and '<td rowspan="2">产出（合并两行）</td>' in page
    assert '<td colspan="2">合计 A*B_c</td>' in page  # escaped Markdown comes back literal


def test_a_broken_table_is_shown_as_text():
    page = markdown_to_html("+---+---+\n| a | b\n+---+---+\n")
    assert "<table" not in page and "| a | b" in page


def test_line_breaks_between_chinese_characters_add_no_space():
    page = markdown_to_html("第一行的末尾\n第二行 and\nmore\n")
    assert "第一行的末尾第二行 and\nmore" in page


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://example.org/", True),
        ("http://example.org", True),
        ("mailto:a@example.org", True),
        ("#top", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:x", False),
        ("data:image/png;base64,iVBORw0KGgo=", True),
        ("//evil.example/x", False),
        ("relative/path.html", False),
    ],
)
def test_links(url, ok):
    assert validate_link(url) is ok


def test_raw_html_stays_text():
    page = markdown_to_html('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))\n')
    assert "<script" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;" in page
