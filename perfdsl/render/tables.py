"""The report's tables as grid-table cell models: 综合评分表, 附件1 and the 自评表 with its
merged cells. Layout only: every figure is a display string from the template context."""

from __future__ import annotations

from .gridtable import Cell, grid_table


def _c(text, rowspan=1, colspan=1) -> Cell:
    return Cell(str(text) if text is not None else "", rowspan, colspan)


def summary_table(tree: dict) -> str:
    rows = [[_c("一级指标"), _c("权重分"), _c("得分"), _c("得分率")]]
    for g in tree["groups"]:
        rows.append([_c(g["name"]), _c(g["weight"]), _c(g["score"]), _c(g["score_rate"])])
    for r in tree["rows"]:
        rows.append([_c(r["name"]), _c(r["weight"]), _c(r["score"]), _c(r["completion"])])
    rows.append([_c("合计"), _c(tree["weight_total"]), _c(tree["total"]), _c("")])
    return grid_table(rows, col_widths=[24, 10, 10, 10], header_rows=1)


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


def annex_table(tree: dict) -> str:
    rows = [[_c(h) for h in ("一级指标", "二级指标", "三级指标", "指标解释", "评价要点", "权重", "得分")]]
    for g in tree["groups"]:
        for first, second, leaf in _spans(g):
            row = [c for c in (first, second) if c is not None]
            row += [
                _c(leaf["name"]),
                _c(leaf["definition"]),
                _c(leaf["criteria"]),
                _c(leaf["weight"]),
                _c(leaf["score"]),
            ]
            rows.append(row)
    rows.append([_c("合计", colspan=5), _c(tree["weight_total"]), _c(tree["total"])])
    return grid_table(rows, col_widths=[6, 8, 10, 22, 28, 6, 7], header_rows=1)


def self_evaluation_table(ctx: dict) -> str:
    tree, p, funds, goals = ctx["self_evaluation"], ctx["project"], ctx["funds"] or {}, ctx["goals"] or {}
    execution = next((r for r in tree["rows"] if r["formula"] == "预算执行率"), None)
    w = 8  # columns
    rows = [
        [_c("项目名称"), _c(p["name"], colspan=7)],
        [_c("主管部门"), _c(p["department"], colspan=3), _c("实施单位"), _c(p["unit"], colspan=3)],
        [
            _c("项目资金（万元）", rowspan=5),
            _c(""),
            _c("年初预算数"),
            _c("全年预算数"),
            _c("全年执行数"),
            _c("分值"),
            _c("执行率"),
            _c("得分"),
        ],
        [
            _c("年度资金总额"),
            _c(funds.get("initial_budget_wan")),
            _c(funds.get("budget_wan")),
            _c(funds.get("spent_wan")),
            _c(execution["weight"] if execution else ""),
            _c(execution["completion"] if execution else ""),
            _c(execution["score"] if execution else ""),
        ],
    ]
    sources = {s["name"]: s for s in funds.get("sources", [])}
    for label, key in (
        ("其中：当年财政拨款", "当年财政拨款"),
        ("上年结转资金", "上年结转资金"),
        ("其他资金", "其他资金"),
    ):
        s = sources.get(key, {})
        rows.append(
            [
                _c(label),
                _c(s.get("initial_budget", "")),
                _c(s.get("budget", "")),
                _c(s.get("spent", "")),
                _c("—"),
                _c("—"),
                _c("—"),
            ]
        )
    rows.append([_c("年度总体目标", rowspan=2), _c("预期目标", colspan=3), _c("实际完成情况", colspan=4)])
    rows.append([_c(_plain(goals.get("overall", "")), colspan=3), _c(_plain(goals.get("achieved", "")), colspan=4)])
    rows.append(
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
    )
    for g in tree["groups"]:
        for first, second, leaf in _spans(g):
            row = [c for c in (first, second) if c is not None]
            why = "".join(x for x in (leaf["reason"], leaf["remedy"]) if x)
            row += [
                _c(leaf["name"]),
                _c(leaf["target_symbols"]),
                _c(leaf["actual"]),
                _c(leaf["weight"]),
                _c(leaf["score"]),
                _c(why),
            ]
            rows.append(row)
    rows.append([_c("总分", colspan=5), _c(tree["weight_total"]), _c(tree["total"]), _c("")])
    assert all(len(r) <= w for r in rows)
    return grid_table(rows, col_widths=[8, 10, 16, 10, 10, 6, 8, 18], header_rows=0)


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
