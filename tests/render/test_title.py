"""A report's title of two lines breaks between the project's name and the document's kind
("…运维费" / "绩效评价报告"), never inside a word, in the DOCX, the PDF and the HTML page."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from perfdsl.render.html import page
from perfdsl.render.pandoc import markdown_to_docx, markdown_to_html
from perfdsl.render.pdf import markdown_to_pdf
from perfdsl.render.title import DEPARTMENT_REPORT, REPORT, break_docx_titles, kinds, report_title, split_kind
from tests.render.render_testlib import require_tool

LONG = "12345云呼叫中心平台技术服务运维费"  # the 12345 example: its title needs two lines
SHORT = "机关办公业务项目"  # the 信访 example: one line
BODY = "# 一、基本情况\n\n本项目全年预算数239万元。\n"


def test_a_title_is_the_name_then_its_kind():
    assert report_title(SHORT) == SHORT + "绩效评价报告"
    assert report_title("某县民政局", department=True) == "某县民政局部门整体支出绩效自评报告"
    assert split_kind(report_title(LONG)) == (LONG, "绩效评价报告")
    assert split_kind("某县民政局部门整体支出绩效自评报告") == ("某县民政局", DEPARTMENT_REPORT)
    assert {REPORT, DEPARTMENT_REPORT} <= set(kinds())  # templates/title-kinds.txt lists the reports' kinds
    assert split_kind("项目支出绩效自评表") == ("项目支出绩效自评表", "")  # a form's title: no kind
    assert split_kind("绩效评价报告") == ("绩效评价报告", "")  # a kind alone has nothing to part from


def _title_paragraph(docx: bytes, style: str = "Title") -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.search(rf'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="{style}" />.*?</w:p>', xml, re.S).group()


def _texts(paragraph: str) -> list[str]:
    """The paragraph's texts in order, a line break as ⏎."""
    return ["⏎" if br else text for text, br in re.findall(r"<w:t[^>]*>([^<]*)</w:t>|(<w:br />)", paragraph)]


def test_a_docx_title_too_long_for_a_line_breaks_before_its_kind():
    docx = markdown_to_docx(BODY, metadata={"title": report_title(LONG)})
    assert _texts(_title_paragraph(docx)) == [LONG, "⏎", "绩效评价报告"]


def test_a_docx_title_that_fits_is_left_on_one_line():
    docx = markdown_to_docx(BODY, metadata={"title": report_title(SHORT)})
    assert _texts(_title_paragraph(docx)) == [SHORT + "绩效评价报告"]


def test_the_line_is_measured_on_the_documents_own_page():
    """A landscape page holds the long title on one line; the estimate reads the page it is on."""
    docx = markdown_to_docx(BODY, metadata={"title": report_title(LONG)}, landscape=True)
    assert "<w:br />" not in _title_paragraph(docx)


def test_a_title_in_several_runs_breaks_in_its_last():
    document = (
        '<w:body><w:p><w:pPr><w:pStyle w:val="Title" /></w:pPr>'
        '<w:r><w:t xml:space="preserve">PPP</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
        '<w:r><w:t xml:space="preserve">政务服务中心云呼叫平台运维项目绩效评价报告</w:t></w:r></w:p>'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:left="1587" w:right="1474"/></w:sectPr></w:body>'
    ).encode()
    styles = b'<w:style w:type="paragraph" w:styleId="Title"><w:rPr><w:sz w:val="44"/></w:rPr></w:style>'
    broken = break_docx_titles(document, styles).decode()
    assert _texts(broken) == ["PPP", " ", "政务服务中心云呼叫平台运维项目", "⏎", "绩效评价报告"]
    assert break_docx_titles(document, b"") == document  # no Title style to measure by: left alone


def test_a_pdf_title_breaks_before_its_kind(cjk_font_dirs):
    pdf = markdown_to_pdf(BODY, metadata={"title": report_title(LONG), "subtitle": "（2023年度）"})
    exe = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run([exe, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:3] == [LONG, "绩效评价报告", "（2023年度）"], lines[:4]


@pytest.mark.parametrize("name", [LONG, SHORT])
def test_the_html_title_keeps_its_kind_whole(name):
    html = page("<p>正文</p>", {"title": report_title(name)})
    assert f'<h1 class="title">{name}<span class="nobr">绩效评价报告</span></h1>' in html
    assert f"<title>{name}绩效评价报告</title>" in html


ANNEX_KIND = "绩效评价指标体系及综合评分表"
ANNEX = f"{BODY}\n# 附件1 {LONG}{ANNEX_KIND}\n\n| 一级指标 | 权重 |\n|---|---|\n| 决策 | 20 |\n"


def test_an_annex_title_breaks_before_its_kind_in_the_docx():
    docx = markdown_to_docx(ANNEX)
    assert _texts(_title_paragraph(docx, "TableTitle")) == [LONG, "⏎", ANNEX_KIND]


def test_an_annex_title_breaks_before_its_kind_in_the_pdf(cjk_font_dirs):
    """Its first line not stretched to the margins either ("1 2 3 4 5 云 呼 叫 …")."""
    exe = require_tool("pdftotext", "poppler-utils")
    pdf = markdown_to_pdf(ANNEX)
    text = subprocess.run([exe, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = lines.index("附件1")
    assert lines[at + 1 : at + 3] == [LONG, ANNEX_KIND], lines[at : at + 4]


def test_an_annex_title_keeps_its_kind_whole_in_html():
    assert f'{LONG}<span class="nobr">{ANNEX_KIND}</span>' in markdown_to_html(ANNEX)
