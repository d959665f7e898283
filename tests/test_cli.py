"""The command line as a user meets it: exit codes, JSON contracts, no tracebacks."""

import json
import os
import subprocess
import sys

from tests.conftest import EXAMPLES, ROOT, SEED_000, SEED_003


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    return p


def test_score_json_contract():
    p = run("score", SEED_000, "--format", "json")
    assert p.returncode == 0
    data = json.loads(p.stdout)
    assert data["format_version"] == 1
    assert data["self_evaluation"] is None
    ev = data["evaluation"]
    assert ev["total"] == "96.39" and ev["grade"] == "优"
    assert data["funds"]["execution_rate"] == "94.79" and data["funds"]["arrival_rate"] == "100.00"
    items = {tuple(i["path"]): i for i in ev["items"]}
    assert items[("过程",)]["score"] == "18.74"
    assert items[("产出", "数量", "发送短信")]["completion"] == "21.75"
    assert items[("产出", "数量", "发送短信")]["weight"] == "3"
    for item in ev["items"]:  # figures are strings, never floats
        assert not any(isinstance(v, float) for v in item.values())


def test_score_json_both_trees():
    data = json.loads(run("score", SEED_003, "--format", "json").stdout)
    assert data["self_evaluation"]["total"] == "93.91"
    assert data["self_evaluation"]["overall_completion"] == "93.67"
    assert data["evaluation"]["total"] == "98.00"


def test_check_json_contract_and_exit_codes(tmp_path):
    p = run("check", EXAMPLES, "--format", "json")
    assert p.returncode == 0  # warnings only
    data = json.loads(p.stdout)
    assert data["format_version"] == 1
    for d in data["diagnostics"]:
        assert {"code", "severity", "file", "line", "column", "message"} <= d.keys()
    assert run("check", EXAMPLES, "--strict").returncode == 1
    bad = tmp_path / "bad.perf"
    bad.write_text('项目 "x" {\n  年度 2023\n  实施单为 "a"\n}\n', encoding="utf-8")
    p = run("check", bad)
    assert p.returncode == 1
    assert f"{bad}:3:3" in p.stdout and "P0201" in p.stdout and "实施单位" in p.stdout
    assert run("check", tmp_path / "missing.perf").returncode == 2
    assert run("check").returncode == 2


def test_english_messages(tmp_path):
    bad = tmp_path / "bad.perf"
    bad.write_text('项目 "x" {\n  年度 2023\n  实施单为 "a"\n}\n', encoding="utf-8")
    assert "has no field" in run("check", bad, "--lang", "en").stdout


def test_explain_says_why_points_were_lost():
    p = run("explain", SEED_000)
    assert p.returncode == 0
    assert "发送短信" in p.stdout and "61.99万条/285万条" in p.stdout and "21.75%" in p.stdout
    assert "成本" in p.stdout and "9.00" in p.stdout


def test_score_refuses_a_file_with_errors(tmp_path):
    bad = tmp_path / "bad.perf"
    bad.write_text("自评表 { 产出 { 数量 { 甲 ≥ 5个 分值 5 } } }\n", encoding="utf-8")
    p = run("score", bad)
    assert p.returncode == 1 and "I0102" in p.stderr


def test_new_writes_the_starter_which_checks_and_names_the_report_sections_to_write(tmp_path):
    target = tmp_path / "x.perf"
    assert run("new", target).returncode == 0
    assert target.read_text(encoding="utf-8") == (EXAMPLES / "starter.perf").read_text(encoding="utf-8")
    p = run("check", target, "--format", "json")
    assert p.returncode == 0
    findings = json.loads(p.stdout)["diagnostics"]
    # The starter has every figure and no errors; its one finding lists the report's empty sections.
    assert [d["code"] for d in findings] == ["R038"]
    assert "“评价目的”一节" in findings[0]["message"] and "“主要经验及做法”一节" in findings[0]["message"]
    assert run("new", target).returncode == 1  # never overwrites without --force


def test_directory_arguments_find_every_file():
    # A folder is walked to any depth: the department example sits one level down.
    p = run("check", EXAMPLES)
    assert f"检查了 {len(list(EXAMPLES.rglob('*.perf')))} 个文件" in p.stderr


def test_build_several_files_in_parallel_and_skip_shared_fragments(tmp_path):
    src = tmp_path / "unit"
    (src / "common").mkdir(parents=True)
    (src / "perfdsl.toml").write_text("", encoding="utf-8")
    (src / "common" / "背景.perf").write_text('正文 "项目背景" """\n共用的背景说明。\n"""\n', encoding="utf-8")
    for name, seed in (("a.perf", SEED_000), ("b.perf", SEED_003)):
        (src / name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    p = run("build", src, "--to", "docx", "-o", out, "-j", "2")
    assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in out.iterdir()) == ["a.docx", "b.docx"]
    assert "背景.perf: 没有「项目」块，是供其他文件引用的片段" in p.stderr  # said, not silently skipped


def test_building_a_fragment_says_why_nothing_is_written_and_fails_on_its_errors(tmp_path):
    fragment = tmp_path / "片段.perf"
    fragment.write_text('正文 "项目背景" """\n共用的背景说明。\n"""\n', encoding="utf-8")
    p = run("build", fragment, "-o", tmp_path / "out", "--lang", "en")
    assert p.returncode == 0 and "no 项目 block: a fragment for other files to include" in p.stderr
    assert not (tmp_path / "out").exists()
    fragment.write_text("自评表 { 产出 { 数量 { 甲 ≥ 5个 分值 5 } } }\n", encoding="utf-8")
    p = run("build", fragment, "-o", tmp_path / "out")
    assert p.returncode == 1 and "有 2 个错误，见 perfdsl check" in p.stderr


def test_a_command_builds_only_its_own_parser_and_the_listing_is_unchanged():
    """`perfdsl check` builds check alone (with the commands its module registers beside it),
    its help as with every parser built; the top-level help and a misspelt command's message
    list every command as before."""
    import argparse

    from perfdsl.cli.commands import COMMANDS
    from perfdsl.cli.main import build_parser

    def subparsers_of(parser):
        return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices

    full = build_parser()
    assert list(subparsers_of(full)) == [command.name for command in COMMANDS]
    for command in COMMANDS:
        lean = subparsers_of(build_parser([command.name, "x"]))
        siblings = {c.name for c in COMMANDS if c.module == command.module}
        assert set(lean) == siblings
        assert lean[command.name].format_help() == subparsers_of(full)[command.name].format_help()
        assert all(p.get_default("handler") is not None for p in lean.values())
    for listing in (["--help"], ["chek", "x"], []):
        assert subparsers_of(build_parser(listing)).keys() == subparsers_of(full).keys()
    p = run("chek", "x.perf")
    assert p.returncode == 2 and "invalid choice: 'chek'" in p.stderr and "'check'" in p.stderr
    assert run("--help").stdout == full.format_help()


def test_a_diagnostic_shows_its_own_line_after_a_line_separator_in_a_text(tmp_path):
    # A text pasted from Word may hold U+2028 or a form feed: they end no line of the file, so
    # a later diagnostic still shows the line it is on.
    f = tmp_path / "a.perf"
    f.write_text(
        '项目 "甲" {\n  年度 2023\n}\n正文 "项目背景" """一\u2028二\x0c三"""\n项目 "乙" {\n}\n', encoding="utf-8"
    )
    p = run("check", f, "--no-cache")
    assert ":5:1: 错误[P0202]" in p.stdout
    assert '    5 | 项目 "乙" {' in p.stdout


def _folder_of_examples(tmp_path, bad: bool = False):
    import shutil

    folder = tmp_path / "folder"
    (folder / "b").mkdir(parents=True)
    shutil.copy(EXAMPLES / "starter.perf", folder / "a.perf")
    shutil.copy(EXAMPLES / "12345-hotline-2023.perf", folder / "b" / "c.perf")
    if bad:
        (folder / "b" / "b.perf").write_text(
            '项目 "坏" {\n  年度 2023\n}\n自评表 { 产出 { 数量 { 甲 ≥ 5个 分值 5 } } }\n', encoding="utf-8"
        )
    return folder


def test_score_of_a_folder_gives_each_files_figures_in_order(tmp_path):
    folder = _folder_of_examples(tmp_path)
    files = [folder / "a.perf", folder / "b" / "c.perf"]
    alone = [json.loads(run("score", f, "--format", "json").stdout) for f in files]
    for jobs in ("1", "2"):
        p = run("score", folder, "--format", "json", "--no-cache", "-j", jobs)
        assert p.returncode == 0, p.stderr
        data = json.loads(p.stdout)
        assert data["format_version"] == 1 and data["scores"] == alone
    text = run("score", folder, "--no-cache").stdout
    assert text.index(f"== {files[0]}") < text.index("某某项目") < text.index(f"== {files[1]}")
    assert "12345云呼叫中心平台技术服务运维费" in text.split(f"== {files[1]}")[1]


def test_score_of_a_folder_names_a_file_it_cannot_score_and_scores_the_others(tmp_path):
    folder = _folder_of_examples(tmp_path, bad=True)
    p = run("score", folder, "--format", "json", "--no-cache")
    assert p.returncode == 1
    assert "b.perf" in p.stderr and "I0102" in p.stderr
    assert [s["file"] for s in json.loads(p.stdout)["scores"]] == [str(folder / "a.perf"), str(folder / "b" / "c.perf")]


def test_score_of_a_folder_from_the_cache_is_the_same_and_sees_an_edit(tmp_path):
    folder = _folder_of_examples(tmp_path)
    cache = tmp_path / "cache"
    fresh = run("score", folder, "--format", "json", "--no-cache").stdout
    assert run("score", folder, "--format", "json", "--cache-dir", cache).stdout == fresh
    assert any(cache.rglob("*.json"))
    assert run("score", folder, "--format", "json", "--cache-dir", cache).stdout == fresh  # answered from it
    starter = folder / "a.perf"
    starter.write_text(
        starter.read_text(encoding="utf-8").replace('项目 "某某项目"', '项目 "改名项目"'), encoding="utf-8"
    )
    edited = json.loads(run("score", folder, "--format", "json", "--cache-dir", cache).stdout)
    assert edited["scores"][0]["project"]["name"] == "改名项目"


def test_build_of_a_folder_on_every_core_says_and_writes_what_one_core_does(tmp_path):
    folder = _folder_of_examples(tmp_path, bad=True)
    runs = [run("build", folder, "--to", "md,xlsx", "-o", tmp_path / f"out{j}", "-j", j) for j in ("1", "2")]
    assert runs[0].returncode == runs[1].returncode == 1  # the file with errors: nothing written for it
    assert runs[0].stderr == runs[1].stderr and "I0102" in runs[0].stderr
    assert runs[0].stdout.replace("out1", "out2") == runs[1].stdout
    written = [sorted(p.relative_to(tmp_path / f"out{j}") for p in (tmp_path / f"out{j}").rglob("*.*")) for j in "12"]
    assert written[0] == written[1] and len(written[0]) == 4
    for rel in written[0]:
        if rel.suffix == ".md":
            assert (tmp_path / "out1" / rel).read_bytes() == (tmp_path / "out2" / rel).read_bytes()


def test_a_plain_file_is_checked_without_the_code_it_does_not_need(tmp_path):
    """A new file's check loads what every file needs, not what only some do: a file without
    the stages of the year or last year's file loads none of their code, nor OpenSSL (a few
    milliseconds each, at every save in an editor)."""
    import shutil

    shutil.copy(EXAMPLES / "starter.perf", tmp_path / "starter.perf")
    probe = (
        "import sys\n"
        "from perfdsl.cli.main import main\n"
        "main(sys.argv[1:])\n"
        "unneeded = ('hashlib', 'perfdsl.model.lifecycle', 'perfdsl.check.lifecycle',\n"
        "            'perfdsl.model.resolve_lifecycle', 'perfdsl.score.monitor', 'perfdsl.score.compare')\n"
        "print('LOADED', [m for m in unneeded if m in sys.modules], file=sys.stderr)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def loaded(path) -> str:
        p = subprocess.run(
            [sys.executable, "-c", probe, "check", "--no-cache", str(path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )
        return next(line for line in p.stderr.splitlines() if line.startswith("LOADED"))

    assert loaded(tmp_path / "starter.perf") == "LOADED []"
    with_stages = loaded(EXAMPLES / "lifecycle-elderly-care-2024.perf")
    assert "'perfdsl.model.lifecycle'" in with_stages and "'perfdsl.check.lifecycle'" in with_stages
