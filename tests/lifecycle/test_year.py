"""The year in one file, end to end: the language's stages as the model reads them, the monitoring
figures (score --format json, explain), `new --stage 申报`, diff, serve, the editor — and the
files that record no year read exactly as before."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from perfdsl.authoring.diff import diff, format_text, textconv
from perfdsl.authoring.preview import lifecycle_html
from perfdsl.loader import load
from perfdsl.lsp.analysis import analyze
from perfdsl.lsp.completion import complete
from perfdsl.lsp.hover import hover
from perfdsl.lsp.positions import LineIndex
from perfdsl.score.explain import explain
from perfdsl.score.export import scorecard_data
from tests.conftest import EXAMPLES, SEED_000, SEED_003

LIFECYCLE = EXAMPLES / "lifecycle-elderly-care-2024.perf"
TEXT = LIFECYCLE.read_text(encoding="utf-8")


def _cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


# ---------------------------------------------------------------- the model
def test_the_tree_as_filed_and_as_it_stands():
    ev = load(str(LIFECYCLE)).evaluation
    lc = ev.lifecycle
    assert [m.month for m in lc.monitoring] == [6, 9] and lc.evaluated
    path = ("效益", "社会效益", "老年人助餐覆盖社区数")
    filed = next(n for n in lc.filing.tree.leaves() if n.path == path)
    now = next(n for n in ev.self_evaluation.leaves() if n.path == path)
    assert (filed.target.text, now.target.text) == ("12个", "10个")
    assert lc.adjustments[path].approval.startswith("区财绩〔2024〕15号")
    # the self-evaluation takes what was filed unless it restates it
    assert ev.funds.initial_budget.text == "80万元"
    assert ev.goals.overall.startswith("2024年在12个社区")
    june = lc.point(6).items[("产出", "数量", "助餐服务人次")]
    assert (june.to_date.text, june.forecast.text, june.possibility) == ("15800人次", "34000人次", "有可能")
    assert [(c.column, c.text[:6]) for c in june.causes] == [("人员保障", "二季度两名厨")]


def test_files_without_stages_are_read_as_before():
    for path in (SEED_000, SEED_003, EXAMPLES / "starter.perf"):
        loaded = load(str(path))
        assert loaded.evaluation.lifecycle is None
        assert loaded.scorecard.monitoring == []
        data = scorecard_data(loaded.evaluation, loaded.scorecard)
        assert "monitor" not in data
        assert "运行监控" not in explain(loaded.evaluation, loaded.scorecard)


# ---------------------------------------------------------------- the monitoring figures
def test_score_json_monitor():
    r = _cli("score", str(LIFECYCLE), "--format", "json")
    monitor = json.loads(r.stdout)["monitor"]
    assert monitor["as_of_month"] == 9
    assert (monitor["budget"], monitor["spent_to_date"], monitor["forecast_spent"]) == ("80万元", "58万元", "78万元")
    assert (monitor["execution_rate"], monitor["time_progress"], monitor["lag"]) == ("72.50", "75.00", "2.50")
    item = monitor["items"][0]
    assert item["path"] == ["产出", "数量", "助餐服务人次"] and item["target"] == "≥36000人次"
    assert (item["actual_to_date"], item["forecast"], item["possibility"]) == ("26900人次", "36200人次", "确定能")
    assert {i["possibility"] for i in monitor["items"]} <= {"确定能", "有可能", "完全不可能"}


def _point(month: int, budget: Decimal, spent: Decimal) -> str:
    return f"""申报 {{
  年度资金总额 {budget}万元
}}

监控 {month}月 {{
  执行数 {spent}万元
  全年预计执行数 {budget}万元
}}

绩效指标 {{
  产出 {{
    数量 {{
      运维次数 ≥ 12次 分值 100
        监控 {month}月 已完成 1次 预计完成 12次 可能性 确定能
    }}
  }}
}}
"""


@settings(max_examples=40, deadline=None)
@given(
    month=st.integers(1, 12),
    budget=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2),
    share=st.decimals(min_value=Decimal(0), max_value=Decimal("1.2"), places=4),
)
def test_monitoring_figures_are_the_exact_ratios_rounded_once(month, budget, share):
    spent = (budget * share).quantize(Decimal("0.01"))
    loaded = load("p.perf", _point(month, budget, spent))
    m = scorecard_data(loaded.evaluation, loaded.scorecard)["monitor"]
    q = Decimal("0.01")
    rate = (spent / budget * 100).quantize(q, ROUND_HALF_UP)
    time = (Decimal(month) / 12 * 100).quantize(q, ROUND_HALF_UP)
    assert (m["as_of_month"], Decimal(m["execution_rate"]), Decimal(m["time_progress"])) == (month, rate, time)
    assert Decimal(m["lag"]) == time - rate
    lagging = any(d.code == "L0201" for d in loaded.diagnostics)
    assert lagging == (time - rate > 10)


def test_explain_shows_how_each_monitoring_figure_was_made():
    r = _cli("explain", str(LIFECYCLE))
    assert "运行监控（截至9月" in r.stdout
    assert "1至9月执行率 = 1至9月执行数/年度资金总额 = （58/80）×100% = 72.50%" in r.stdout
    assert "时间进度 = 9/12 = 75.00%" in r.stdout
    assert "执行进度落后时间进度 2.50 个百分点" in r.stdout


# ---------------------------------------------------------------- perfdsl new --stage 申报
def test_new_starts_the_year_at_the_filing(tmp_path):
    r = _cli("new", "2025.perf", "--stage", "申报", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "2025.perf").read_text(encoding="utf-8")
    assert "申报 {" in text and "绩效指标 {" in text and "资金 {" not in text
    checked = _cli("check", "2025.perf", "--strict", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _cli("build", "2025.perf", "--form", "申报表", "--to", "xlsx", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0 and (tmp_path / "out" / "2025-申报表.xlsx").is_file()
    assert _cli("build", "2025.perf", "--form", "预算表", cwd=tmp_path).returncode == 2


# ---------------------------------------------------------------- diff, serve
def test_diff_names_a_filed_target_changed_in_place(tmp_path):
    old = tmp_path / "old.perf"
    new = tmp_path / "new.perf"
    old.write_text(TEXT, encoding="utf-8")
    edited = re.sub(r"(助餐服务人次 +)≥ 36000人次", r"\1≥ 30000人次", TEXT)
    edited = edited.replace("监控 9月 已完成 930人", "监控 9月 已完成 950人")
    new.write_text(edited, encoding="utf-8")
    d = diff(load(str(old)), load(str(new)))
    text = format_text(d)
    assert "申报的指标值 ≥36000人次 → ≥30000人次，改的是申报值本身" in text
    assert "监控9月/产出/数量/上门探访老人数.已完成 930人 → 950人" in text
    assert d.to_data()["filed_changed"][0]["path"] == ["产出", "数量", "助餐服务人次"]
    lines = textconv(load(str(old)))
    assert "监控9月.执行率 = 72.50%" in lines and "调整/效益/社会效益/老年人助餐覆盖社区数.指标值 = ≥10个" in lines


def test_an_approved_adjustment_is_not_an_edit_in_place(tmp_path):
    old = tmp_path / "old.perf"
    new = tmp_path / "new.perf"
    before = TEXT.replace("        调整 ≥ 10个\n", "").replace(
        TEXT[TEXT.index("        批复") : TEXT.index("\n", TEXT.index("        批复")) + 1], ""
    )
    old.write_text(before, encoding="utf-8")
    new.write_text(TEXT, encoding="utf-8")
    d = diff(load(str(old)), load(str(new)))
    assert not d.filed and any(c.key.startswith("调整/") for c in d.stages)


def test_serve_shows_the_stages_of_the_year():
    loaded = load(str(LIFECYCLE))
    strip = lifecycle_html(loaded.evaluation, loaded.scorecard)
    assert "申报 2024年01月12日" in strip and "监控 9月：执行率 72.50%，时间进度 75.00%" in strip
    assert '<span class="current">自评</span>' in strip
    assert lifecycle_html(load(str(SEED_003)).evaluation, load(str(SEED_003)).scorecard) == ""


# ---------------------------------------------------------------- the editor
def _at(text: str, marker: str) -> types.Position:
    m = re.search(marker, text)
    assert m, marker
    return LineIndex(text).position(m.end())


def test_lsp_completes_stage_fields():
    analysis = analyze(LIFECYCLE.resolve().as_uri(), TEXT, 1)

    def labels(text: str, marker: str) -> list[str]:
        result = complete(text, _at(text, marker), analysis, analysis, path=str(LIFECYCLE))
        return [i.label for i in result.items]

    after_possibility = TEXT.replace("预计完成 36200人次 可能性 确定能", "预计完成 36200人次 可能性 ", 1)
    assert labels(after_possibility, "预计完成 36200人次 可能性 ")[:3] == ["确定能", "有可能", "完全不可能"]
    after_adjust = TEXT.replace("        调整 ≥ 10个\n", "        调整 ", 1)
    words = labels(after_adjust, "        调整 ")
    assert {"≥", "取消", "新增", "分值"} <= set(words)
    beside = TEXT.replace("预计完成 1240人 可能性 确定能", "预计完成 1240人 可能性 确定能 ", 1)
    words = labels(beside, "预计完成 1240人 可能性 确定能 ")
    assert {"人员保障", "纠偏措施", "备注", "监控", "调整"} <= set(words)
    top = TEXT.replace("监控 9月 {", "监", 1)
    assert "监控" in labels(top, "\n监")  # a monitoring point more (申报 is there already: once only)
    assert {"申报", "监控"} <= set(labels('项目 "x" {\n  年度 2025\n}\n\n申', "\n申"))
    unit = TEXT.replace("监控 9月 已完成 26900人次", "监控 9月 已完成 26900", 1)
    assert labels(unit, "监控 9月 已完成 26900")[0] == "人次"


def test_lsp_hovers_stage_fields():
    analysis = analyze(LIFECYCLE.resolve().as_uri(), TEXT, 1)

    def value(marker: str) -> str:
        m = re.search(marker, TEXT)
        h = hover(TEXT, LineIndex(TEXT).position(m.start() + 1), analysis, analysis)
        return h.contents.value if h else ""

    v = value(r"监控 6月 \{")
    assert "1至6月执行率" in v and "35.00%" in v and "落后时间进度 **15.00**" in v
    v = value(r"老年人助餐覆盖社区数 +≥")
    assert "申报 ≥12个 → 调整为 ≥10个" in v and "监控 6月" in v and "完全不可能" in v
    v = value(r"申报 \{")
    assert "年度资金总额 80万元" in v and "申报后调整 1 项，已批复 1 项" in v
    assert "确定能 / 有可能 / 完全不可能" in value(r"可能性 确定能")
