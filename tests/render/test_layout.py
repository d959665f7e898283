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
from perfdsl.render.numberunit import join_in_docx
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


NUMBERS = [
    ("保障热线服务费用209.62万元。", "209.62万元"),
    ("发送短信285万条，", "285万条"),
    ("人均5000元/人。", "5000元/人"),
    ("人均补助7.58元/人次，", "7.58元/人次"),  # a unit of two characters after the slash
    ("面积3.5平方米", "3.5平方米"),
    ("增长5万", "5万"),
    ("预算执行率94.79%。", "94.79%"),
]
WORD_JOINER = "\u2060"


def _runs(xml: str) -> list[tuple[str, str]]:
    """(run properties, text) of every run of a document.xml."""
    return re.findall(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?<w:t[^>]*>([^<]*)</w:t></w:r>", xml)


@pytest.mark.parametrize("text, joined", NUMBERS)
def test_a_number_keeps_its_unit_in_html_and_typst(text, joined):
    html = pandoc.markdown_to_html(text)
    assert f'<span class="nobr">{joined}</span>' in html
    typst = pandoc.markdown_to_typst(text)
    assert re.search(r"#box\[" + re.escape(joined).replace("/", r"\\?/") + r"\]", typst)


@pytest.mark.parametrize("text, joined", [n for n in NUMBERS if "%" not in n[1]])
def test_a_number_keeps_its_unit_in_the_docx(text, joined):
    """One run, word joiners between the digits and every character of the unit, its East
    Asian language "zxx" (LibreOffice's Chinese line breaker ignores the joiners); the text is
    the figure as written once the joiners are taken out."""
    digits = re.match(r"[\d.]+", joined).group()
    glued = digits + "".join(WORD_JOINER + c for c in joined[len(digits) :])
    runs = _runs(document_xml(text))
    assert [t for _, t in runs if WORD_JOINER in t] == [glued]
    props = next(p for p, t in runs if t == glued)
    assert props.endswith('<w:lang w:eastAsia="zxx" />')
    assert "".join(t for _, t in runs).replace(WORD_JOINER, "") == text


def test_a_percentage_stays_as_written_in_the_docx_unless_a_sign_leads_it():
    """No breaker starts a line with "%": "94.79%" needs nothing. A comparison sign before a
    figure joins it ("≥36000人次", "≥95%"): the Chinese breaker would part them."""
    runs = _runs(document_xml("预算执行率94.79%，目标≥95%，服务≥36000人次。"))
    glued = [t for p, t in runs if 'w:eastAsia="zxx"' in (p or "")]
    assert glued == [f"≥{WORD_JOINER}95%", f"≥{WORD_JOINER}36000{WORD_JOINER}人{WORD_JOINER}次"]
    assert any("94.79%" in t for _, t in runs)


def test_joining_keeps_each_run_its_properties_and_text():
    """The figure's run keeps the formatting of the run it came from (bold here), the text
    around it stays in runs of its own, escapes stay escapes, and nothing but joiners is added."""
    text = "目标&gt;=95%，≥36000人次，239万元，94.79%，2024年05月10日，12345云呼叫中心，5000元/人。"
    xml = f'<w:r><w:rPr><w:b /></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'.encode()
    runs = _runs(join_in_docx(xml).decode())
    assert all(p.startswith("<w:b />") for p, _ in runs)
    assert "".join(t for _, t in runs).replace(WORD_JOINER, "") == text
    assert [t for p, t in runs if p.endswith('<w:lang w:eastAsia="zxx" />')] == [
        "&gt;=" + WORD_JOINER + "95%",
        "≥" + WORD_JOINER + "36000" + WORD_JOINER + "人" + WORD_JOINER + "次",
        "239" + WORD_JOINER + "万" + WORD_JOINER + "元",
        "5000" + WORD_JOINER + "元" + WORD_JOINER + "/" + WORD_JOINER + "人",
    ]
    assert (
        join_in_docx(b'<w:r><w:t xml:space="preserve">2024\xe5\xb9\xb4</w:t></w:r>')
        == b'<w:r><w:t xml:space="preserve">2024\xe5\xb9\xb4</w:t></w:r>'
    )


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
    assert "#annex-number[附件1]" in typst
    assert "#annex-title[某某项目#box[绩效评价指标体系及综合评分表]]" in typst  # the kind kept whole (title.py)
    assert "#annex-subtitle[（2024年度）]" in typst and typst.count("#pagebreak()") == 2
    html = pandoc.markdown_to_html(ANNEX)
    assert '<span class="annex-number">附件1</span>' in html
    assert re.search(
        r'<h1 class="annex-title"[^>]*>某某项目<span class="nobr">绩效评价指标体系及综合评分表</span></h1>', html
    )
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
