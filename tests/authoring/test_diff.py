"""`perfdsl diff`: the semantic diff of two files, of git revisions, and the textconv driver."""

from __future__ import annotations

import json
import re
import shutil

from perfdsl.authoring.diff import diff, format_text, textconv
from perfdsl.loader import load

from .helpers import FIXTURES, git, init_repo, perfdsl, seed_text, with_actual

PAIR = FIXTURES / "diff"


# ---------------------------------------------------------------- two files, golden


def test_diff_text_golden(file_regression):
    p = perfdsl("diff", "old.perf", "new.perf", cwd=PAIR)
    assert p.returncode == 0, p.stderr
    file_regression.check(p.stdout, extension=".txt")


def test_diff_json_golden(data_regression):
    p = perfdsl("diff", "old.perf", "new.perf", "--format", "json", cwd=PAIR)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["format_version"] == 1
    data_regression.check(data)


def test_diff_pair_names_each_kind_of_change():
    d = diff(load(str(PAIR / "old.perf")), load(str(PAIR / "new.perf")), "old", "new")
    tree = d.trees[0]
    figures = {m.key: m for m in tree.figures}
    assert (figures["total"].old, figures["total"].new, figures["total"].change) == ("95.77", "89.94", "-5.83")
    assert (figures["grade"].old, figures["grade"].new) == ("优", "良")
    nodes = {n.path: n for n in tree.nodes}
    assert nodes[("产出", "时效", "故障响应及时率")].status == "added"
    assert nodes[("产出", "时效", "采购按期完成率")].status == "removed"
    target = nodes[("产出", "数量", "采购设备数量")].inputs[0]
    assert (target.label, target.old, target.new) == ("目标", "≥10台", "≥12台")
    weight = nodes[("产出", "质量", "设备验收合格率")].inputs[0]
    assert (weight.label, weight.old, weight.new) == ("分值", "10", "5")
    judged = nodes[("效益", "社会效益", "业务保障能力")].inputs
    assert [(c.label, c.old, c.new) for c in judged][:2] == [
        ("得分", "27", "24"),
        ("依据", judged[1].old, judged[1].new),
    ]
    subtotals = {m.label: m for m in tree.subtotals}
    assert subtotals["二级 产出/时效"].causes == ["新增 故障响应及时率", "删除 采购按期完成率"]
    assert subtotals["一级 效益"].causes == ["业务保障能力 得分 27 → 24"]
    rates = {m.key: m for m in d.rates}
    assert rates["execution_rate"].causes == ["全年执行数 19.2万元 → 19.6万元"]
    sections = {s.name: s.status for s in d.sections}
    assert sections == {"有关建议": "changed", "主要经验及做法": "added"}  # 项目背景: only re-wrapped


def test_diff_seed_names_the_cause_of_the_total():
    """The acceptance example: 发送短信 61.99万条 → 80万条 moves the total 96.39 → 96.58."""
    old = load("old.perf", seed_text())
    new = load("new.perf", with_actual(seed_text(), "80"))
    text = format_text(diff(old, new))
    assert "总分 96.39 → 96.58 (+0.19)：发送短信 实际 61.99万条 → 80万条" in text
    assert "一级 产出 26.65 → 26.84 (+0.19)：发送短信 实际 61.99万条 → 80万条" in text
    assert "二级 产出/数量 12.65 → 12.84 (+0.19)" in text
    assert "完成率 21.75% → 28.07%" in text


def test_diff_cli_exit_codes(tmp_path):
    a, b = tmp_path / "a.perf", tmp_path / "b.perf"
    a.write_text(seed_text(), encoding="utf-8")
    b.write_text(with_actual(seed_text(), "80"), encoding="utf-8")
    p = perfdsl("diff", a, b)
    assert p.returncode == 0 and "96.58" in p.stdout and "发送短信" in p.stdout
    same = perfdsl("diff", a, a)
    assert same.returncode == 0 and "没有变化" in same.stdout
    bad = tmp_path / "bad.perf"
    bad.write_text(seed_text().replace("年度 2023", '年度 2023\n  实施单为 "x"', 1), encoding="utf-8")
    p = perfdsl("diff", a, bad)
    assert p.returncode == 1
    assert f"{bad}:" in p.stderr and "P0201" in p.stderr
    assert perfdsl("diff").returncode == 2
    assert perfdsl("diff", tmp_path / "nope.perf", a, cwd=tmp_path).returncode == 2


def test_diff_ignores_layout_and_comments():
    text = seed_text()
    assert text.startswith("#")
    moved = text.split("\n", 1)[1].replace("\n正文 ", "\n\n# 另起一段\n正文 ")
    d = diff(load("a.perf", text), load("b.perf", moved))
    assert not d.changed, format_text(d)


def test_evaluators_subtotal_hides_changes_below_it():
    """成本 carries the evaluators' own 9.00: a changed cost actual moves no total."""
    text = seed_text()
    changed = re.sub(r"(光纤费成本\s+≤\s*5万元\s+实际\s+)2\.54万元", r"\g<1>6万元", text)
    assert changed != text
    d = diff(load("a.perf", text), load("b.perf", changed))
    tree = d.trees[0]
    assert [m.key for m in tree.figures] == ["overall_completion", "full_marks_count"]
    assert not tree.subtotals  # 成本 stays 9.00, 产出 stays 26.65
    leaf = next(n for n in tree.nodes if n.path[-1] == "光纤费成本")
    assert [c.text() for c in leaf.inputs] == ["实际 2.54万元 → 6万元"]


# ---------------------------------------------------------------- across years


def test_diff_across_years_golden(data_regression):
    years = FIXTURES / "years"
    p = perfdsl("diff", "2023/device.perf", "2024/device.perf", "--format", "json", cwd=years)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)["files"][0]
    yoy = data["year_over_year"]
    assert (yoy["last_year"], yoy["this_year"]) == (2023, 2024)
    data_regression.check(yoy)


def test_diff_across_years_text():
    years = FIXTURES / "years"
    p = perfdsl("diff", "2023/device.perf", "2024/device.perf", cwd=years)
    assert p.returncode == 0, p.stderr
    assert "跨年度比较：2023年度 → 2024年度" in p.stdout
    assert "全年执行数 16.5万元 → 19.6万元 (+3.1万元，+18.79%)" in p.stdout
    assert "~ 产出/数量/采购设备数量：实际 8台 → 10台 (+2台，+25.00%)" in p.stdout


def test_diff_json_carries_the_baseline_comparison(tmp_path):
    """A same-year edit of a file that names last year's file: 同比 figures in the JSON."""
    root = tmp_path / "unit"
    shutil.copytree(FIXTURES / "years", root)
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    this_year = root / "2024" / "device.perf"
    edited = tmp_path / "unit" / "2024" / "device-edited.perf"
    edited.write_text(this_year.read_text(encoding="utf-8").replace("实际 12次", "实际 13次"), encoding="utf-8")
    p = perfdsl("diff", this_year, edited, "--format", "json")
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)["files"][0]
    yoy = data["year_over_year"]
    assert yoy["baseline_file"] == "../2023/device.perf"
    maint = next(i for i in yoy["indicators"] if i["path"][-1] == "运行维护次数")
    assert maint["actual"]["last"] == "11次" and maint["actual"]["this"] == "13次" and maint["actual"]["change"] == "+2"


# ---------------------------------------------------------------- textconv


def test_textconv_is_canonical():
    text = seed_text()
    a = textconv(load("a.perf", text))
    # Comments, blank lines and the order of an indicator's attributes do not show.
    reordered = re.sub(r"(发送短信\s+≥\s*285万条\s+)(实际\s+61\.99万条)(\s+)(权重\s+3)", r"\1\4\3\2", text)
    assert reordered != text
    b = textconv(load("a.perf", "# 另一条注释\n\n" + reordered.split("\n", 1)[1]))
    assert a == b
    lines = a.splitlines()
    assert "评价指标体系.总分 = 96.39" in lines
    assert "评价指标体系/产出/数量/发送短信.实际 = 61.99万条" in lines
    changed = textconv(load("a.perf", with_actual(text, "80"))).splitlines()
    removed = sorted(set(lines) - set(changed))
    added = sorted(set(changed) - set(lines))
    assert "评价指标体系.总分 = 96.58" in added and "评价指标体系.总分 = 96.39" in removed
    assert "评价指标体系/产出/数量/发送短信.实际 = 80万条" in added
    assert len(added) == len(removed) <= 8


def test_textconv_cli_on_a_broken_file_shows_the_source(tmp_path):
    good = tmp_path / "good.perf"
    good.write_text(seed_text(), encoding="utf-8")
    p = perfdsl("diff", "--textconv", good)
    assert p.returncode == 0 and "评价指标体系.总分 = 96.39" in p.stdout
    bad = tmp_path / "bad.perf"
    bad.write_text('项目 "x" {\n  年度 2023\n', encoding="utf-8")
    p = perfdsl("diff", "--textconv", bad)
    assert p.returncode == 0
    assert p.stdout.startswith("# perfdsl:") and '项目 "x" {' in p.stdout


def test_git_uses_the_textconv_driver(tmp_path):
    repo = init_repo(tmp_path / "repo")
    f = repo / "hotline.perf"
    text = seed_text()
    start, end = text.index('正文 "项目背景"'), text.index('正文 "主要内容"')
    (repo / "background.perf").write_text(text[start:end], encoding="utf-8")
    f.write_text(text[:start] + '引用 "background.perf"\n\n' + text[end:], encoding="utf-8")
    (repo / ".gitattributes").write_text("*.perf diff=perf\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "seed", cwd=repo)
    import sys

    from tests.conftest import ROOT

    driver = f"env PYTHONPATH={ROOT} {sys.executable} -m perfdsl.cli.main diff --textconv"
    git("config", "diff.perf.textconv", driver, cwd=repo)
    f.write_text(with_actual(f.read_text(encoding="utf-8"), "80"), encoding="utf-8")
    out = git("diff", cwd=repo)
    assert "-评价指标体系.总分 = 96.39" in out and "+评价指标体系.总分 = 96.58" in out
    assert "+评价指标体系/产出/数量/发送短信.实际 = 80万条" in out
    assert " 引用 = background.perf" in out or "引用 = background.perf" not in out
    changed = [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) <= 16, out  # the figures that moved, not the whole file


# ---------------------------------------------------------------- git revisions


def test_diff_against_a_revision(tmp_path):
    repo = init_repo(tmp_path / "repo")
    (repo / "2023").mkdir()
    (repo / "common").mkdir()
    f = repo / "2023" / "hotline.perf"
    # The narrative 项目背景 lives in a shared include.
    text = seed_text()
    start = text.index('正文 "项目背景"')
    end = text.index('正文 "主要内容"')
    (repo / "common" / "background.perf").write_text(text[start:end], encoding="utf-8")
    f.write_text(text[:start] + '引用 "../common/background.perf"\n\n' + text[end:], encoding="utf-8")
    other = repo / "2023" / "untouched.perf"
    other.write_text(seed_text(), encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "2023", cwd=repo)
    assert load(str(f)).ok

    f.write_text(with_actual(f.read_text(encoding="utf-8"), "80"), encoding="utf-8")
    background = repo / "common" / "background.perf"
    background.write_text(background.read_text(encoding="utf-8").replace("精神", "精神和要求"), encoding="utf-8")

    p = perfdsl("diff", "HEAD", "--", "2023/hotline.perf", cwd=repo)
    assert p.returncode == 0, p.stderr
    assert "HEAD:2023/hotline.perf → 2023/hotline.perf" in p.stdout
    assert "总分 96.39 → 96.58 (+0.19)：发送短信 实际 61.99万条 → 80万条" in p.stdout
    # The old side read the include as of HEAD: the changed background shows as a change.
    assert "~ 项目背景" in p.stdout

    # No file named: every changed .perf file (the include is a fragment: it has no 项目 block
    # and is reported through its includer); an added file and a removed one.
    other.unlink()
    (repo / "2023" / "new.perf").write_text(seed_text(), encoding="utf-8")
    p = perfdsl("diff", "HEAD", "--format", "json", cwd=repo)
    files = {d["new"] if d["status"] != "removed" else d["old"]: d for d in json.loads(p.stdout)["files"]}
    assert files["2023/hotline.perf"]["status"] == "changed"
    assert files["2023/new.perf"]["status"] == "added"
    assert files["HEAD:2023/untouched.perf"]["status"] == "removed"
    assert p.returncode == 1  # common/background.perf, a fragment, cannot be compared on its own
    assert "common/background.perf" in p.stderr

    p = perfdsl("diff", "HEAD", "2023/hotline.perf", cwd=repo)  # the `--` is optional
    assert p.returncode == 0 and "96.58" in p.stdout
    p = perfdsl("diff", "hotline.perf", cwd=repo / "2023")  # one file alone: against HEAD
    assert p.returncode == 0 and "HEAD:2023/hotline.perf → hotline.perf" in p.stdout and "96.58" in p.stdout
    p = perfdsl("diff", "no-such-rev", cwd=repo)
    assert p.returncode == 2
