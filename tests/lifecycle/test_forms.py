"""The forms of the year: the 项目支出绩效目标申报表 and 执行监控表 as DOCX and XLSX (golden
files, pytest-regressions), `build --form` and its names, and the report's outputs unchanged by
default."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfdsl.loader import load
from perfdsl.render.build import build_file
from perfdsl.render.filing import filing_form
from perfdsl.render.formgrid import markdown_table
from perfdsl.render.forms import forms_of, render_forms, stage_form
from perfdsl.render.monitoring import monitoring_form
from perfdsl.render.report import RenderOptions
from tests.conftest import EXAMPLES, SEED_003
from tests.render.test_xlsx import dump

LIFECYCLE = EXAMPLES / "lifecycle-elderly-care-2024.perf"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def year():
    loaded = load(str(LIFECYCLE))
    assert loaded.ok, [d.message() for d in loaded.diagnostics]
    return loaded


@pytest.fixture(scope="module")
def documents(year):
    return render_forms(year.evaluation, year.scorecard, ("申报表", "监控表"), ("docx", "xlsx", "md"), RenderOptions())


def _docx_rows(data: bytes) -> dict:
    """The DOCX as a reader sees its table: every row's cells as text, the merges, the page."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    xml = xml.replace("\u2060", "")  # the word joiners that keep a figure whole are invisible
    rows = []
    for row in re.findall(r"<w:tr\b.*?</w:tr>", xml, re.S):
        cells = []
        for cell in re.findall(r"<w:tc>.*?</w:tc>", row, re.S):
            text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", cell))
            span = re.search(r'w:gridSpan w:val="(\d+)"', cell)
            merged = "vMerge" in cell and 'w:vMerge w:val="restart"' not in cell
            cells.append(("↑" if merged else text) + (f" ×{span.group(1)}" if span else ""))
        rows.append(" | ".join(cells))
    page = re.search(r"<w:pgSz [^>]*/>", xml).group()
    paragraphs = [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        for p in re.findall(r"<w:p>.*?</w:p>", xml.split("<w:tbl>")[0] + xml.split("</w:tbl>")[-1], re.S)
    ]
    return {"rows": rows, "page": page, "outside_the_table": [p for p in paragraphs if p]}


def test_forms_golden_xlsx(documents, data_regression):
    out = {}
    for name, data in sorted(documents.items()):
        if name.endswith(".xlsx"):
            out[name] = dump(load_workbook(io.BytesIO(data)))
    data_regression.check(out, basename="forms.xlsx")


def test_forms_golden_docx(documents, data_regression):
    out = {name: _docx_rows(data) for name, data in sorted(documents.items()) if name.endswith(".docx")}
    data_regression.check(out, basename="forms.docx")


def test_forms_golden_markdown(documents, file_regression):
    for name, data in sorted(documents.items()):
        if name.endswith(".md"):
            kind = "filing" if "申报表" in name else "monitoring"
            file_regression.check(data.decode("utf-8"), basename=f"form-{kind}", extension=".md")


def test_the_official_columns(documents):
    filing = documents["lifecycle-elderly-care-2024-申报表.docx"]
    monitoring = documents["lifecycle-elderly-care-2024-监控表-9月.docx"]
    for data, labels in (
        (
            filing,
            (
                "项目资金",
                "年度资金总额",
                "其中：财政拨款",
                "其他资金",
                "总体目标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
            ),
        ),
        (
            monitoring,
            (
                "年初预算数",
                "1—9月执行数",
                "1—9月执行率",
                "全年预计执行数",
                "年度指标值",
                "1—9月实际完成值",
                "全年预计完成值",
                "偏差原因分析",
                "经费保障",
                "制度保障",
                "人员保障",
                "硬件条件保障",
                "其他",
                "完成目标可能性",
                "备注",
            ),
        ),
    ):
        text = " ".join(_docx_rows(data)["rows"])
        assert all(label in text for label in labels), [x for x in labels if x not in text]
    assert 'w:orient="landscape"' in _docx_rows(monitoring)["page"]
    assert "landscape" not in _docx_rows(filing)["page"]


FIGURES = ("≥36000人次", "26900人次", "36200人次", "≥1200人", "1240人", "≤8元/人次", "7.58元/人次", "≤30分钟")


def test_a_wide_form_fits_its_page_with_every_figure_whole(documents):
    """The 监控表's 17 columns on a landscape page: each figure on one line of its cell (the
    columns of text narrowed to four characters, the marks' to two), and the indicators a table
    of their own whose two header rows repeat on each page."""
    md = documents["lifecycle-elderly-care-2024-监控表-9月.md"].decode("utf-8")
    lines = md.splitlines()
    for figure in FIGURES:
        assert any(f"| {figure}" in line for line in lines), figure
    tables = md.split("\n\n")
    indicators = next(t for t in tables if "一级指标" in t)
    assert re.search(r"经费保障.*\n\+=+", indicators)  # the header's last row, then the body
    assert "项目名称" not in indicators


def test_the_monitoring_form_shows_the_latest_point_and_ticks(year):
    form = monitoring_form(year.evaluation, year.scorecard)
    cells = {(c.row, c.col): c.text for c in form.cells}
    assert form.subtitle == "（2024年度 1—9月运行监控）"
    assert "72.50%" in cells.values() and "97.50%" in cells.values()  # the scorer's rates
    assert any("落后时间进度2.50个百分点" in t for t in cells.values())
    ticks = [c for c in form.cells if c.text == "√"]
    assert len(ticks) == 8  # one possibility ticked for every indicator
    # the 调整 approved in August: the target in force is the new one
    assert "≥10个" in cells.values() and "≥12个" not in cells.values()


def test_the_filing_form_keeps_the_filed_target(year):
    form = filing_form(year.evaluation, year.scorecard)
    texts = [c.text for c in form.cells]
    assert "≥12个" in texts and "≥10个" not in texts
    assert "240" in texts and "80" in texts  # 中期资金总额 and 年度资金总额, in 万元
    assert not any("预算执行率" in t for t in texts)  # the 自评表's row, not a target


def test_a_file_without_a_filing_gets_its_filing_form_from_what_it_has():
    loaded = load(str(SEED_003))
    form = filing_form(loaded.evaluation, loaded.scorecard)
    texts = [c.text for c in form.cells]
    assert "5" in texts and "其中：当年财政拨款" in texts  # its 年初预算数 and sources
    assert "每次缴纳通讯费支出标准" in texts and "≥1833元/月" in texts
    assert "年度目标" in texts  # 总体目标 from 绩效目标
    assert markdown_table(form).startswith("+")


def test_build_form_names_and_the_default(tmp_path):
    r = build_file(str(LIFECYCLE), ("xlsx",), str(tmp_path / "all"), forms=("申报表", "监控表", "自评表"))
    assert r.ok, r.error
    assert sorted(Path(o).name for o in r.outputs) == [
        "lifecycle-elderly-care-2024-申报表.xlsx",
        "lifecycle-elderly-care-2024-监控表-9月.xlsx",
        "lifecycle-elderly-care-2024-自评表.xlsx",
    ]
    default = build_file(str(SEED_003), ("docx", "xlsx"), str(tmp_path / "default"))
    explicit = build_file(str(SEED_003), ("docx", "xlsx"), str(tmp_path / "report"), forms=("报告",))
    # the workbook is named after what it holds: seed 003 has a 自评表 and a 评价指标体系 (附件1)
    assert [Path(o).name for o in default.outputs] == [
        "xinfang-office-2023.docx",
        "xinfang-office-2023-自评表及评分表.xlsx",
    ]
    for a, b in zip(default.outputs, explicit.outputs):
        assert Path(a).read_bytes() == Path(b).read_bytes()


def test_a_monitoring_form_needs_a_monitoring_point(tmp_path):
    r = build_file(str(SEED_003), ("docx",), str(tmp_path), forms=("监控表",))
    assert not r.ok and "监控" in (r.error or "")
    assert not list(tmp_path.iterdir())  # nothing written


def test_forms_are_byte_identical_on_rebuild(year):
    a = render_forms(year.evaluation, year.scorecard, ("申报表", "监控表"), ("docx", "xlsx"), RenderOptions())
    b = render_forms(year.evaluation, year.scorecard, ("申报表", "监控表"), ("docx", "xlsx"), RenderOptions())
    assert a == b


def test_forms_of():
    assert forms_of("申报表,监控表，报告,申报表") == (("申报表", "监控表", "报告"), [])
    assert forms_of("申报表,预算表")[1] == ["预算表"]


def test_the_stage_a_file_has_reached(year, tmp_path):
    assert stage_form(year.evaluation, year.scorecard) == "报告"
    text = LIFECYCLE.read_text(encoding="utf-8")
    filing_only = text.split("# ---------------------------------------------------------------- 7月")[0]
    tree = text[text.index("绩效指标 {") :].split("\n正文")[0]
    tree = re.sub(
        r" 实际 \S+",
        "",
        re.sub(r"\n +(监控|调整|批复|人员保障|硬件条件保障|纠偏措施|备注|偏差原因|改进措施)[^\n]*", "", tree),
    )
    filed = load("filed.perf", filing_only + "\n" + tree)
    assert filed.ok, [d.message() for d in filed.diagnostics]
    assert stage_form(filed.evaluation, filed.scorecard) == "申报表"


def test_each_cause_in_its_column_and_the_correction_in_the_remarks():
    text = LIFECYCLE.read_text(encoding="utf-8")
    june = re.sub(r"\n监控 9月 \{.*?\n\}\n", "\n", text, flags=re.S)
    june = re.sub(r"\n +监控 9月[^\n]*(\n +备注[^\n]*)?", "", june)
    loaded = load("june.perf", june)
    form = monitoring_form(loaded.evaluation, loaded.scorecard)
    head = next(c.row for c in form.cells if c.text == "人员保障")
    columns = {c.text: c.col for c in form.cells if c.row == head}
    row = next(c.row for c in form.cells if c.text == "助餐服务人次")
    at = {c.col: c.text for c in form.cells if c.row == row}
    assert at[columns["人员保障"]].startswith("二季度两名厨师离职")
    assert at[columns["有可能"]] == "√" and at[columns["确定能"]] == ""
    assert at[max(at)].startswith("纠偏措施：7月已补招厨师")
    assert form.subtitle == "（2024年度 1—6月运行监控）"
