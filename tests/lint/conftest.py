"""Helpers for the lint tests: a small project folder with its own perfdsl.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfdsl.loader import load

# Two findings on known lines: R010 (line 4, 160 % of the target with no reason) and R022 (line 2,
# no cost indicator under 产出).
OVERSHOOT = """自评表 {
  产出 {
    数量 {
      培训人次 ≥ 100人次 实际 160人次 分值 100
    }
  }
}
"""


class Project:
    def __init__(self, root: Path):
        self.root = root
        (root / ".git").mkdir()

    def config(self, text: str) -> Path:
        path = self.root / "perfdsl.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def file(self, text: str, name: str = "评价.perf") -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def load(self, text: str = OVERSHOOT, name: str = "评价.perf", **kw):
        return load(str(self.file(text, name)), **kw)


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path)


def found(loaded, prefix: str = "R") -> list[tuple[str, int]]:
    return sorted((d.code, d.span.line) for d in loaded.diagnostics if d.code.startswith(prefix))
