"""Where a number and its unit stand together in a text ("36350人次", "285万条", "5000元/人"):
numbers.lua keeps them on one line in every document, so a table column must be wide enough
for the whole run. The units are those of templates/number-units.txt, which the filter reads
too; the pattern here matches at least what the filter joins (a wider column is harmless, a
narrower one would cut the run wherever the line ends)."""

from __future__ import annotations

import re
from functools import lru_cache

from perfdsl.resources import templates_dir

__all__ = ["number_with_unit"]


def _units() -> list[str]:
    text = (templates_dir() / "number-units.txt").read_text(encoding="utf-8")
    units = {line.strip() for line in text.splitlines()}
    return sorted((u for u in units if u and not u.startswith("#")), key=len, reverse=True)


@lru_cache(maxsize=1)
def number_with_unit() -> re.Pattern[str]:
    """Digits (with their "." and ","), then 万/亿 and a unit, either or both, then "/" and a
    unit if written; never followed by another digit ("05月10日" is a date)."""
    unit = "|".join(map(re.escape, _units()))
    return re.compile(rf"\d(?:[\d.,]*\d)?(?:[万亿](?:{unit})?|(?:{unit}))(?:/(?:{unit}))?(?!\d)")
