"""Narrative Markdown: no image that is not a project picture every output can show, no link
that is not http, https, mailto or an anchor (judged on the parsed text: model/markdown_safety)."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation
from ..model.markdown_safety import may_hold_link, scan
from ..project import project_root
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    texts: list[tuple[str, Span | None]] = [(n.text, n.span) for n in ev.narrative]
    for tree in ev.trees():
        texts.extend((n.basis, n.at("basis")) for n in tree.walk() if n.basis)
    if ev.goals:
        texts.extend((getattr(ev.goals, k), ev.goals.spans.get(k)) for k in ("overall", "stage", "achieved"))
    candidates = [(t, s) for t, s in texts if t and may_hold_link(t)]
    if not candidates:
        return out
    root = project_root(ev.file)
    bases: dict[str, Path] = {}  # each file's folder, its links resolved once (not once a text)
    for text, span in candidates:
        file = span.file if span else ev.file
        base = bases.get(file)
        if base is None:
            base = bases[file] = Path(file).resolve().parent
        for problem in scan(text, base, root):
            args = {"target": problem.target, "why": problem.why, "why_en": problem.why_en}
            out.append(Diagnostic(problem.code, _at(span, problem.line) if span else Span.point(ev.file, 1, 1), args))
    return out


def _at(span: Span, line: int) -> Span:
    """The line of a text block (\"\"\" … \"\"\", whose text starts on the line after the quotes)
    where the problem is; the value itself for a one-line string."""
    if span.end_line <= span.line:
        return span
    return Span.point(span.file, min(span.line + line, span.end_line), 1)
