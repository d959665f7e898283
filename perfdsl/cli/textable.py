"""Plain-text tables that line up with Chinese text (widths: perfdsl.core.text)."""

from __future__ import annotations

from ..core.text import display_width, pad


def table(rows: list[list[str]], right_columns: set[int] | frozenset[int] = frozenset()) -> str:
    if not rows:
        return ""
    sizes = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(pad(c, sizes[i], i in right_columns) for i, c in enumerate(r)).rstrip() for r in rows)
