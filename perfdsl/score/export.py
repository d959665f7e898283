"""The ScoreCard as plain data: the `perfdsl score --format json` document. Decimal figures are
strings as displayed ("96.39"), never floats. Others depend on these names: add, never rename."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import fixed, trimmed
from ..model.evaluation import Evaluation
from .monitor import MonitorScore, ProgressScore, wan
from .scorecard import NodeScore, Rate, ScoreCard, TreeScore

FORMAT_VERSION = 1


def _d(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else fixed(value, places)


def _rate(rate: Rate | None) -> str | None:
    return None if rate is None or rate.percent is None else fixed(rate.percent, 2)


def _item(ns: NodeScore) -> dict:
    n = ns.node
    item = {
        "path": list(ns.path),
        "level": n.level,
        "kind": n.kind,
        "weight": None if ns.weight is None else trimmed(ns.weight),
        "score": _d(ns.score),
        "completion": _rate(ns.completion),
        "source": ns.basis.value,
        "formula": ns.formula,
    }
    if ns.computed is not None and ns.computed != ns.score:
        item["computed_score"] = _d(ns.computed)
    if n.comparator:
        item["target"] = n.target_text() or None
        item["actual"] = n.actual.text if n.actual else None
    elif n.qualitative_target is not None:
        item["target"], item["actual"] = n.qualitative_target, n.actual_text
    if ns.completion is not None and ns.completion.formula:
        item["completion_formula"] = ns.completion.formula
    if ns.deviation is not None:
        item["deviation"] = _d(ns.deviation)
    return item


def tree_data(ts: TreeScore | None) -> dict | None:
    if ts is None:
        return None
    return {
        "title": ts.tree.title,
        "total": _d(ts.total),
        "grade": ts.grade,
        "weight_total": trimmed(ts.weight_total),
        "overall_completion": _rate(ts.overall_completion),
        "deviation": _d(ts.deviation),
        "quantified_rate": _rate(ts.quantified),
        "indicator_count": ts.indicator_count,
        "full_marks_count": ts.full_marks_count,
        "items": [_item(ns) for ns in ts.walk()],
    }


def scorecard_data(ev: Evaluation, card: ScoreCard) -> dict:
    f = ev.funds
    funds = {
        "execution_rate": _rate(card.funds.execution_rate),
        "arrival_rate": _rate(card.funds.arrival_rate),
    }
    if f is not None:
        for key in ("initial_budget", "budget", "received", "spent"):
            q = getattr(f, key)
            funds[key] = q.text if q is not None else None
    if card.funds.breakdown_total is not None:
        funds["breakdown_total"] = fixed(card.funds.breakdown_total, 2) + "万元"
    p = ev.project
    return {
        "format_version": FORMAT_VERSION,
        "file": ev.file,
        "project": None
        if p is None
        else {"name": p.name, "year": p.year, "unit": p.unit, **({"department": p.department} if p.department else {})},
        "ruleset": card.ruleset.name,
        "funds": funds,
        "self_evaluation": tree_data(card.self_evaluation),
        "evaluation": tree_data(card.framework),
        "year_over_year": card.year_over_year.to_data() if card.year_over_year is not None else None,
        **({"monitor": monitor_data(card.monitor)} if card.monitor is not None else {}),
        **({"department": card.department.data()} if card.department is not None else {}),
    }


def _progress_item(item: ProgressScore) -> dict:
    n, p = item.node, item.progress
    if n.comparator and n.target is not None:
        target: str | None = f"{n.comparator_text}{n.target.text}"
    else:
        target = n.qualitative_target
    return {
        "path": list(item.path),
        "target": target,
        "actual_to_date": p.to_date.text if p.to_date is not None else p.to_date_text,
        "forecast": p.forecast.text if p.forecast is not None else p.forecast_text,
        "forecast_completion": _rate(item.forecast_completion),
        "forecast_met": item.forecast_met,
        "possibility": p.possibility,
        "deviation_causes": [{"category": c.column, "text": c.text} for c in p.causes],
        "correction": p.correction or None,
        "note": p.note or None,
    }


def monitor_data(m: MonitorScore) -> dict:
    """The latest monitoring point (a file with a 监控 N月 only): amounts in 万元, rates as
    percent strings rounded once, half-up."""
    point = m.point
    return {
        "as_of_month": m.month,
        "budget": wan(m.budget) if m.budget is not None else None,
        "budget_from": m.budget_label or None,
        "spent_to_date": wan(point.spent) if point.spent is not None else None,
        "execution_rate": _rate(m.execution_rate),
        "time_progress": _rate(m.time_progress),
        "lag": _d(m.lag),
        "forecast_spent": wan(point.forecast) if point.forecast is not None else None,
        "forecast_rate": _rate(m.forecast_rate),
        "items": [_progress_item(i) for i in m.items],
    }
