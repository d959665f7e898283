"""Evaluation + ScoreCard → the report as pandoc Markdown, through jinja2 templates.

Templates run in jinja2's sandbox, confined to their folders and bounded in the work they may do
(render/sandbox.py: a unit may supply its own), and every `{{ value }}` that is plain text is escaped for Markdown on the way out: a name like "A*B" prints as written, and text
from a .perf file is never template source, so `{{ … }}` in it is just characters."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..project import locate, locate_folder, project_root
from ..resources import templates_dir
from ..score.scorecard import ScoreCard
from .context import Markdown, build_context
from .errors import RenderError
from .gridtable import escape_markdown
from .narrative import neutralise
from .outline import fit_narrative, outline_problems
from .sandbox import BoundedEnvironment, ConfinedLoader
from .sandbox import render as render_template
from .tables import build_tables
from .template_cache import bytecode_cache
from .title import report_title

REPORT_TEMPLATE = "report.md.j2"


@dataclass(frozen=True)
class RenderOptions:
    templates: Path | None = None  # a unit's own template folder, searched first
    reference_docx: Path | None = None  # a unit's own Word styles
    extra: dict = field(default_factory=dict)


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, (Markdown, Markup)):  # Markdown already; `| safe` marks a macro's output
        return value
    if isinstance(value, str):
        return escape_markdown(value)
    return value


def environment(options: RenderOptions | None = None) -> BoundedEnvironment:
    folders = [str(templates_dir())]
    if options and options.templates:
        folders.insert(0, str(options.templates))
    return _environment(tuple(folders))


@lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> BoundedEnvironment:
    """One environment per template search path: jinja2 compiles each template once and checks
    the file's modification time on every use, so edited templates are still picked up; compiled,
    a template is kept for the next process (render/template_cache.py)."""
    flags = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True, "autoescape": False}
    # What shapes the compiled code besides the source (never an object's address: it changes
    # from process to process).
    compiled_for = (
        f"{BoundedEnvironment.__qualname__} {sorted(BoundedEnvironment.intercepted_binops)} "
        f"{sorted(BoundedEnvironment.intercepted_unops)} "
        f"finalize={_finalize.__qualname__} {sorted(flags.items())}"
    )
    return BoundedEnvironment(
        loader=ConfinedLoader(list(folders)), finalize=_finalize, bytecode_cache=bytecode_cache(compiled_for), **flags
    )


def _sanitizer(ev: Evaluation):
    root = project_root(ev.file)
    base = Path(ev.file).resolve().parent

    def sanitize(text: str | None) -> Markdown:
        return Markdown(fit_narrative(neutralise(text or "", base, root)))

    return sanitize


def resolve_options(ev: Evaluation, options: RenderOptions | None) -> RenderOptions:
    """Command-line choices win; else what the .perf file names (relative to the file, confined
    to the project: check/assets.py reports what is refused, and a refused folder is not used)."""
    options = options or RenderOptions()
    p = ev.project
    templates = options.templates
    if templates is None and p and p.templates:
        span = p.spans.get("templates")
        templates, _ = locate_folder(p.templates, span.file if span else ev.file, project_root(ev.file))
    reference = options.reference_docx
    if reference is None and p and p.reference_docx:
        span = p.spans.get("reference_docx")
        reference, _ = locate(p.reference_docx, span.file if span else ev.file, project_root(ev.file))
    return RenderOptions(templates=templates, reference_docx=reference, extra=options.extra)


def render_markdown(ev: Evaluation, card: ScoreCard, options: RenderOptions | None = None) -> str:
    ctx = build_context(ev, card, _sanitizer(ev))
    ctx["tables"] = {k: Markdown(v) for k, v in build_tables(ctx).items()}
    text = _tidy(render_template(environment(options), REPORT_TEMPLATE, ctx))
    problems = outline_problems(text)
    if problems:
        raise RenderError(
            "the report template made a malformed outline:\n" + "\n".join(f"  {p}" for p in problems[:10]),
            f"a bug in {REPORT_TEMPLATE}"
            + (f" (searched first in {options.templates})" if options and options.templates else "")
            + ": every heading needs a blank line before it and text under it, numbers may not skip",
        )
    return text


def _tidy(text: str) -> str:
    """At most one blank line in a row (templates leave gaps where optional parts are absent)."""
    out: list[str] = []
    blank = False
    for line in text.splitlines():
        if not line.strip():
            if not blank and out:
                out.append("")
            blank = True
            continue
        out.append(line.rstrip())
        blank = False
    return "\n".join(out).strip() + "\n"


def metadata(ev: Evaluation) -> dict:
    p = ev.project
    name = p.name if p else Path(ev.file).stem
    if ev.department is not None:  # 部门整体支出绩效自评报告
        return {
            "title": report_title(ev.department.name, department=True),
            "subtitle": f"（{p.year}年度）" if p and p.year else "",
        }
    return {"title": report_title(name), "subtitle": f"（{p.year}年度）" if p and p.year else ""}


def markdown_diagnostics() -> list[Diagnostic]:  # the checker reports unsafe Markdown (check/narrative.py)
    return []
