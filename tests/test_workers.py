"""The local executor's workers: forked (Linux) and the standard library's pool give the same
results in the same order, share the work with the process that asked, pass errors back, and
never hang on a worker that died or on results bigger than a pipe holds."""

from __future__ import annotations

import os
import signal
import time

import pytest

from perfdsl.engine import run, workers
from tests.conftest import examples_folder

from .alarm import time_limit

PARENT = os.getpid()  # the test's process: a forked worker inherits the number and knows it is not it

KINDS = [workers.ForkedWorkers, workers.PoolWorkers]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.__name__)
def kind(request, monkeypatch):
    monkeypatch.setattr(workers, "default_workers", lambda: request.param)
    return request.param


def _tagged(n: int) -> tuple[int, int]:
    time.sleep(0.001)  # long enough that every process gets some of the work
    return n * n, os.getpid()


def test_results_in_order_with_the_work_shared_between_this_process_and_the_workers(kind):
    with time_limit(60):
        results = list(run(_tagged, range(300), jobs=3, first=[250, 7, 999]))
    assert [square for square, _ in results] == [n * n for n in range(300)]
    by = {pid for _, pid in results}
    assert PARENT in by and len(by) >= 2  # this process worked some, a worker the others


def _refuses_in_a_worker(n: int) -> int:
    if os.getpid() != PARENT:
        raise ValueError(f"item {n} refused")
    return n


def test_an_error_in_a_worker_is_raised_where_the_run_was_asked_for(kind):
    with time_limit(60), pytest.raises(ValueError, match="refused"):
        list(run(_refuses_in_a_worker, range(200), jobs=2))


def _dies_in_a_worker(n: int) -> int:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def test_a_worker_that_dies_stops_the_run_with_an_error_not_a_hang(kind):
    with time_limit(60), pytest.raises(workers.WorkerLost, match="意外结束"):
        list(run(_dies_in_a_worker, range(200), jobs=2))


def test_work_given_to_the_standard_pool_after_a_worker_died_says_the_worker_is_lost():
    """The standard pool says a worker died from a result, or from the next work given: both are
    WorkerLost (the second came through as the pool's own BrokenProcessPool, now and then)."""
    pool = workers.PoolWorkers(1, _dies_in_a_worker, lambda: None)
    try:
        with time_limit(60):
            pool.give(0, [1])
            with pytest.raises(workers.WorkerLost):
                while True:
                    pool.back(wait=True)
            with pytest.raises(workers.WorkerLost):
                pool.give(1, [2])
    finally:
        pool.close(abandon=True)


def _interrupted_in_a_worker(n: int) -> int:
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGINT)  # what a terminal's Ctrl-C sends every process of the run
    return n


def test_a_forked_worker_leaves_ctrl_c_to_the_process_asked(monkeypatch):
    """A worker that died of Ctrl-C would make the process asked fail writing to it before it
    stops on the same Ctrl-C itself: the worker ignores it, the process asked stops the run."""
    monkeypatch.setattr(workers, "default_workers", lambda: workers.ForkedWorkers)
    with time_limit(60):
        assert list(run(_interrupted_in_a_worker, range(100), jobs=2)) == list(range(100))


def _echo_big(text: str) -> str:
    return text * 3


def test_chunks_and_results_bigger_than_a_pipe_holds(kind):
    items = [f"{i:06d}" * 50_000 for i in range(40)]  # 300 KB each: 4.8 MB a chunk of 16, ×3 back
    with time_limit(120):
        results = list(run(_echo_big, items, jobs=2))
    assert results == [text * 3 for text in items]


def test_a_caller_that_stops_reading_leaves_no_worker_behind(monkeypatch):
    started: list[int] = []

    class Watched(workers.ForkedWorkers):
        def _fork(self, start):
            super()._fork(start)
            started.append(self.workers[-1].pid)

    monkeypatch.setattr(workers, "default_workers", lambda: Watched)
    with time_limit(60):
        results = run(_tagged, range(500), jobs=3)
        assert next(results)[0] == 0
        results.close()
    assert len(started) == 2
    for pid in started:
        with pytest.raises(ChildProcessError):  # ended and waited for: no such child any more
            os.waitpid(pid, os.WNOHANG)


def test_one_process_asked_for_forks_none(monkeypatch):
    def refuse(*_):
        raise AssertionError("a worker was started")

    monkeypatch.setattr(workers, "default_workers", lambda: refuse)
    assert [square for square, _ in run(_tagged, range(20), jobs=1)] == [n * n for n in range(20)]


def test_a_worker_lost_mid_run_is_said_plainly_by_the_command(tmp_path, monkeypatch, capsys):
    import perfdsl.engine as engine
    from perfdsl.cli.main import main

    real = engine.run

    def loses_a_worker(*args, **kwargs):
        results = real(*args, **kwargs)
        yield next(results)
        results.close()
        raise workers.WorkerLost(4321)

    monkeypatch.setattr(engine, "run", loses_a_worker)
    assert main(["check", str(examples_folder(tmp_path, 2)), "--no-cache", "-j", "2"]) == 1
    err = capsys.readouterr().err
    assert "perfdsl: 一个工作进程（进程 4321）意外结束" in err and "Traceback" not in err


def test_ctrl_c_stops_a_folder_run_at_once_and_leaves_no_worker(tmp_path):
    import subprocess
    import sys

    folder = str(examples_folder(tmp_path, 300))  # some 1,500 files: seconds of work on two processes
    command = [sys.executable, "-c", "import sys; from perfdsl.cli.main import main; sys.exit(main())"]
    with time_limit(120):
        process = subprocess.Popen(
            [*command, "check", folder, "--no-cache", "-j", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a group of its own, as a terminal's Ctrl-C reaches it
        )
        assert process.stdout.readline()  # the run is under way: its first file printed
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate()
    assert process.returncode == 130, err.decode()
    assert b"Traceback" not in err
    with pytest.raises(ProcessLookupError):  # the group is empty: no worker outlived the run
        os.killpg(process.pid, 0)
