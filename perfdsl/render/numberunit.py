"""A number and its unit stand together ("36350人次", "285万条", "5000元/人", "≥95%"): they are
kept on one line in every document, so a table column must be wide enough for the whole run.

HTML and typst have terms for it (templates/numbers.lua: a nowrap span, a box). A DOCX has none
LibreOffice honours: its Chinese line breaker, chosen by the language of the text where a line
overflows, breaks between any two characters but those on its forbidden lists, which a DOCX
cannot set (measured at 30 line positions: U+2060, U+FEFF, U+00A0, U+202F and U+200D all left
the break). What holds is ``join_in_docx``: the figure in a run of its own whose East Asian
language is "zxx" (no linguistic content: nothing to spell-check or to break by Chinese rules),
which sends the break to the Unicode line breaker, and WORD JOINERs (U+2060, invisible) between
the sign, the digits and each character of the unit, which that breaker keeps together. Measured
on 270 paragraphs that put a figure at every line position: splits in the body 13 → 0, in table
cells 19 → 0 (and none with "。", "）" or "、" after the figure, nor for "94.79%" or "≥95%"). The
cost: the DOCX text holds the joiners ("209.62⁠万⁠元"), so a search there must type the figure
alone. A percentage needs none of it unless a sign leads it (no breaker starts a line with "%").

The units are those of templates/number-units.txt, which numbers.lua reads too."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

from perfdsl.core.comparators import COMPARATORS
from perfdsl.resources import template_words

__all__ = ["number_with_unit", "join_in_docx"]

WORD_JOINER = "\u2060"
_PERCENT = "%％‰"


def _signs() -> list[str]:
    """The comparison signs of the language (≥, >=, = …, not its words), each also as typed in
    full width (＞＝), the longer first."""
    symbols = [c for c in COMPARATORS if c.isascii() or len(c) == 1]
    wide = [c.translate({ord(">"): "＞", ord("<"): "＜", ord("="): "＝"}) for c in symbols]
    return sorted(set(symbols + wide), key=len, reverse=True)


@lru_cache(maxsize=1)
def number_with_unit() -> re.Pattern[str]:
    """A comparison sign if one leads, the digits (with their "." and ","), then 万/亿 and a unit,
    either or both, then "/" and a unit if written — or a percent sign; never followed by
    another digit ("05月10日" is a date)."""
    unit = "|".join(map(re.escape, template_words("number-units.txt")))
    sign = "|".join(map(re.escape, _signs()))
    return re.compile(
        rf"(?P<sign>{sign})?(?<![\d.,])(?P<digits>\d(?:[\d.,]*\d)?)"
        rf"(?P<unit>(?:[万亿](?:{unit})?|(?:{unit}))(?:/(?:{unit}))?|[{_PERCENT}])(?!\d)"
    )


def _joined(m: re.Match[str]) -> str | None:
    sign, digits, unit = m.group("sign") or "", m.group("digits"), m.group("unit")
    if unit in _PERCENT:
        return sign + WORD_JOINER + digits + unit if sign else None
    return (sign + WORD_JOINER if sign else "") + digits + "".join(WORD_JOINER + c for c in unit)


_RUN = re.compile(
    r'<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t xml:space="preserve">([^<]*\d[^<]*)</w:t></w:r>', re.S
)
_UNIT_LANGUAGE = '<w:lang w:eastAsia="zxx" />'


def _run(properties: str, text: str) -> str:
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r>'


def join_in_docx(document_xml: bytes) -> bytes:
    """Every figure in the text of a pandoc document.xml made a run of its own that LibreOffice
    does not break (above). w:lang comes after every run property pandoc writes, so it goes last."""

    def split(run: re.Match[str]) -> str:
        properties, text = run.group(1) or "", unescape(run.group(2))
        language = properties.replace("</w:rPr>", _UNIT_LANGUAGE + "</w:rPr>") or f"<w:rPr>{_UNIT_LANGUAGE}</w:rPr>"
        pieces, start = [], 0
        for m in number_with_unit().finditer(text):
            joined = _joined(m)
            if joined is None:
                continue
            if m.start() > start:
                pieces.append(_run(properties, text[start : m.start()]))
            pieces.append(_run(language, joined))
            start = m.end()
        if not pieces:
            return run.group()
        if start < len(text):
            pieces.append(_run(properties, text[start:]))
        return "".join(pieces)

    return _RUN.sub(split, document_xml.decode("utf-8")).encode("utf-8")
