"""Build the documents of one evaluation: Markdown → DOCX / PDF / HTML, and the XLSX 自评表.

A build writes nothing unless the evaluation checks clean (warnings allowed unless strict) and
every document has rendered; the documents then replace their old versions as one set, through
perfdsl.outputs (the door for writing: placement, confinement, atomic sets), so a failed or
killed build never leaves a half-written file or a mixed set over a good one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import outputs
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
    error_en: str | None = None  # the same in English, when it has been said in both
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
    walked_from: str | None = None,
) -> BuildResult:
    """The documents of one file: by default the report (and the 自评表 workbook); `forms` asks
    for others among 申报表, 监控表, 自评表, 报告 (render/forms.py). They go to the file's output
    folder (outputs.output_folder: `walked_from` is the folder whose walk found the file, so that
    its place under `out_dir` mirrors its place there), replacing the old ones as one set."""
    from .forms import render_forms

    result = BuildResult(source)
    target = outputs.output_folder(source, out_dir, walked_from)
    if target.is_dir():  # finish or clear away what a killed build left, even if this one is refused
        outputs.recover(target)
    loaded = load(source)
    result.loaded = loaded
    if loaded.evaluation is None or loaded.evaluation.is_fragment or has_errors(loaded.diagnostics, strict):
        result.refused = True
        return result
    ev, card = loaded.evaluation, loaded.scorecard
    assert card is not None  # an evaluation is always scored
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
    try:
        project = None if out_dir is not None else outputs.project_of(source)
        folder = outputs.prepare_folder(target, outputs.confined_root(source, out_dir), project)
        written = outputs.write_set(folder, documents)
    except outputs.OutputError as e:
        result.error, result.error_en = e.zh, e.en
        return result
    result.outputs = [str(target / p.name) for p in written]
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
            out[fmt] = _docx(ev, md, meta, options)
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


def _docx(ev, md: str, meta: dict, options: RenderOptions) -> bytes:
    """The DOCX, styled by the reference document read (once, checked) through the project's
    door and handed to pandoc as a private copy: nothing can be swapped in between."""
    import tempfile

    from ..check.assets import reference_docx
    from .pandoc import markdown_to_docx

    if options.reference_docx is None:
        return markdown_to_docx(md, None, metadata=meta)
    data = reference_docx(ev, options.reference_docx)
    if data is None:
        raise RenderError(f"the reference document {options.reference_docx} cannot be used")
    with tempfile.TemporaryDirectory(prefix="perfdsl-ref-") as tmp:
        copy = Path(tmp, "reference.docx")
        copy.write_bytes(data)
        return markdown_to_docx(md, copy, metadata=meta)
