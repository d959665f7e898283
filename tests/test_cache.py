"""The cache of results: a warm run says what a fresh one says; an edit, a changed include, a
damaged or foreign entry make the result again; --no-cache neither reads nor writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfdsl.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    for example in EXAMPLES.glob("*.perf"):
        shutil.copy(example, root / example.name)
    return root


def _check(capsys, *args: str) -> tuple[int, str]:
    code = main(["check", *args, "--format", "json", "-j", "1"])
    return code, capsys.readouterr().out


def test_a_warm_run_says_what_a_fresh_one_says(tree, capsys):
    fresh = _check(capsys, str(tree), "--no-cache")
    assert not (tree / ".perfdsl-cache").exists()
    cold = _check(capsys, str(tree))
    entries = list((tree / ".perfdsl-cache").rglob("*.json"))
    assert len(entries) == len(list(tree.glob("*.perf"))) and cold == fresh
    assert _check(capsys, str(tree)) == fresh


def test_an_edit_and_a_changed_include_make_the_result_again(tree, capsys):
    shared = tree / "共用.perf"
    shared.write_text('评价工作 {\n  评价方法 "因素分析法"\n}\n', encoding="utf-8")
    starter = tree / "starter.perf"
    starter.write_text(starter.read_text(encoding="utf-8") + '\n引用 "共用.perf"\n', encoding="utf-8")
    before = _check(capsys, str(starter))
    shared.write_text('评价工作 {\n  评价方法 "因素分析法"\n  评价方法 "比较法"\n}\n', encoding="utf-8")
    after = _check(capsys, str(starter))
    assert after == _check(capsys, str(starter), "--no-cache") and after != before


def test_damaged_entries_are_never_believed(tree, capsys):
    fresh = _check(capsys, str(tree), "--no-cache")
    _check(capsys, str(tree))
    for i, entry in enumerate(sorted((tree / ".perfdsl-cache").rglob("*.json"))):
        data = bytearray(entry.read_bytes())
        if i == 0:
            entry.write_bytes(bytes(data[: len(data) // 2]))  # truncated
        elif i == 1:
            entry.write_text('{"body": {"key": "x", "deps": [], "result": {}}, "digest": "0"}')  # foreign
        else:
            for k in range(0, len(data), 97):
                data[k] ^= 0x5A
            entry.write_bytes(bytes(data))
    assert _check(capsys, str(tree)) == fresh


def test_the_cache_folder_can_be_moved(tree, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    _check(capsys, str(tree), "--cache-dir", str(elsewhere))
    assert list(elsewhere.rglob("*.json")) and not (tree / ".perfdsl-cache").exists()
