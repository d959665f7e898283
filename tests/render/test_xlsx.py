"""The XLSX output: sheets, merged group cells, the figures a reader sees, print setup and
byte-identical output, checked by opening the workbook again with openpyxl."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from perfdsl.loader import load
from perfdsl.render.xlsx import SHEET_FRAMEWORK, SHEET_SELF, SHEET_SUMMARY, deterministic_zip, write_xlsx
from tests.conftest import EXAMPLES, SEED_000, SEED_003, load_snippet

STARTER = EXAMPLES / "starter.perf"


def _loaded(path):
    loaded = load(str(path))
    assert loaded.ok, [d.message() for d in loaded.diagnostics]
    return loaded


@pytest.fixture(scope="module")
def xlsx():
    """path → (bytes, workbook) for the three examples."""
    out = {}
    for path in (SEED_000, SEED_003, STARTER):
        loaded = _loaded(path)
        data = write_xlsx(loaded.evaluation, loaded.scorecard)
        out[path.name] = (data, load_workbook(io.BytesIO(data)))
    return out


def wb_of(xlsx, path):
    return xlsx[path.name][1]


# ----------------------------------------------------------------------------- reading helpers


def shown(cell) -> str:
    """A cell as Excel shows it, for the number formats the writer uses."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    fmt = cell.number_format
    if fmt == "0.00":
        return f"{v:.2f}"
    if fmt == "0.00%":
        return f"{v * 100:.2f}%"
    if fmt == "0.00##":
        text = f"{v:.4f}".rstrip("0")
        return text if len(text.split(".")[1]) >= 2 else f"{v:.2f}"
    assert fmt == "General", fmt
    return f"{v:g}"


def find(ws, text: str, col: int | None = None):
    """The cells whose value is ``text`` (in one column if given)."""
    return [
        c
        for row in ws.iter_rows()
        for c in row
        if not isinstance(c, MergedCell) and c.value == text and (col is None or c.column == col)
    ]


def one(ws, text: str, col: int | None = None):
    cells = find(ws, text, col)
    assert len(cells) == 1, (text, [c.coordinate for c in cells])
    return cells[0]


def row_values(ws, row: int) -> list[str]:
    return [shown(c) for c in ws[row]]


def merged_at(ws, cell) -> tuple[int, int] | None:
    """(rows, cols) of the merged range whose top-left cell is ``cell``."""
    for m in ws.merged_cells.ranges:
        if m.min_row == cell.row and m.min_col == cell.column:
            return m.max_row - m.min_row + 1, m.max_col - m.min_col + 1
    return None


def rows_spanned(ws, label: str, col: int) -> int:
    """Rows covered by a group label in a column, over every page it is repeated on."""
    total = 0
    for c in find(ws, label, col):
        span = merged_at(ws, c)
        total += span[0] if span else 1
    return total


def dump(wb) -> dict:
    """What a reader sees: sheet → "coordinate: text as shown" of the non-empty cells, merged
    ranges and page breaks."""
    out = {}
    for ws in wb:
        cells = [
            f"{c.coordinate}: {shown(c)}"
            for row in ws.iter_rows()
            for c in row
            if not isinstance(c, MergedCell) and c.value not in (None, "")
        ]
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "row_breaks": [b.id for b in ws.row_breaks.brk],
        }
    return out


# ----------------------------------------------------------------------------- sheets


def test_sheets_follow_what_the_file_has(xlsx):
    assert wb_of(xlsx, SEED_003).sheetnames == [SHEET_SELF, SHEET_FRAMEWORK, SHEET_SUMMARY]
    assert wb_of(xlsx, SEED_000).sheetnames == [SHEET_FRAMEWORK, SHEET_SUMMARY]  # no 自评表
    assert wb_of(xlsx, STARTER).sheetnames == [SHEET_SELF]  # no evaluation framework


def test_a_file_without_tables_gets_the_form():
    loaded = load_snippet("资金 { 年初预算数 10万元 全年预算数 10万元 全年执行数 9万元 }")
    wb = load_workbook(io.BytesIO(write_xlsx(loaded.evaluation, loaded.scorecard)))
    assert wb.sheetnames == [SHEET_SELF]
    ws = wb[SHEET_SELF]
    assert row_values(ws, 3)[:2] == ["项目名称", "测试"]
    head = one(ws, "年度资金总额", 2).row
    assert row_values(ws, head)[2:] == ["10.00", "10.00", "9.00", "", "90.00%", ""]
    total = one(ws, "总分", 1).row
    assert total == one(ws, "一级指标", 1).row + 1 and row_values(ws, total)[5:7] == ["", ""]


# ----------------------------------------------------------------------------- 自评表


def test_self_evaluation_header_and_project(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    assert ws["A1"].value == "项目支出绩效自评表" and merged_at(ws, ws["A1"]) == (1, 8)
    assert ws["A1"].font.bold and ws["A1"].font.size > ws["A3"].font.size
    assert ws["A2"].value == "（2023年度）"
    assert row_values(ws, 3)[:2] == ["项目名称", "机关办公业务项目"]
    assert row_values(ws, 4) == ["主管部门", "霍城县信访局", "", "", "实施单位", "霍城县信访局", "", ""]


def test_self_evaluation_funds_block(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    label = one(ws, "项目资金\n（万元）", 1)
    assert merged_at(ws, label) == (5, 1)  # its header row and the four rows of figures
    head = label.row
    assert row_values(ws, head)[2:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    total = row_values(ws, head + 1)
    # 分值 10, 执行率 100.00 %, 得分 10 of the 预算执行率 row
    assert total == ["", "年度资金总额", "5.00", "5.00", "5.00", "10", "100.00%", "10.00"]
    assert [ws.cell(head + i, 2).value for i in (2, 3, 4)] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert row_values(ws, head + 2)[2:] == ["5.00", "5.00", "5.00", "—", "—", "—"]
    assert row_values(ws, head + 3)[2:] == ["0.00", "0.00", "—", "—", "—", "—"]
    rate, score = ws.cell(head + 1, 7), ws.cell(head + 1, 8)
    assert rate.value == 1.0 and rate.number_format == "0.00%"
    assert score.value == 10.0 and score.number_format == "0.00"


def test_self_evaluation_goals(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    label = one(ws, "年度总体\n目标", 1)
    assert merged_at(ws, label) == (2, 1)
    r = label.row
    assert (ws.cell(r, 2).value, ws.cell(r, 5).value) == ("预期目标", "实际完成情况")
    assert ws.cell(r + 1, 2).value.startswith("聚焦党的二十大")
    assert ws.cell(r + 1, 5).value.startswith("机关办公业务项目共计5万元")
    assert merged_at(ws, ws.cell(r + 1, 2)) == (1, 3) and merged_at(ws, ws.cell(r + 1, 5)) == (1, 4)


def test_self_evaluation_groups_are_merged_down_their_rows(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    output = one(ws, "产出指标", 1)
    assert merged_at(ws, output) == (11, 1)
    assert [merged_at(ws, one(ws, name, 2)) for name in ("数量指标", "质量指标", "时效指标", "成本指标")] == [
        (4, 1),
        (2, 1),
        (2, 1),
        (3, 1),
    ]
    # the 预算执行率 row is in the funds block, not among the indicators
    assert find(ws, "预算执行率") == []
    # 满意度 is both the 一级 and the 二级 name: one row each
    assert [c.coordinate[0] for c in find(ws, "满意度指标")] == ["A", "B"]


def test_self_evaluation_group_spans_match_the_tree(xlsx):
    for path in (SEED_003, STARTER):
        loaded = _loaded(path)
        ws = wb_of(xlsx, path)[SHEET_SELF]
        for top in loaded.scorecard.self_evaluation.nodes:
            if not top.children:
                continue
            leaves = sum(1 for n in top.walk() if not n.children)
            label = top.name if top.name.endswith("指标") else top.name + "指标"
            assert rows_spanned(ws, label, 1) == leaves, (path.name, top.name)


def test_self_evaluation_indicator_rows(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    header = one(ws, "一级指标", 1).row
    assert row_values(ws, header) == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    row = one(ws, "缴纳通讯费次数", 3).row
    assert row_values(ws, row)[2:7] == ["缴纳通讯费次数", "=12月", "12月", "5", "5.00"]
    target = ws.cell(row, 4)
    assert target.data_type == "s" and target.value == "=12月"  # text as written, not a formula
    row = one(ws, "人均运转支出标准", 3).row
    assert row_values(ws, row)[3:7] == ["=5000元/人", "2391.5元/人", "5", "2.39"]
    assert ws.cell(row, 8).value.startswith("2023年差旅费报销次数及金额少")
    row = one(ws, "每次缴纳通讯费支出标准", 3).row
    assert row_values(ws, row)[3:7] == ["≥1833元/月", "1194.67元/月", "10", "6.52"]
    row = one(ws, "提高各部门履职能力", 3).row
    assert row_values(ws, row)[3:7] == ["有效提高", "提高", "20", "20.00"]  # qualitative, as written


def test_self_evaluation_total(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    label = one(ws, "总分", 1)
    assert merged_at(ws, label) == (1, 5)
    weight, score = ws.cell(label.row, 6), ws.cell(label.row, 7)
    assert weight.value == 100
    assert isinstance(score.value, float) and score.value == 93.91 and "93.91" in str(score.value)
    assert score.number_format == "0.00" and shown(score) == "93.91"
    note = ws.cell(label.row + 1, 1).value
    assert note.startswith("注：") and note.endswith("。") and "90分（含）以上为优" in note


def test_self_evaluation_rows_fit_their_text(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    goals = one(ws, "年度总体\n目标", 1).row + 1
    assert ws.row_dimensions[goals].height > 150  # two long paragraphs
    assert ws.row_dimensions[one(ws, "工资发放次数", 3).row].height < 25  # one line
    for row in range(3, ws.max_row + 1):
        for cell in ws[row]:
            if not isinstance(cell, MergedCell) and cell.value is not None:
                assert cell.alignment.wrap_text and cell.alignment.vertical == "center"


def test_borders_on_every_table_cell(xlsx):
    wb = wb_of(xlsx, SEED_003)
    for name, first_row in ((SHEET_SELF, 3), (SHEET_FRAMEWORK, 2), (SHEET_SUMMARY, 2)):
        ws = wb[name]
        last_row = ws.max_row - (1 if name != SHEET_SUMMARY else 0)  # the note has none
        for row in ws.iter_rows(min_row=first_row, max_row=last_row):
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                b = cell.border
                assert (b.left.style, b.right.style, b.top.style, b.bottom.style) == ("thin",) * 4, (
                    name,
                    cell.coordinate,
                )


def test_funds_in_yuan_and_other_sources():
    loaded = load_snippet("""
资金 {
  年初预算数 50000元
  全年预算数 50000元
  全年执行数 45000元
  来源 "一般公共预算" { 年初预算数 50000元 全年预算数 50000元 全年执行数 45000元 }
}
自评表 {
  预算执行率 分值 10
  产出 {
    数量 {
      甲 ≥ 10台 实际 10台 分值 40
    }
    乙 = 100% 实际 90% 分值 20
      偏差原因 "原因"
      改进措施 "措施"
  }
  效益 {
    社会效益 {
      丙 定性 "有效" 实际 "有效" 分值 30 得分 30 达成度 达成
        依据 "达成"
    }
  }
}
""")
    ws = load_workbook(io.BytesIO(write_xlsx(loaded.evaluation, loaded.scorecard)))[SHEET_SELF]
    head = one(ws, "年度资金总额", 2).row
    assert row_values(ws, head)[2:] == ["5.00", "5.00", "4.50", "10", "90.00%", "9.00"]
    assert ws.cell(head, 3).value == 5.0  # 50000元 in 万元
    # a source by another name gets a row of its own under the three standard ones
    assert row_values(ws, head + 4)[1:5] == ["一般公共预算", "5.00", "5.00", "4.50"]
    assert merged_at(ws, one(ws, "项目资金\n（万元）", 1)) == (6, 1)
    # an indicator right under 一级 spans the 二级 and 三级 columns; reason and remedy together
    cell = one(ws, "乙", 2)
    assert merged_at(ws, cell) == (1, 2)
    assert row_values(ws, cell.row)[3:] == ["=100%", "90%", "20", "18.00", "原因\n措施"]
    assert merged_at(ws, one(ws, "产出指标", 1)) == (2, 1)


def test_scoring_note_follows_the_ruleset():
    loaded = load_snippet(
        """项目 "测试" {
  年度 2023
  评价规则 "linear-reverse"
}
资金 { 全年预算数 10万元 全年执行数 9.6万元 }
自评表 {
  预算执行率 分值 10
  产出 { 成本 { 成本 ≤ 5万元 实际 6万元 分值 90 } }
}
""",
        header=False,
    )
    ws = load_workbook(io.BytesIO(write_xlsx(loaded.evaluation, loaded.scorecard)))[SHEET_SELF]
    note = ws.cell(one(ws, "总分", 1).row + 1, 1).value
    assert "执行率达到95%即得满分" in note
    assert "超过的为1－（实际完成值－年度指标值）÷年度指标值" in note
    head = one(ws, "年度资金总额", 2).row
    assert row_values(ws, head)[5:] == ["10", "96.00%", "10.00"]  # full marks at 96 %


def test_group_scored_by_the_evaluators_says_so(xlsx):
    ws = wb_of(xlsx, SEED_000)[SHEET_FRAMEWORK]
    # 成本's rows add up to 10; the evaluators scored it 9
    assert find(ws, "成本\n（评定9.00分）", 2)


# ----------------------------------------------------------------------------- 评分表


def test_framework_sheet_seed000(xlsx):
    ws = wb_of(xlsx, SEED_000)[SHEET_FRAMEWORK]
    assert ws["A1"].value == "12345云呼叫中心平台技术服务运维费绩效评价指标体系及综合评分表"
    # no indicator of this framework has a 指标解释: the column is left out, as in the report's 附件1
    assert row_values(ws, 2) == ["一级指标", "二级指标", "三级指标", "评价要点", "权重", "得分"]
    total = one(ws, "合计", 1)
    score = ws.cell(total.row, 6)
    assert score.value == 96.39 and shown(score) == "96.39" and shown(ws.cell(total.row, 5)) == "100"
    row = one(ws, "预算执行率", 3).row
    assert row_values(ws, row)[4:] == ["5", "4.74"]
    assert "94.79%" in ws.cell(row, 4).value  # the formula with its figures, as 评价要点 is empty
    row = one(ws, "发送短信", 3).row
    assert ws.cell(row, 4).value == "年度指标值：≥285万条；实际完成值：61.99万条"
    assert row_values(ws, row)[4:] == ["3", "0.65"]
    assert "“优”" in ws.cell(total.row + 1, 1).value


def test_framework_group_spans_match_the_tree(xlsx):
    for path in (SEED_000, SEED_003):
        loaded = _loaded(path)
        ws = wb_of(xlsx, path)[SHEET_FRAMEWORK]
        for top in loaded.scorecard.framework.nodes:
            leaves = sum(1 for n in top.walk() if not n.children)
            assert rows_spanned(ws, top.name, 1) == leaves, (path.name, top.name)
            for mid in top.children:
                if mid.children and mid.basis != "override":
                    assert rows_spanned(ws, mid.name, 2) >= len(mid.children), (path.name, mid.name)


def test_framework_sheet_seed003(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_FRAMEWORK]
    row = one(ws, "立项依据充分性", 3).row
    assert ws.cell(row, 4).value.startswith("项目立项是否符合法律法规")
    assert ws.cell(row, 5).value.startswith("评价要点：\n①")
    total = one(ws, "合计", 1)
    assert shown(ws.cell(total.row, 7)) == "98.00"


def test_summary_sheet(xlsx):
    ws = wb_of(xlsx, SEED_000)[SHEET_SUMMARY]
    assert row_values(ws, 2) == ["一级指标", "权重分", "得分", "得分率"]
    rows = {ws.cell(r, 1).value: row_values(ws, r)[1:] for r in range(3, ws.max_row + 1)}
    assert rows["决策"] == ["21", "21.00", "100.00%"]
    assert rows["过程"] == ["19", "18.74", "98.63%"]
    assert rows["产出"] == ["30", "26.65", "88.83%"]
    assert rows["合计"][:2] == ["100", "96.39"]
    assert rows["评价等级"][0] == "优"
    assert ws.cell(4, 3).value == 18.74


# ----------------------------------------------------------------------------- printing


def test_print_setup(xlsx):
    wb = wb_of(xlsx, SEED_003)
    for name, orientation in ((SHEET_SELF, "portrait"), (SHEET_FRAMEWORK, "landscape"), (SHEET_SUMMARY, "portrait")):
        ws = wb[name]
        ps = ws.page_setup
        assert int(ps.paperSize) == 9  # A4
        assert ps.orientation == orientation
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
        assert ws.print_options.horizontalCentered
        assert 0.4 <= ws.page_margins.left <= 1 and 0.4 <= ws.page_margins.top <= 1
        assert ws.print_area
    header = one(wb[SHEET_SELF], "一级指标", 1).row
    assert wb[SHEET_SELF].print_title_rows == f"${header}:${header}"  # the indicator header
    assert wb[SHEET_FRAMEWORK].print_title_rows == "$2:$2"


def test_page_breaks_fall_between_groups(xlsx):
    ws = wb_of(xlsx, SEED_003)[SHEET_SELF]
    header = one(ws, "一级指标", 1).row
    # the indicator block starts a page of its own, with its header
    assert [b.id for b in ws.row_breaks.brk] == [header - 1]
    for path in (SEED_000, SEED_003):
        ws = wb_of(xlsx, path)[SHEET_FRAMEWORK]
        for brk in ws.row_breaks.brk:
            # a group cell cut by a break is merged on each page and its label repeated
            for m in ws.merged_cells.ranges:
                assert not (m.min_row <= brk.id < m.max_row), (path.name, brk.id, str(m))
            assert ws.cell(brk.id + 1, 1).value, (path.name, brk.id)


# ----------------------------------------------------------------------------- determinism


def test_output_is_byte_identical(xlsx):
    for path in (SEED_000, SEED_003, STARTER):
        loaded = _loaded(path)
        assert write_xlsx(loaded.evaluation, loaded.scorecard) == xlsx[path.name][0]


def test_package_is_normalised(xlsx):
    data, wb = xlsx[SEED_003.name]
    z = zipfile.ZipFile(io.BytesIO(data))
    infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    core = z.read("docProps/core.xml").decode()
    assert core.count("1980-01-01T00:00:00Z") == 2
    assert wb.properties.creator == wb.properties.lastModifiedBy == "perfdsl"
    assert deterministic_zip(data) == data


# ----------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("path", [SEED_000, SEED_003], ids=["seed000", "seed003"])
def test_golden(xlsx, path, data_regression):
    data_regression.check(dump(wb_of(xlsx, path)), basename=f"{path.stem}.xlsx")


def test_workbook_is_named_after_what_it_holds(tmp_path):
    from perfdsl.render.build import build_file

    names = {}
    for path in (SEED_000, SEED_003, STARTER):
        r = build_file(str(path), ("xlsx",), str(tmp_path))
        assert r.ok
        (out,) = r.outputs
        names[path.stem] = Path(out).name
        sheets = load_workbook(out).sheetnames
        assert ("自评表" in names[path.stem]) == (SHEET_SELF in sheets)
        assert ("评分表" in names[path.stem]) == (SHEET_FRAMEWORK in sheets)
    assert names == {
        "12345-hotline-2023": "12345-hotline-2023-评分表.xlsx",  # the report has no 自评表
        "xinfang-office-2023": "xinfang-office-2023-自评表及评分表.xlsx",
        "starter": "starter-自评表.xlsx",
    }
