"""The report's outline, as pandoc will read it: checked on every render, and author Markdown
fitted into it.

A report template arranges text; a slip in it shows up only in the document — a heading glued to
the paragraph before it (pandoc needs a blank line before a heading, so "### 3.分析评价" is printed
as text), a number skipped (1. → 3.), a heading with nothing under it, two items run into one
paragraph ("…。（2）效益指标"). `outline_problems` finds each of these in the Markdown a template
produced; `render_markdown` refuses a report that has any (a template's bug, built-in or a
unit's own, is never filed). Only the blocks matter, read by pandoc's rules (a heading needs a
blank line before it — CommonMark's parsers would read "text\n### 3.x" as a heading and miss the
bug), so a line scanner reads them: a report of 500 lines in well under a millisecond.

The author's narrative sits inside a numbered section, so `fit_narrative` makes it fit first:
its headings go below the report's three levels, each gets the blank line pandoc needs, and a line
that starts an item (（1）, ①, 1、) starts a paragraph, as it does in the source."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The report's own heading levels: 一、 (1), （一） (2), 1. (3). Author headings go deeper.
OUTLINE_LEVELS = 3

_CN_DIGITS = "一二三四五六七八九"
# How a heading of the report is numbered at each level: the number's text and its value.
_NUMBERS = {
    1: re.compile(r"^(?P<n>[一二三四五六七八九十]+)、"),
    2: re.compile(r"^（(?P<n>[一二三四五六七八九十]+)）"),
    3: re.compile(r"^(?P<n>\d+)\\?[.．、](?!\d)"),
}
# A line that starts an item of a list written as text: （一） （1） ① 1、 1.
ITEM_START = re.compile(r"^\s*(?:（[一二三四五六七八九十\d]+）|[①-⑳]|\d+[、．]|\d+\.(?!\d))")
_ATX = re.compile(r"^( {0,3})(#{1,6})([ \t]|$)")
_HEADING_MARK = re.compile(r"(?<![^\s。；：])#{2,6}\s")


@dataclass(frozen=True)
class OutlineProblem:
    line: int  # 1-based, in the Markdown
    text: str  # the line, shortened
    what: str  # in English: this is a template bug, read by developers

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}: {self.text!r}"


def cn_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20 (section numbers up to 99)."""
    if not text or any(c not in _CN_DIGITS + "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.index(text) + 1 if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = _CN_DIGITS.index(tens) + 1 if tens else 1
    o = _CN_DIGITS.index(ones) + 1 if ones else 0
    return t * 10 + o


def _number(level: int, title: str) -> int | None:
    m = _NUMBERS[level].match(title) if level in _NUMBERS else None
    if m is None:
        return None
    return int(m["n"]) if level == 3 else cn_number(m["n"])


def _blocks(lines: list[str]):
    """The blocks pandoc reads, as (kind, first line, last line): "heading", "text" (a paragraph
    or a table) or "code". pandoc's rules, not CommonMark's: a heading needs a blank line (or the
    start) before it; otherwise its line is text of the paragraph above."""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence, j = stripped[:3], i + 1
            while j < n and not lines[j].lstrip().startswith(fence):
                j += 1
            yield "code", i, min(j, n - 1)
            i = j + 1
            continue
        if _ATX.match(line):
            yield "heading", i, i
            i += 1
            continue
        j = i
        while j + 1 < n and lines[j + 1].strip():
            j += 1
        yield "text", i, j
        i = j + 1


def outline_problems(markdown: str) -> list[OutlineProblem]:
    """Every way the Markdown's outline would come out wrong in the document."""
    lines = markdown.splitlines()
    problems: list[OutlineProblem] = []

    def problem(line: int, what: str) -> None:
        problems.append(OutlineProblem(line + 1, lines[line][:40], what))

    headings: list[tuple[int, int, str, bool]] = []  # (line, level, title, has text under it)
    for kind, first, end in _blocks(lines):
        if kind == "heading":
            m = _ATX.match(lines[first])
            assert m is not None
            headings.append((first, len(m[2]), lines[first][m.end() :].strip(), False))
            continue
        if headings and not headings[-1][3]:
            headings[-1] = (*headings[-1][:3], True)
        if kind == "code":
            continue
        if lines[first].startswith(("+", "|")):
            continue  # a grid table: its cells are escaped text (render/gridtable.py)
        for k in range(first, end + 1):
            text = lines[k]
            if k > first and _ATX.match(text):
                problem(k, "heading without a blank line before it (pandoc prints it as text)")
            elif _HEADING_MARK.search(text) and not _ATX.match(text):
                problem(k, "heading marks inside a paragraph")
            elif k > first and ITEM_START.match(text):
                problem(k, "an item run into the paragraph before it (no blank line)")

    last: dict[int, int] = {}
    for k, (line, level, title, has_text) in enumerate(headings):
        for deeper in [lv for lv in last if lv > level]:
            del last[deeper]
        if level > OUTLINE_LEVELS:
            continue
        nested = k + 1 < len(headings) and headings[k + 1][1] > level
        if not has_text and not nested:
            problem(line, "heading with nothing under it")
        n = _number(level, title)
        if n is None:
            continue
        if n != last.get(level, 0) + 1:
            problem(line, f"number {n} follows {last.get(level, 0)} at level {level}")
        last[level] = n
    return problems


def fit_narrative(markdown: str) -> str:
    """Author Markdown made to sit inside a section of the report: headings below the report's
    levels (# becomes ####), a blank line before each heading, each fenced block and each line
    that starts an item. What is inside a fence is left as it is."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            out.append(line)
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            if out and out[-1].strip():
                out.append("")
            out.append(line)
            continue
        heading = _ATX.match(line)
        if heading:
            level = min(6, len(heading[2]) + OUTLINE_LEVELS)
            line = "#" * level + line[heading.end(2) :]
        if (heading or ITEM_START.match(line)) and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)
