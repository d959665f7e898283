"""`perfdsl build --form 申报表,监控表,自评表,报告`: the documents of the year, each a view of the
same file, and the names they are written under.

| form   | DOCX · PDF · HTML · Markdown              | XLSX                                   |
|--------|-------------------------------------------|----------------------------------------|
| 报告   | the 评价报告: `x.docx` (as before)          | the workbook: `x-自评表.xlsx`, `x-评分表.xlsx` or `x-自评表及评分表.xlsx`, after what it holds |
| 自评表 | the 自评表 alone: `x-自评表.docx`            | the same workbook                      |
| 申报表 | `x-申报表.docx` (render/filing.py)          | `x-申报表.xlsx`                         |
| 监控表 | `x-监控表-9月.docx`, the latest monitoring point (render/monitoring.py) | `x-监控表-9月.xlsx` |

The default is the report, as it always was. The monitoring point's month is in the name, so
that the June form is still there when September's is built."""

from __future__ import annotations

from pathlib import Path

from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard
from .context import Markdown
from .errors import RenderError
from .formgrid import Form, markdown_table
from .report import RenderOptions, environment

FORMS = ("申报表", "监控表", "自评表", "报告")
DEFAULT_FORMS = ("报告",)
FORM_TEMPLATE = "form.md.j2"


def forms_of(text: str) -> tuple[tuple[str, ...], list[str]]:
    """(the forms asked for, in the order given, each once; the words that name no form)."""
    words = [w.strip() for w in text.replace("，", ",").split(",") if w.strip()]
    unknown = [w for w in words if w not in FORMS]
    return tuple(dict.fromkeys(w for w in words if w in FORMS)), unknown


def render_forms(
    ev: Evaluation, card: ScoreCard, forms: tuple[str, ...], formats: tuple[str, ...], options: RenderOptions
) -> dict[str, bytes]:
    """Every document asked for, in memory, by file name (nothing is written until all have
    succeeded); the report itself is render/build.py's. Raises RenderError when a form cannot be
    made from the file."""
    stem = Path(ev.file).stem
    out: dict[str, bytes] = {}
    for form in forms:
        if form == "报告":
            raise ValueError("the report is made by render/build.py")
        if form == "自评表":
            out.update(_self_evaluation(ev, card, formats, options, stem))
        else:
            layout = _layout(form, ev, card)
            name = f"{stem}-{form}" if form == "申报表" else f"{stem}-{form}-{card.monitor.month}月"  # type: ignore[union-attr]
            for fmt in formats:
                out[f"{name}.{fmt}"] = _document(layout, ev, fmt, options)
    return out


def _layout(form: str, ev: Evaluation, card: ScoreCard) -> Form:
    if form == "申报表":
        from .filing import filing_form

        return filing_form(ev, card)
    from .monitoring import monitoring_form

    return monitoring_form(ev, card)


def form_markdown(table: str, note: str, options: RenderOptions | None) -> str:
    from .report import _tidy

    text = environment(options).get_template(FORM_TEMPLATE).render(table=Markdown(table), note=note)
    return _tidy(text)


def _convert(md: str, fmt: str, meta: dict, options: RenderOptions, landscape: bool) -> bytes:
    if fmt == "md":
        return md.encode("utf-8")
    if fmt == "docx":
        from .pandoc import markdown_to_docx

        return markdown_to_docx(md, options.reference_docx, metadata=meta, landscape=landscape)
    if fmt == "pdf":
        from .pdf import markdown_to_pdf

        return markdown_to_pdf(md, metadata={**meta, "landscape": "true"} if landscape else meta)
    if fmt == "html":
        from .html import markdown_to_page

        return markdown_to_page(md, meta).encode("utf-8")
    raise RenderError(f"unknown format {fmt}")


def _document(form: Form, ev: Evaluation, fmt: str, options: RenderOptions) -> bytes:
    if fmt == "xlsx":
        from .formbook import workbook

        name = ev.project.name if ev.project else ""
        return workbook([form], f"{name}{form.title}")
    md = form_markdown(markdown_table(form), form.note, options)
    return _convert(md, fmt, {"title": form.title, "subtitle": form.subtitle}, options, form.landscape)


def _self_evaluation(
    ev: Evaluation, card: ScoreCard, formats: tuple[str, ...], options: RenderOptions, stem: str
) -> dict[str, bytes]:
    """The 自评表 on its own: the report's table (render/tables.py) and the workbook's note."""
    from .context import build_context
    from .report import _sanitizer
    from .tables import self_evaluation_table
    from .xlsx import _scoring_note, write_xlsx

    out: dict[str, bytes] = {}
    if "xlsx" in formats:
        from .xlsx import contents_name

        out[f"{stem}-{contents_name(card)}.xlsx"] = write_xlsx(ev, card)  # named after what it holds
    others = [f for f in formats if f != "xlsx"]
    if not others:
        return out
    ctx = build_context(ev, card, _sanitizer(ev))
    if ctx["self_evaluation"] is None:
        raise RenderError("文件没有自评表（绩效指标），无法生成自评表。", "写上「自评表 { … }」或「绩效指标 { … }」")
    md = form_markdown(self_evaluation_table(ctx), _scoring_note(card.ruleset), options)
    p = ev.project
    meta = {"title": "项目支出绩效自评表", "subtitle": f"（{p.year}年度）" if p is not None and p.year else ""}
    for fmt in others:
        out[f"{stem}-自评表.{fmt}"] = _convert(md, fmt, meta, options, False)
    return out


def stage_form(ev: Evaluation, card: ScoreCard) -> str:
    """The document of the stage a file has reached: the 申报表 while it holds only what was
    filed, the latest 监控表 once it is monitored, the report from the self-evaluation on."""
    from ..model.evaluation import at_self_evaluation

    if at_self_evaluation(ev):
        return "报告"
    return "监控表" if card.monitor is not None else "申报表"


def stage_markdown(ev: Evaluation, card: ScoreCard, options: RenderOptions | None) -> tuple[str, dict] | None:
    """The Markdown and title of the stage's form, or None when the stage's document is the report."""
    form = stage_form(ev, card)
    if form == "报告":
        return None
    layout = _layout(form, ev, card)
    return form_markdown(markdown_table(layout), layout.note, options), {
        "title": layout.title,
        "subtitle": layout.subtitle,
    }
