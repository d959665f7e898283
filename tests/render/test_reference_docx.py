"""templates/reference.docx is what scripts/make_reference_docx.py makes, and says what the
公文 layout needs."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_reference_docx.py"
COMMITTED = ROOT / "templates" / "reference.docx"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def w(tag: str) -> str:
    return W + tag


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ref") / "reference.docx"
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def parts() -> dict[str, ET.Element]:
    z = zipfile.ZipFile(COMMITTED)
    return {n: ET.fromstring(z.read(n)) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def style(parts, style_id: str) -> ET.Element:
    found = [s for s in parts["word/styles.xml"].iter(w("style")) if s.get(w("styleId")) == style_id]
    assert len(found) == 1, style_id
    return found[0]


def prop(el: ET.Element, path: str, attr: str = "val") -> str | None:
    node = el.find(path.replace("w:", W))
    return None if node is None else node.get(w(attr))


def test_committed_file_is_what_the_script_makes(regenerated):
    assert regenerated.read_bytes() == COMMITTED.read_bytes(), "run scripts/make_reference_docx.py"


def test_script_is_deterministic(regenerated, tmp_path):
    again = tmp_path / "again.docx"
    subprocess.run([sys.executable, str(SCRIPT), str(again)], check=True, capture_output=True, timeout=120)
    assert again.read_bytes() == regenerated.read_bytes()
    infos = zipfile.ZipFile(again).infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_body_text(parts):
    defaults = parts["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert prop(defaults, "w:rFonts", "eastAsia") == "仿宋_GB2312"
    assert prop(defaults, "w:sz") == "32"  # 三号 16 pt
    # Chinese text is zh-CN; digits and Latin letters are en-US, as in every Word document made in
    # China: Western zh-CN sends digits through LibreOffice's CJK line breaker ("1⏎2345")
    assert prop(defaults, "w:lang") == "en-US" and prop(defaults, "w:lang", "eastAsia") == "zh-CN"
    # Word adds no gap between Chinese and Latin letters or digits: the text as written, as the PDF
    # has it (LibreOffice reads neither setting)
    paragraph_defaults = parts["word/styles.xml"].find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    assert prop(paragraph_defaults, "w:autoSpaceDE") == "0" and prop(paragraph_defaults, "w:autoSpaceDN") == "0"
    normal = style(parts, "Normal")
    assert prop(normal, "w:pPr/w:spacing", "line") == "560"  # 28 pt
    assert prop(normal, "w:pPr/w:spacing", "lineRule") == "exact"
    body = style(parts, "BodyText")
    assert prop(body, "w:pPr/w:ind", "firstLineChars") == "200"


@pytest.mark.parametrize(
    "style_id, font, size, bold",
    [
        ("Title", "方正小标宋简体", "44", "0"),  # a heavy face already: no synthetic bold
        ("Heading1", "黑体", "32", "0"),
        ("Heading2", "楷体_GB2312", "32", "0"),
        ("Heading3", "仿宋_GB2312", "32", None),
        ("Footer", "宋体", "28", "0"),
    ],
)
def test_heading_fonts(parts, style_id, font, size, bold):
    s = style(parts, style_id)
    assert prop(s, "w:rPr/w:rFonts", "eastAsia") == font
    assert prop(s, "w:rPr/w:sz") == size
    assert prop(s, "w:rPr/w:b") == bold  # None: <w:b/> = bold


def test_title_is_centred(parts):
    assert prop(style(parts, "Title"), "w:pPr/w:jc") == "center"


@pytest.mark.parametrize(
    "style_id, align, font",
    [
        ("AnnexNumber", "left", "黑体"),
        ("TableTitle", "center", "方正小标宋简体"),
        ("TableSubtitle", "center", "楷体_GB2312"),
    ],
)
def test_annex_titles(parts, style_id, align, font):
    s = style(parts, style_id)
    assert prop(s, "w:pPr/w:jc") == align and prop(s, "w:rPr/w:rFonts", "eastAsia") == font
    assert s.find(f"{W}pPr/{W}keepNext") is not None  # never alone at the foot of a page
    assert prop(s, "w:pPr/w:ind", "firstLineChars") == "0"
    if style_id == "TableTitle":
        assert prop(s, "w:pPr/w:outlineLvl") == "0"  # a chapter in Word's navigation pane


def test_table_cells_are_not_justified(parts):
    # a justified cell spreads a short label over its width: "二 级 指 标"
    assert prop(style(parts, "Compact"), "w:pPr/w:jc") == "left"


def test_table_cells_do_not_clip(parts):
    compact = style(parts, "Compact")
    assert prop(compact, "w:pPr/w:spacing", "lineRule") == "auto"
    assert prop(compact, "w:pPr/w:spacing", "line") == "240"
    assert prop(compact, "w:pPr/w:ind", "firstLineChars") == "0"
    assert prop(compact, "w:pPr/w:ind", "firstLine") == "0"
    assert 21 <= int(prop(compact, "w:rPr/w:sz")) <= 24  # 10.5–12 pt


def test_table_borders(parts):
    borders = style(parts, "Table").find(f"{W}tblPr/{W}tblBorders")
    assert [b.tag.removeprefix(W) for b in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
    assert {b.get(w("val")) for b in borders} == {"single"}


def test_no_theme_fonts(parts):
    for name in ("word/styles.xml",):
        for el in parts[name].iter():
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                assert el.get(w(attr)) is None, (name, el.tag, attr)


def test_page_setup_and_footer(parts):
    sect = parts["word/document.xml"].find(f"{W}body/{W}sectPr")
    assert prop(sect, "w:pgSz", "w") == "11906" and prop(sect, "w:pgSz", "h") == "16838"  # A4
    mm = {k: round(int(prop(sect, "w:pgMar", k)) / 1440 * 25.4) for k in ("top", "bottom", "left", "right")}
    assert mm == {"top": 37, "bottom": 35, "left": 28, "right": 26}
    rel_id = sect.find(f"{W}footerReference").get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    )
    rels = parts["word/_rels/document.xml.rels"]
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert targets[rel_id] == "footer1.xml"
    footer = parts["word/footer1.xml"]
    text = "".join(t.text or "" for t in footer.iter(w("t")))
    instr = "".join(t.text or "" for t in footer.iter(w("instrText")))
    assert text == "— 1 —" and instr.strip() == "PAGE"
    ctypes = ET.tostring(parts["[Content_Types].xml"]).decode()
    assert "/word/footer1.xml" in ctypes


def test_font_table_declares_chinese_fallbacks(parts):
    fonts = {f.get(w("name")): f for f in parts["word/fontTable.xml"].iter(w("font"))}
    assert prop(fonts["仿宋_GB2312"], "w:altName") == "仿宋" and prop(fonts["楷体_GB2312"], "w:altName") == "楷体"
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"):
        f = fonts[name]
        assert prop(f, "w:charset") == "86"  # GB 2312
        assert int(prop(f, "w:sig", "csb0"), 16) & 1 << 18  # code page 936, Simplified Chinese
        assert prop(f, "w:family") == ("swiss" if name == "黑体" else "roman")


# Child order of the elements Word validates strictly (ECMA-376 part 1, transitional schema).
ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
    "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
    "printerSettings",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
}


def assert_schema_order(root: ET.Element, where: str) -> None:
    for el in root.iter():
        local = el.tag.removeprefix(W)
        if not el.tag.startswith(W) or local not in ORDER:
            continue
        order = ORDER[local].split()
        kids = [k.tag.removeprefix(W) for k in el if k.tag.startswith(W)]
        # headerReference and footerReference may interleave: treat them as one group
        ranks = [order.index("headerReference") if k == "footerReference" else order.index(k) for k in kids]
        assert ranks == sorted(ranks), f"{where}: <w:{local}> children out of order: {kids}"


def test_child_order_is_valid(parts):
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml"):
        assert_schema_order(parts[name], name)


def test_pandoc_output_keeps_valid_order():
    from perfdsl.render.gridtable import Cell, grid_table
    from perfdsl.render.pandoc import markdown_to_docx

    md = "# 一、标题\n\n正文。\n\n" + grid_table([[Cell("产出", rowspan=2), Cell("a")], [Cell("b")]], header_rows=0)
    z = zipfile.ZipFile(io.BytesIO(markdown_to_docx(md, metadata={"title": "报告"})))
    assert_schema_order(ET.fromstring(z.read("word/document.xml")), "document.xml")
