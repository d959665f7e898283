"""`perfdsl explain`: every figure with the formula that made it, and for every point lost, why."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import fixed, trimmed
from ..model.evaluation import Evaluation
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
    return "\n".join(lines) + "\n"


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
