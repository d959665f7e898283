"""Shared inputs of the hardening tests: the starter file every probe varies."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STARTER = (REPO / "examples" / "starter.perf").read_text(encoding="utf-8")


def vary(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced once; a test whose anchor is missing fails instead of passing idly."""
    assert old in text, f"anchor not found: {old!r}"
    return text.replace(old, new, 1)


@pytest.fixture
def project(tmp_path):
    """A project folder (perfdsl.toml marks it) and a function writing files into it."""
    (tmp_path / "perfdsl.toml").write_text("")

    def write(rel: str, content: str | bytes) -> Path:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            p.write_text(content, encoding="utf-8")
        else:
            p.write_bytes(content)
        return p

    write.root = tmp_path  # type: ignore[attr-defined]
    return write
