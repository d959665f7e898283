"""Shared helpers: tests feed small .perf snippets straight to the loader."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from perfdsl.loader import load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def examples_folder(tmp_path: Path, copies: int = 6) -> Path:
    """A project folder of `copies` copies of every example, spread over three subfolders, with
    an empty perfdsl.toml: what a folder's run (engine, workers, cache) is tried on."""
    folder = tmp_path / "repo"
    for i in range(copies):
        sub = folder / f"d{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        for example in sorted(EXAMPLES.glob("*.perf")):
            shutil.copy(example, sub / f"{i}-{example.name}")
    (folder / "perfdsl.toml").write_text("", encoding="utf-8")
    return folder


SEED_000 = EXAMPLES / "12345-hotline-2023.perf"
SEED_003 = EXAMPLES / "xinfang-office-2023.perf"
IN_CI = os.environ.get("CI", "").lower() == "true"

HEADER = '项目 "测试" {\n  年度 2023\n}\n'


def load_snippet(text: str, *, header: bool = True, file: str = "snippet.perf"):
    """Load a snippet (with a minimal 项目 block unless header=False)."""
    return load(file, (HEADER if header else "") + text)


def codes(loaded, *, severities=("error", "warning")) -> list[str]:
    return [d.code for d in loaded.diagnostics if d.severity.value in severities]


@pytest.fixture
def snippet():
    return load_snippet
