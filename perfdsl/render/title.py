"""A title's lines keep their words whole (GB/T 9704): a title too long for one line breaks
between the project's name and the document's kind — "12345云呼叫中心平台技术服务运维费" /
"绩效评价报告" — never inside a word ("…运维费绩效评" / "价报告", what typst and Word made of
the 12345 example, and "…指标体" / "系及综合评分表" of its annex).

The kinds are listed once, templates/title-kinds.txt. Each writer keeps the kind whole in its own
terms: a box in typst and a nowrap span in HTML, which are broken before when they do not fit
(the report's title in report.typ and html.py, an annex's title in pagebreaks.lua); in a DOCX a
line break before it when the whole title is wider than the text block (`break_docx_titles`) —
Word and LibreOffice break Chinese between any two characters and a DOCX cannot say otherwise, so
the width is estimated from the page and the paragraph's style the document itself carries (a
wide character one em, any other a generous 0.6)."""

from __future__ import annotations

import re

from ..core.text import char_width
from ..resources import template_words

REPORT = "绩效评价报告"
DEPARTMENT_REPORT = "部门整体支出绩效自评报告"

# Half an em of room kept: the estimate must not say "fits" of a title that does not.
_ROOM_EM = 0.5
_NARROW_EM = 0.6
# The paragraph styles of titles in the reference document: the report's and an annex's.
_TITLE_STYLES = (b"Title", b"TableTitle")


def kinds() -> tuple[str, ...]:
    """templates/title-kinds.txt, the longer first (a 部门整体 report's kind ends with another's)."""
    return template_words("title-kinds.txt")


def report_title(name: str, *, department: bool = False) -> str:
    return name + (DEPARTMENT_REPORT if department else REPORT)


def split_kind(title: str) -> tuple[str, str]:
    """(the name, the kind) of a title that ends with a kind; (title, "") of any other."""
    for kind in kinds():
        if title.endswith(kind) and len(title) > len(kind):
            return title[: -len(kind)], kind
    return title, ""


def _width_em(text: str) -> float:
    return sum((0.0, _NARROW_EM, 1.0)[char_width(c)] for c in text)


_TWIPS = re.compile(rb'w:(w|left|right)="(\d+)"')
_STYLE = re.compile(rb'<w:style [^>]*w:styleId="([^"]+)".*?</w:style>', re.S)
_SIZE = re.compile(rb'<w:sz w:val="(\d+)"')


def _text_width(document_xml: bytes) -> int | None:
    """The text block's width in twips, from the document's (one) section."""
    page = re.search(rb"<w:pgSz\b[^>]*>", document_xml)
    margins = re.search(rb"<w:pgMar\b[^>]*>", document_xml)
    if page is None or margins is None:
        return None
    twips = {**dict(_TWIPS.findall(page.group())), **dict(_TWIPS.findall(margins.group()))}
    if b"w" not in twips:
        return None
    return int(twips[b"w"]) - int(twips.get(b"left", 0)) - int(twips.get(b"right", 0))


def _sizes(styles_xml: bytes) -> dict[bytes, int]:
    """The title styles' font sizes, in half-points."""
    out = {}
    for style in _STYLE.finditer(styles_xml):
        size = _SIZE.search(style.group())
        if style.group(1) in _TITLE_STYLES and size is not None:
            out[style.group(1)] = int(size.group(1))
    return out


_TITLE = re.compile(rb'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="(' + b"|".join(_TITLE_STYLES) + rb')" />.*?</w:p>', re.S)
_TEXT = re.compile(rb'<w:t xml:space="preserve">([^<]*)</w:t>')


def break_docx_titles(document_xml: bytes, styles_xml: bytes) -> bytes:
    """A line break before the kind in each title paragraph of a pandoc document.xml that does
    not fit on one line. (The text is compared as pandoc escaped it: a kind holds nothing XML
    escapes.)"""
    width, sizes = _text_width(document_xml), _sizes(styles_xml)
    if width is None or not sizes:
        return document_xml

    def broken(paragraph: re.Match[bytes]) -> bytes:
        size = sizes.get(paragraph.group(1))
        texts = list(_TEXT.finditer(paragraph.group()))
        if size is None or not texts:
            return paragraph.group()
        whole = b"".join(t.group(1) for t in texts).decode("utf-8")
        last = texts[-1]
        kind = split_kind(whole)[1]
        line_em = width / (size * 10)  # twips a line; the size in half-points: × 10 twips an em
        if not kind or not last.group(1).endswith(kind.encode()) or _width_em(whole) <= line_em - _ROOM_EM:
            return paragraph.group()
        name = last.group(1)[: -len(kind.encode())]
        text = paragraph.group()
        return (
            text[: last.start()]
            + b'<w:t xml:space="preserve">'
            + name
            + b'</w:t><w:br /><w:t xml:space="preserve">'
            + kind.encode()
            + b"</w:t>"
            + text[last.end() :]
        )

    return _TITLE.sub(broken, document_xml)
