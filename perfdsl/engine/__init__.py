"""The engine: a job per file, run over a folder on every core, results streamed back in the
files' order and nothing kept per file once it is reported — so that a folder of thousands of
files is checked in the time of its slowest share and in the memory of one file.

`run(job, items, jobs)` is the one interface: `job(item)` is a top-level (picklable) function
returning a small picklable result; the results come back lazily, in the order of `items`. One
item, or `jobs=1`, runs in this process; more run on as many processes as there are cores (or
`jobs`): this one and a pool of workers, which share the work as it comes."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


GC_THRESHOLDS = (50_000, 50, 100)  # a collection per 50,000 new objects, not per 700


def tune_gc() -> None:
    """The collector as mypy and black tune it: the modules and grammar loaded so far are
    frozen (never scanned again), and collections are rarer — a check allocates many small
    objects that live for one file, which the default thresholds rescan over and over."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _worker_init() -> None:
    tune_gc()


def new_run() -> int:
    """A number naming one run of a folder's jobs, which its jobs carry: what a run finds once for
    all its files of a folder (engine.check.settings_for) a worker serving several runs (Dask)
    finds again in each."""
    return time.time_ns()


class ExecutorError(Exception):
    """The executor asked for cannot run (dask not installed, no scheduler at the address)."""


def processes_for(jobs: int, items: int) -> int:
    """How many processes a local run of `items` jobs works in (`jobs`: as asked, 0 for every core)."""
    return min(jobs or cores(), items)


def run(
    job: Callable[[T], R],
    items: Iterable[T],
    jobs: int = 0,
    executor: str = "local",
    scheduler: str | None = None,
    first: Sequence[int] = (),
) -> Iterator[R]:
    """`first`: the indices of a few items to start before the others (those likely to take
    longest, such as the files edited since the cache was written); results still come in the
    order of `items`, and only those few are held until their turn."""
    items = list(items)
    if executor == "dask":
        yield from _dask(job, items, scheduler)
        return
    processes = processes_for(jobs, len(items))
    if processes <= 1:
        for item in items:
            yield job(item)
        return
    # The items asked for first each a unit of its own, given out ahead of the others: the
    # results before theirs are not held up behind them. The rest in small chunks, which keep
    # the cores busy to the end; each result is yielded as soon as those before it are, and
    # dropped by the caller once reported.
    unit_of_early = {i: u for u, i in enumerate(sorted({i for i in first if 0 <= i < len(items)}))}
    rest = [item for i, item in enumerate(items) if i not in unit_of_early]
    size = max(1, min(16, len(rest) // (processes * 8)))
    units = [[items[i]] for i in unit_of_early] + [rest[start : start + size] for start in range(0, len(rest), size)]
    from .workers import Shared, default_workers

    workers = default_workers()(processes - 1, job, _worker_init)  # this process is the other one
    abandon = True
    try:
        shared = Shared(workers, job, units)
        chunks = (result for u in range(len(unit_of_early), len(units)) for result in shared.take(u))
        for i in range(len(items)):
            yield shared.take(unit_of_early[i])[0] if i in unit_of_early else next(chunks)
        abandon = False
    finally:  # an error, Ctrl-C or a caller that stopped reading: the workers let go at once
        workers.close(abandon)


_DASK_WINDOW = 512  # futures in flight: a million files never sit in the scheduler at once


def _dask(job: Callable[[T], R], items: list[T], scheduler: str | None) -> Iterator[R]:
    """The same jobs on a Dask cluster (`pip install "perfdsl[dask]"`): each file is read by the
    worker that runs it, so workers must see the paths as this process does (shared storage)."""
    try:
        from dask.distributed import Client
    except ImportError as e:
        raise ExecutorError('dask.distributed 未安装：pip install "perfdsl[dask]"') from e
    try:
        client = Client(scheduler, timeout="20s") if scheduler else Client(processes=True, dashboard_address=None)
    except OSError as e:
        raise ExecutorError(f"无法连接 Dask 调度器 {scheduler}：{e}") from e
    try:
        for start in range(0, len(items), _DASK_WINDOW):
            futures = client.map(job, items[start : start + _DASK_WINDOW], pure=False)
            for future in futures:
                yield future.result()
            client.cancel(futures)
    finally:
        client.close()


def progress(results: Iterator[R], total: int, label: str, show: bool) -> Iterator[R]:
    """The results, with a progress bar (rich) on standard error while they come — shown only
    on a terminal, for more than one file, outside CI and JSON output."""
    if not show or total < 2 or os.environ.get("CI") or not _is_terminal():
        yield from results
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=total)
        for result in results:
            yield result
            bar.advance(task)


def _is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()
