"""`check` of one file as an engine job: the file's diagnostics, formatted where they are made
(the worker has the file's text), so that only small strings travel back."""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class CheckJob:
    """One file to check, with the options of the run (picklable: it crosses to a worker)."""

    path: str
    select: str | None
    ignore: str | None
    lang: str
    json: bool
    strict: bool
    cache_dir: str | None = None
    # The run the file is checked in (any number its files share; None: a file on its own). A run
    # looks for a folder's perfdsl.toml once, not once a file (see settings_for).
    run: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """A file's check as printed: its diagnostics formatted, their counts, whether it failed."""

    path: str
    blocks: tuple[str, ...]  # text: each diagnostic as printed; json: each as a JSON object
    counts: tuple[int, int, int]  # errors, warnings, notes
    failed: bool


@lru_cache(maxsize=8)
def _lint(select: str | None, ignore: str | None):
    from ..lint import LintConfig

    return LintConfig.from_cli(select, ignore)


def settings_for(run: int | None, select: str | None, ignore: str | None, path: str):
    """The reviewer's rules' settings for the file at `path`: in a run of a folder's jobs (check,
    summary), as the run found them for its folder (run_settings); a file on its own (run None)
    gives the command line's alone, and the loader finds its perfdsl.toml."""
    if run is None:
        return _lint(select, ignore)
    return run_settings(run, select, ignore, os.path.dirname(path))


@lru_cache(maxsize=256)
def run_settings(run: int, select: str | None, ignore: str | None, folder: str):
    """The command line's settings over the folder's perfdsl.toml, for the files of `folder` in
    one run. Finding that file walks up the folders (two look-ups a level, ~20 system calls a
    file); one run sees one state of the project, so its files of a folder share one walk, and
    a worker serving several runs (Dask) walks again in each."""
    from ..lint import config_in

    found = config_in(folder)
    given = _lint(select, ignore)
    return found if given is None else given.over(found)


def prepare(select: str | None, ignore: str | None, forking: bool = True) -> None:
    """What every file's check needs, made before the first: the loader imported, the parser (its
    tables read from Lark's cache, every state's lexer), the reviewer's rules and their
    configuration. When workers will fork (`forking`), also what a worker would otherwise make on
    its first files, each worker again (about 10 ms a worker, measured): the patterns the rules
    make from their lists of words, the shipped rulesets, the modules of the stages of the year —
    made once here, and shared. (One file is checked without it: its result may be in the cache,
    which needs none of them.) Not the narrative's Markdown parser: only a text that may hold a
    link needs it (model.markdown_safety), and a folder seldom has one — a worker that meets one
    makes it."""
    from ..lint.registry import all_rules
    from ..loader import load  # noqa: F401
    from ..syntax.parser import warm_up

    warm_up()
    all_rules()
    config = _lint(select, ignore)
    if not forking:  # one process: the rest is made when a file first needs it, if one does
        return
    from ..check import lifecycle  # noqa: F401 — read for a file that records the stages of its year
    from ..lint import LintConfig
    from ..lint.runner import warm
    from ..model import resolve_lifecycle  # noqa: F401
    from ..rules.ruleset import RulesetError, available_rulesets, load_ruleset
    from ..score import monitor  # noqa: F401
    from . import cache  # noqa: F401 — every file's job goes through it

    warm(config or LintConfig())  # a folder's perfdsl.toml seldom changes the words
    for name in available_rulesets():
        with contextlib.suppress(OSError, RulesetError):  # reported by the files that name it, as before
            load_ruleset(name)


def check_file(job: CheckJob) -> CheckResult:
    from .cache import through

    options = [job.select, job.ignore, job.lang, job.json, job.strict]
    return through(
        job.cache_dir,
        "check",
        job.path,
        options,
        job.run,
        lambda keeping: _check(job, keeping),
        lambda result: {"blocks": list(result.blocks), "counts": list(result.counts), "failed": result.failed},
        lambda kept: CheckResult(job.path, tuple(kept["blocks"]), tuple(kept["counts"]), bool(kept["failed"])),
    )


def _check(job: CheckJob, keeping: bool) -> tuple[CheckResult, list[str]]:
    # Only now the language: a result from the cache needs neither the parser nor the model.
    from ..diagnostics import Severity, format_all, has_errors, json_items
    from ..loader import load

    loaded = load(job.path, lint=settings_for(job.run, job.select, job.ignore, job.path))
    diags, texts = loaded.diagnostics, loaded.texts
    dependencies = loaded.dependencies() if keeping else []
    del loaded  # the model and the scores freed now, while the rules have them in the cache
    if job.json:
        blocks = tuple(json_items(diags, job.lang))
    else:
        blocks = tuple(format_all(diags, texts, job.lang))
    tally = Counter(d.severity for d in diags)
    counts = (tally[Severity.ERROR], tally[Severity.WARNING], tally[Severity.INFO])
    return CheckResult(job.path, blocks, counts, has_errors(diags, job.strict)), dependencies
