"""`perfdsl diff` in a repository someone else prepared runs none of its programs: no fsmonitor,
no clean/smudge/process filter, no textconv or external diff, no hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import REPO, STARTER, vary

pytestmark = pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true", reason="no git")


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def hostile_repo(tmp_path):
    repo = tmp_path / "unit"
    repo.mkdir()
    marker = tmp_path / "ran"
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "u@example.org")
    _git(repo, "config", "user.name", "u")
    (repo / "x.perf").write_text(STARTER, encoding="utf-8")
    (repo / "perfdsl.toml").write_text("")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\ncat\n')
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)),
        ("filter.evil.clean", str(script)),
        ("filter.evil.smudge", str(script)),
        ("filter.evil.process", str(script)),
        ("filter.evil.required", "true"),
        ("diff.evil.textconv", str(script)),
        ("diff.evil.command", str(script)),
        ("diff.external", str(script)),
        ("core.pager", str(script)),
    ]:
        _git(repo, "config", key, value)
    (repo / ".gitattributes").write_text("*.perf filter=evil diff=evil\n")
    hooks = repo / ".git" / "hooks"
    for hook in ("post-checkout", "pre-commit", "post-index-change", "fsmonitor-watchman"):
        (hooks / hook).write_text(f"#!/bin/sh\necho hook >> {marker}\n")
        (hooks / hook).chmod(0o755)
    (repo / "x.perf").write_text(vary(STARTER, "实际 10台", "实际 9台"), encoding="utf-8")
    (repo / "new.perf").write_text(STARTER, encoding="utf-8")
    return repo, marker


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "HEAD"],
        ["diff", "HEAD", "--", "x.perf"],
        ["diff", "HEAD", "HEAD"],
        ["diff", "--format", "json", "HEAD"],
    ],
)
def test_diff_runs_nothing_from_the_repository(hostile_repo, args):
    repo, marker = hostile_repo
    env = dict(os.environ, PYTHONPATH=str(REPO))
    p = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "Traceback" not in p.stderr, p.stderr
    assert not marker.exists(), marker.read_text()
    if args[-1] != "HEAD" or args == ["diff", "HEAD"]:
        assert "9台" in p.stdout or "9" in p.stdout


def test_a_revision_that_looks_like_an_option_is_refused(hostile_repo):
    from perfdsl.authoring.gitrev import GitError, changed_files, is_revision

    repo, _ = hostile_repo
    assert not is_revision("--output=/tmp/x", repo)
    with pytest.raises(GitError):
        changed_files("--output=/tmp/x", repo)
