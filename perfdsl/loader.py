"""The pipeline in one call: read → parse → splice includes → resolve → (last year's file) →
score → check → the reviewer's rules.

Every stage returns its result with its diagnostics; a file with syntax errors stops after
parsing (later stages would only echo the same mistake). Every file is read through
perfdsl.project, the one door: includes and last year's file (上年评价) are confined to the
project, and `Loaded.dependencies()` names every file the result was made from, so that `watch`,
`serve` and a cache know what to follow."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import project
from .check import run_checks
from .diagnostics import Diagnostic, Severity, Span, sorted_diagnostics
from .lint import LintConfig, run_lint
from .model.evaluation import Evaluation
from .model.resolve import resolve
from .project import Reason, project_root
from .score.scorecard import ScoreCard
from .score.scorer import Baseline, score
from .syntax import ast
from .syntax.parser import parse

if TYPE_CHECKING:
    from .score.department import Rollup

__all__ = ["Loaded", "load", "project_root"]


@dataclass
class Loaded:
    """A file as loaded: its evaluation, scorecard and diagnostics, the files it read."""

    path: str
    evaluation: Evaluation | None = None
    scorecard: ScoreCard | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # file (as shown) → its text: the file and its includes
    files: list[str] = field(default_factory=list)  # the file and everything it includes
    comments: list[ast.Token] = field(default_factory=list)
    baseline: Loaded | None = None  # last year's file (上年评价), loaded without checks
    members: list[Loaded] = field(default_factory=list)  # a 部门整体 file's member evaluations

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)

    def dependencies(self) -> list[str]:
        """Every file this result was made from, resolved: the file, its includes, and last year's
        file with its includes. A change to any of them changes the result."""
        out = [str(Path(f).resolve()) for f in self.files]
        for other in ([self.baseline] if self.baseline is not None else []) + self.members:
            out += [f for f in other.dependencies() if f not in out]
        return out


def load(
    path: str,
    text: str | None = None,
    *,
    with_checks: bool = True,
    lint: LintConfig | bool | None = None,
    follow_baseline: bool = True,
) -> Loaded:
    """Load, score and check one file. `lint` is a perfdsl.lint configuration (None: the file's
    perfdsl.toml, found by walking up; False: no reviewer's rules). `follow_baseline`: load the
    file's 上年评价 and compare (last year's own baseline is never followed)."""
    result = Loaded(path=path)
    root = project_root(path)
    limits, _ = project.limits(root)
    plain = False  # a text from an editor or a test is searched for binary content by the parser
    if text is None:
        text, problem, plain = project.read_source(path, limit=limits.source)
        if problem is not None or text is None:
            result.diagnostics.extend([problem] if problem else [])
            return result
    else:  # text from an editor or a test: the same line ends as a file read from disk
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    result.texts[path] = text
    tree, diags = parse(text, path, plain=plain)
    result.diagnostics.extend(diags)
    if tree is None:
        result.diagnostics = sorted_diagnostics(result.diagnostics)
        return result
    blank = not text or text.isspace()
    if blank:
        result.diagnostics.append(Diagnostic("P0002", Span.point(path, 1, 1)))
    items = _Splicer(root, result, limits).splice(tree)
    if any(d.code.startswith("P01") for d in result.diagnostics):  # an included file did not parse
        result.diagnostics = sorted_diagnostics(result.diagnostics)
        return result
    evaluation, diags = resolve(items, path, texts=result.texts, includes=result.files, comments=result.comments)
    # The syntax tree is done with: freed now, while it is still in the cache and its memory can
    # serve the model's stages, not after them, when freeing it fetches every node again.
    del tree, items
    result.evaluation = evaluation
    result.diagnostics.extend(diags)
    if evaluation.is_fragment and not blank:
        result.diagnostics.append(Diagnostic("P0207", Span.point(path, 1, 1)))
    baseline = _baseline(result, evaluation) if follow_baseline and with_checks else None
    department = None
    if evaluation.department is not None and follow_baseline:
        department = _members(result, evaluation)
        if evaluation.funds is None and department.funds() is not None:
            # A 部门整体 file that gives no funds of its own has its members' sums, made here as a
            # new evaluation (the resolved one is not changed).
            evaluation = replace(evaluation, funds=department.funds())
            result.evaluation = evaluation
    result.scorecard = score(evaluation, baseline, department)
    if with_checks:
        result.diagnostics.extend(run_checks(evaluation, result.scorecard))
        if lint is not False:
            linted = run_lint(evaluation, result.scorecard, result.diagnostics, lint)
            result.diagnostics = linted.diagnostics
            for name, text in linted.texts.items():
                result.texts.setdefault(name, text)
    result.diagnostics = sorted_diagnostics(result.diagnostics)
    return result


# ---------------------------------------------------------------- includes


class _Splicer:
    """The file's items with each include replaced by the included file's items. A file included
    more than once (two fragments that share a third) is read, parsed and spliced in once, so
    that the work is linear in the files however the includes fan out; a cycle is reported with
    its chain; the depth of includes within includes and the number of files are bounded (the
    project's limits), so the recursion of `splice` is too."""

    def __init__(self, root: Path, result: Loaded, limits: project.Limits | None = None):
        self.root = root  # the project the loaded file belongs to: includes are confined to it
        self.result = result
        self.limits = limits or project.Limits()
        self.parsed: dict[str, ast.File | None] = {}

    def splice(self, tree: ast.File, chain: tuple[str, ...] = ()) -> list[ast.Item]:
        self.result.files.append(tree.path)
        self.result.comments.extend(tree.comments)
        if not any(isinstance(item, ast.Include) for item in tree.items):
            return list(tree.items)
        here = str(Path(tree.path).resolve())
        chain = (*chain, here)
        out: list[ast.Item] = []
        for item in tree.items:
            if not isinstance(item, ast.Include):
                out.append(item)
                continue
            sub = self._include(item, tree.path, chain)
            if sub is not None:
                out.extend(self.splice(sub, chain))
        return out

    def _include(self, item: ast.Include, includer: str, chain: tuple[str, ...]) -> ast.File | None:
        rel = item.path.value
        span = item.path.span
        target, refusal = project.locate(rel, includer, self.root)
        if refusal is not None:
            code = {Reason.OUTSIDE: "P0302", Reason.MISSING: "P0301"}.get(refusal.reason)
            self.result.diagnostics.append(
                Diagnostic(code, span, {"path": rel}) if code else project.refusal_diagnostic(refusal, span, rel)
            )
            return None
        assert target is not None
        key = str(target)
        if key in chain:
            names = [Path(c).name for c in chain] + [target.name]
            self.result.diagnostics.append(Diagnostic("P0303", span, {"chain": " → ".join(names)}))
            return None
        if key in self.parsed:  # included already (two fragments share one): its items are in once
            return None
        if len(chain) >= self.limits.include_depth:
            shown = " → ".join([Path(c).name for c in chain[:3]] + ["…", target.name])
            self.result.diagnostics.append(
                Diagnostic(
                    "P0311",
                    span,
                    {
                        "what": f"引用嵌套超过 {self.limits.include_depth} 层（{shown}）",
                        "what_en": f"includes nest more than {self.limits.include_depth} deep ({shown})",
                    },
                )
            )
            return None
        if len(self.parsed) >= self.limits.includes:
            self.result.diagnostics.append(
                Diagnostic(
                    "P0311",
                    span,
                    {
                        "what": f"引用的文件超过 {self.limits.includes} 个",
                        "what_en": f"more than {self.limits.includes} files are included",
                    },
                )
            )
            return None
        self.parsed[key] = self._parse(target, span)
        return self.parsed[key]

    def _parse(self, target: Path, span: Span) -> ast.File | None:
        shown = os.path.relpath(target)  # shown relative to the working directory
        text, problem, plain = project.read_source(str(target), span, limit=self.limits.source)
        if problem:
            self.result.diagnostics.append(problem)
            return None
        assert text is not None
        self.result.texts[shown] = text
        sub, diags = parse(text, shown, plain=plain)
        self.result.diagnostics.extend(diags)
        return sub


# ---------------------------------------------------------------- last year's file


MAX_MEMBERS = 5000


def _members(result: Loaded, ev: Evaluation) -> Rollup:
    """A 部门整体 file's members: each pattern (a path or a glob, from the file's folder, inside
    the project) read through the project's door, loaded and scored without checks."""
    from .score.department import Member, roll_up  # only a 部门整体 file has members

    assert ev.department is not None
    root = project_root(result.path)
    here = Path(result.path).resolve()
    found: dict[Path, str] = {}
    for pattern, span in ev.department.members:
        matches = project.glob_files(pattern, result.path, root, ".perf")
        if not matches:
            result.diagnostics.append(Diagnostic("D0101", span, {"pattern": pattern}))
        for target in matches:
            if target != here and target not in found and len(found) < MAX_MEMBERS:
                found[target] = os.path.relpath(target, here.parent)
    members = []
    for target, rel in sorted(found.items(), key=lambda item: item[1]):
        one = load(os.path.relpath(target), with_checks=False, lint=False, follow_baseline=False)
        result.members.append(one)
        errors = sum(1 for d in one.diagnostics if d.severity == Severity.ERROR)
        if errors or one.evaluation is None or one.evaluation.department is not None:
            span = ev.department.span
            result.diagnostics.append(Diagnostic("D0102", span, {"member": rel, "count": errors}))
        members.append(Member(rel.replace(os.sep, "/"), one.evaluation, one.scorecard, errors))
    return roll_up(members)


def _baseline(result: Loaded, ev: Evaluation) -> Baseline | None:
    """Last year's file, named by 上年评价 (历史标准), loaded and scored; problems with it are
    warnings on the 上年评价 line — they never stop a check, a diff or a preview."""
    p = ev.project
    if p is None or not p.baseline:
        return None
    rel = p.baseline
    span = p.spans.get("baseline") or p.spans.get("name") or Span.point(result.path, 1, 1)
    target, refusal = project.locate(rel, result.path, project_root(result.path))
    if refusal is not None:
        code = {Reason.OUTSIDE: "P0307", Reason.MISSING: "P0306"}.get(refusal.reason, "P0308")
        result.diagnostics.append(Diagnostic(code, span, {"path": rel, "count": 0}))
        return None
    assert target is not None
    if target == Path(result.path).resolve():
        result.diagnostics.append(Diagnostic("P0308", span, {"path": rel, "count": 0}))
        return None
    last = load(os.path.relpath(target), with_checks=False, follow_baseline=False)
    result.baseline = last
    errors = [d for d in last.diagnostics if d.severity == Severity.ERROR]
    if last.evaluation is None or last.evaluation.project is None or last.scorecard is None or errors:
        result.diagnostics.append(Diagnostic("P0308", span, {"path": rel, "count": len(errors)}))
        return None
    this_year, last_year = p.year, last.evaluation.project.year
    if this_year is not None and last_year is not None and last_year >= this_year:
        result.diagnostics.append(
            Diagnostic("P0309", span, {"path": rel, "baseline_year": last_year, "year": this_year})
        )
    return Baseline(last.evaluation, last.scorecard, rel)
