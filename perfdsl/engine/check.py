"""`check` of one file as an engine job: the file's diagnostics, formatted where they are made
(the worker has the file's text), so that only small strings travel back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class CheckJob:
    path: str
    select: str | None
    ignore: str | None
    lang: str
    json: bool
    strict: bool


@dataclass(frozen=True)
class CheckResult:
    path: str
    blocks: tuple[str, ...]  # text: each diagnostic as printed; json: each as a JSON object
    counts: tuple[int, int, int]  # errors, warnings, notes
    failed: bool


@lru_cache(maxsize=8)
def _lint(select: str | None, ignore: str | None):
    from ..lint import LintConfig

    return LintConfig.from_cli(select, ignore)


def check_file(job: CheckJob) -> CheckResult:
    from ..diagnostics import Severity, format_all, has_errors, json_items
    from ..loader import load

    loaded = load(job.path, lint=_lint(job.select, job.ignore))
    diags = loaded.diagnostics
    if job.json:
        blocks = tuple(json_items(diags, job.lang))
    else:
        blocks = tuple(format_all(diags, loaded.texts, job.lang))
    counts = tuple(sum(1 for d in diags if d.severity == s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    return CheckResult(job.path, blocks, counts, has_errors(diags, job.strict))  # type: ignore[arg-type]
