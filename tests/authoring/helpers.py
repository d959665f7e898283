"""Shared helpers for the authoring tests: run the command line, make throwaway git repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED_000

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def perfdsl(*args, cwd=None, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    return p


def git(*args, cwd):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(cwd),
    )
    p = subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=path)
    return path


def seed_text() -> str:
    return SEED_000.read_text(encoding="utf-8")


def with_actual(text: str, new: str, old: str = "61.99") -> str:
    """The seed with 发送短信's actual (61.99万条) replaced."""
    at = text.find(old)
    assert at >= 0
    return text[:at] + new + text[at + len(old) :]
