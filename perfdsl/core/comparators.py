"""Comparators: how targets are compared with actuals, as written in the wild and as perfdsl
prints them.

Reports write the same comparison many ways (≥, >=, 大于等于, 不低于 …); each has one canonical
meaning (">=", ">", "<=", "<", "="), printed as a symbol in tables and as words in sentences.
The grammar accepts exactly the spellings in COMPARATORS (a test holds the two together)."""

from __future__ import annotations

COMPARATORS = {
    ">=": ">=", "≥": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=",
    ">": ">", "大于": ">", "高于": ">",
    "<=": "<=", "≤": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=",
    "<": "<", "小于": "<", "低于": "<",
    "=": "=", "＝": "=", "等于": "=",
}  # fmt: skip

SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
WORD = {">=": "大于等于", ">": "大于", "<=": "小于等于", "<": "小于", "=": "等于"}


def canonical(text: str) -> str:
    """The meaning of a comparator as written (unknown text is returned as it is)."""
    return COMPARATORS.get(text, text)
