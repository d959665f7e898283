"""Narrative Markdown: no image from outside the project, no link that runs script."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation
from ..model.markdown_safety import scan
from ..project import project_root
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    texts: list[tuple[str, Span | None]] = [(n.text, n.span) for n in ev.narrative]
    for tree in ev.trees():
        texts.extend((n.basis, n.at("basis")) for n in tree.walk() if n.basis)
    if ev.goals:
        texts.extend((getattr(ev.goals, k), ev.goals.spans.get(k)) for k in ("overall", "stage", "achieved"))
    candidates = [(t, s) for t, s in texts if t and ("](" in t or "]:" in t or "<" in t)]
    if not candidates:
        return out
    root = project_root(ev.file)
    for text, span in candidates:
        base = Path(span.file).resolve().parent if span else Path(ev.file).resolve().parent
        for problem in scan(text, base, root):
            out.append(Diagnostic(problem.code, span or Span.point(ev.file, 1, 1), {"target": problem.target}))
    return out
