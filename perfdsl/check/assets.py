"""Files a .perf names for its documents — the unit's template folder (模板目录) and Word styles
(参考文档) — and the project's limits: each one the project's door would open, or a located error
at the line that names it, before anything is built."""

from __future__ import annotations

from pathlib import Path

from .. import project
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    p = ev.project
    root = project.project_root(ev.file)
    limits, problems = project.limits(root)
    config = str(root / project.CONFIG_NAME)
    out += [Diagnostic("P0009", Span.point(config, 1, 1), {"problem": problem}) for problem in problems]
    if p is None:
        return out
    here = p.spans.get("name") or Span.point(ev.file, 1, 1)
    if p.templates:
        span = p.spans.get("templates") or here
        _, refusal = project.locate_folder(p.templates, span.file, root)
        if refusal is not None:
            out.append(project.refusal_diagnostic(refusal, span, p.templates))
    if p.reference_docx:
        span = p.spans.get("reference_docx") or here
        target, refusal = project.locate(p.reference_docx, span.file, root)
        if refusal is None and target is not None:
            _, refusal = project.read_docx(target, limits)
        if refusal is not None:
            out.append(project.refusal_diagnostic(refusal, span, p.reference_docx))
    return out


def reference_docx(ev: Evaluation, named: Path | None) -> bytes | None:
    """The bytes of the reference document to build with: the one named on the command line
    (already checked by the command), else the one the file names, read through the door."""
    root = project.project_root(ev.file)
    limits, _ = project.limits(root)
    if named is not None:
        data, _ = project.read_docx(named, limits)
        return data
    p = ev.project
    if p is None or not p.reference_docx:
        return None
    span = p.spans.get("reference_docx")
    target, refusal = project.locate(p.reference_docx, span.file if span else ev.file, root)
    if refusal is not None or target is None:
        return None
    data, _ = project.read_docx(target, limits)
    return data
