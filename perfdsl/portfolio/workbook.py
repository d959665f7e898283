"""The workbook a 财政局 forwards: 明细 (a row per evaluation), 按主管部门 (a row per department),
问题清单 (every diagnostic, filterable) — numbers as numbers with number formats, frozen
headers, autofilters, CJK-wide columns — and native Excel charts: the grade distribution,
执行率 against score, and the budget-weighted score per department."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.text import display_width
from ..render.xlsx import deterministic_zip
from ..render.xlsx_cells import make_inert
from .summary import GRADES, Summary

HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FAILED_FILL = PatternFill("solid", fgColor="FCE4D6")
MONEY, RATE, SCORE = "#,##0.00", "0.00", "0.00"


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    digits = text.removesuffix("万元").removesuffix("%")
    try:
        return float(Decimal(digits))
    except ArithmeticError:
        return None


def _sheet(wb: Workbook, title: str, heads: list[str], rows: list[list], formats: dict[int, str]) -> None:
    ws = wb.create_sheet(title)
    ws.append(heads)
    for cell in ws[1]:
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    for c, head in enumerate(heads, start=1):
        widest = max([display_width(head)] + [display_width(str(r[c - 1])) for r in rows[:500] if r[c - 1] is not None])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, widest + 2))
    ws.freeze_panes = "A2"
    # printed as a reader expects: landscape, all columns on one page width, the header on each page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(1, len(rows) + 1)}"


def write_workbook(summary: Summary) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    details = [
        [
            r.file, r.department, r.unit, r.project, r.year,
            float(r.budget_wan) if r.budget_wan is not None else None,
            float(r.spent_wan) if r.spent_wan is not None else None,
            _number(r.execution_rate), _number(r.self_evaluation_total), r.self_evaluation_grade,
            _number(r.evaluation_total), r.evaluation_grade, _number(r.quantified_rate),
            r.errors, r.warnings, "、".join(f"{c}×{n}" for c, n in r.codes),
        ]
        for r in summary.rows
    ]  # fmt: skip
    _sheet(
        wb,
        "明细",
        ["文件", "主管部门", "实施单位", "项目", "年度", "全年预算数（万元）", "全年执行数（万元）", "执行率（%）",
         "自评得分", "自评等级", "评价得分", "评价等级", "指标量化率（%）", "错误", "警告", "常见问题"],
        details,
        {6: MONEY, 7: MONEY, 8: RATE, 9: SCORE, 11: SCORE, 13: RATE},
    )  # fmt: skip
    ws = wb["明细"]
    for i, r in enumerate(summary.rows, start=2):
        if r.errors:
            for cell in ws[i]:
                cell.fill = FAILED_FILL
    groups = [*summary.departments, summary.totals]
    _sheet(
        wb,
        "按主管部门",
        ["主管部门", "评价数", "全年预算数（万元）", "全年执行数（万元）", "执行率（%）", "平均得分", "预算加权得分",
         *GRADES, "错误", "警告"],
        [
            [g.name, g.count, float(g.budget), float(g.spent), _f(g.execution_rate), _f(g.mean_score),
             _f(g.weighted_mean_score), *(g.grades[x] for x in GRADES), g.errors, g.warnings]
            for g in groups
        ],
        {3: MONEY, 4: MONEY, 5: RATE, 6: SCORE, 7: SCORE},
    )  # fmt: skip
    _sheet(
        wb,
        "问题清单",
        ["文件", "行", "代码", "级别", "说明"],
        [
            [r.file, line, code, severity, message]
            for r in summary.rows
            for line, code, severity, message in r.diagnostics
        ],
        {},
    )
    _charts(wb, summary)
    wb.active = 0
    make_inert(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))


def _charts(wb: Workbook, summary: Summary) -> None:
    ws = wb.create_sheet("图表")
    ws.append(["等级", "评价数"])
    for g in GRADES:
        ws.append([g, summary.totals.grades[g]])
    pie = PieChart()
    pie.title = "自评等级分布"
    pie.add_data(Reference(ws, min_col=2, min_row=1, max_row=1 + len(GRADES)), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(GRADES)))
    ws.add_chart(pie, "E2")

    details = wb["明细"]
    n = len(summary.rows) + 1
    scatter = ScatterChart()
    scatter.title = "执行率与自评得分"
    scatter.style = 13
    scatter.x_axis.title = "执行率（%）"
    scatter.y_axis.title = "自评得分"
    series = Series(
        Reference(details, min_col=9, min_row=2, max_row=n),
        Reference(details, min_col=8, min_row=2, max_row=n),
        title="评价",
    )
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.marker.graphicalProperties.solidFill = "2F5597"
    series.marker.graphicalProperties.line.solidFill = "2F5597"
    series.graphicalProperties.line.noFill = True
    scatter.series.append(series)
    ws.add_chart(scatter, "E20")

    by_department = wb["按主管部门"]
    m = len(summary.departments) + 1
    bar = BarChart()
    bar.type = "bar"
    bar.title = "各主管部门预算加权得分"
    bar.add_data(Reference(by_department, min_col=7, min_row=1, max_row=m), titles_from_data=True)
    bar.set_categories(Reference(by_department, min_col=1, min_row=2, max_row=m))
    bar.y_axis.title = "得分"
    ws.add_chart(bar, "E38")
    for chart in (pie, scatter, bar):
        chart.width, chart.height = 16, 8
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
