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
    entries = sorted((tree / ".perfdsl-cache").rglob("*.json"))
    assert len(entries) >= 4
    whole = [entry.read_bytes() for entry in entries]
    for i, entry in enumerate(entries):
        data = bytearray(whole[i])
        if i == 0:
            entry.write_bytes(bytes(data[: len(data) // 2]))  # truncated
        elif i == 1:
            entry.write_text('{"body": {"key": "x", "deps": [], "result": {}}, "digest": "0"}')  # foreign
        elif i == 2:
            entry.write_bytes(whole[3])  # whole, its digest right, but another file's result
        else:
            for k in range(0, len(data), 97):
                data[k] ^= 0x5A
            entry.write_bytes(bytes(data))
    assert _check(capsys, str(tree)) == fresh


def test_the_cache_folder_can_be_moved(tree, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    _check(capsys, str(tree), "--cache-dir", str(elsewhere))
    assert list(elsewhere.rglob("*.json")) and not (tree / ".perfdsl-cache").exists()


@pytest.mark.parametrize("what", ["a file", "a folder on two workers", "a file scored"])
def test_what_was_checked_before_is_answered_without_the_parser_or_the_model(tree, what):
    """The cache answers before anything of the language is imported: a second `check` loads
    neither Lark nor the model (and says what the first said) — of one file, and in the main
    process of a folder spread over workers (which make the parser only for a changed file); nor
    does a second `score` of a file."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from perfdsl.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print('LOADED', 'lark' in sys.modules, 'perfdsl.model.evaluation' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    command, target = {
        "a file": ("check", [str(tree / "starter.perf")]),
        "a folder on two workers": ("check", [str(tree), "-j", "2"]),
        "a file scored": ("score", [str(tree / "12345-hotline-2023.perf")]),
    }[what]

    def run() -> tuple[str, str]:
        p = subprocess.run(
            [sys.executable, "-c", probe, command, *target, "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tree,
            timeout=120,
        )
        loaded = next(line for line in p.stderr.splitlines() if line.startswith("LOADED"))
        return p.stdout, loaded

    first_out, first_loaded = run()
    second_out, second_loaded = run()
    if what != "a folder on two workers":
        assert first_loaded.endswith(" True")  # made: the model was needed (Lark, only to make the parser's tables)
    assert second_loaded == "LOADED False False" and second_out == first_out
    assert json.loads(second_out)["evaluation" if what == "a file scored" else "diagnostics"]


def test_a_changed_perfdsl_toml_makes_the_results_again(tree, capsys):
    """The project's settings are part of every entry's key: found once a run for a folder's
    files, and found again by the next run."""
    _, before = _check(capsys, str(tree))
    assert '"R038"' in before
    (tree / "perfdsl.toml").write_text('[lint]\nignore = ["R038"]\n', encoding="utf-8")
    _, after = _check(capsys, str(tree))
    assert '"R038"' not in after and after == _check(capsys, str(tree), "--no-cache")[1]


def test_the_digest_is_sha256_whichever_module_gives_it():
    """CPython's SHA-256 first, OpenSSL's once a MiB has been hashed: the same digests."""
    import hashlib

    from perfdsl.core import digest

    for data in [b"", b"abc", "评价".encode() * 10_000, b"x" * (2 << 20), b"abc"]:
        assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    assert digest._builtin_budget is None  # switched over
