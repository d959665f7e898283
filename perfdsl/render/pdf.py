"""Typst source → PDF, compiled in-process by the ``typst`` package.

One ``typst.Compiler`` per process and font set: it loads the fonts once (the CJK
collections are large), and each document is then compiled from its own temporary directory,
which is also the typst root: a document cannot read any file outside it.  System font
discovery is off; fonts come from fonts.cjk_font_dirs(), so every machine resolves the same
font chains the same way.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from perfdsl.render.errors import RenderError
from perfdsl.render.fonts import cjk_font_dirs

__all__ = ["typst_to_pdf", "markdown_to_pdf", "without_false_suspects"]

log = logging.getLogger(__name__)

# Written into the PDF instead of the current time, so the same input gives the same bytes.
FIXED_TIMESTAMP = 315532800  # 1980-01-01T00:00:00Z, as in the DOCX

# Every chain in report.typ names Windows and macOS fonts first: their absence is expected.
_EXPECTED_WARNINGS = ("unknown font family",)

_lock = threading.Lock()  # a Compiler is not meant to be used by two threads at once


@functools.lru_cache(maxsize=4)
def _compiler(font_dirs: tuple[str, ...]):
    import typst

    return typst.Compiler(font_paths=list(font_dirs), ignore_system_fonts=True)


def typst_to_pdf(
    source: str, *, font_dirs: Sequence[Path] | None = None, files: Mapping[str, bytes] | None = None
) -> bytes:
    """Compile a standalone Typst document to PDF bytes; `files` (name → bytes) are put beside it
    for it to read (the report's pictures).

    Raises RenderError when no Chinese font is found or the source does not compile.
    """
    import typst

    dirs = tuple(str(d) for d in (font_dirs if font_dirs is not None else cjk_font_dirs()))
    with tempfile.TemporaryDirectory(prefix="perfdsl-typst-") as tmp:
        main = Path(tmp, "main.typ")
        main.write_text(source, encoding="utf-8")
        for name, data in (files or {}).items():
            Path(tmp, name).write_bytes(data)
        try:
            with _lock:
                pdf, warnings = _compiler(dirs).compile_with_warnings(
                    input=str(main), root=tmp, format="pdf", timestamp=FIXED_TIMESTAMP
                )
        except typst.TypstError as e:
            detail = "\n".join([e.message, *(f"hint: {h}" for h in e.hints or [])])
            raise RenderError(f"typst could not compile the document: {detail}", e.diagnostic or None) from e
    for w in warnings:
        if not str(w.message).startswith(_EXPECTED_WARNINGS):
            log.warning("typst: %s", w.message)
    return without_false_suspects(pdf)


# typst (0.14 and later) writes the tagged-PDF flag as /MarkInfo<</Marked true/Suspects false>>.
# That is valid PDF, and false is the default, but poppler before 24.x reads any Suspects that is
# not true as an error: every poppler tool (pdfinfo, pdftotext, pdftoppm, evince's backend) prints
# "Syntax Error: Suspects object is wrong type (boolean)" for every typst PDF. The entry says
# nothing, so it is blanked out with spaces of the same length: every byte offset in the
# cross-reference table stays right, and the tags (accessibility) stay.
_FALSE_SUSPECTS = re.compile(rb"(/MarkInfo\s*<<[^<>]*?)(/Suspects\s+false)(?=[\s/>])")


def without_false_suspects(pdf: bytes) -> bytes:
    """The PDF with the /Suspects false entry of its MarkInfo blanked (same length)."""
    return _FALSE_SUSPECTS.sub(lambda m: m.group(1) + b" " * len(m.group(2)), pdf, count=1)


# A picture as the report's Markdown embeds it (model/markdown_safety: only perfdsl writes this
# form; author text reaches the Markdown with "]", "(" and ":" escaped).
_EMBEDDED = re.compile(r"\]\(data:image/(png|jpeg|gif);base64,([A-Za-z0-9+/=]*)\)")


def images_as_files(md: str) -> tuple[str, dict[str, bytes]]:
    """The Markdown with each embedded picture replaced by a file name, and the files: typst
    reads pictures from files, not from data: URIs."""
    files: dict[str, bytes] = {}

    def to_file(m: re.Match) -> str:
        name = f"image-{len(files) + 1}.{'jpg' if m.group(1) == 'jpeg' else m.group(1)}"
        files[name] = base64.b64decode(m.group(2))
        return f"]({name})"

    return _EMBEDDED.sub(to_file, md), files


def markdown_to_pdf(md: str, *, metadata: Mapping[str, str] | None = None, template: Path | None = None) -> bytes:
    """pandoc (Markdown → Typst with templates/typst/report.typ), then typst (→ PDF)."""
    from perfdsl.render.pandoc import markdown_to_typst

    md, files = images_as_files(md)
    return typst_to_pdf(markdown_to_typst(md, template, metadata=metadata), files=files)
