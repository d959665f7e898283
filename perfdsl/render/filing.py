"""The 项目支出绩效目标申报表 (the performance targets filed with the budget), laid out as the
central form prints it:

    项目名称 | 主管部门 · 实施单位 | 项目负责人 · 实施周期
    项目资金（万元）: 年度资金总额 · 其中：财政拨款 · 其他资金 (and 中期资金总额 where there is one)
    总体目标: 中期目标 | 年度目标
    一级指标 | 二级指标 | 三级指标 | 指标值 | 分值   (一级 and 二级 merged down their rows)

The indicators are the tree as filed (before any 调整) and the money is the 申报's; a file
without a 申报 block gets the same form from what it has (its tree, its 年初预算数 and 总体目标),
so that the form is a view of any file. The 自评表's 预算执行率 row is not a target and is left
out. Every figure is as written: a filing computes nothing."""

from __future__ import annotations

from ..core.numbers import trimmed
from ..core.quantity import Quantity
from ..model.evaluation import Evaluation, Node, NodeKind, filed_tree
from ..score.scorecard import ScoreCard
from .context import date_text
from .formgrid import Form, group_label, indicator_rows
from .xlsx import FMT_MONEY, FMT_WEIGHT

TITLE = "项目支出绩效目标申报表"
# A 一级 | B 二级 | C 三级 | D 指标值 | E 分值 — the rows above use the same columns.
WIDTHS = [11.0, 12.0, 22.0, 16.0, 12.0]


def money(q: Quantity | None) -> tuple[str, float | None]:
    """An amount in a 万元 column: its text (as written when written in 万元) and its number."""
    if q is None:
        return "—", None
    if q.unit.text == "万元":
        return trimmed(q.number), float(q.number)
    value = q.base_value / 10000
    return trimmed(value), float(value)


def target_text(n: Node) -> str:
    """The 指标值 as the forms print it: the comparator as written, the value with its unit."""
    if n.qualitative_target is not None:
        return n.qualitative_target
    if n.comparator and n.target is not None:
        return f"{n.comparator_text}{n.target.text}"
    return ""


def _funds(ev: Evaluation) -> tuple[Quantity | None, list[tuple[str, Quantity | None]], Quantity | None]:
    """(年度资金总额, its sources, 中期资金总额) as filed, else as the 资金 block has them."""
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    if filing is not None:
        return filing.budget, [(s.name, s.amount) for s in filing.sources], filing.midterm_budget
    f = ev.funds
    if f is None:
        return None, [], None
    sources = [(s.name, s.initial_budget if s.initial_budget is not None else s.budget) for s in f.sources]
    return f.initial_budget if f.initial_budget is not None else f.budget, sources, None


def filing_form(ev: Evaluation, card: ScoreCard) -> Form:
    p = ev.project
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    year = p.year if p is not None else None
    form = Form(TITLE, f"（{year}年度）" if year else "", "申报表", list(WIDTHS))
    put = form.put
    put(1, 1, "项目名称", head=True)
    put(1, 2, p.name if p else "", cols=4)
    put(2, 1, "主管部门", head=True)
    put(2, 2, p.department if p else "", cols=2)
    put(2, 4, "实施单位", head=True)
    put(2, 5, (p.unit or p.implementer) if p else "")
    row = 3
    if p is not None and (p.owner or p.period):
        put(row, 1, "项目负责人", head=True)
        put(row, 2, p.owner, cols=2)
        put(row, 4, "实施周期", head=True)
        start, end = p.period or (None, None)
        put(row, 5, f"{date_text(start)}至{date_text(end)}" if start and end else date_text(start))
        row += 1

    total, sources, midterm = _funds(ev)
    lines = [("年度资金总额", total)]
    if sources:
        lines += [(("其中：" if i == 0 else "") + name, amount) for i, (name, amount) in enumerate(sources)]
    else:
        lines += [("其中：财政拨款", None), ("其他资金", None)]
    head = 1 if midterm is not None else 0
    put(row, 1, "项目资金\n（万元）", rows=len(lines) + head, head=True)
    if midterm is not None:
        put(row, 2, "", cols=2)
        put(row, 4, "年度资金", head=True)
        put(row, 5, "中期资金", head=True)
    for i, (label, amount) in enumerate(lines):
        r = row + head + i
        text, value = money(amount)
        put(r, 2, label, cols=2, head=i == 0)
        if midterm is not None:
            put(r, 4, text, value=value, fmt=FMT_MONEY if value is not None else None)
            mid_text, mid_value = money(midterm) if i == 0 else ("—", None)
            put(r, 5, mid_text, value=mid_value, fmt=FMT_MONEY if mid_value is not None else None)
        else:
            put(r, 4, text, cols=2, value=value, fmt=FMT_MONEY if value is not None else None)
    row += len(lines) + head

    annual = (filing.overall if filing is not None else "") or (ev.goals.overall if ev.goals else "")
    put(row, 1, "总体目标", rows=2, head=True)
    if filing is not None and filing.midterm:
        put(row, 2, "中期目标", cols=2, head=True)
        put(row, 4, "年度目标", cols=2, head=True)
        put(row + 1, 2, filing.midterm.strip(), cols=2, align="left")
        put(row + 1, 4, annual.strip(), cols=2, align="left")
    else:
        put(row, 2, "年度目标", cols=4, head=True)
        put(row + 1, 2, annual.strip(), cols=4, align="left")
    row += 2

    for c, text in enumerate(("一级指标", "二级指标", "三级指标", "指标值", "分值"), start=1):
        put(row, c, text, head=True)
    form.head = (row, row)

    def cells(r: int, n: Node) -> None:
        put(r, 4, target_text(n))
        weight = trimmed(n.weight) if n.weight is not None else ""
        put(r, 5, weight, value=_number(n.weight), fmt=FMT_WEIGHT)

    tree = filed_tree(ev)
    if tree is not None:
        indicator_rows(form, row + 1, tree.nodes, group_label, cells, skip=lambda n: n.kind is NodeKind.FORMULA)
    if filing is not None and filing.filed:
        form.note = f"填报日期：{date_text(filing.filed)}"
    return form


def _number(value) -> int | float | None:
    if value is None:
        return None
    text = trimmed(value)
    return float(text) if "." in text else int(text)
