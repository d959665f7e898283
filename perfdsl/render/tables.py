"""The report's tables as grid-table cell models: 综合评分表, 附件1 and the 自评表 with its
merged cells. Layout only: every figure is a display string from the template context."""

from __future__ import annotations

from .gridtable import Cell, grid_table
from .pagefit import fit_page
from .tablecontent import MISSING, deviation_text


def _c(text, rowspan=1, colspan=1) -> Cell:
    return Cell(str(text) if text is not None else "", rowspan, colspan)


def summary_table(tree: dict) -> str:
    rows = [[_c("一级指标"), _c("权重分"), _c("得分"), _c("得分率")]]
    for g in tree["groups"]:
        rows.append([_c(g["name"]), _c(g["weight"]), _c(g["score"]), _c(g["score_rate"])])
    for r in tree["rows"]:
        rows.append([_c(r["name"]), _c(r["weight"]), _c(r["score"]), _c(r["completion"])])
    rows.append([_c("合计"), _c(tree["weight_total"]), _c(tree["total"]), _c("")])
    return grid_table(rows, col_widths=fit_page(rows, [24, 10, 10, 10], prose={0: 8}), header_rows=1)


def _leaves(group: dict) -> list[tuple[dict | None, dict]]:
    """(二级, 三级) pairs of a 一级 group; a leaf directly under 一级 has no 二级."""
    out = []
    for child in group["children"]:
        if child["is_group"]:
            for leaf in child["children"]:
                out.append((child, leaf))
        else:
            out.append((None, child))
    return out


def _spans(group: dict):
    """Rows of a 一级 group with the 一级 and 二级 cells placed on their first row only."""
    pairs = _leaves(group)
    seen = set()
    for i, (second, leaf) in enumerate(pairs):
        first_cell = _c(group["name"], rowspan=len(pairs)) if i == 0 else None
        second_cell = None
        if second is None:
            second_cell = _c("")
        elif id(second) not in seen:
            seen.add(id(second))
            second_cell = _c(
                second["name"] + ("（评定" + second["score"] + "）" if second.get("overridden") else ""),
                rowspan=len(second["children"]),
            )
        yield first_cell, second_cell, leaf


# 附件1's columns and their widths (display columns); 指标解释 is left out when no row has one.
_ANNEX_WIDTHS = {"一级指标": 6, "二级指标": 8, "三级指标": 10, "指标解释": 22, "评价要点": 28, "权重": 6, "得分": 7}


def annex_table(tree: dict) -> str:
    columns = tree["columns"]
    text_columns = [c for c in columns if c in ("指标解释", "评价要点")]
    rows = [[_c(h) for h in columns]]
    for g in tree["groups"]:
        for first, second, leaf in _spans(g):
            row = [c for c in (first, second) if c is not None]
            row.append(_c(leaf["name"]))
            row += [_c(leaf["definition"] if c == "指标解释" else leaf["criteria_text"]) for c in text_columns]
            row += [_c(leaf["weight"]), _c(leaf["score"])]
            rows.append(row)
    rows.append([_c("合计", colspan=len(columns) - 2), _c(tree["weight_total"]), _c(tree["total"])])
    prose = {i: 10 for i, c in enumerate(columns) if c in ("三级指标", "指标解释", "评价要点")}
    return grid_table(rows, col_widths=fit_page(rows, [_ANNEX_WIDTHS[c] for c in columns], prose), header_rows=1)


_SELF_WIDTHS = [6, 10, 16, 10, 10, 5, 8, 18]


def self_evaluation_table(ctx: dict) -> str:
    """The 自评表 as two tables drawn on one grid: its head (项目名称 … 年度总体目标) and its
    indicator block, whose column heads (一级指标 … 偏差原因分析及改进措施) repeat on every page
    the block runs to — a table repeats only the rows at its top."""
    tree, p, goals = ctx["self_evaluation"], ctx["project"], ctx["goals"] or {}
    execution = next((r for r in tree["rows"] if r["formula"] == "预算执行率"), None)
    w = len(_SELF_WIDTHS)
    fund_rows = ctx["fund_rows"]
    head = [
        [_c("项目名称"), _c(p["name"], colspan=7)],
        [_c("主管部门"), _c(p["department"], colspan=3), _c("实施单位"), _c(p["unit"], colspan=3)],
        [
            _c("项目资金（万元）", rowspan=1 + len(fund_rows)),
            _c(""),
            _c("年初预算数"),
            _c("全年预算数"),
            _c("全年执行数"),
            _c("分值"),
            _c("执行率"),
            _c("得分"),
        ],
    ]
    for i, fund in enumerate(fund_rows):
        score = (
            [execution["weight"], execution["completion"], execution["score"]]
            if i == 0 and execution
            else [MISSING] * 3
        )
        head.append([_c(fund["label"]), *(_c(a) for a in fund["amounts"]), *(_c(x or MISSING) for x in score)])
    # One row, each heading on the first line of its cell: a row never splits, and a heading row
    # of its own would be left alone at the foot of a page when the goals run long.
    overall, achieved = _plain(goals.get("overall", "")), _plain(goals.get("achieved", ""))
    head.append(
        [
            _c("年度总体目标"),
            _c("预期目标" + ("\n" + overall if overall else ""), colspan=3),
            _c("实际完成情况" + ("\n" + achieved if achieved else ""), colspan=4),
        ]
    )
    block = [
        [
            _c(h)
            for h in (
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            )
        ]
    ]
    for g in tree["groups"]:
        for first, second, leaf in _spans(g):
            row = [c for c in (first, second) if c is not None]
            why = deviation_text(leaf["reason"], leaf["remedy"])
            row += [
                _c(leaf["name"]),
                _c(leaf["target_symbols"]),
                _c(leaf["actual"]),
                _c(leaf["weight"]),
                _c(leaf["score"]),
                _c(why),
            ]
            block.append(row)
    block.append([_c("总分", colspan=5), _c(tree["weight_total"]), _c(tree["total"]), _c("")])
    assert all(len(r) <= w for r in head + block)
    # both parts on one grid; 二级 names wrap at three characters, 三级 names and reasons at four
    widths = fit_page(head + block, _SELF_WIDTHS, prose={1: 6, 2: 8, 7: 8})
    return (
        grid_table(head, col_widths=widths, header_rows=1) + "\n" + grid_table(block, col_widths=widths, header_rows=1)
    )


def _plain(markdown: str) -> str:
    """A goal paragraph inside a table cell: the cell escapes its own text, so unescape ours."""
    return markdown.replace("\\", "")


def build_tables(ctx: dict) -> dict:
    out = {}
    if ctx["indicator_tree"]:
        out["summary"] = summary_table(ctx["indicator_tree"])
    if ctx["evaluation"]:
        out["annex"] = annex_table(ctx["evaluation"])
    if ctx["self_evaluation"]:
        out["self_evaluation"] = self_evaluation_table(ctx)
    return out
