"""What a reader sees before reading a word: table rows kept on one page with their header
repeated, numbers kept with their units, annex titles centred under their number — in the DOCX,
the typst source and the HTML alike."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from perfdsl.render import pandoc
from perfdsl.render.gridtable import Cell, grid_table
from perfdsl.render.pdf import without_false_suspects
from tests.render.render_testlib import require_tool


def document_xml(md: str) -> str:
    data = pandoc.markdown_to_docx(md)
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


TABLE = grid_table([[Cell("一级指标"), Cell("得分")], [Cell("产出", rowspan=2), Cell("1")], [Cell("2")]], header_rows=1)
BARE = grid_table([[Cell("项目名称"), Cell("某某")], [Cell("主管部门"), Cell("某局")]])


def test_every_row_stays_on_one_page_and_headers_repeat():
    xml = document_xml(TABLE + "\n" + BARE)
    rows = re.findall(r"<w:tr>.*?</w:tr>", xml, re.S)
    assert len(rows) == 5 and all("<w:trPr><w:cantSplit/>" in r for r in rows)
    assert [("<w:tblHeader/>" in r) for r in rows] == [True, False, False, False, False]
    assert 'w:val="on"' not in xml  # pandoc's form is rewritten, never doubled


def test_row_fix_is_idempotent_and_keeps_other_row_properties():
    xml = (
        b'<w:tr><w:trPr><w:tblHeader w:val="on" /><w:trHeight w:val="400" /></w:trPr><w:tc/></w:tr><w:tr><w:tc/></w:tr>'
    )
    once = pandoc.fix_table_rows(xml)
    assert once == pandoc.fix_table_rows(once)
    assert once.count(b"<w:cantSplit/>") == 2 and once.count(b"<w:tblHeader/>") == 1 and b"trHeight" in once


def test_two_tables_of_one_form_sit_6pt_apart():
    xml = document_xml(TABLE + "\n" + TABLE)
    between = re.search(r"</w:tbl>(.*?)<w:tbl>", xml, re.S).group(1)
    assert 'w:line="120" w:lineRule="exact"' in between


@pytest.mark.parametrize(
    "text, joined",
    [
        ("保障热线服务费用209.62万元。", "209.62万元"),
        ("发送短信285万条，", "285万条"),
        ("人均5000元/人。", "5000元/人"),
        ("面积3.5平方米", "3.5平方米"),
        ("增长5万", "5万"),
        ("预算执行率94.79%。", "94.79%"),
    ],
)
def test_a_number_keeps_its_unit_in_html_and_typst(text, joined):
    html = pandoc.markdown_to_html(text)
    assert f'<span class="nobr">{joined}</span>' in html
    typst = pandoc.markdown_to_typst(text)
    assert re.search(r"#box\[" + re.escape(joined).replace("/", r"\\?/") + r"\]", typst)
    assert joined in document_xml(text)  # the DOCX text stays as written (searchable)


def test_names_and_dates_are_left_as_text():
    html = pandoc.markdown_to_html("12345云呼叫中心，2024年05月10日，共12月。")
    assert "12345云呼叫中心" in html and "2024年05月10日" in html and '<span class="nobr">12月</span>' in html


ANNEX = "# 八、其他需要说明的问题\n\n无。\n\n# 附件1 某某项目绩效评价指标体系及综合评分表\n\n表。\n\n# 项目支出绩效自评表\n\n（2024年度）\n\n表。\n"


def test_annex_number_on_its_own_line_and_titles_centred_in_the_docx():
    xml = document_xml(ANNEX)
    paragraphs = [
        (m.group(1), re.sub(r"<[^>]+>", "", m.group(2)))
        for m in re.finditer(r'<w:p>(?:<w:pPr><w:pStyle w:val="([^"]+)" /></w:pPr>)?(.*?)</w:p>', xml, re.S)
    ]
    texts = [(s, t) for s, t in paragraphs if t]
    assert ("AnnexNumber", "附件1") in texts
    assert ("TableTitle", "某某项目绩效评价指标体系及综合评分表") in texts
    assert ("TableTitle", "项目支出绩效自评表") in texts and ("TableSubtitle", "（2024年度）") in texts
    assert xml.count('<w:br w:type="page"/>') == 2


def test_annex_layout_in_typst_and_html():
    typst = pandoc.markdown_to_typst(ANNEX)
    assert "#annex-number[附件1]" in typst and "#annex-title[某某项目绩效评价指标体系及综合评分表]" in typst
    assert "#annex-subtitle[（2024年度）]" in typst and typst.count("#pagebreak()") == 2
    html = pandoc.markdown_to_html(ANNEX)
    assert '<span class="annex-number">附件1</span>' in html
    assert re.search(r'<h1 class="annex-title"[^>]*>某某项目绩效评价指标体系及综合评分表</h1>', html)
    # each annex in a block of class "annex" (page.css starts it on a new printed page); pandoc
    # writes a block that starts with a heading as a <section>
    assert len(re.findall(r'<(?:div|section) class="(?:[^"]* )?annex(?: [^"]*)?">', html)) == 2


def test_false_suspects_are_blanked_in_place():
    pdf = b"1 0 obj\n<</Type/Catalog/MarkInfo<</Marked true/Suspects false>>/Lang(zh)>>\nendobj\n/Suspects false"
    out = without_false_suspects(pdf)
    assert len(out) == len(pdf)  # the cross-reference offsets stay right
    assert b"/MarkInfo<</Marked true" in out and b"/Suspects false>>" not in out
    assert out.endswith(b"/Suspects false")  # only the MarkInfo entry is touched


def test_poppler_reads_the_typst_pdf_without_complaint(cjk_font_dirs, tmp_path):
    from perfdsl.render.pdf import markdown_to_pdf

    path = tmp_path / "r.pdf"
    path.write_bytes(markdown_to_pdf("# 一、基本情况\n\n正文。\n\n" + TABLE, metadata={"title": "报告"}))
    exe = require_tool("pdfinfo", "poppler-utils")
    p = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stderr == "", p.stderr
