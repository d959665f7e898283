"""`perfdsl fmt` as a user meets it: rewriting in place, --check, --diff, errors, the acceptance
scenario, and the pre-commit hooks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.conftest import EXAMPLES, ROOT, SEED_000

MESSY = '项目   "x"{年度 2023\n  实施单位 "某某单位"}\n\n\n\n资金 {\n全年预算数 5.00万元\n}\n'
TIDY = '项目 "x" {\n  年度 2023\n  实施单位 "某某单位"\n}\n\n资金 {\n  全年预算数 5.00万元\n}\n'


def run_process(*args, stdin=None):
    """The command in a process of its own, as a user or pre-commit runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    return p


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys, monkeypatch):
    """The command in this process (fast); same exit code and output as run_process."""
    from perfdsl.cli.main import main

    def run_in_process(*args, stdin=None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return run_in_process


def test_rewrites_in_place(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    p = run("fmt", f)
    assert p.returncode == 0, p.stderr
    assert f.read_text(encoding="utf-8") == TIDY
    assert str(f) in p.stderr


def test_a_formatted_file_is_not_written(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(TIDY, encoding="utf-8")
    os.utime(f, (1_000_000_000, 1_000_000_000))
    inode = f.stat().st_ino
    p = run("fmt", f)
    assert p.returncode == 0
    assert f.stat().st_mtime == 1_000_000_000 and f.stat().st_ino == inode


def test_folders_are_searched(tmp_path, run):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.perf").write_text(MESSY, encoding="utf-8")
    (tmp_path / "b.perf").write_text(TIDY, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(MESSY, encoding="utf-8")
    assert run("fmt", tmp_path).returncode == 0
    assert (tmp_path / "sub" / "a.perf").read_text(encoding="utf-8") == TIDY
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == MESSY


def test_check_exits_1_names_the_file_and_writes_nothing(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    p = run("fmt", "--check", f)
    assert p.returncode == 1
    assert str(f) in p.stdout
    assert f.read_text(encoding="utf-8") == MESSY
    f.write_text(TIDY, encoding="utf-8")
    p = run("fmt", "--check", f)
    assert p.returncode == 0 and p.stdout == ""


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    p = run("fmt", "--diff", f)
    assert p.returncode == 0
    assert f.read_text(encoding="utf-8") == MESSY
    assert p.stdout.startswith(f"--- a/{f}\n+++ b/{f}\n@@ ")
    assert '+项目 "x" {\n' in p.stdout and '-项目   "x"{年度 2023\n' in p.stdout
    # the diff applies: patch the file with it and the result is the formatted text
    if subprocess.run(["which", "patch"], capture_output=True).returncode == 0:
        subprocess.run(["patch", "-s", str(f)], input=p.stdout, text=True, check=True)
        assert f.read_text(encoding="utf-8") == TIDY


def test_check_and_diff_together(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    p = run("fmt", "--check", "--diff", f)
    assert p.returncode == 1 and "+项目" in p.stdout
    assert f.read_text(encoding="utf-8") == MESSY


def test_a_file_with_syntax_errors_is_left_untouched_and_its_errors_shown(tmp_path, run):
    bad = tmp_path / "bad.perf"
    broken = '项目 "x" {\n  年度   2023\n  实施单位 "某某单位\n}\n'
    bad.write_text(broken, encoding="utf-8")
    good = tmp_path / "good.perf"
    good.write_text(MESSY, encoding="utf-8")
    p = run("fmt", bad, good)
    assert p.returncode == 1
    assert bad.read_text(encoding="utf-8") == broken
    assert f"{bad}:3:8" in p.stderr and "P0104" in p.stderr
    assert good.read_text(encoding="utf-8") == TIDY  # the other files are still formatted


def test_missing_paths(tmp_path, run):
    assert run("fmt", tmp_path / "missing.perf").returncode == 2
    f = tmp_path / "a.perf"
    f.write_text(TIDY, encoding="utf-8")
    p = run("fmt", f, tmp_path / "missing.perf")
    assert p.returncode == 1 and "missing.perf" in p.stderr


def test_standard_input_to_standard_output(run):
    p = run("fmt", "-", stdin=MESSY)
    assert p.returncode == 0 and p.stdout == TIDY
    p = run("fmt", "--check", "-", stdin=MESSY)
    assert p.returncode == 1 and p.stdout == ""
    p = run("fmt", "-", stdin='项目 "x" {\n')
    assert p.returncode == 1 and p.stdout == '项目 "x" {\n' and "P0102" in p.stderr


def test_english_messages(tmp_path, run):
    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    p = run("fmt", "--check", "--lang", "en", f)
    assert f"would reformat {f}" in p.stdout


def test_the_repositorys_examples_pass_check(run):
    p = run("fmt", "--check", EXAMPLES)
    assert p.returncode == 0, p.stdout + p.stderr


def test_acceptance_a_reviewers_comment_and_trailing_blank_lines(tmp_path):
    """Prepend a reviewer's comment to seed 000 and append blank lines; fmt keeps the comment,
    the scores do not move, and a second fmt changes nothing."""
    original = SEED_000.read_text(encoding="utf-8")
    f = tmp_path / SEED_000.name
    f.write_text("# 审核意见：复核通过\n" + original + "\n\n\n", encoding="utf-8")
    before = run_process("score", f, "--format", "json")
    assert before.returncode == 0
    p = run_process("fmt", f)
    assert p.returncode == 0, p.stderr
    formatted = f.read_text(encoding="utf-8")
    assert formatted.startswith("# 审核意见：复核通过\n# 12345云呼叫中心")
    assert formatted.endswith('  """\n') and not formatted.endswith("\n\n")
    assert formatted == "# 审核意见：复核通过\n" + original  # the seed is itself formatted
    after = run_process("score", f, "--format", "json")
    assert after.stdout == before.stdout
    seed = json.loads(run_process("score", SEED_000, "--format", "json").stdout)
    mine = json.loads(after.stdout)
    seed.pop("file", None), mine.pop("file", None)
    assert mine == seed
    mtime = f.stat().st_mtime_ns
    second = run_process("fmt", f)
    assert second.returncode == 0 and f.stat().st_mtime_ns == mtime
    assert run_process("fmt", "--check", f).returncode == 0


def test_pre_commit_hooks():
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"perfdsl-check", "perfdsl-fmt"}
    assert hooks["perfdsl-check"]["entry"] == "perfdsl check"
    assert hooks["perfdsl-fmt"]["entry"] == "perfdsl fmt"
    import re

    for h in hooks.values():
        assert h["language"] == "python"
        assert re.search(h["files"], "projects/2023/hotline.perf")
        assert not re.search(h["files"], "notes.perf.md")


def test_an_internal_error_leaves_the_file_alone_and_says_so(tmp_path, monkeypatch, capsys):
    from perfdsl.cli.main import main
    from perfdsl.syntax import format as fmt

    f = tmp_path / "a.perf"
    f.write_text(MESSY, encoding="utf-8")
    run_once = fmt._Formatter.run
    monkeypatch.setattr(fmt._Formatter, "run", lambda self: run_once(self).replace("5.00万元", "5万元"))
    assert main(["fmt", str(f)]) == 1
    assert f.read_text(encoding="utf-8") == MESSY
    err = capsys.readouterr().err
    assert "P0110" in err and f"{f}:6:1:" in err  # located at the item that would change


def test_absurd_nesting_is_declined(tmp_path, run):
    f = tmp_path / "deep.perf"
    deep = "自评表 { " + "组 { " * 100 + "}" * 100 + " }\n"
    f.write_text(deep, encoding="utf-8")
    p = run("fmt", f)
    assert p.returncode == 1 and f.read_text(encoding="utf-8") == deep
    assert "嵌套过深" in p.stderr


def test_a_file_too_large_is_refused_without_reading_it(tmp_path, run):
    f = tmp_path / "big.perf"
    f.write_text("# " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    p = run("fmt", f)
    assert p.returncode == 1 and "P0004" in p.stderr


def test_a_folder_on_every_core_says_what_one_core_says(tmp_path):
    """Files spread over the workers are reported in the files' order, as on one core: the same
    output, the same exit code, the same files written."""
    for i in range(12):
        sub = tmp_path / f"d{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:02d}.perf").write_text(MESSY if i % 2 else TIDY, encoding="utf-8")
    (tmp_path / "d2" / "05.perf").write_text("项目 {\n", encoding="utf-8")  # a syntax error
    checks = [run_process("fmt", "--check", "--diff", tmp_path, "-j", j) for j in ("1", "2")]
    assert checks[0].returncode == checks[1].returncode == 1
    assert checks[0].stdout == checks[1].stdout and checks[0].stderr == checks[1].stderr
    assert checks[0].stdout.count("+++ b/") == 5 and "05.perf" in checks[0].stderr
    p = run_process("fmt", tmp_path, "-j", "2")
    assert p.returncode == 1  # the file with errors is left as it is
    written = sorted(f.name for f in tmp_path.rglob("*.perf") if f.read_text(encoding="utf-8") == TIDY)
    assert written == [f"{i:02d}.perf" for i in range(12) if i != 5]
