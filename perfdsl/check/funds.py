"""Funds checks: 执行数 ≤ 到位 ≤ 预算, the sources and the spending breakdown add up, figures
compared at the precision they were written with."""

from __future__ import annotations

from decimal import Decimal

from ..core import schema
from ..core.numbers import agrees_as_written, decimals_written, round_half_up, trimmed
from ..core.quantity import Quantity
from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation, at_self_evaluation
from ..score.scorecard import ScoreCard


def _money(value: Decimal, like: Quantity) -> str:
    """An amount in base 元, shown in the unit and precision of `like` (2.54万元, 226.54万元)."""
    shown = round_half_up(value / like.unit.multiplier, max(2, decimals_written(like.number)))
    return f"{trimmed(shown)}{like.unit.text}"


def _agrees(total: Decimal, stated: Quantity) -> bool:
    """Does a sum in 元 equal a stated amount to the precision the amount was written with?"""
    return agrees_as_written(stated.number, total / stated.unit.multiplier)


def check(ev: Evaluation, card: ScoreCard, slipped: set[int]) -> list[Diagnostic]:
    """`slipped`: the amounts (by identity) check/magnitude.py questions as off by 10⁴ from their
    siblings, with the value they were probably meant to have; the comparisons they spoil here
    would only say the same again, so they are left out."""
    f = ev.funds
    out: list[Diagnostic] = []

    def sound(*amounts) -> bool:
        return not any(id(a) in slipped for a in amounts if a is not None)

    if f is None:
        needs = at_self_evaluation(ev) and any(n.formula for t in ev.trees() for n in t.leaves())
        if needs and ev.project is not None and not ev.unknown_blocks:  # a misspelt 资金 is reported already
            span = next(n.at("name") for t in ev.trees() for n in t.leaves() if n.formula)
            out.append(Diagnostic("F0105", span))
        return out
    budget, received, spent = f.budget, f.received, f.spent
    if spent is not None:
        upper, upper_name = (
            (received, schema.FUNDS.label("received"))
            if received is not None
            else (budget, schema.FUNDS.label("budget"))
        )
        if upper is not None and spent.base_value > upper.base_value and sound(spent, upper):
            out.append(
                Diagnostic(
                    "F0102", f.spans.get("spent"), {"spent": spent.text, "upper": upper.text, "upper_name": upper_name}
                )
            )
    if (
        received is not None
        and budget is not None
        and received.base_value > budget.base_value
        and sound(received, budget)
    ):
        out.append(Diagnostic("F0103", f.spans.get("received"), {"received": received.text, "budget": budget.text}))
    if f.expenses and spent is not None and sound(spent, *(e.amount for e in f.expenses)):
        total = sum((e.amount.base_value for e in f.expenses), Decimal(0))
        if not _agrees(total, spent):
            out.append(
                Diagnostic(
                    "F0101",
                    f.expenses[0].span,
                    {
                        "sum": _money(total, spent),
                        "spent": spent.text,
                        "difference": _money(abs(total - spent.base_value), spent),
                    },
                )
            )
    for column in ("initial_budget", "budget", "spent"):
        label = schema.FUNDS.label(column)
        total_q = getattr(f, column)
        parts = [getattr(s, column) for s in f.sources]
        if total_q is None or not f.sources or any(p is None for p in parts) or not sound(total_q, *parts):
            continue
        total = sum((p.base_value for p in parts), Decimal(0))
        if not _agrees(total, total_q):
            out.append(
                Diagnostic(
                    "F0104", f.sources[0].span, {"column": label, "sum": _money(total, total_q), "total": total_q.text}
                )
            )
    return out
