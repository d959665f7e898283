"""`perfdsl explain`: every figure with the formula that made it, and for every point lost, why."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import fixed, trimmed
from ..model.evaluation import Evaluation
from .monitor import MonitorScore
from .scorecard import NodeScore, ScoreBasis, ScoreCard, TreeScore


def explain(ev: Evaluation, card: ScoreCard) -> str:
    lines: list[str] = []
    title = ev.project.name if ev.project else ev.file
    lines.append(f"{title}（评价规则：{card.ruleset.title} / {card.ruleset.name}）")
    er, ar = card.funds.execution_rate, card.funds.arrival_rate
    if er and er.percent is not None:
        lines.append(f"  预算执行率 = 全年执行数/全年预算数 = {er.formula}")
    if ar and ar.percent is not None:
        lines.append(f"  资金到位率 = 到位资金/全年预算数 = {ar.formula}")
    for ts in card.trees():
        lines.append("")
        lines.extend(_tree(ts))
    if card.monitor is not None:
        lines.append("")
        lines.extend(_monitor(card.monitor, card.ruleset.monitoring_lag))
    return "\n".join(lines) + "\n"


def _monitor(ms: MonitorScore, limit) -> list[str]:
    """The latest monitoring point: money against time, and each indicator's forecast."""
    p = ms.point
    filed = f"，填报 {p.filed}" if p.filed else ""
    out = [f"运行监控（截至{ms.month}月{filed}）"]
    for rate in (ms.execution_rate, ms.time_progress, ms.forecast_rate):
        if rate is not None and rate.percent is not None:
            out.append(f"  {rate.formula}")
    if ms.lag is not None:
        side = f"落后时间进度 {fixed(ms.lag, 2)}" if ms.lag > 0 else f"领先时间进度 {fixed(-ms.lag, 2)}"
        out.append(f"  执行进度{side} 个百分点（评价规则允许落后 {trimmed(limit)} 个百分点）")
    for item in ms.items:
        pr, n = item.progress, item.node
        done = pr.to_date.text if pr.to_date is not None else pr.to_date_text
        parts = [f"已完成 {done}"] if done else []
        if item.forecast_completion is not None:
            verdict = "达到目标" if item.forecast_met else "达不到目标"
            parts.append(f"{item.forecast_completion.formula}，{verdict}")
        elif pr.forecast is not None or pr.forecast_text:
            parts.append(f"全年预计 {pr.forecast.text if pr.forecast is not None else pr.forecast_text}")
        if pr.possibility:
            parts.append(f"可能性 {pr.possibility}")
        out.append(f"  {' › '.join(n.path)}：{'；'.join(parts)}")
    return out


def _tree(ts: TreeScore) -> list[str]:
    out = [f"{ts.tree.title}：总分 {fixed(ts.total, 2)} / {trimmed(ts.weight_total)}，等级「{ts.grade}」"]
    parts = " + ".join(f"{ns.name} {fixed(ns.score, 2) if ns.score is not None else '—'}" for ns in ts.nodes)
    out.append(f"  总分 = {parts}")
    lost_total = sum((ns.lost for ns in ts.nodes if ns.lost is not None), start=Decimal(0))
    if lost_total:
        out.append(f"  共失分 {fixed(lost_total, 2)}：")
        for ns in ts.walk():
            out.extend(_lost(ns))
    else:
        out.append("  没有失分。")
    if ts.overall_completion is not None and ts.deviation is not None:
        out.append(f"  总体完成率 = {ts.overall_completion.formula}；偏差率 {fixed(ts.deviation, 2)}%")
    if ts.quantified is not None and ts.quantified.percent is not None:
        out.append(f"  指标量化率 = {ts.quantified.formula} = {fixed(ts.quantified.percent, 2)}%")
    out.append(f"  满分指标 {ts.full_marks_count} 个 / 三级指标 {ts.indicator_count} 个")
    return out


def _lost(ns: NodeScore) -> list[str]:
    if ns.lost is None or ns.lost <= 0:
        return []
    where = " › ".join(ns.path)
    n = ns.node
    if ns.children and ns.basis != ScoreBasis.OVERRIDE:
        return []  # its indicators explain it
    lines = [f"  − {fixed(ns.lost, 2)}  {where}"]
    if n.comparator and n.target is not None and n.actual is not None:
        lines.append(f"        目标 {n.comparator_text}{n.target.text}，实际 {n.actual.text}")
    if ns.completion is not None and ns.completion.formula:
        lines.append(f"        完成率：{ns.completion.formula}")
    lines.append(f"        {ns.formula}")
    if n.basis:
        basis = n.basis.replace("\n", " ")
        lines.append(f"        依据：{basis[:120]}{'…' if len(basis) > 120 else ''}")
    if n.reason:
        lines.append(f"        偏差原因：{n.reason}")
    return lines
