"""`build` of one file as an engine job: the documents written by the worker, and what the parent
prints — the file's problems, formatted where they are made, and the paths written — sent back
as a few strings. The model and its scores stay in the worker: a folder of thousands of files is
built in the memory of one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BuildJob:
    source: str
    walked_from: str | None  # the folder whose walk found it (its place under -o), or None
    formats: tuple[str, ...]
    out_dir: str | None
    strict: bool
    options: Any  # render.report.RenderOptions
    forms: tuple[str, ...]
    lang: str


@dataclass(frozen=True)
class BuildSummary:
    source: str
    fragment: bool  # a shared fragment (no 项目 block): built as part of the files that include it
    problems: tuple[str, ...]  # the file's diagnostics, as printed
    errors: int  # how many of them are errors
    refused: bool  # the evaluation has errors: nothing was written
    error: str | None  # a render failure (pandoc, typst, fonts), with its hint
    error_en: str | None
    outputs: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.refused and self.error is None


def build_one(job: BuildJob) -> BuildSummary:
    from ..diagnostics import Severity, format_all
    from ..render.build import build_file

    result = build_file(
        job.source,
        job.formats,
        job.out_dir,
        strict=job.strict,
        options=job.options,
        forms=job.forms,
        walked_from=job.walked_from,
    )
    loaded = result.loaded
    fragment = loaded is not None and loaded.evaluation is not None and loaded.evaluation.is_fragment
    problems = () if loaded is None else tuple(format_all(loaded.diagnostics, loaded.texts, job.lang))
    errors = 0 if loaded is None else sum(d.severity is Severity.ERROR for d in loaded.diagnostics)
    return BuildSummary(
        job.source,
        fragment,
        problems,
        errors,
        result.refused,
        result.error,
        result.error_en,
        tuple(result.outputs),
    )
