"""A report's title: the project's name, then the document's kind ("绩效评价报告"). When the title
needs two lines, it breaks between the two, never inside a word ("…运维费绩效评" / "价报告" is
what both typst and Word made of the 12345 example): GB/T 9704 asks that a title's lines keep
their words whole.

Each writer keeps the kind whole in its own terms: a box in typst and a nowrap span in HTML (the
line is broken before it when it does not fit), and in a DOCX a line break before it when the
whole title is wider than the text block — Word and LibreOffice break Chinese between any two
characters and a DOCX cannot say otherwise, so the width is estimated from the page and the
Title style the document itself carries (a wide character one em, any other a generous 0.6)."""

from __future__ import annotations

import re

# The kinds of document a title ends with, the longer first (a 部门整体 file's ends with the other).
KINDS = ("部门整体支出绩效自评报告", "绩效评价报告")

# Half an em of room kept: the estimate must not say "fits" of a title that does not.
_ROOM_EM = 0.5
_NARROW_EM = 0.6


def report_title(name: str, *, department: bool = False) -> str:
    return name + (KINDS[0] if department else KINDS[1])


def split_kind(title: str) -> tuple[str, str]:
    """(the name, the kind) of a title that ends with a kind; (title, "") of any other."""
    for kind in KINDS:
        if title.endswith(kind) and len(title) > len(kind):
            return title[: -len(kind)], kind
    return title, ""


def _width_em(text: str) -> float:
    from ..core.text import char_width

    return sum((0.0, _NARROW_EM, 1.0)[char_width(c)] for c in text)


_TWIPS = re.compile(rb'w:(w|left|right)="(\d+)"')
_SIZE = re.compile(rb'<w:style [^>]*w:styleId="Title".*?<w:sz w:val="(\d+)"', re.S)


def _line_em(document_xml: bytes, styles_xml: bytes) -> float | None:
    """How many ems of the Title style a line of the document's text block holds."""
    size = _SIZE.search(styles_xml)
    page = re.search(rb"<w:pgSz\b[^>]*>", document_xml)
    margins = re.search(rb"<w:pgMar\b[^>]*>", document_xml)
    if size is None or page is None or margins is None:
        return None
    twips = {**dict(_TWIPS.findall(page.group())), **dict(_TWIPS.findall(margins.group()))}
    if b"w" not in twips:
        return None
    width = int(twips[b"w"]) - int(twips.get(b"left", 0)) - int(twips.get(b"right", 0))
    return width / (int(size.group(1)) * 10)  # twips; the size in half-points: × 10 twips an em


_TITLE = re.compile(rb'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="Title" />.*?</w:p>', re.S)
_TEXT = re.compile(rb'<w:t xml:space="preserve">([^<]*)</w:t>')


def break_docx_title(document_xml: bytes, styles_xml: bytes) -> bytes:
    """A line break before the kind in the Title paragraph of a pandoc document.xml, when the
    title does not fit on one line. (The text is compared as pandoc escaped it: a kind holds
    nothing XML escapes.)"""
    paragraph = _TITLE.search(document_xml)
    texts = list(_TEXT.finditer(paragraph.group())) if paragraph else []
    if not paragraph or not texts:
        return document_xml
    whole = b"".join(t.group(1) for t in texts).decode("utf-8")
    last = texts[-1].group(1).decode("utf-8")
    kind = split_kind(whole)[1]
    line = _line_em(document_xml, styles_xml)
    if not kind or not last.endswith(kind) or line is None or _width_em(whole) <= line - _ROOM_EM:
        return document_xml
    name = last[: -len(kind)]
    broken = f'<w:t xml:space="preserve">{name}</w:t><w:br /><w:t xml:space="preserve">{kind}</w:t>'
    at = paragraph.start() + texts[-1].start()
    end = paragraph.start() + texts[-1].end()
    return document_xml[:at] + broken.encode("utf-8") + document_xml[end:]
