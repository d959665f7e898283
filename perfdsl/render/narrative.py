"""Narrative Markdown written back for pandoc from its parsed tree (model/markdown_safety.py
judges it): the writer of the report's narrative, 依据 and goals.

The tree markdown-it-py made is written out as pandoc Markdown that says only what the tree says:

- text, every character of it escaped, so that pandoc finds no construct of its own in it (no
  citation in `@word`, no footnote, no raw output, no attribute, no link);
- paragraphs, headings, lists, block quotes, code, rules, tables, emphasis, line breaks;
- a link only when model.markdown_safety.link_is_safe says so; any other is its text followed by
  the target as plain text;
- a picture of the project, checked by model.markdown_safety.load_image, as a data: URI, which the
  DOCX and HTML writers take as it is and the PDF writer turns back into a file for typst
  (render/pdf.py); any other picture is its alt text and target as plain text.

A writer that starts from the tree cannot be fooled by a spelling of a link that a pattern on the
text did not foresee; markdown-it-py runs in time linear in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from .. import project
from ..model.markdown_safety import INVISIBLE, Problem, dedent_blocks, link_is_safe, load_image, parse
from .gridtable import escape_markdown


@dataclass
class Judged:
    markdown: str
    problems: list[Problem]


def judge(text: str, base: Path, root: Path, image_limit: int | None = None) -> Judged:
    """The Markdown pandoc may read for `text`, and what was refused in it (the same problems
    model.markdown_safety.scan finds). `base` is the folder relative paths start from, `root`
    the project root images must lie in."""
    writer = _Writer(base, root, image_limit or project.MAX_ASSET_BYTES)
    tokens = parse(text)
    markdown = writer.blocks(tokens, 0, len(tokens))
    return Judged(markdown, writer.problems)


def neutralise(text: str, base: Path, root: Path, image_limit: int | None = None) -> str:
    plain = plain_paragraphs(text)
    return plain if plain is not None else judge(text, base, root, image_limit).markdown


# Anything that can start a Markdown construct anywhere in a line (emphasis, code, links, images,
# HTML, entities, strikethrough, escapes) or at its start (headings, quotes, lists, tables, rules,
# setext underlines), a tab or a control character, an ordered-list number, a line of 4+ spaces
# (code), one starting with another kind of space, or ending in any space (trimmed, or a hard
# break).
_MARKUP = re.compile(
    r"[\\`*_\[\]<&~\t\r\x00\x0b\x0c\x1c-\x1f\x85\u2028\u2029]"
    r"|^ *[-+=#>|:]|^ *\d{1,9}[.)](?: |$)|^ {4}|^[^\S \n]|[^\S\n]$",
    re.M,
)


def plain_paragraphs(text: str) -> str | None:
    """The written Markdown of a text with no Markdown in it — most narrative is plain paragraphs
    — without parsing it; None when the text may hold Markdown (the tree is then needed). The same
    result as `judge` (tests/hardening/test_markdown_safety.py holds the two together)."""
    text = dedent_blocks(text)
    if _MARKUP.search(text):
        return None
    paragraphs = [p for p in re.split(r"\n(?: *\n)+", text.strip("\n")) if p.strip(" ")]
    return "\n\n".join("\n".join(escape_markdown(line.strip(" ")) for line in p.split("\n")) for p in paragraphs)


class _Writer:
    def __init__(self, base: Path, root: Path, image_limit: int):
        self.base, self.root, self.image_limit = base, root, image_limit
        self.problems: list[Problem] = []
        self.line = 1

    # ------------------------------------------------------------ blocks

    def blocks(self, tokens: list[Token], start: int, end: int) -> str:
        """The blocks of tokens[start:end] (one nesting level), separated by blank lines."""
        out: list[str] = []
        i = start
        while i < end:
            tok = tokens[i]
            if tok.map:
                self.line = tok.map[0] + 1
            if tok.nesting == 1:
                close = _closing(tokens, i)
                out.append(self.container(tokens, i, close))
                i = close + 1
                continue
            if tok.type == "inline":
                out.append(self.inline(tok.children or []))
            elif tok.type in ("fence", "code_block"):
                out.append(_code_block(tok.content))
            elif tok.type == "hr":
                out.append("-----")
            elif tok.content:  # anything else that carries text is text
                out.append(escape_markdown(tok.content))
            i += 1
        return "\n\n".join(part for part in out if part)

    def container(self, tokens: list[Token], open_at: int, close_at: int) -> str:
        tok = tokens[open_at]
        kind = tok.type[: -len("_open")]
        if kind == "paragraph":
            return self.blocks(tokens, open_at + 1, close_at)
        if kind == "heading":
            level = min(int(tok.tag[1:]), 6)
            return "#" * level + " " + self.blocks(tokens, open_at + 1, close_at).replace("\n", " ")
        if kind == "blockquote":
            inner = self.blocks(tokens, open_at + 1, close_at)
            return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
        if kind in ("bullet_list", "ordered_list"):
            return self.items(tokens, open_at, close_at, ordered=kind == "ordered_list")
        if kind == "table":
            return self.table(tokens, open_at, close_at)
        return self.blocks(tokens, open_at + 1, close_at)

    def items(self, tokens: list[Token], open_at: int, close_at: int, ordered: bool) -> str:
        number = int(tokens[open_at].attrGet("start") or 1) if ordered else 0
        level = tokens[open_at].level + 2  # the items' own paragraphs, not a nested list's
        tight = any(t.hidden for t in tokens[open_at:close_at] if t.type == "paragraph_open" and t.level == level)
        items = []
        i = open_at + 1
        while i < close_at:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            end = _closing(tokens, i)
            marker = f"{number}." if ordered else "-"
            marker = marker.ljust(4) if len(marker) < 4 else marker + " "
            body = self.blocks(tokens, i + 1, end) or escape_markdown("")
            pad = " " * len(marker)
            lines = body.split("\n")
            items.append(marker + lines[0] + "".join("\n" + (pad + line if line else "") for line in lines[1:]))
            number += 1
            i = end + 1
        return ("\n" if tight else "\n\n").join(items)

    def table(self, tokens: list[Token], open_at: int, close_at: int) -> str:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for i in range(open_at, close_at):
            t = tokens[i]
            if t.type == "tr_open":
                rows.append([])
            elif t.type in ("th_open", "td_open"):
                if t.type == "th_open":
                    aligns.append(str(t.attrGet("style") or ""))
                rows[-1].append(self.inline(tokens[i + 1].children or []).replace("\n", " "))
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        marks = {"text-align:left": ":---", "text-align:right": "---:", "text-align:center": ":---:"}
        sep = [marks.get(a, "---") for a in aligns] + ["---"] * (width - len(aligns))
        lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
        return "\n".join([lines[0], "| " + " | ".join(sep) + " |", *lines[1:]])

    # ------------------------------------------------------------ inline

    def inline(self, children: list[Token]) -> str:
        out: list[str] = []
        i = 0
        while i < len(children):
            tok = children[i]
            t = tok.type
            if t == "text":
                out.append(escape_markdown(tok.content))
            elif t == "softbreak":
                out.append("\n")
            elif t == "hardbreak":
                out.append("\\\n")
            elif t == "code_inline":
                out.append(_code_span(tok.content))
            elif t in ("em_open", "em_close"):
                out.append("*")
            elif t in ("strong_open", "strong_close"):
                out.append("**")
            elif t in ("s_open", "s_close"):
                out.append("~~")
            elif t == "link_open":
                close = _closing(children, i)
                out.append(self.link(tok, self.inline(children[i + 1 : close])))
                i = close
            elif t == "image":
                out.append(self.image(tok))
            elif tok.content:
                out.append(escape_markdown(tok.content))
            i += 1
        return "".join(out)

    def link(self, tok: Token, text: str) -> str:
        href = str(tok.attrGet("href") or "")
        if not href:  # [text]() links nowhere: its text
            return text
        if link_is_safe(href):
            return f"[{text}](<{INVISIBLE.sub('', href)}>)"
        self.problems.append(Problem("P0402", self.line, unquote(href)))
        shown = escape_markdown(f" ({unquote(href)})") if href and tok.markup != "autolink" else ""
        return text + shown

    def image(self, tok: Token) -> str:
        src = str(tok.attrGet("src") or "")
        alt = escape_markdown(tok.content)
        got = load_image(src, self.base, self.root, self.image_limit)
        if got.uri is None:
            self.problems.append(Problem("P0401", self.line, unquote(src), got.why, got.why_en))
            return alt + escape_markdown(f" ({unquote(src)})")
        return f"![{alt}]({got.uri})"


def _closing(tokens: list[Token], open_at: int) -> int:
    """The index of the token closing tokens[open_at] (nesting counted). Linear overall: the
    parser nests blocks at most `maxNesting` (20) deep, so each token is passed a bounded number
    of times."""
    depth = 0
    for j in range(open_at, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _code_span(content: str) -> str:
    fence = "`" * (_longest_run(content, "`") + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _code_block(content: str) -> str:
    fence = "`" * max(3, _longest_run(content, "`") + 1)
    return f"{fence}\n{content.rstrip(chr(10))}\n{fence}"


def _longest_run(text: str, char: str) -> int:
    best = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        best = max(best, run)
    return best
