"""Plain-text tables that line up with Chinese text (a CJK character is two columns wide)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def table(rows: list[list[str]], right_columns: set[int] = frozenset()) -> str:
    if not rows:
        return ""
    sizes = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(pad(c, sizes[i], i in right_columns) for i, c in enumerate(r)).rstrip() for r in rows)
