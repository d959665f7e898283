#!/usr/bin/env python3
"""Generate templates/reference.docx: pandoc's default reference document restyled to the
GB/T 9704 公文 look.

    python scripts/make_reference_docx.py [OUTPUT]

pandoc takes only the styles, page setup (the last sectPr), headers/footers, numbering and
settings from a reference document, never its text.  The edits here:

- body 仿宋_GB2312 三号 (16 pt), line spacing exactly 28 pt, first line indented 2 characters;
  Title 方正小标宋简体 二号 (22 pt) centred; Heading 1 黑体, 2 楷体_GB2312, 3 仿宋_GB2312 bold, all
  16 pt; Latin letters and digits in Times New Roman;
- the theme font attributes (w:asciiTheme, w:eastAsiaTheme…) removed everywhere: while one is
  present Word ignores the explicit font name next to it;
- table cells (style Compact) single-spaced, not indented, 10.5 pt: the body's exact 28 pt
  would clip them; the Table style gets single borders on every edge;
- A4, margins 37/35/28/26 mm (the 156 × 225 mm 版心), footer page number "— 1 —";
- language zh-CN; the fonts that ship under other names on current Windows (仿宋, 楷体) are
  named as alternatives in the font table, so Word substitutes them.

The output is deterministic: entries in the order of pandoc's file, one fixed timestamp, stored
uncompressed (deflate output differs between zlib builds; the template is small).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "templates" / "reference.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"

# Sizes in half-points (w:sz), lengths in twentieths of a point (twips).
SANHAO = 32  # 三号 16 pt
ERHAO = 44  # 二号 22 pt
XIAOERHAO = 36  # 小二 18 pt
SIHAO = 28  # 四号 14 pt
WUHAO = 21  # 五号 10.5 pt
LINE_EXACT = 560  # 28 pt
INDENT_2_CHARS = 'w:firstLineChars="200" w:firstLine="640"'  # 640 twips = 2 × 16 pt, for readers without *Chars


def mm(v: float) -> int:
    return round(v / 25.4 * 1440)


PAGE = {"w": 11906, "h": 16838, "top": mm(37), "bottom": mm(35), "left": mm(28), "right": mm(26)}
# Page number about 7 mm below the text block (GB/T 9704 7.5): footer edge ≈ 35 − 7 − 5 mm.
FOOTER_DISTANCE = mm(23)
HEADER_DISTANCE = mm(15)


def rfonts(east_asia: str, latin: str = LATIN) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:eastAsia="{east_asia}" w:hAnsi="{latin}" w:cs="{latin}"/>'


def rpr(east_asia: str, size: int, bold: bool = False, latin: str = LATIN) -> str:
    # child order per CT_RPr: rFonts, b, bCs, (i, color…), kern, sz, szCs
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    return (
        f'<w:rPr>{rfonts(east_asia, latin)}{b}<w:i w:val="0"/><w:iCs w:val="0"/>'
        f'<w:color w:val="000000"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def para_style(sid, name, based_on, ppr, run, next_="BodyText", link=None, extra="", custom=False):
    custom_attr = ' w:customStyle="1"' if custom else ""
    attrs = f'w:type="paragraph"{custom_attr} w:styleId="{sid}"'
    # child order per CT_Style: name, basedOn, next, link, uiPriority, semiHidden, unhideWhenUsed, qFormat, pPr, rPr
    return (
        f'<w:style {attrs}><w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + (f'<w:next w:val="{next_}"/>' if next_ else "")
        + (f'<w:link w:val="{link}"/>' if link else "")
        + f"{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr>{run}</w:style>"
    )


def char_style(sid, name, link, run):
    return (
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="{link}"/>{run}</w:style>'
    )


def exact(before=0, after=0, line=LINE_EXACT):
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'


def single(before=0, after=0):
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'


NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
INDENT = f"<w:ind {INDENT_2_CHARS}/>"
LEFT = '<w:jc w:val="left"/>'
CENTER = '<w:jc w:val="center"/>'

HEADINGS = {  # level: (East Asian font, bold)
    1: (HEITI, False),
    2: (KAITI, False),
    3: (FANGSONG, True),
}


def styles() -> dict[str, str]:
    """Replacement <w:style> elements by styleId (existing ones are replaced in place)."""
    s: dict[str, str] = {}
    s["Normal"] = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl/>{exact()}<w:jc w:val="both"/></w:pPr>{rpr(FANGSONG, SANHAO)}</w:style>'
    )
    s["BodyText"] = para_style("BodyText", "Body Text", "Normal", exact() + INDENT, "", next_=None, link="BodyTextChar")
    # Table cells (and tight list items): single spacing, no indent, smaller type, ragged right:
    # a justified cell spreads a short CJK label over its width ("二 级 指 标").
    s["Compact"] = para_style(
        "Compact", "Compact", "BodyText", single() + NO_INDENT + LEFT, rpr(FANGSONG, WUHAO), next_=None, custom=True
    )
    # The title of an annex or a form (附件1's 评价指标体系及综合评分表, 项目支出绩效自评表): centred,
    # 方正小标宋简体 小二; in the navigation pane like a chapter (outline level 1). The annex number
    # ("附件1") stands on its own line above it, in 黑体 at the left margin (GB/T 9704 8.2).
    s["AnnexNumber"] = para_style(
        "AnnexNumber",
        "Annex Number",
        "Normal",
        "<w:keepNext/>" + exact() + NO_INDENT + LEFT,
        rpr(HEITI, SANHAO),
        next_="TableTitle",
        custom=True,
    )
    s["TableTitle"] = para_style(
        "TableTitle",
        "Table Title",
        "Normal",
        "<w:keepNext/><w:keepLines/>"
        + single(before=LINE_EXACT // 2, after=LINE_EXACT // 2)
        + NO_INDENT
        + CENTER
        + '<w:outlineLvl w:val="0"/>',
        rpr(XIAOBIAOSONG, XIAOERHAO),
        next_="TableSubtitle",
        custom=True,
    )
    s["TableSubtitle"] = para_style(
        "TableSubtitle",
        "Table Subtitle",
        "Normal",
        "<w:keepNext/>" + single(after=LINE_EXACT // 4) + NO_INDENT + CENTER,
        rpr(KAITI, SANHAO),
        next_="BodyText",
        custom=True,
    )
    title_run = rpr(XIAOBIAOSONG, ERHAO)
    s["Title"] = para_style(
        "Title",
        "Title",
        "Normal",
        single(after=LINE_EXACT) + NO_INDENT + '<w:jc w:val="center"/>',
        title_run,
        link="TitleChar",
        extra='<w:uiPriority w:val="10"/>',
    )
    s["TitleChar"] = char_style("TitleChar", "Title Char", "Title", title_run)
    sub_run = rpr(KAITI, SANHAO)
    s["Subtitle"] = para_style(
        "Subtitle",
        "Subtitle",
        "Title",
        single(after=LINE_EXACT) + NO_INDENT + '<w:jc w:val="center"/>',
        sub_run,
        link="SubtitleChar",
        extra='<w:uiPriority w:val="11"/>',
    )
    s["SubtitleChar"] = char_style("SubtitleChar", "Subtitle Char", "Subtitle", sub_run)
    for sid, name in (("Author", "Author"), ("Date", "Date")):
        s[sid] = para_style(
            sid,
            name,
            "Title",
            "<w:keepNext/><w:keepLines/>" + exact() + NO_INDENT + '<w:jc w:val="center"/>',
            rpr(FANGSONG, SANHAO),
            custom=sid == "Author",
        )
    for level in range(1, 10):
        font, bold = HEADINGS.get(level, (FANGSONG, False))
        run = rpr(font, SANHAO, bold)
        sid = f"Heading{level}"
        ppr = f'<w:keepNext/><w:keepLines/>{exact()}{INDENT}<w:outlineLvl w:val="{level - 1}"/>'
        extra = '<w:uiPriority w:val="9"/>' + ("" if level == 1 else "<w:unhideWhenUsed/>")
        s[sid] = para_style(sid, f"heading {level}", "Normal", ppr, run, link=f"{sid}Char", extra=extra)
        s[f"{sid}Char"] = char_style(f"{sid}Char", f"Heading {level} Char", sid, run)
    s["Caption"] = para_style(
        "Caption", "Caption", "Normal", exact() + NO_INDENT + '<w:jc w:val="center"/>', rpr(HEITI, SANHAO), next_=None
    )
    s["FootnoteText"] = para_style(
        "FootnoteText", "footnote text", "Normal", single() + NO_INDENT, rpr(FANGSONG, SIHAO), next_="FootnoteText"
    )
    # "— 1 —": the dashes are East Asian (full-width) characters, so all scripts use 宋体.
    s["Footer"] = para_style(
        "Footer",
        "footer",
        "Normal",
        single() + NO_INDENT + '<w:jc w:val="center"/>',
        rpr(SONGTI, SIHAO, latin=SONGTI),
        next_=None,
        extra="<w:unhideWhenUsed/>",
    )
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    borders = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    # child order per CT_TblPrBase: tblInd, tblBorders, tblCellMar; CT_Style: tblPr, trPr, tcPr
    s["Table"] = (
        '<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        # a row is not split across pages (a merged 一级 cell still may be)
        "<w:trPr><w:cantSplit/></w:trPr>"
        '<w:tcPr><w:vAlign w:val="center"/></w:tcPr>'
        "</w:style>"
    )
    return s


# The East Asian language is zh-CN (Simplified Chinese glyphs, Chinese line-breaking rules); the
# "Western" language, which governs digits and Latin letters, is en-US as in every Word document
# made in China. Western zh-CN would send digits through LibreOffice's CJK line breaker, which
# breaks between any two characters: "20⏎9.62万元", "1⏎2345", "100.0⏎0%".
LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'

DOC_DEFAULTS = (
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'{rfonts(FANGSONG)}<w:kern w:val="2"/><w:sz w:val="{SANHAO}"/><w:szCs w:val="{SANHAO}"/>'
    f"{LANG}"
    "</w:rPr></w:rPrDefault>"
    # No space added between Chinese and Latin letters or digits ("2024年05月10日", "共计5万元", as
    # written): GB/T 9704 sets 28 characters a line, and Word's and LibreOffice's automatic gap
    # (on by default) would put one before and after some figures and not others.
    '<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:spacing w:after="0"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
)

THEME_ATTR = re.compile(r'\s+w:(?:asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)="[^"]*"')
THEME_COLOR_ATTR = re.compile(r'\s+w:theme(?:Color|Shade|Tint)="[^"]*"')


def edit_styles(xml: str) -> str:
    xml = re.sub(r"<w:docDefaults>.*?</w:docDefaults>", DOC_DEFAULTS, xml, count=1, flags=re.S)
    for sid, new in styles().items():
        pattern = re.compile(rf'<w:style\b[^>]*\bw:styleId="{sid}"[^>]*>.*?</w:style>', re.S)
        xml, n = pattern.subn(lambda _m, new=new: new, xml, count=1)
        if not n:
            xml = xml.replace("</w:styles>", new + "</w:styles>")
    xml = THEME_ATTR.sub("", xml)
    xml = THEME_COLOR_ATTR.sub("", xml)
    # Italic Chinese is a slanted distortion, not a typeface: no style uses it.
    xml = re.sub(r"<w:i\s*/>|<w:iCs\s*/>", "", xml)
    return xml


FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r>'
    "</w:p></w:ftr>"
)
FOOTER_REL_ID = "rIdPerfdslFooter1"

SECT_PR = (
    "<w:sectPr>"
    f'<w:footerReference w:type="default" r:id="{FOOTER_REL_ID}"/>'
    '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
    f'<w:pgSz w:w="{PAGE["w"]}" w:h="{PAGE["h"]}"/>'
    f'<w:pgMar w:top="{PAGE["top"]}" w:right="{PAGE["right"]}" w:bottom="{PAGE["bottom"]}" '
    f'w:left="{PAGE["left"]}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
    '<w:pgNumType w:fmt="decimal" w:start="1"/><w:cols w:space="425"/>'
    # No w:docGrid: a line grid snaps every single-spaced table line to 28 pt.  The exact
    # 28 pt body spacing already gives GB/T 9704's 22 lines per page.
    "</w:sectPr>"
)


def edit_document(xml: str) -> str:
    xml, n = re.subn(r"<w:sectPr>.*?</w:sectPr>", SECT_PR, xml, count=1, flags=re.S)
    assert n == 1, "pandoc's reference document has no sectPr"
    return xml


def edit_rels(xml: str) -> str:
    rel = f'<Relationship Type="{R_NS}/footer" Id="{FOOTER_REL_ID}" Target="footer1.xml" />'
    return xml.replace("</Relationships>", rel + "</Relationships>")


def edit_content_types(xml: str) -> str:
    ct = (
        '<Override PartName="/word/footer1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
    )
    return xml.replace("</Types>", ct + "</Types>")


# The Chinese fonts, declared as Word declares them, so that a machine without one substitutes a
# Chinese face of the same kind: w:altName names the font current Windows ships instead (仿宋 for
# 仿宋_GB2312); charset 86 and the signature's code-page bit 18 say GB 2312 (Simplified Chinese);
# the PANOSE family and w:family say serif (roman: 仿宋, 楷体, 宋体, 小标宋) or sans (swiss: 黑体).
# LibreOffice, which ignores w:altName, takes the kind and the run's East Asian language (zh-CN).
CHINESE_SIGNATURE = (
    '<w:sig w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" '
    'w:csb0="00040001" w:csb1="00000000"/>'
)
FONT_TABLE_ENTRIES = "".join(
    f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
    f'<w:family w:val="{family}"/><w:pitch w:val="variable"/>{CHINESE_SIGNATURE}</w:font>'
    for name, alt, panose, family in (
        (FANGSONG, "仿宋", "02010609030101010101", "roman"),
        (KAITI, "楷体", "02010609030101010101", "roman"),
        (XIAOBIAOSONG, "宋体", "02000000000000000000", "roman"),
        (HEITI, "SimHei", "02010609060101010101", "swiss"),
        (SONGTI, "SimSun", "02010600030101010101", "roman"),
    )
)


def edit_font_table(xml: str) -> str:
    return xml.replace("</w:fonts>", FONT_TABLE_ENTRIES + "</w:fonts>")


def edit_settings(xml: str) -> str:
    return xml.replace('<w:themeFontLang w:val="en-US" />', '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN" />')


def edit_core(xml: str) -> str:
    xml = re.sub(r"<dc:title>.*?</dc:title>", "<dc:title></dc:title>", xml)
    xml = re.sub(r"<dc:creator>.*?</dc:creator>", "<dc:creator></dc:creator>", xml)
    xml = re.sub(r"(<dcterms:(created|modified)\b[^>]*>)[^<]*", r"\g<1>1980-01-01T00:00:00Z", xml)
    if "<dc:language>" not in xml:
        xml = xml.replace("</cp:coreProperties>", "<dc:language>zh-CN</dc:language></cp:coreProperties>")
    return xml


EDITS = {
    "word/styles.xml": edit_styles,
    "word/document.xml": edit_document,
    "word/_rels/document.xml.rels": edit_rels,
    "[Content_Types].xml": edit_content_types,
    "word/fontTable.xml": edit_font_table,
    "word/settings.xml": edit_settings,
    "docProps/core.xml": edit_core,
}


def pandoc_default_reference() -> bytes:
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout


def build(source: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(source))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 0
            dst.writestr(info, data)

        for name in src.namelist():
            data = src.read(name)
            if name in EDITS:
                data = EDITS[name](data.decode("utf-8")).encode("utf-8")
            put(name, data)
        put("word/footer1.xml", FOOTER.encode("utf-8"))
    return out.getvalue()


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(build(pandoc_default_reference()))
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
