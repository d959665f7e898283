"""The pipeline in one call: read → parse → splice includes → resolve → score → check.

Every stage returns its result with its diagnostics; a file with syntax errors stops after
parsing (later stages would only echo the same mistake)."""

from __future__ import annotations

import os
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, Span, sorted_diagnostics
from .model.evaluation import Evaluation
from .syntax import ast
from .syntax.parser import MAX_FILE_BYTES, parse

PROJECT_MARKERS = ("perfdsl.toml", ".git")


@dataclass
class Loaded:
    path: str
    evaluation: Evaluation | None = None
    scorecard: "object | None" = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the file and everything it includes
    comments: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == Severity.ERROR for d in self.diagnostics)


def read_source(path: str) -> tuple[str | None, Diagnostic | None]:
    """The file's text, or the diagnostic saying why it cannot be had. Invalid UTF-8 is kept
    (as surrogates) so that the parser can point at the bad byte."""
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            return None, Diagnostic("P0004", Span.point(path, 1, 1),
                                    {"size": f"{size / 1048576:.1f} MiB", "limit": f"{MAX_FILE_BYTES / 1048576:.1f} MiB"})
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return None, Diagnostic("P0001", Span.point(path, 1, 1), {"reason": e.strerror or str(e)})
    text = data.decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def project_root(path: str) -> Path:
    """The folder includes are confined to: the nearest one up with perfdsl.toml or .git, else the
    file's own folder."""
    return _root_of(Path(path).resolve().parent)


@lru_cache(maxsize=256)
def _root_of(start: Path) -> Path:
    for folder in (start, *start.parents):
        if any((folder / m).exists() for m in PROJECT_MARKERS):
            return folder
    return start


def load(path: str, text: str | None = None, *, with_checks: bool = True, lint: "object | None" = None) -> Loaded:
    """Load, score and check one file. `lint` is a perfdsl.lint configuration (None: the file's
    perfdsl.toml, found by walking up; False: no reviewer's rules)."""
    result = Loaded(path=path)
    if text is None:
        text, problem = read_source(path)
        if problem:
            result.diagnostics.append(problem)
            return result
    else:  # text from an editor or a test: the same line ends as a file read from disk
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    result.sources[path] = text
    tree, diags = parse(text, path)
    result.diagnostics.extend(diags)
    if tree is None:
        result.diagnostics = sorted_diagnostics(result.diagnostics)
        return result
    blank = not text or text.isspace()
    if blank:
        result.diagnostics.append(Diagnostic("P0002", Span.point(path, 1, 1)))
    items = _splice(tree, path, result, (path,))
    if any(d.code.startswith("P01") for d in result.diagnostics):  # an included file did not parse
        result.diagnostics = sorted_diagnostics(result.diagnostics)
        return result
    from .model.resolve import resolve

    evaluation, diags = resolve(items, path)
    evaluation.sources = result.sources
    evaluation.includes = result.files
    evaluation.comments = result.comments
    result.evaluation = evaluation
    result.diagnostics.extend(diags)
    if evaluation.is_fragment and not blank:
        result.diagnostics.append(Diagnostic("P0207", Span.point(path, 1, 1)))
    from .score.scorer import score

    result.scorecard = score(evaluation)
    if with_checks:
        from .check import run_checks

        result.diagnostics.extend(run_checks(evaluation, result.scorecard))
        if evaluation.project is not None and evaluation.project.baseline:
            from .authoring.baseline import year_over_year

            comparison = year_over_year(result)  # last year's file, named by 上年评价 (历史标准)
            result.scorecard.year_over_year = comparison.comparison
            result.diagnostics.extend(comparison.diagnostics)
        if lint is not False:
            result.diagnostics = _lint(evaluation, result, lint)
    result.diagnostics = sorted_diagnostics(result.diagnostics)
    return result


def _lint(evaluation, result: Loaded, config) -> list[Diagnostic]:
    """The reviewer's rules (perfdsl.lint), with the file's suppressions applied."""
    try:
        from .lint import run_lint
    except ImportError:
        return result.diagnostics
    return run_lint(evaluation, result.scorecard, result.diagnostics, config)


def _splice(tree: ast.File, root_file: str, result: Loaded, chain: tuple[str, ...]) -> list:
    """The file's items with each include replaced by the included file's items."""
    result.files.append(tree.path)
    result.comments.extend(tree.comments)
    if not any(isinstance(item, ast.Include) for item in tree.items):
        return list(tree.items)
    out: list = []
    root = project_root(root_file)
    chain = tuple(str(Path(c).resolve()) for c in chain)
    for item in tree.items:
        if not isinstance(item, ast.Include):
            out.append(item)
            continue
        rel = item.path.value
        target = (Path(tree.path).resolve().parent / rel).resolve()
        span = item.path.span
        if not _inside(target, root):
            result.diagnostics.append(Diagnostic("P0302", span, {"path": rel}))
            continue
        if str(target) in chain:
            names = [Path(c).name for c in chain] + [target.name]
            result.diagnostics.append(Diagnostic("P0303", span, {"chain": " → ".join(names)}))
            continue
        if not target.is_file():
            result.diagnostics.append(Diagnostic("P0301", span, {"path": rel}))
            continue
        shown = os.path.relpath(target)
        text, problem = read_source(str(target))
        if problem:
            result.diagnostics.append(problem)
            continue
        result.sources[shown] = text
        sub, diags = parse(text, shown)
        result.diagnostics.extend(diags)
        if sub is not None:
            out.extend(_splice(sub, root_file, result, chain + (str(target),)))
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def perf_files(arguments: list[str]) -> tuple[list[str], list[str]]:
    """The .perf files named by the arguments (folders are searched), and the arguments that name
    nothing. Files that other files in the set include are left to their includers."""
    files, missing = [], []
    for arg in arguments:
        p = Path(arg)
        if p.is_dir():
            files.extend(str(f) for f in sorted(p.rglob("*.perf")) if not any(part.startswith(".") for part in f.parts))
        elif p.is_file():
            files.append(arg)
        else:
            missing.append(arg)
    return files, missing
