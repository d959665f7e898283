"""Quick fixes for diagnostics whose remedy is plain: a misspelt field with a close match, a cost
indicator written with ≥, a unit written apart from its number, a keyword run into its value,
Chinese quotation marks, a unit on a weight, thousands separators in a number."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..core import schema
from ..diagnostics import Diagnostic
from .positions import LineIndex
from .vocabulary import BLOCK_BY_TITLE, NUMBER_PREFIX


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[tuple[int, int, str], ...]  # (start offset, end offset, new text)
    preferred: bool = False


# The reverse of each "greater" comparator, in the same style.
REVERSE = {
    ">=": "<=",
    "≥": "≤",
    "大于等于": "小于等于",
    "不低于": "不高于",
    "不少于": "不多于",
    ">": "<",
    "大于": "小于",
    "高于": "低于",
}


def fixes_for(d: Diagnostic, text: str, index: LineIndex, lang: str = "zh") -> list[Fix]:
    """The fixes for one diagnostic of a document (`text` is the text the diagnostic was made
    from, `index` its LineIndex)."""
    if d.span is None:
        return []
    make = _FIXERS.get(d.code)
    if make is None:
        return []
    try:
        return make(d, text, index, lang)
    except (KeyError, IndexError, ValueError):
        return []


def _start(d: Diagnostic, index: LineIndex) -> int:
    assert d.span is not None  # a fix is offered for a diagnostic with a place
    return index.offset_of(d.span.line, d.span.column)


def _end(d: Diagnostic, index: LineIndex) -> int:
    assert d.span is not None
    return index.offset_of(d.span.end_line, d.span.end_column)


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _close_matches(name: str, names: list[str]) -> list[str]:
    cleaned = name.strip("“”‘’:：")
    if cleaned != name and cleaned in names:
        return [cleaned]
    return difflib.get_close_matches(cleaned, names, n=3, cutoff=0.4)


def _rename(d, text, index, lang):
    name = d.args.get("field") or d.args.get("name")
    spec = schema.TOP if d.code == "P0205" else BLOCK_BY_TITLE.get(d.args.get("block", ""))
    if not name or spec is None:
        return []
    start, end = _start(d, index), _end(d, index)
    if text[start:end] != name:
        return []
    return [
        Fix(_t(lang, f"改为「{c}」", f"change to '{c}'"), ((start, end, c),), i == 0)
        for i, c in enumerate(_close_matches(name, spec.all_names()))
    ]


def _section(d, text, index, lang):
    name = d.args.get("name", "")
    start, end = _start(d, index), _end(d, index)
    if text[start:end] != f'"{name}"':
        return []
    return [
        Fix(_t(lang, f"改为「{c}」", f"change to '{c}'"), ((start, end, f'"{c}"'),), i == 0)
        for i, c in enumerate(_close_matches(name, list(schema.NARRATIVE_NAMES)))
    ]


def _cost_comparator(d, text, index, lang):
    written = d.args.get("comparator", "")
    start = _start(d, index)
    if written not in REVERSE or not text.startswith(written, start):
        return []
    new = REVERSE[written]
    return [
        Fix(
            _t(lang, f"改为反向指标「{new}」", f"make it a reverse indicator: '{new}'"),
            ((start, start + len(written), new),),
            True,
        )
    ]


def _join_unit(d, text, index, lang):
    start = _start(d, index)
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == start or j == 0 or text[j - 1] == "\n":
        return []
    joined = d.args.get("joined", "")
    return [
        Fix(_t(lang, f"把单位连写：「{joined}」", f"join the unit to its number: '{joined}'"), ((j, start, ""),), True)
    ]


def _split_keyword(d, text, index, lang):
    keyword = d.args.get("keyword", "")
    start = _start(d, index)
    if not keyword or not text.startswith(keyword, start):
        return []
    at = start + len(keyword)
    return [Fix(_t(lang, f"在「{keyword}」之后加空格", f"put a space after '{keyword}'"), ((at, at, " "),), True)]


_SMART_OPEN, _SMART_CLOSE = "“‘", "”’"


def _smart_quotes(d, text, index, lang):
    start = _start(d, index)
    if start >= len(text) or text[start] not in _SMART_OPEN + _SMART_CLOSE:
        return []
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    edits = [(start, start + 1, '"')]
    if text[start] in _SMART_OPEN:
        close = _SMART_CLOSE[_SMART_OPEN.index(text[start])]
        k = text.find(close, start + 1, line_end)
        if k >= 0:
            edits.append((k, k + 1, '"'))
    return [Fix(_t(lang, '改用英文双引号 "', 'use straight quotes "'), tuple(edits), True)]


def _unterminated(d, text, index, lang):
    start = _start(d, index)
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    at = len(text[:line_end].rstrip(" \t"))
    if at <= start:
        return []
    return [Fix(_t(lang, '在行末补上 "', "close the string at the end of the line"), ((at, at, '"'),))]


def _drop_unit(d, text, index, lang):
    start, end = _start(d, index), _end(d, index)
    m = NUMBER_PREFIX.match(text, start, end)
    if not m or m.end() == end:
        return []
    return [
        Fix(
            _t(lang, f"去掉单位「{text[m.end() : end]}」", f"remove the unit '{text[m.end() : end]}'"),
            ((m.end(), end, ""),),
            True,
        )
    ]


def _thousands(d, text, index, lang):
    """「10,000台」→「10000台」: the written number, its separators taken out."""
    start, end = _start(d, index), _end(d, index)
    joined = d.args.get("joined")
    if not joined or text[start:end] != d.args.get("written"):
        return []
    return [Fix(_t(lang, f"改为「{joined}」", f"write '{joined}'"), ((start, end, joined),), True)]


_FIXERS = {
    "P0201": _rename,
    "P0205": _rename,
    "P0209": _section,
    "I0103": _cost_comparator,
    "P0107": _join_unit,
    "P0108": _split_keyword,
    "P0109": _thousands,
    "P0105": _smart_quotes,
    "P0104": _unterminated,
    "U0102": _drop_unit,
}

FIXABLE = frozenset(_FIXERS)
