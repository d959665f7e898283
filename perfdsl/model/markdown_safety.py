"""What author Markdown may do, judged on its parsed tree: used by the checker (to report) and by
the renderer (to write the Markdown pandoc reads).

Narrative text (正文, 依据, 绩效目标, …) is parsed once with markdown-it-py (CommonMark, tables and
strikethrough) — entity references decoded, reference definitions resolved wherever they stand,
destinations split over lines joined — and the tree is written back out as pandoc Markdown that
says only what the tree says:

- text, every character of it escaped, so that pandoc finds no construct of its own in it
  (no citation in `@word`, no footnote, no raw output, no attribute, no link);
- paragraphs, headings, lists, block quotes, code, rules, tables, emphasis, line breaks;
- a link only when its target, with whitespace and control characters removed, is `http:`,
  `https:`, `mailto:` or a same-document anchor `#…`; any other link (`javascript:`, `data:`,
  `file:`, `vbscript:`, a UNC `//host/share`, a relative path) is written as its text followed by
  the target as plain text;
- an image only when it is a PNG, JPEG or GIF file of the project, read through perfdsl.project
  (confined, regular file, size limit) and checked to be what its bytes say it is and not
  absurdly large once decoded; it is embedded as a data: URI, which the DOCX and HTML writers take
  as it is and the PDF writer turns back into a file for typst (render/pdf.py). Any other image is
  a located error from the checker and plain text in the report.

A writer that starts from the tree cannot be fooled by a spelling of a link that a pattern on
the text did not foresee. markdown-it-py runs in time linear in the text."""

from __future__ import annotations

import base64
import re
import struct
import textwrap
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .. import project
from ..render.gridtable import escape_markdown

SAFE_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_IMAGE_PIXELS = 40_000_000  # decoded size of one picture (a 40-megapixel photo)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")


@dataclass(frozen=True)
class Problem:
    code: str  # P0401 an image that cannot be used, P0402 a link that is not kept
    line: int  # the line of the text (1-based) the block holding it starts on
    target: str
    why: str = ""  # for P0401: why the image cannot be used
    why_en: str = ""


@dataclass
class Judged:
    markdown: str
    problems: list[Problem]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # every link reaches the tree, where it is judged
    return md


# ---------------------------------------------------------------- links and images


def link_is_safe(href: str) -> bool:
    """http, https, mailto or a same-document anchor, after whitespace and invisible characters
    are removed (markdown-it has already decoded entity references)."""
    t = _INVISIBLE.sub("", unquote(href)).lower()
    return t.startswith("#") or t.startswith(SAFE_SCHEMES)


def image_kind(data: bytes) -> str | None:
    """The MIME type the bytes are, of those every output can show."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return None


def image_pixels(data: bytes, kind: str) -> int | None:
    """Width × height from the image's header (None when the header cannot be read)."""
    try:
        if kind == "image/png":
            w, h = struct.unpack(">II", data[16:24])
            return w * h
        if kind == "image/gif":
            w, h = struct.unpack("<HH", data[6:10])
            return w * h
        i = 2  # JPEG: walk the segments to the frame header
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return w * h
            i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    except struct.error:
        return None
    return None


def repaired_png(data: bytes, pixels: int) -> bytes | None:
    """The PNG with every chunk's checksum recomputed (typst refuses a picture whose checksums
    are wrong, as a browser or Word would not), or None when its chunks do not hold together or
    its pixel data does not decompress (read at most the size its header announces, so that a
    small file cannot inflate without bound)."""
    out, i, idat = [data[:8]], 8, zlib.decompressobj()
    limit = pixels * 8 + (1 << 16)  # 16-bit RGBA and a filter byte a row, with room to spare
    inflated, ended = 0, False
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind, body = data[i + 4 : i + 8], data[i + 8 : i + 8 + length]
        if len(body) != length or not kind.isalpha():
            return None
        if kind == b"IDAT":
            try:
                inflated += len(idat.decompress(body, max(1, limit - inflated)))
            except zlib.error:
                return None
            if inflated >= limit:
                return None
        out.append(data[i : i + 8] + body + struct.pack(">I", zlib.crc32(kind + body)))
        i += 12 + length
        if kind == b"IEND":
            ended = True
            break
    return b"".join(out) if ended and inflated > 0 else None


@dataclass(frozen=True)
class _Image:
    uri: str | None  # the data: URI, or None with the reason
    why: str = ""
    why_en: str = ""


def _load_image(target: str, base: Path, root: Path, limit: int) -> _Image:
    name = unquote(target)
    plain = _INVISIBLE.sub("", name).lower()
    if ":" in plain.split("/")[0] or plain.startswith("//"):
        return _Image(None, "只能使用项目内的图片文件", "only image files of the project can be used")
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return _Image(None, "只支持 png、jpg、gif 图片", "only png, jpg and gif images are supported")
    path, refusal = project.locate(name, base / "_", root)
    if refusal is None and path is not None:
        data, refusal = project.read_bytes(path, limit)
    if refusal is not None:
        why = {
            project.Reason.OUTSIDE: ("在项目目录之外", "it is outside the project"),
            project.Reason.MISSING: ("文件不存在", "there is no such file"),
            project.Reason.SPECIAL: ("不是普通文件", "it is not a regular file"),
            project.Reason.TOO_LARGE: (
                f"超过 {limit // 1048576} MiB 的上限",
                f"it is over the {limit // 1048576} MiB limit",
            ),
        }.get(refusal.reason, (f"无法读取：{refusal.detail}", f"it cannot be read: {refusal.detail}"))
        return _Image(None, *why)
    assert data is not None
    kind = image_kind(data)
    if kind is None:
        return _Image(None, "文件内容不是 png、jpg 或 gif 图片", "its content is not a png, jpg or gif image")
    pixels = image_pixels(data, kind)
    if pixels is None or pixels <= 0:
        return _Image(None, "图片文件已损坏", "the image file is damaged")
    if pixels > MAX_IMAGE_PIXELS:
        return _Image(None, f"图片过大（{pixels} 像素）", f"the picture is too large ({pixels} pixels)")
    if kind == "image/png":
        data = repaired_png(data, pixels)
        if data is None:
            return _Image(None, "图片文件已损坏", "the image file is damaged")
    return _Image(f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}")


# ---------------------------------------------------------------- the tree, written back


def judge(text: str, base: Path, root: Path, image_limit: int | None = None) -> Judged:
    """The Markdown pandoc may read for `text`, and what was refused in it. `base` is the folder
    relative paths start from, `root` the project root images must lie in."""
    writer = _Writer(base, root, image_limit or project.MAX_ASSET_BYTES)
    tokens = _parser().parse(_dedent_blocks(text))
    markdown = writer.blocks(tokens, 0, len(tokens))
    return Judged(markdown, writer.problems)


def scan(text: str, base: Path, root: Path, image_limit: int | None = None) -> list[Problem]:
    if "[" not in text and "<" not in text:  # no link and no image can be written without one
        return []
    return judge(text, base, root, image_limit).problems


def neutralise(text: str, base: Path, root: Path, image_limit: int | None = None) -> str:
    return judge(text, base, root, image_limit).markdown


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
            return self.list(tokens, open_at, close_at, ordered=kind == "ordered_list")
        if kind == "table":
            return self.table(tokens, open_at, close_at)
        return self.blocks(tokens, open_at + 1, close_at)

    def list(self, tokens: list[Token], open_at: int, close_at: int, ordered: bool) -> str:
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
            return f"[{text}](<{_INVISIBLE.sub('', href)}>)"
        self.problems.append(Problem("P0402", self.line, unquote(href)))
        shown = escape_markdown(f" ({unquote(href)})") if href and tok.markup != "autolink" else ""
        return text + shown

    def image(self, tok: Token) -> str:
        src = str(tok.attrGet("src") or "")
        alt = escape_markdown(tok.content)
        got = _load_image(src, self.base, self.root, self.image_limit)
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


def _dedent_blocks(text: str) -> str:
    """Remove each paragraph's common indentation: an indented paragraph in a report is text,
    not the code block Markdown would make of it."""
    return "\n\n".join(textwrap.dedent(block) for block in re.split(r"\n[ \t]*\n", text))
