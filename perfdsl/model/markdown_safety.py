"""What author Markdown may do, judged on its parsed tree: the checker reports with `scan`, and
the renderer (render/narrative.py) writes the Markdown pandoc reads from the same tree.

Narrative text (正文, 依据, 绩效目标, …) is parsed with markdown-it-py (CommonMark, tables and
strikethrough) — entity references decoded, reference definitions resolved wherever they stand,
destinations split over lines joined — and judged there, never by patterns on the text:

- a link is kept only when its target, with whitespace and invisible characters removed, is
  `http:`, `https:`, `mailto:` or a same-document anchor `#…` (`link_is_safe`); any other
  (`javascript:`, `data:`, `file:`, `vbscript:`, a UNC `//host/share`, a relative path) is P0402
  and becomes plain text;
- a picture is used only when it is a PNG, JPEG or GIF file of the project (`load_image`), read
  through perfdsl.project (confined, regular file, size limit), checked to be what its bytes say
  and not absurdly large once decoded, its checksums repaired (typst refuses a PNG whose
  checksums are wrong); any other picture is P0401, an error, so that a picture either shows in
  every output or stops the build before anything is written.

markdown-it-py runs in time linear in the text."""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .. import project

if TYPE_CHECKING:  # markdown-it is loaded when a text has Markdown to judge, not at every start
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_IMAGE_PIXELS = 40_000_000  # decoded size of one picture (a 40-megapixel photo)
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]")


@dataclass(frozen=True)
class Problem:
    """An image or link in a narrative that is not kept, where and why."""

    code: str  # P0401 an image that cannot be used, P0402 a link that is not kept
    line: int  # the line of the text (1-based) the block holding it starts on
    target: str
    why: str = ""  # for P0401: why the image cannot be used
    why_en: str = ""


def _every_link(url: str) -> bool:
    return True


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _every_link  # type: ignore[method-assign]  # every link reaches the tree, where it is judged
    return md


# ---------------------------------------------------------------- links and images


def link_is_safe(href: str) -> bool:
    """http, https, mailto or a same-document anchor, after whitespace and invisible characters
    are removed (markdown-it has already decoded entity references)."""
    t = INVISIBLE.sub("", unquote(href)).lower()
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
class Image:
    """An image of a narrative, read into a data: URI, or why it could not be."""

    uri: str | None  # the data: URI, or None with the reason
    why: str = ""
    why_en: str = ""


def load_image(target: str, base: Path, root: Path, limit: int) -> Image:
    name = unquote(target)
    plain = INVISIBLE.sub("", name).lower()
    if ":" in plain.split("/")[0] or plain.startswith("//"):
        return Image(None, "只能使用项目内的图片文件", "only image files of the project can be used")
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return Image(None, "只支持 png、jpg、gif 图片", "only png, jpg and gif images are supported")
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
        return Image(None, *why)
    assert data is not None
    kind = image_kind(data)
    if kind is None:
        return Image(None, "文件内容不是 png、jpg 或 gif 图片", "its content is not a png, jpg or gif image")
    pixels = image_pixels(data, kind)
    if pixels is None or pixels <= 0:
        return Image(None, "图片文件已损坏", "the image file is damaged")
    if pixels > MAX_IMAGE_PIXELS:
        return Image(None, f"图片过大（{pixels} 像素）", f"the picture is too large ({pixels} pixels)")
    if kind == "image/png":
        data = repaired_png(data, pixels)
        if data is None:
            return Image(None, "图片文件已损坏", "the image file is damaged")
    import base64  # pictures are few; the module is loaded on every check

    return Image(f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}")


# ---------------------------------------------------------------- judging a text


def parse(text: str) -> list[Token]:
    """The text's block tokens (inline tokens as their children), each paragraph's common
    indentation removed first: an indented paragraph in a report is text, not a code block."""
    return parser().parse(dedent_blocks(text))


def scan(text: str, base: Path, root: Path, image_limit: int | None = None) -> list[Problem]:
    """Every link that will not be kept and every picture that cannot be shown, with the line of
    the text its block starts on. `base` is the folder relative paths start from, `root` the
    project root pictures must lie in."""
    if not may_hold_link(text):
        return []
    problems: list[Problem] = []
    line = 1
    for tok in parse(text):
        if tok.map:
            line = tok.map[0] + 1
        for child in tok.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if href and not link_is_safe(href):
                    problems.append(Problem("P0402", line, unquote(href)))
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                got = load_image(src, base, root, image_limit or project.MAX_ASSET_BYTES)
                if got.uri is None:
                    problems.append(Problem("P0401", line, unquote(src), got.why, got.why_en))
    return problems


def may_hold_link(text: str) -> bool:
    """Whether a link or a picture can be written in the text at all. CommonMark writes one only
    with `](` (an inline link or picture: nothing may stand between the brackets and the
    parenthesis), `]:` (the definition every reference link needs in the same text) or `<` (an
    autolink); HTML and bare addresses are off. Most narrative texts have none of them, and
    then the Markdown parser is not run (tests/test_properties.py holds the screen to what the
    parser finds)."""
    return "](" in text or "]:" in text or "<" in text


def dedent_blocks(text: str) -> str:
    """Remove each paragraph's common indentation."""
    import textwrap  # a check comes here only for a text that may hold a link (may_hold_link)

    return "\n\n".join(textwrap.dedent(block) for block in re.split(r"\n[ \t]*\n", text))
