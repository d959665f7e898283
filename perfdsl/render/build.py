"""Build the documents of one evaluation: Markdown → DOCX / PDF / HTML, and the XLSX 自评表.

A build writes nothing unless the evaluation checks clean (warnings allowed unless strict);
each output is written to a temporary file and renamed, so a failed build never leaves a
half-written file over a good one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write_bytes
from ..diagnostics import has_errors
from ..loader import Loaded, load
from .errors import RenderError
from .report import RenderOptions, metadata, render_markdown, resolve_options

FORMATS = ("docx", "pdf", "html", "xlsx", "md")
DEFAULT_FORMATS = ("docx", "xlsx")


@dataclass
class BuildResult:
    source: str
    loaded: Loaded | None = None
    outputs: list[str] = field(default_factory=list)
    error: str | None = None  # a render failure (pandoc, typst, fonts), with its hint
    refused: bool = False  # the evaluation has errors: nothing was written

    @property
    def ok(self) -> bool:
        return not self.refused and self.error is None


def output_name(source: str, fmt: str, card=None) -> str:
    """The output's file name. A workbook is named after what it holds (x-自评表.xlsx,
    x-评分表.xlsx, x-自评表及评分表.xlsx: render/xlsx.contents_name), never after a table the
    file does not have."""
    stem = Path(source).stem
    if fmt != "xlsx":
        return f"{stem}.{fmt}"
    if card is None:
        return f"{stem}.xlsx"  # contents unknown: no claim in the name
    from .xlsx import contents_name

    return f"{stem}-{contents_name(card)}.xlsx"


def build_file(
    source: str,
    formats: tuple[str, ...],
    out_dir: str | None,
    *,
    strict: bool = False,
    options: RenderOptions | None = None,
    forms: tuple[str, ...] = ("报告",),
) -> BuildResult:
    """The documents of one file: by default the report (and the 自评表 workbook); `forms` asks
    for others among 申报表, 监控表, 自评表, 报告 (render/forms.py)."""
    from .forms import render_forms

    result = BuildResult(source)
    loaded = load(source)
    result.loaded = loaded
    if loaded.evaluation is None or loaded.evaluation.is_fragment or has_errors(loaded.diagnostics, strict):
        result.refused = True
        return result
    ev, card = loaded.evaluation, loaded.scorecard
    assert card is not None  # an evaluation is always scored
    target = Path(out_dir) if out_dir else Path(source).resolve().parent / "build"
    try:
        chosen = resolve_options(ev, options)
        documents: dict[str, bytes] = {}
        for form in forms:  # the report as always; the other forms from render/forms.py
            if form == "报告":
                made = render_all(ev, card, formats, chosen)
                documents.update((output_name(source, f, card), d) for f, d in made.items())
            else:
                documents.update(render_forms(ev, card, (form,), formats, chosen))
    except RenderError as e:
        result.error = str(e) + (f"\n  帮助: {e.hint}" if getattr(e, "hint", None) else "")
        return result
    target.mkdir(parents=True, exist_ok=True)
    for name, data in documents.items():
        path = target / name
        atomic_write_bytes(path, data)
        result.outputs.append(str(path))
    return result


def render_all(ev, card, formats, options: RenderOptions) -> dict[str, bytes]:
    """Every requested document, in memory: nothing is written until all have succeeded."""
    out: dict[str, bytes] = {}
    md = render_markdown(ev, card, options) if set(formats) & {"docx", "pdf", "html", "md"} else ""
    meta = metadata(ev)
    for fmt in formats:
        if fmt == "md":
            out[fmt] = md.encode("utf-8")
        elif fmt == "docx":
            from .pandoc import markdown_to_docx

            out[fmt] = markdown_to_docx(md, options.reference_docx, metadata=meta)
        elif fmt == "pdf":
            from .pdf import markdown_to_pdf

            out[fmt] = markdown_to_pdf(md, metadata=meta)
        elif fmt == "html":
            from .html import markdown_to_page

            out[fmt] = markdown_to_page(md, meta).encode("utf-8")
        elif fmt == "xlsx":
            from .xlsx import write_xlsx

            out[fmt] = write_xlsx(ev, card)
    return out
