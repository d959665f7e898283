"""Run pandoc (the binary shipped in pypandoc-binary) on generated Markdown.

One subprocess per document: pandoc starts in a few milliseconds and parsing dominates, so a
server or library binding would save little.  The Markdown reader has every raw-content
extension switched off, so narrative text written by users can never reach the output as raw
OpenXML, HTML, LaTeX or Typst; ``--sandbox`` stops it from reading local files or URLs
(``![](/etc/passwd)``).  Metadata comes only from the command line (``-M``), as plain strings.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import re
import subprocess
import zipfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

from perfdsl.atomic import atomic_write_bytes
from perfdsl.render.errors import RenderError
from perfdsl.resources import templates_dir

from . import ooxml
from .numberunit import join_in_docx
from .ooxml import FIXED_DATE
from .title import break_docx_titles, split_kind

__all__ = [
    "READER_FORMAT",
    "PANDOC_TIMEOUT",
    "pandoc_path",
    "template_path",
    "run_pandoc",
    "markdown_to_docx",
    "markdown_to_typst",
    "markdown_to_html",
    "normalize_docx",
    "fix_table_cells",
    "fix_table_rows",
]

log = logging.getLogger(__name__)

# raw_html/raw_attribute/raw_tex: no passthrough of raw output formats; native_divs/spans:
# "<div>" stays text too; tex_math_*: "$…$" and "\(…\)" stay text instead of becoming math;
# yaml_metadata_block and pandoc_title_block: a "---" or "%" line in a narrative cannot set
# document metadata; east_asian_line_breaks: a line break between two Chinese characters adds
# no space.
# bracketed_spans … table_attributes: no `{key=value}` attributes anywhere, so no event handler
# (`[x]{onclick=…}`) or class can reach HTML; fenced_divs: ":::" stays text.
READER_FORMAT = (
    "markdown-raw_html-raw_attribute-raw_tex-native_divs-native_spans"
    "-tex_math_dollars-tex_math_single_backslash"
    "-yaml_metadata_block-pandoc_title_block+east_asian_line_breaks"
    "-bracketed_spans-fenced_divs-header_attributes-link_attributes-inline_code_attributes"
    "-fenced_code_attributes-table_attributes"
    # citations: "@word" is text, never a citation (typst would fail without a bibliography)
    "-citations"
)

# pandoc has been seen to hang on rare inputs: never wait for it forever.
PANDOC_TIMEOUT = 60.0

# Timestamp written into every DOCX (zip entries and docProps/core.xml): the ZIP epoch, so the
# same input gives the same bytes.
_SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01T00:00:00Z

# The language is not given to pandoc: under --sandbox pandoc cannot read translations/zh.yaml
# from the data dir and warns, and nothing it would translate is used.  The DOCX language
# comes from reference.docx (plus dc:language below), Typst's from report.typ.
LANGUAGE = "zh-CN"


def _PAGE_BREAKS() -> list[str]:
    """附件 and the 自评表 start on a new page, number and title laid out as GB/T 9704 has them (a
    filter of ours: the reader takes no raw breaks or styles)."""
    return ["--lua-filter", str(template_path("pagebreaks.lua"))]


def _NUMBERS() -> list[str]:
    """A number and its unit never broken across lines in HTML and typst (numbers.lua; a DOCX
    gets numberunit.join_in_docx)."""
    return ["--lua-filter", str(template_path("numbers.lua"))]


def template_path(*parts: str) -> Path:
    """A file under templates/ (reference.docx, typst/report.typ, pandoc-data/)."""
    return templates_dir().joinpath(*parts)


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc binary inside pypandoc-binary (no system pandoc is needed or used: the same
    pandoc makes the same documents on every machine). Found where pypandoc-binary puts it,
    without importing pypandoc, whose own lookup imports urllib and http, runs `pandoc
    --version` on every candidate and takes the newest — a system pandoc on PATH included
    (about 40 ms of every build, and documents that differ from machine to machine)."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a declared dependency
        raise RenderError("pypandoc-binary is not installed.", "pip install pypandoc-binary==1.16.2")
    for folder in spec.submodule_search_locations:
        for name in ("pandoc", "pandoc.exe"):
            binary = Path(folder, "files", name)
            if binary.is_file():
                return str(binary)
    raise RenderError("pandoc was not found.", "pip install --force-reinstall pypandoc-binary==1.16.2")


def run_pandoc(args: list[str], markdown: str, timeout: float = PANDOC_TIMEOUT) -> bytes:
    """Run pandoc with ``args`` on ``markdown`` (stdin) and return its stdout."""
    # --data-dir: our own, so that a user's ~/.local/share/pandoc never changes the output
    cmd = [pandoc_path(), "--sandbox", "--data-dir", str(template_path("pandoc-data")), *args]
    env = dict(os.environ, SOURCE_DATE_EPOCH=_SOURCE_DATE_EPOCH)
    try:
        proc = subprocess.run(cmd, input=markdown.encode("utf-8"), capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:  # subprocess.run has already killed pandoc
        raise RenderError(
            f"pandoc did not finish within {timeout:g} s and was stopped.",
            "Report the input that caused this; splitting very long narrative sections may help.",
        ) from e
    except OSError as e:
        raise RenderError(
            f"pandoc could not be started: {e}", "pip install --force-reinstall pypandoc-binary==1.16.2"
        ) from e
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise RenderError(f"pandoc failed (exit {proc.returncode}): {stderr}")
    for line in filter(None, stderr.splitlines()):
        log.warning("pandoc: %s", line)
    return proc.stdout


def _metadata_args(metadata: Mapping[str, str] | None) -> list[str]:
    """title, subtitle, date…: passed as plain strings, never parsed as Markdown.  A ``lang``
    goes in as a template variable: as metadata it would make pandoc look for translations
    (see LANGUAGE)."""
    return [
        f"--{'variable' if k == 'lang' else 'metadata'}={k}={v}" for k, v in (metadata or {}).items() if v is not None
    ]


def markdown_to_docx(
    md: str,
    reference_docx: Path | None = None,
    out_path: str | os.PathLike[str] | None = None,
    *,
    metadata: Mapping[str, str] | None = None,
    landscape: bool = False,
) -> bytes:
    """Convert to DOCX styled by ``reference_docx`` (default templates/reference.docx), on
    landscape pages when asked (a wide form such as the 监控表).

    The result is byte-for-byte reproducible; it is written atomically to ``out_path`` when
    given, and returned.
    """
    ref = reference_docx or template_path("reference.docx")
    args = ["-f", READER_FORMAT, "-t", "docx", "--reference-doc", str(ref), "-o", "-", *_PAGE_BREAKS()]
    docx = run_pandoc(args + _metadata_args(metadata), md)
    with zipfile.ZipFile(io.BytesIO(docx)) as parts:
        styles = parts.read("word/styles.xml")  # the Title style's size, for the title's line break

    def fix(xml: bytes) -> bytes:  # the page turned first: the title's line is measured on it
        return _fix_document(break_docx_titles(turn_landscape(xml) if landscape else xml, styles))

    data = normalize_docx(docx, edit={"word/document.xml": fix})
    if out_path is not None:
        atomic_write_bytes(out_path, data)
    return data


def _fix_document(document_xml: bytes) -> bytes:
    return join_in_docx(join_tables(fix_table_rows(fix_table_cells(document_xml))))


def markdown_to_typst(md: str, template: Path | None = None, *, metadata: Mapping[str, str] | None = None) -> str:
    """Convert to a standalone Typst document using ``template`` (default report.typ). A title
    ending with the document's kind goes in two parts, the kind kept whole by report.typ (title.py)."""
    tpl = template or template_path("typst", "report.typ")
    if metadata and metadata.get("title"):
        name, kind = split_kind(metadata["title"])
        metadata = {**metadata, "title": name, **({"title-kind": kind} if kind else {})}
    # --wrap=none: a line break pandoc inserted between two Chinese characters would show as
    # a space in typst.
    args = ["-f", READER_FORMAT, "-t", "typst", "--standalone", "--template", str(tpl), "--wrap=none"]
    args += [*_PAGE_BREAKS(), *_NUMBERS()]
    return breakable_merged_cells(run_pandoc(args + _metadata_args(metadata), md).decode("utf-8"))


_ROWSPAN = re.compile(r"\btable\.cell\(rowspan: (\d+)")


def breakable_merged_cells(typst: str) -> str:
    """report.typ keeps every table row on one page (``table.cell(breakable: false)``); a cell
    merged down several rows (一级 and 二级 labels) must still break with them, or a 一级 group
    longer than a page could not be laid out at all and would run off the page."""
    return _ROWSPAN.sub(r"table.cell(breakable: true, rowspan: \1", typst)


def markdown_to_html(md: str) -> str:
    """Convert to an HTML fragment (no <html>/<head>), e.g. for a preview."""
    args = ["-f", READER_FORMAT, "-t", "html5", "--wrap=none", *_PAGE_BREAKS(), *_NUMBERS()]
    return run_pandoc(args, md).decode("utf-8")


_TCPR = re.compile(rb"<w:tcPr\s*/>|<w:tcPr>(.*?)</w:tcPr>", re.S)
_VALIGN = b'<w:vAlign w:val="center" />'
_BARE_CELL_PARA = re.compile(rb"(</w:tcPr>\s*<w:p>)<w:pPr\s*/>")
_COMPACT = b'<w:pPr><w:pStyle w:val="Compact" /></w:pPr>'


_ROW = re.compile(rb"<w:tr>(?:<w:trPr\s*/>|<w:trPr>(.*?)</w:trPr>)?", re.S)
_HEADER_ON = re.compile(rb'<w:tblHeader(?:\s+w:val="(?:on|true|1)")?\s*/>')


def fix_table_rows(document_xml: bytes) -> bytes:
    """Every table row kept on one page (``w:cantSplit``), header rows repeated on each page.

    pandoc marks a header row ``<w:tblHeader w:val="on" />``; it is written in the plain form
    here, next to ``<w:cantSplit/>`` on every row. The Table style of reference.docx says
    cantSplit too, but LibreOffice ignores row properties of table styles: without them a row
    is cut at the page foot, leaving a sliver of it (or the 总分 row) alone on the next page.
    A row taller than a page still breaks (Word and LibreOffice do that themselves)."""

    def row(m: re.Match) -> bytes:
        inner = m.group(1) or b""
        header = b"<w:tblHeader/>" if _HEADER_ON.search(inner) else b""
        rest = _HEADER_ON.sub(b"", inner).replace(b"<w:cantSplit/>", b"").replace(b"<w:cantSplit />", b"")
        return b"<w:tr><w:trPr><w:cantSplit/>" + header + rest + b"</w:trPr>"

    return _ROW.sub(row, document_xml)


_BETWEEN_TABLES = re.compile(rb"(</w:tbl>\s*)<w:p\s*/>(\s*<w:tbl>)")
# 6 pt: the 自评表's head block and indicator block read as one form (a paragraph must stay, or
# Word would join the two tables into one and its header row would no longer repeat).
_THIN_PARAGRAPH = b'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact" /></w:pPr></w:p>'


def join_tables(document_xml: bytes) -> bytes:
    """The empty paragraph pandoc puts between two tables, made 6 pt high (it had the body's 28 pt)."""
    return _BETWEEN_TABLES.sub(rb"\g<1>" + _THIN_PARAGRAPH + rb"\g<2>", document_xml)


def fix_table_cells(document_xml: bytes) -> bytes:
    """Two corrections to pandoc's table cells.

    - Centre cells vertically, so a label merged down many rows (一级/二级指标) sits in the
      middle of its block.  The Table style says so too, but LibreOffice ignores cell
      properties of table styles.  vAlign is the last child pandoc's w:tcPr can need, so
      appending it keeps the schema order; a cell that has one already is left alone.
    - The empty paragraph pandoc puts in a merged-away cell has no style, so it would be a
      body paragraph with its 28 pt exact line: give it the cells' Compact style, or it can
      stretch every row of a merged block.
    """

    def add(m: re.Match) -> bytes:
        inner = m.group(1) or b""
        return m.group() if b"<w:vAlign" in inner else b"<w:tcPr>" + inner + _VALIGN + b"</w:tcPr>"

    return _BARE_CELL_PARA.sub(rb"\g<1>" + _COMPACT, _TCPR.sub(add, document_xml))


_PAGE_SIZE = re.compile(rb"<w:pgSz\b[^>]*?/>")
_PAGE_MARGINS = re.compile(rb"<w:pgMar\b[^>]*?/>")
_ATTR = re.compile(rb'w:(\w+)="([^"]*)"')
# A landscape page keeps the 公文 side margins but less at top and bottom (a wide form needs the
# height): 25 mm top, 30 mm bottom (the page number's footer sits 23 mm from the edge).
_LANDSCAPE_MARGINS = {b"top": b"1417", b"bottom": b"1701", b"left": b"1587", b"right": b"1474"}


def turn_landscape(document_xml: bytes) -> bytes:
    """The section's page turned on its side: width and height swapped, marked landscape, and
    the top and bottom margins made room for a wide form's rows."""

    def turn(m: re.Match) -> bytes:
        attrs = dict(_ATTR.findall(m.group()))
        w, h = attrs.get(b"w", b"11906"), attrs.get(b"h", b"16838")
        return b'<w:pgSz w:w="' + max(w, h, key=int) + b'" w:h="' + min(w, h, key=int) + b'" w:orient="landscape"/>'

    def margins(m: re.Match) -> bytes:
        attrs = dict(_ATTR.findall(m.group()))
        attrs.update(_LANDSCAPE_MARGINS)
        return b"<w:pgMar " + b" ".join(b"w:" + k + b'="' + v + b'"' for k, v in sorted(attrs.items())) + b"/>"

    return _PAGE_MARGINS.sub(margins, _PAGE_SIZE.sub(turn, document_xml))


def normalize_docx(
    data: bytes, date: str = FIXED_DATE, edit: Mapping[str, Callable[[bytes], bytes]] | None = None
) -> bytes:
    """A DOCX that depends only on its content (``edit`` may change parts); pandoc's part order kept."""
    return ooxml.normalise(data, sort_entries=False, language=LANGUAGE, date=date, edit=edit)
