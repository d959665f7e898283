"""`score` of one file as an engine job, for a folder: the file's figures as the data the one-file
command prints (`score.export.scorecard_data`, plain JSON values), or its problems formatted
where they are made (the worker has the file's text), so that only small values travel back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreJob:
    path: str
    lang: str
    cache_dir: str | None = None
    run: int | None = None  # the run its folder's jobs share (engine.check.settings_for)


@dataclass(frozen=True)
class ScoreResult:
    path: str
    data: dict | None  # the figures; None when the file has errors and cannot be scored
    problems: tuple[str, ...]  # the diagnostics of a file that cannot be scored, as printed


def score_file(job: ScoreJob) -> ScoreResult:
    from .cache import through

    return through(
        job.cache_dir,
        "score",
        job.path,
        [job.lang],
        job.run,
        lambda keeping: _score(job, keeping),
        lambda result: {"data": result.data, "problems": list(result.problems)},
        lambda kept: ScoreResult(job.path, kept["data"], tuple(kept["problems"])),
    )


def _score(job: ScoreJob, keeping: bool) -> tuple[ScoreResult, list[str]]:
    from ..diagnostics import format_all
    from ..loader import load
    from ..score.export import scorecard_data
    from .check import settings_for

    loaded = load(job.path, lint=settings_for(job.run, None, None, job.path))
    dependencies = loaded.dependencies() if keeping else []
    if loaded.ok and loaded.evaluation is not None and loaded.scorecard is not None:
        return ScoreResult(job.path, scorecard_data(loaded.evaluation, loaded.scorecard), ()), dependencies
    # as `score FILE` does: the problems, and no figures
    return ScoreResult(job.path, None, tuple(format_all(loaded.diagnostics, loaded.texts, job.lang))), dependencies
