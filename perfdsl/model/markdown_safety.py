"""What author Markdown may not do: read local files outside the project, fetch URLs, or run
script. Used by the checker (to report) and by the renderer (to neutralise).

pandoc's reader is also run with raw HTML/OpenXML/LaTeX and attribute syntax switched off, so
`<script>` and ```{=openxml}``` stay text; this module covers what pandoc would otherwise *do*
with a path or a URL: images it would read and embed, links it would make live."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from ..project import read_bytes

IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
REFERENCE = re.compile(r"^(?P<lead> {0,3}\[[^\]\n]+\]:[ \t]*)<?(?P<target>\S+?)>?(?P<rest>[ \t].*)?$", re.M)
AUTOLINK = re.compile(r"<(?P<target>[A-Za-z][A-Za-z0-9+.\-]*:[^\s>]*)>")
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


@dataclass(frozen=True)
class Problem:
    code: str  # P0401 image outside the project or unreadable, P0402 unsafe link
    offset: int  # where in the text
    target: str


def _local_image(target: str, base: Path, root: Path) -> Path | None:
    """The image file a target names, when it is a file of a known type inside the project."""
    if "://" in target or target.startswith(("data:", "//")):
        return None
    path = (base / target).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return None
    return path if path.is_file() and path.suffix.lower() in IMAGE_TYPES else None


def scan(text: str, base: Path, root: Path) -> list[Problem]:
    problems = []
    for m in IMAGE.finditer(text):
        if _local_image(m.group("target"), base, root) is None:
            problems.append(Problem("P0401", m.start(), m.group("target")))
    for m in LINK.finditer(text):
        if not _safe_link(m.group("target")):
            problems.append(Problem("P0402", m.start(), m.group("target")))
    for m in REFERENCE.finditer(text):
        t = m.group("target")
        if not _safe_link(t) and _local_image(t, base, root) is None:
            problems.append(Problem("P0402", m.start(), t))
    for m in AUTOLINK.finditer(text):
        if not _safe_link(m.group("target")):
            problems.append(Problem("P0402", m.start(), m.group("target")))
    return problems


def _safe_link(target: str) -> bool:
    t = target.strip().lower()
    if t.startswith("#"):
        return True
    if ":" not in t.split("/")[0]:  # a relative link: harmless as a link (pandoc does not read it)
        return True
    return t.startswith(SAFE_LINK_SCHEMES)


def neutralise(text: str, base: Path, root: Path) -> str:
    """The same Markdown with every image inside the project embedded as a data: URI (pandoc runs
    sandboxed and reads no file itself) and every forbidden image or link turned into plain text."""

    def image(m: re.Match) -> str:
        path = _local_image(m.group("target"), base, root)
        if path is None:
            return _literal(m.group(0))
        content, _ = read_bytes(path)  # through the project's door: a regular file, not too large
        if content is None:
            return _literal(m.group(0))
        data = base64.b64encode(content).decode("ascii")
        return f"![{m.group('alt')}](data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data})"

    def link(m: re.Match) -> str:
        return m.group(0) if _safe_link(m.group("target")) else _literal(m.group(0))

    def reference(m: re.Match) -> str:
        t = m.group("target")
        return m.group(0) if _safe_link(t) else _literal(m.group(0))

    text = _dedent_blocks(text)
    text = IMAGE.sub(image, text)
    text = LINK.sub(link, text)
    text = REFERENCE.sub(reference, text)
    return AUTOLINK.sub(lambda m: m.group(0) if _safe_link(m.group("target")) else _literal(m.group(0)), text)


def _literal(markdown: str) -> str:
    """Markdown source shown as the characters it is made of."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-!|~^$@&\"':=" else c for c in markdown)


def _dedent_blocks(text: str) -> str:
    """Remove each paragraph's common indentation: an indented paragraph in a report is text,
    not the code block Markdown would make of it."""
    import textwrap

    return "\n\n".join(textwrap.dedent(block) for block in re.split(r"\n[ \t]*\n", text))
