"""The Dask executor gives what the local run gives, on a LocalCluster of two processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfdsl.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster  # the test extra installs it: missing is a failure

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    yield cluster.scheduler_address
    cluster.close()


@pytest.mark.parametrize("command", ["summary", "check"])
def test_a_folder_on_dask_is_the_local_run(tmp_path, capsys, scheduler, command):
    for example in EXAMPLES.glob("*.perf"):
        shutil.copy(example, tmp_path / example.name)
    (tmp_path / "perfdsl.toml").write_text("", encoding="utf-8")
    local = main([command, str(tmp_path), "--format", "json", "--no-cache"]), capsys.readouterr().out
    remote = main(
        [command, str(tmp_path), "--format", "json", "--no-cache", "--executor", "dask", "--scheduler", scheduler]
    )
    assert (remote, capsys.readouterr().out) == local


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    shutil.copy(EXAMPLES / "starter.perf", tmp_path / "a.perf")
    code = main(["summary", str(tmp_path), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert code == 2 and "Dask" in capsys.readouterr().err
