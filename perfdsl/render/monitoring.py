"""The 项目支出绩效目标执行监控表 of the latest monitoring point (运行监控, "双监控"), laid out as
the central form prints it, on a landscape page:

    项目名称 | 主管部门 · 实施单位
    项目资金（万元）: 年初预算数 | 全年预算数 | 1—X月执行数 | 1—X月执行率 | 全年预计执行数 | 全年预计执行率,
                     for 年度资金总额 and each source; then 时间进度 (X/12) against the execution rate
    年度总体目标: 年初设定目标 | 1—X月完成情况
    一级 | 二级 | 三级 | 年度指标值 | 1—X月实际完成值 | 全年预计完成值 |
        偏差原因分析 (经费保障 | 制度保障 | 人员保障 | 硬件条件保障 | 其他) |
        完成目标可能性 (确定能 | 有可能 | 完全不可能, ticked) | 备注 (纠偏措施 and any note)

Every rate is the ScoreCard's (score/monitor.py); the targets are those in force (after an
approved 调整)."""

from __future__ import annotations

from decimal import Decimal

from ..core import schema
from ..core.numbers import fixed
from ..model.evaluation import Evaluation, Node, NodeKind
from ..model.lifecycle import Progress
from ..score.monitor import MonitorScore
from ..score.scorecard import Rate, ScoreCard
from .context import date_text
from .errors import RenderError
from .filing import money, target_text
from .formgrid import Form, group_label, indicator_rows
from .xlsx import FMT_MONEY, FMT_PERCENT

TITLE = "项目支出绩效目标执行监控表"
CAUSE_COLUMNS = tuple(column for column, _ in schema.DEVIATION_CAUSES)
TICK = "√"


def _rate(rate: Rate | None) -> tuple[str, float | None]:
    if rate is None or rate.percent is None:
        return "—", None
    shown = fixed(rate.percent, 2)
    return f"{shown}%", float(Decimal(shown).scaleb(-2))


def monitoring_form(ev: Evaluation, card: ScoreCard) -> Form:
    ms = card.monitor
    if ms is None:
        raise RenderError(
            "文件没有运行监控（监控 N月 { … }），无法生成监控表。",
            "在文件中加上「监控 6月 { 执行数 …万元 全年预计执行数 …万元 }」，并在各指标旁写上「监控 6月 已完成 … 预计完成 …」",
        )
    possibilities = ev.ruleset.possibilities
    n_causes, n_poss = len(CAUSE_COLUMNS), len(possibilities)
    cause_col = 7
    poss_col = cause_col + n_causes
    note_col = poss_col + n_poss
    widths = [12.0, 10.0, 16.0, 11.0, 11.0, 11.0] + [11.0] * n_causes + [7.0] * n_poss + [18.0]
    last = len(widths)
    month = ms.month
    p = ev.project
    year = p.year if p is not None else None
    span = f"1—{month}月"
    form = Form(
        TITLE,
        f"（{year}年度 {span}运行监控）" if year else f"（{span}运行监控）",
        f"监控表（{span}）",
        widths,
        landscape=True,
        # on paper the names keep four characters a line, the marks' columns (√) two: the 17
        # columns then fit the page with every figure whole
        narrowest=[8, 8, 8] + [4] * 3 + [4] * n_causes + [4] * n_poss + [6],
    )
    put = form.put
    put(1, 1, "项目名称", head=True)
    put(1, 2, p.name if p else "", cols=last - 1)
    put(2, 1, "主管部门", head=True)
    put(2, 2, p.department if p else "", cols=5)
    put(2, 7, "实施单位", head=True, cols=2)
    put(2, 9, (p.unit or p.implementer) if p else "", cols=last - 8)
    row = _funds(form, ms, 3, last)
    row = _goals(form, ev, ms, row, last)

    head = (
        ("一级指标", 1),
        ("二级指标", 2),
        ("三级指标", 3),
        ("年度指标值", 4),
        (f"{span}实际完成值", 5),
        ("全年预计完成值", 6),
    )
    for text, col in head:
        put(row, col, text, rows=2, head=True)
    put(row, cause_col, "偏差原因分析", cols=n_causes, head=True)
    put(row, poss_col, "完成目标可能性", cols=n_poss, head=True)
    put(row, note_col, "备注", rows=2, head=True)
    for i, column in enumerate(CAUSE_COLUMNS):
        put(row + 1, cause_col + i, column, head=True)
    for i, word in enumerate(possibilities):
        put(row + 1, poss_col + i, word, head=True)
    form.head = (row, row + 1)

    progress = {item.path: item.progress for item in ms.items}

    def cells(r: int, n: Node) -> None:
        pr = progress.get(n.path)
        put(r, 4, target_text(n))
        put(r, 5, _value(pr, "to_date"))
        put(r, 6, _value(pr, "forecast"))
        for i, column in enumerate(CAUSE_COLUMNS):
            texts = [c.text for c in pr.causes if c.column == column] if pr else []
            put(r, cause_col + i, "\n".join(texts), align="left" if texts else "center")
        for i, word in enumerate(possibilities):
            put(r, poss_col + i, TICK if pr is not None and pr.possibility == word else "")
        put(r, note_col, _remark(pr), align="left")

    tree = ev.self_evaluation
    if tree is not None:
        indicator_rows(form, row + 2, tree.nodes, group_label, cells, skip=lambda n: n.kind is NodeKind.FORMULA)
    form.note = _note(ev, ms)
    return form


def _funds(form: Form, ms: MonitorScore, row: int, last: int) -> int:
    put = form.put
    month = ms.month
    point = ms.point
    lines = [("年度资金总额", ms.initial, ms.budget, point.spent, ms.execution_rate, point.forecast, ms.forecast_rate)]
    lines += [
        (
            ("其中：" if i == 0 else "") + s.name,
            s.initial,
            s.budget,
            s.spent,
            s.execution_rate,
            s.forecast,
            s.forecast_rate,
        )
        for i, s in enumerate(ms.sources)
    ]
    put(row, 1, "项目资金\n（万元）", rows=len(lines) + 2, head=True)
    put(row, 2, "", cols=2)
    columns = (
        ("年初预算数", 4, 1),
        ("全年预算数", 5, 1),
        (f"1—{month}月执行数", 6, 1),
        (f"1—{month}月执行率", 7, 2),
        ("全年预计执行数", 9, 2),
        ("全年预计执行率", 11, last - 10),
    )
    for text, col, span in columns:
        put(row, col, text, cols=span, head=True)
    for i, (label, initial, budget, spent, rate, forecast, forecast_rate) in enumerate(lines):
        r = row + 1 + i
        put(r, 2, label, cols=2, head=i == 0)
        for (_, col, span), amount in zip(columns[:3], (initial, budget, spent)):
            text, value = money(amount)
            put(r, col, text, cols=span, value=value, fmt=FMT_MONEY if value is not None else None)
        text, value = _rate(rate)
        put(r, 7, text, cols=2, value=value, fmt=FMT_PERCENT if value is not None else None)
        text, value = money(forecast)
        put(r, 9, text, cols=2, value=value, fmt=FMT_MONEY if value is not None else None)
        text, value = _rate(forecast_rate)
        put(r, 11, text, cols=last - 10, value=value, fmt=FMT_PERCENT if value is not None else None)
    r = row + 1 + len(lines)
    put(r, 2, "时间进度", cols=2, head=True)
    put(r, 4, _time_text(ms), cols=last - 3, align="left")
    return r + 1


def _time_text(ms: MonitorScore) -> str:
    time = ms.time_progress.percent
    text = f"{ms.month}/12 = {fixed(time, 2)}%" if time is not None else ""
    rate = ms.execution_rate
    if ms.lag is not None and rate is not None and rate.percent is not None:
        where = f"落后时间进度{fixed(ms.lag, 2)}个百分点" if ms.lag > 0 else f"领先时间进度{fixed(-ms.lag, 2)}个百分点"
        if ms.lag == 0:
            where = "与时间进度持平"
        text += f"；1—{ms.month}月执行率{fixed(rate.percent, 2)}%，{where}"
    return text


def _goals(form: Form, ev: Evaluation, ms: MonitorScore, row: int, last: int) -> int:
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    annual = (filing.overall if filing is not None else "") or (ev.goals.overall if ev.goals else "")
    put = form.put
    put(row, 1, "年度总体\n目标", rows=2, head=True)
    put(row, 2, "年初设定目标", cols=7, head=True)
    put(row, 9, f"1—{ms.month}月完成情况", cols=last - 8, head=True)
    put(row + 1, 2, annual.strip(), cols=7, align="left")
    put(row + 1, 9, ms.point.progress_text.strip(), cols=last - 8, align="left")
    return row + 2


def _value(p: Progress | None, key: str) -> str:
    if p is None:
        return ""
    q = getattr(p, key)
    return q.text if q is not None else (getattr(p, f"{key}_text") or "")


def _remark(p: Progress | None) -> str:
    if p is None:
        return ""
    parts = []
    if p.correction.strip():
        parts.append(f"纠偏措施：{p.correction.strip()}")
    if p.note.strip():
        parts.append(p.note.strip())
    return "\n".join(parts)


def _note(ev: Evaluation, ms: MonitorScore) -> str:
    lag = ev.ruleset.monitoring_lag
    filed = f"填报日期：{date_text(ms.point.filed)}。" if ms.point.filed else ""
    return (
        f"注：执行率＝执行数÷{ms.budget_label or '全年预算数'}，时间进度＝月份÷12；执行进度落后时间进度超过"
        f"{fixed(lag, 0) if lag == lag.to_integral_value() else fixed(lag, 2)}个百分点的，须说明原因和措施。"
        "偏差原因分析在对应栏目中说明原因；完成目标可能性在对应栏目中打“√”。" + filed
    )
