"""The linter and the type checker hold the code (configured in pyproject.toml). They run here so
that the README's test command — what CI runs — runs them too."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import IN_CI, ROOT


def _tool(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if IN_CI:
            pytest.fail(f"{module} is not installed (pip install -e '.[test]')")
        pytest.skip(f"{module} is not installed")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint_is_clean():
    _tool("ruff")
    p = _run("ruff", "check", "perfdsl", "tests", "benchmarks", "scripts")
    assert p.returncode == 0, p.stdout + p.stderr


def test_ruff_format_is_clean():
    _tool("ruff")
    p = _run("ruff", "format", "--check", "perfdsl", "tests", "benchmarks", "scripts")
    assert p.returncode == 0, p.stdout + p.stderr


def test_mypy_is_clean():
    _tool("mypy")
    p = _run("mypy")
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr
