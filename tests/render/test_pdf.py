"""PDF through pandoc → Typst (templates/typst/report.typ) → typst, read back with poppler."""

from __future__ import annotations

import subprocess

import pytest

from perfdsl.render.errors import RenderError
from perfdsl.render.gridtable import Cell, grid_table
from perfdsl.render.pdf import markdown_to_pdf, typst_to_pdf
from tests.render.render_testlib import require_tool

META = {"title": "项目支出绩效评价报告", "subtitle": "（2023年度）", "date": "2024年3月"}


def document() -> str:
    rows = [[Cell("一级指标"), Cell("二级指标"), Cell("三级指标"), Cell("分值"), Cell("得分")]]
    rows.append(
        [Cell("产出指标", rowspan=4), Cell("数量指标", rowspan=2), Cell("发送短信条数"), Cell("3"), Cell("0.65")]
    )
    rows.append([Cell("坐席数量"), Cell("4"), Cell("4")])
    rows.append([Cell("质量指标", rowspan=2), Cell("服务质量达标率"), Cell("5"), Cell("5")])
    rows.append([Cell("系统正常运行率"), Cell("5"), Cell("5")])
    rows.append([Cell("总分", colspan=3), Cell("100"), Cell("93.91")])
    table = grid_table(rows, [8, 8, 14, 4, 6], header_rows=1)
    return f"# 一、基本情况\n\n## （一）项目概况\n\n本项目全年预算数239万元，执行率94.79%。\n\n{table}\n"


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory, cjk_font_dirs):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(markdown_to_pdf(document(), metadata=META))
    return path


def poppler(tool: str, *args: str) -> str:
    exe = require_tool(tool, "poppler-utils")
    return subprocess.run([exe, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def test_no_space_is_added_between_chinese_and_figures(pdf_file):
    """The text as written: typst's automatic quarter em between Chinese and digits (which
    pdftotext reads as a space) would fall inside a figure ("239 万元", its box holding it on one
    line) but not before it ("预算数239")."""
    text = poppler("pdftotext", "-layout", str(pdf_file), "-")
    assert "全年预算数239万元，执行率94.79%。" in text, [line for line in text.splitlines() if "239" in line]


def test_chinese_text_comes_back(pdf_file):
    text = "".join(poppler("pdftotext", "-layout", str(pdf_file), "-").split())
    for expected in (
        "项目支出绩效评价报告",
        "（2023年度）",
        "一、基本情况",
        "（一）项目概况",
        "执行率94.79%",
        "产出指标",
        "数量指标",
        "服务质量达标率",
        "总分",
        "93.91",
    ):
        assert expected in text, expected
    # a merged cell is drawn once, not once per row
    assert text.count("产出指标") == 1 and text.count("数量指标") == 1
    assert "—1—" in text  # the page number


def test_embedded_cjk_font(pdf_file):
    listing = poppler("pdffonts", str(pdf_file)).splitlines()[2:]
    cjk = [line for line in listing if "CJK" in line or "Song" in line or "Hei" in line or "Fang" in line]
    assert cjk, listing
    assert all(line.split()[-5] == "yes" for line in cjk), listing  # emb column


def test_a4(pdf_file):
    info = poppler("pdfinfo", str(pdf_file))
    assert "(A4)" in info


def test_reproducible(cjk_font_dirs):
    src = '#set text(font: "Noto Serif CJK SC")\n绩效评价'
    assert typst_to_pdf(src) == typst_to_pdf(src)


def test_errors_are_render_errors(cjk_font_dirs):
    with pytest.raises(RenderError, match="typst could not compile"):
        typst_to_pdf("#let x = ")


def test_files_outside_the_document_cannot_be_read(cjk_font_dirs):
    with pytest.raises(RenderError):
        typst_to_pdf('#read("/etc/hostname")')
