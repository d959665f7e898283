"""perfdsl import: tables as people fill them become .perf files that check and score.

Small workbooks and Word tables are made here with openpyxl and the OOXML itself, one quirk of
the forms at a time; the examples round-trip through their own XLSX."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdsl.cli.main import main
from perfdsl.importers import ImportFailure, ImportOptions, import_file
from perfdsl.importers.values import actual, amount, target
from perfdsl.loader import load
from perfdsl.render.xlsx import write_xlsx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _book(rows, merges=(), title="自评表") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for m in merges:
        ws.merge_cells(m)
    return wb


def _save(wb, tmp_path: Path, name="t.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


CENTRAL = [
    ["附件2"],
    ["项目支出绩效自评表"],
    ["（ 2023 年度）"],
    ["项目名称", "测试项目 "],
    ["主管部门", "某局", None, "实施单位", "某中心"],
    ["项目资金\n（万元）", None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
    [None, "年度资金总额", "10.00", 10, "9.5", 10, "95.00%", 9.5],
    [None, "其中：当年财政拨款", 10, 10, 9.5, "—", "—", "—"],
    [
        "绩效\n指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [None, "产出指标", "数量指标", "采购设备\n数量", "≥10台", "10台", 40, 40, "—"],
    [None, None, "成本指标", "单台成本", "不超过1万元", "０.９万元", 40, "40", None],
    [None, "满意度指标", "满意度指标", "用户满意度", ">=95%", "９８.５％", 10, 10, "达到预期。"],
    ["总分", None, None, None, None, None, "100", "99.50分"],
    ["填报人：张三", None, None, None, None, "填报日期：2024年3月1日"],
    ["注：偏差原因分析及改进措施，未达到年度指标值的须填写。"],
]
CENTRAL_MERGES = ["A6:A8", "A9:A12", "B10:B11"]


def test_central_layout_with_its_quirks(tmp_path):
    path = _save(_book(CENTRAL, CENTRAL_MERGES), tmp_path)
    [imported] = import_file(path)
    assert imported.unplaced == []
    text = imported.text
    assert '项目 "测试项目"' in text and "年度 2023" in text
    assert '填报人 "张三"' in text and "填报时间 2024-03-01" in text
    assert "采购设备数量 ≥ 10台 实际 10台" in text  # the line break inside the cell removed
    assert "实际 0.9万元" in text and "实际 98.5%" in text  # full-width digits
    assert "陈述总分 99.50" in text
    loaded = load(str(tmp_path / "t.perf"), text, lint=False)
    assert loaded.ok, [d.code for d in loaded.diagnostics]
    card = loaded.scorecard
    assert card.self_evaluation.total == Decimal("99.50")
    assert not [d for d in loaded.diagnostics if d.code.startswith("A")]


def test_a_printed_figure_that_disagrees_is_reported(tmp_path):
    rows = [list(r) for r in CENTRAL]
    rows[9][7] = 35  # the 采购设备数量 row printed 35 where the data give 40
    rows[12][7] = "94.50"
    rows.append(["自评等级", None, None, None, None, None, "良"])
    [imported] = import_file(_save(_book(rows, CENTRAL_MERGES), tmp_path))
    codes = {d.code: d.message() for d in load(str(tmp_path / "t.perf"), imported.text, lint=False).diagnostics}
    assert "A0102" in codes and "35" in codes["A0102"] and "40.00" in codes["A0102"]
    assert "A0103" in codes and "94.5" in codes["A0103"] and "99.50" in codes["A0103"]


def test_a_whole_number_score_is_questioned(tmp_path):
    rows = [list(r) for r in CENTRAL]
    rows[10][5] = "1.1万元"  # 单台成本 not met: 40 × 1/1.1 = 36.36, printed 36
    rows[10][7] = 36
    [imported] = import_file(_save(_book(rows, CENTRAL_MERGES), tmp_path))
    found = [d for d in load(str(tmp_path / "t.perf"), imported.text, lint=False).diagnostics if d.code == "A0111"]
    assert found and "36.36" in found[0].message() and found[0].severity == "info"


YITIHUA = [
    ["2023年度项目支出绩效自评表"],
    ["单位：万元"],
    ["项目名称", "导出项目", None, None, None, "项目代码", "123"],
    ["主管部门", "某局", None, None, None, "实施单位", "某局"],
    ["资金来源", "年初预算", "调整后预算", "执行数", "执行率", "权重", "得分", "原因"],
    ["合计", 20, 20, 18, 0.9, 10, 9],
    ["财政资金", 20, 20, 18, 0.9],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因"],
    ["产出", "数量指标", "培训人次", "≥", 100, "人次", 120, 45, 45],
    ["产出", "时效指标", "完成时间", "≤", 12, "月", 12, 25, 25],
    ["效益", "社会效益指标", "群众知晓度", "定性", "明显提高", None, "提高", 20, 18],
    ["总分", None, None, None, None, None, None, 100, 97],
    ["自评等级", None, None, None, None, None, None, "优"],
]


def test_yitihua_export_comparators_and_units_in_columns_of_their_own(tmp_path):
    wb = _book(YITIHUA)
    wb.active["E6"].number_format = "0.00%"
    [imported] = import_file(_save(wb, tmp_path))
    text = imported.text
    assert imported.unplaced == []
    assert "培训人次 ≥ 100人次 实际 120人次" in text
    assert '群众知晓度 定性 "明显提高" 实际 "提高"' in text and "得分 18" in text
    assert '项目代码 "123"' in text and "陈述执行率 90.00%" in text and '陈述等级 "优"' in text
    loaded = load(str(tmp_path / "t.perf"), text, lint=False)
    assert loaded.ok
    assert loaded.scorecard.self_evaluation.total == Decimal("97.00")


FRAMEWORK = [
    ["附件1"],
    ["某项目绩效评价指标体系及综合评分表"],
    ["一级指标", "二级指标", "三级指标", "权重", "得分", "评分说明"],
    ["决策", "项目立项", "立项依据充分性", 10, 10, "依据充分。"],
    [None, None, "立项程序规范性", 10, 8, "缺少论证。"],
    ["一级指标", "二级指标", "三级指标", "权重", "得分", "评分说明"],  # repeated at a page break
    ["产出", "数量指标", "完成数量", 30, 27, None],
    [None, None, "完成质量", None, None, None],
    [None, "时效指标", "/", "/", "/", "本项目无该指标。"],
    ["效益", "满意度", None, 50, 50, None],
    ["合计", None, None, 100, 95],
    ["评价等级", None, None, "优"],
]


def test_framework_table_merged_group_scores_and_not_applicable_rows(tmp_path):
    wb = _book(FRAMEWORK, ["D7:D8", "E7:E8", "A4:A5", "B4:B5"], title="附件1")
    [imported] = import_file(_save(wb, tmp_path, "某项目-2023.xlsx"))
    text = imported.text
    assert "评价指标体系 {" in text and "年度 2023" in text  # the year from the file name
    assert "数量 权重 30 得分 27" in text and "本组三级指标：完成数量、完成质量" in text  # judged as a whole
    assert "本项目无该指标" in text
    assert "依据" in text and "缺少论证" in text
    assert imported.unplaced == []
    assert "效益 {\n    满意度 权重 50 得分 50" in text  # scored on its own: an indicator directly under its 一级
    loaded = load(str(tmp_path / "t.perf"), text, lint=False)
    assert loaded.ok and loaded.scorecard.framework.total == Decimal("95.00")


def test_a_word_table_with_spans_and_vertical_merges(tmp_path):
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def tc(text, span=1, vmerge=None):
        props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
            f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else ""
        )
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    rows = [
        [tc("项目名称"), tc("词表项目", 5)],
        [tc("一级指标"), tc("二级指标"), tc("三级指标"), tc("年度指标值"), tc("实际完成值"), tc("分值"), tc("得分")],
        [
            tc("产出指标", vmerge="restart"),
            tc("数量指标"),
            tc("印发册数"),
            tc("=100册"),
            tc("100册"),
            tc("60"),
            tc("60"),
        ],
        [tc("", vmerge="continue"), tc("质量指标"), tc("合格率"), tc("≥95%"), tc("96%"), tc("40"), tc("40")],
        [tc("总分", 5), tc("100"), tc("100")],
    ]
    body = "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows)
    doc = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
        "<w:p><w:r><w:t>项目支出绩效自评表（2023年度）</w:t></w:r></w:p>"
        f"<w:tbl>{body}</w:tbl><w:p><w:r><w:t>填报日期：2024年1月5日</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", doc)
    [imported] = import_file(path)
    assert imported.unplaced == []
    text = imported.text
    assert '项目 "词表项目"' in text and "年度 2023" in text and "填报时间 2024-01-05" in text
    assert "合格率 ≥ 95% 实际 96% 分值 40" in text
    assert load(str(tmp_path / "t.perf"), text, lint=False).scorecard.self_evaluation.total == Decimal("100.00")


def test_unplaced_cells_are_listed_and_exit_1(tmp_path, capsys):
    rows = [list(r) for r in CENTRAL] + [["这一格说不清是什么"]]
    path = _save(_book(rows, CENTRAL_MERGES), tmp_path)
    out = tmp_path / "out"
    assert main(["import", str(path), "-o", str(out), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    [output] = report["outputs"]
    assert output["unplaced"] == [{"ref": "自评表!A16", "text": "这一格说不清是什么"}]
    written = Path(output["file"]).read_text(encoding="utf-8")
    assert "# 自评表!A16：这一格说不清是什么" in written


@pytest.mark.parametrize(
    "name, data",
    [
        ("empty.xlsx", b""),
        ("text.xlsx", "这不是表格\n".encode()),
        ("broken.docx", b"PK\x03\x04garbage"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    ],
)
def test_files_that_cannot_be_read_exit_2_with_a_reason(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_a_workbook_without_a_table_exits_1(tmp_path, capsys):
    path = _save(openpyxl.Workbook(), tmp_path)
    assert main(["import", str(path)]) == 1
    assert "未找到评价表" in capsys.readouterr().err


def test_a_zip_bomb_is_refused_unopened(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ImportFailure) as e:
        import_file(path)
    assert "压缩炸弹" in e.value.zh


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK" + b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ImportFailure) as e:
        import_file(path)
    assert "过大" in e.value.zh


@pytest.mark.parametrize(
    "text, comparator, value",
    [
        ("=12月", "=", "12月"),
        (">=95%", ">=", "95%"),
        ("≥1833元/月", ">=", "1833元/月"),
        ("大于等于 285万条", ">=", "285万条"),
        ("不低于９５％", ">=", "95%"),
        ("小于等于209.62万元", "<=", "209.62万元"),
        ("1,200人次以上", ">=", "1200人次"),
    ],
)
def test_targets_as_people_write_them(text, comparator, value):
    t = target(text)
    assert t.comparator == comparator and t.value is not None and t.value.text == value


def test_values_and_units_split_over_columns():
    t = target("100", "正向", "人次")
    assert t.comparator == ">=" and t.value.text == "100人次"
    assert actual("120", "", t.value).text == "120人次"
    assert target("有效提高").comparator is None
    assert amount("93.91分").number == Decimal("93.91") and amount("1,234.5万元").unit == "万元"


@pytest.mark.parametrize("example", ["xinfang-office-2023.perf", "12345-hotline-2023.perf", "starter.perf"])
def test_round_trip_through_the_workbook(tmp_path, example):
    original = load(str(EXAMPLES / example))
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_xlsx(original.evaluation, original.scorecard))
    imported = import_file(book, ImportOptions(ruleset=original.evaluation.project.ruleset or None))
    back = load(str(tmp_path / "back.perf"), imported[0].text, lint=False).scorecard
    for a, b in (
        (original.scorecard.self_evaluation, back.self_evaluation),
        (original.scorecard.framework, back.framework),
    ):
        if a is None:
            continue
        assert b is not None and a.total == b.total
        assert _items(a) == _items(b)
    assert original.scorecard.funds.execution_rate.ratio == back.funds.execution_rate.ratio


def _items(ts):
    return {ns.name: (ns.weight, ns.score) for ns in ts.walk() if not ns.children}


indicator = st.tuples(
    st.sampled_from(["≥", "≤", "="]),
    st.integers(1, 500),
    st.sampled_from(["人", "次", "%", "万元", "台"]),
    st.integers(0, 600),
    st.integers(1, 20),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(indicator, min_size=1, max_size=8))
def test_generated_evaluations_round_trip(tmp_path, rows):
    lines = [
        '项目 "生成项目" {',
        "  年度 2024",
        "}",
        "资金 {",
        "  全年预算数 100万元",
        "  全年执行数 90万元",
        "}",
        "自评表 {",
        "  预算执行率 分值 10",
        "  产出 {",
        "    数量 {",
    ]
    for i, (cmp, goal, unit, got, weight) in enumerate(rows):
        lines.append(f"      指标{i} {cmp} {goal}{unit} 实际 {got}{unit} 分值 {weight}")
    lines += ["    }", "  }", "}"]
    original = load(str(tmp_path / "gen.perf"), "\n".join(lines) + "\n", lint=False)
    book = io.BytesIO(write_xlsx(original.evaluation, original.scorecard))
    path = tmp_path / "gen.xlsx"
    path.write_bytes(book.getvalue())
    [imported] = import_file(path)
    back = load(str(tmp_path / "back.perf"), imported.text, lint=False).scorecard
    assert back.self_evaluation.total == original.scorecard.self_evaluation.total
    assert _items(back.self_evaluation) == _items(original.scorecard.self_evaluation)


SCORED_GROUPS = [
    ["项目名称", "分组项目"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数"],
    [None, None, 50, 50, 50],
    ["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成值", "权重", "得分", "评分说明"],
    ["产出", "数量指标", "甲", "等于1套", "1套", 20, 20, "按标准得分。"],
    [None, None, "乙", "大于等于10人", "5人", None, None, None],
    [None, "成本指标", "丙", "小于等于5万元", "4万元", 10, "9.00", "丙的票据不全，扣1分。"],
    [None, None, "丁", "小于等于5万元", "5万元", None, None, None],
    ["效益", "满意度", "满意度", "≥90%", "95%", 70, 70, None],
    ["合计", None, None, None, None, 100, 94],
]


def test_a_score_merged_over_rows_is_the_groups(tmp_path):
    """A score printed once for several rows: the rows share the weight; where they compute to
    another score than the printed one (甲 and 乙: 10 + 5; 丙 and 丁: 10), the printed score is the
    evaluators' judgement of the group, kept with its 评分说明 as the basis (and check's S0103
    names the difference)."""
    wb = _book(SCORED_GROUPS, ["F5:F6", "G5:G6", "H5:H6", "F7:F8", "G7:G8", "H7:H8", "A1:A1", "A2:B3"], "附件1")
    [imported] = import_file(_save(wb, tmp_path, "分组-2023.xlsx"))
    text = imported.text
    flat = " ".join(text.split())
    assert "甲 = 1套 实际 1套 权重 10" in flat and "乙 ≥ 10人 实际 5人 权重 10" in flat
    assert "数量 权重 20 得分 20" in text and "成本 权重 10 得分 9.00" in text and "丙的票据不全" in text
    diags = load(str(tmp_path / "t.perf"), text, lint=False).diagnostics
    assert [d.code for d in diags if d.code[0] in "AS"] == ["S0103", "S0103", "A0103"]


def test_indicators_directly_under_their_first_level_are_counted(tmp_path):
    text = (
        '项目 "x" {\n  年度 2023\n}\n资金 {\n  全年预算数 5万元\n  全年执行数 5万元\n}\n'
        "自评表 {\n  预算执行率 分值 10\n  产出 {\n    甲 = 10个 实际 10个 分值 40\n    乙 = 10个 实际 5个 分值 40\n  }\n"
        "  满意度 {\n    满意度 ≥ 90% 实际 95% 分值 10\n  }\n}\n"
    )
    ts = load(str(tmp_path / "flat.perf"), text, lint=False).scorecard.self_evaluation
    assert (ts.indicator_count, ts.full_marks_count) == (3, 2)
    assert ts.overall_completion is not None


def test_an_empty_group_is_not_counted_as_an_indicator(tmp_path):
    text = (
        '项目 "x" {\n  年度 2023\n}\n自评表 {\n  产出 {\n    数量 {\n      甲 = 10个 实际 10个 分值 100\n    }\n'
        "    时效 {\n    }\n  }\n}\n"
    )
    ts = load(str(tmp_path / "e.perf"), text, lint=False).scorecard.self_evaluation
    assert ts.indicator_count == 1
