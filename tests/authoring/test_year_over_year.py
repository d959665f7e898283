"""Year over year: a file names last year's file (上年评价); the loader loads it once, through the
project's door, and the scorer compares (score/compare.py, a pure function)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfdsl.loader import load
from perfdsl.score.compare import compare

from .helpers import FIXTURES

BASELINE_CODES = ("P0306", "P0307", "P0308", "P0309")


class YearOverYear:
    """What a file's 同比 comes to: the comparison and the problems with last year's file."""

    def __init__(self, loaded):
        self.loaded = loaded
        self.comparison = loaded.scorecard.year_over_year if loaded.scorecard else None
        self.diagnostics = [d for d in loaded.diagnostics if d.code in BASELINE_CODES]


def year_over_year(loaded):
    return YearOverYear(loaded)


def between(this, last, label="last year"):
    return compare(this.evaluation, this.scorecard, last.evaluation, last.scorecard, label)


@pytest.fixture
def unit(tmp_path):
    root = tmp_path / "unit"
    shutil.copytree(FIXTURES / "years", root)
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    return root


def test_funds_totals_and_indicators(unit):
    result = year_over_year(load(str(unit / "2024" / "device.perf")))
    assert not result.diagnostics
    yoy = result.comparison
    assert (yoy.last_year, yoy.this_year, yoy.baseline_file) == (2023, 2024, "../2023/device.perf")
    funds = {c.key: c for c in yoy.funds}
    assert (funds["budget"].last, funds["budget"].this, funds["budget"].change, funds["budget"].rate) == (
        "18万元",
        "20万元",
        "+2",
        "+11.11",
    )
    assert (funds["spent"].change, funds["spent"].unit, funds["spent"].rate) == ("+3.1", "万元", "+18.79")
    rate = funds["execution_rate"]
    assert (rate.last, rate.this, rate.change, rate.unit, rate.rate) == ("91.67%", "98.00%", "+6.33", "个百分点", None)
    totals = {c.key: c for c in yoy.totals}
    assert (totals["self_evaluation.total"].last, totals["self_evaluation.total"].this) == ("95.34", "89.94")
    devices = yoy.indicator("产出", "数量", "采购设备数量")
    assert devices.status == "matched"
    assert (devices.actual.last, devices.actual.this, devices.actual.change, devices.actual.unit) == (
        "8台",
        "10台",
        "+2",
        "台",
    )
    assert (devices.target_last, devices.target_this) == ("≥8台", "≥12台")
    satisfaction = yoy.indicator("满意度", "服务对象满意度", "使用人员满意度")
    assert (satisfaction.actual.change, satisfaction.actual.unit, satisfaction.actual.rate) == (
        "+1.5",
        "个百分点",
        None,
    )
    statuses = {i.path[-1]: i.status for i in yoy.indicators}
    assert statuses["故障响应及时率"] == "new" and statuses["采购按期完成率"] == "dropped"


def test_amounts_in_yuan_and_wan_compare(unit):
    last = load(str(unit / "2023" / "device.perf"))
    this_text = (
        (unit / "2024" / "device.perf")
        .read_text(encoding="utf-8")
        .replace("全年执行数 19.6万元", "全年执行数 196000元", 1)
    )
    this = load(str(unit / "2024" / "x.perf"), this_text)
    spent = next(c for c in between(this, last).funds if c.key == "spent")
    assert (spent.last, spent.this, spent.change) == ("16.5万元", "196000元", "+3.1")


def test_an_indicator_moved_to_another_group_is_matched_by_name(unit):
    last = load(str(unit / "2023" / "device.perf"))
    text = (unit / "2024" / "device.perf").read_text(encoding="utf-8")
    moved = text.replace("      运行维护次数 ≥ 12次 实际 12次 分值 10\n", "").replace(
        "    质量 {\n", "    质量 {\n      运行维护次数 ≥ 12次 实际 12次 分值 10\n"
    )
    assert moved != text
    this = load(str(unit / "2024" / "x.perf"), moved)
    assert this.ok, [d.code for d in this.diagnostics]
    i = between(this, last).indicator("产出", "质量", "运行维护次数")
    assert i.status == "moved" and i.last_path == ("产出", "数量", "运行维护次数")
    assert (i.actual.last, i.actual.this) == ("11次", "12次")


def _with_baseline(unit, rel: str, year: int = 2024):
    text = (
        (unit / "2024" / "device.perf")
        .read_text(encoding="utf-8")
        .replace('上年评价 "../2023/device.perf"', f'上年评价 "{rel}"')
        .replace("年度 2024", f"年度 {year}")
    )
    f = unit / "2024" / "probe.perf"
    f.write_text(text, encoding="utf-8")
    return year_over_year(load(str(f)))


def test_baseline_problems_are_warnings_on_the_line(unit, tmp_path):
    outside = tmp_path / "elsewhere.perf"
    shutil.copyfile(unit / "2023" / "device.perf", outside)
    cases = {
        "../2023/missing.perf": "P0306",
        "../../elsewhere.perf": "P0307",
        "/etc/passwd": "P0307",
        "probe.perf": "P0308",
    }
    for rel, code in cases.items():
        result = _with_baseline(unit, rel)
        assert [d.code for d in result.diagnostics] == [code], rel
        assert all(d.severity.value == "warning" for d in result.diagnostics)
        line = next(
            i
            for i, t in enumerate((unit / "2024" / "probe.perf").read_text(encoding="utf-8").splitlines(), 1)
            if t.strip().startswith("上年评价")
        )
        assert result.diagnostics[0].span.line == line
        assert result.comparison is None
    (unit / "2023" / "broken.perf").write_text('项目 "x" {\n', encoding="utf-8")
    assert [d.code for d in _with_baseline(unit, "../2023/broken.perf").diagnostics] == ["P0308"]
    same_year = _with_baseline(unit, "../2023/device.perf", year=2023)
    assert [d.code for d in same_year.diagnostics] == ["P0309"] and same_year.comparison is not None


def test_no_baseline_no_comparison():
    from tests.conftest import SEED_000

    loaded = load(str(SEED_000))
    result = year_over_year(loaded)
    assert result.comparison is None and not result.diagnostics and loaded.baseline is None


def test_data_is_plain_json(unit):
    import json

    data = year_over_year(load(str(unit / "2024" / "device.perf"))).comparison.to_data()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_last_years_file_is_loaded_once_and_named_as_a_dependency(unit):
    this = load(str(unit / "2024" / "device.perf"))
    assert this.baseline is not None and this.baseline.evaluation.project.year == 2023
    assert this.baseline.baseline is None  # last year's own 上年评价 is not followed
    deps = this.dependencies()
    assert str((unit / "2023" / "device.perf").resolve()) in deps
    assert deps[0] == str((unit / "2024" / "device.perf").resolve())


def test_a_baseline_that_is_not_a_regular_file_is_refused(unit):
    import os

    fifo = unit / "2023" / "pipe.perf"
    os.mkfifo(fifo)
    result = _with_baseline(unit, "../2023/pipe.perf")
    assert [d.code for d in result.diagnostics] == ["P0308"] and result.comparison is None
    assert any(d.code == "P0005" for d in result.loaded.baseline.diagnostics)


def test_without_checks_the_baseline_is_not_read(unit):
    this = load(str(unit / "2024" / "device.perf"), with_checks=False)
    assert this.baseline is None and Path(this.dependencies()[0]).name == "device.perf"
