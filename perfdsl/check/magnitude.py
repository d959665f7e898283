"""Magnitude slips: an amount typed in 元 where 万元 was meant (or the reverse, or 元 for 千元).

A clerk copies "19.2" from a sheet kept in 万元 and writes 全年执行数 19.2元: every figure that
follows is computed correctly from a wrong number (预算执行率 0.01 %, a lower grade), and nothing
else looks wrong. The slip shows where amounts meet: the figure is off by 10⁴ (10³ for 千元) from
every amount it must be of a size with, and moved by that factor it fits. So each group of amounts
that must be of one size is compared, and a figure that fits only when moved by such a factor is
questioned at its line, with the value it was probably meant to have:

- the fund totals (年初预算数, 全年预算数, 到位资金, 全年执行数) with one another, and each source's
  own amounts with one another;
- a source or an expense that exceeds the total it is part of, or whose factor makes the parts add
  up to the total where they did not;
- an indicator's target and actual, when their units differ by the 万 prefix (285万条 against
  61.99条);
- a cost indicator's amount in money against the budget it is paid from.

Warnings, not errors: the factor is a likelihood, and the author knows. funds.check leaves out
its own comparisons of an amount found here (one slip, one diagnostic)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ..core import schema
from ..core.numbers import agrees_as_written, trimmed
from ..core.quantity import Quantity
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation, Funds

# Amounts of one group lie within this many decades of one another (执行率 3 %–3000 %); a figure
# further out than SUSPECT decades, which its factor brings within FITS of the others, is a slip.
SUSPECT = 2.5
FITS = 1.0
# Amounts whose largest is less than this many times the smallest are all within SUSPECT
# decades of one another (10^2.5 ≈ 316; less, so that float rounding never decides).
_ALL_NEAR = 300.0
# The factors a unit slip makes: 元 for 万元 (×10⁴), 万元 for 元 (×10⁻⁴), 元 for 千元 (×10³).
FACTORS = (Decimal(10_000), Decimal("0.0001"), Decimal(1_000))
COUNT_FACTORS = FACTORS[:2]  # 万条 against 条: only the 万 prefix can be lost or added
# A part (a source, an expense) written in 元 among totals in 万元 and smaller than this share of
# its total is a slip when, in 万元, it still fits within the total (209.62元 of 226.54万元).
TINY_PART = Decimal("0.001")


def _meant_unit(written: str, factor: Decimal) -> str:
    """The unit the author meant, when `written` is off by `factor`: 元 → 万元, 万条 → 条, 元 → 千元."""
    if factor == FACTORS[1]:
        return written[1:] if written.startswith("万") else written
    return ("万" if factor == FACTORS[0] else "千") + written


@dataclass(frozen=True)
class Slip:
    """An amount off by a unit (元 for 万元), what it was compared with and by what factor."""

    quantity: Quantity
    span: Span | None
    field: str
    against: str  # what it was compared with, named
    reference: Quantity
    factor: Decimal

    @property
    def suggestion(self) -> str:
        """The amount it was probably meant to be, in the unit of what it was compared with."""
        q = self.quantity
        meant = q.base_value * self.factor / self.reference.unit.multiplier
        if meant == q.number and q.text.endswith(q.unit.text):  # the digits stay as written: 5.00元 → 5.00万元
            return q.text[: len(q.text) - len(q.unit.text)] + self.reference.unit.text
        return f"{trimmed(meant)}{self.reference.unit.text}"

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            "U0201",
            self.span,
            {
                "field": self.field,
                "value": self.quantity.text,
                "against": self.against,
                "reference": self.reference.text,
                "slip": f"把「{_meant_unit(self.quantity.unit.text, self.factor)}」写成了「{self.quantity.unit.text}」",
                "slip_en": f"{self.quantity.unit.text} written for {_meant_unit(self.quantity.unit.text, self.factor)}",
                "suggestion": self.suggestion,
            },
        )


def _decades(a: Decimal, b: Decimal) -> float:
    return abs(math.log10(float(a / b)))


def _moved(q: Quantity, reference: Decimal, factors=FACTORS):
    """The factor that brings `q` next to `reference`, when `q` is far from it; else None."""
    value = q.base_value
    if value <= 0 or reference <= 0 or _decades(value, reference) < SUSPECT:
        return None
    distance, factor = min((_decades(value * f, reference), f) for f in factors)
    return factor if distance <= FITS else None


def _money(q: Quantity | None) -> bool:
    return q is not None and q.unit.is_money


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    return (
        ordered[len(ordered) // 2]
        if len(ordered) % 2
        else (ordered[len(ordered) // 2 - 1] * ordered[len(ordered) // 2]).sqrt()
    )


def _odd_one_out(named: list[tuple[Quantity, Span | None, str]]) -> list[Slip]:
    """In a group of amounts that must be of one size, each that is far from the others and fits
    them when moved by a slip's factor."""
    out: list[Slip] = []
    amounts = [(q, span, name) for q, span, name in named if q is not None and _money(q) and q.base_value > 0]
    values = [q.base_value for q, _, _ in amounts]
    if len(values) < 2 or float(max(values) / min(values)) < _ALL_NEAR:
        return out  # every reference lies between the smallest and the largest: none is far from it
    for i, (q, span, name) in enumerate(amounts):
        others = [o for j, o in enumerate(amounts) if j != i]
        if not others:
            continue
        reference = _median([o[0].base_value for o in others])
        moved = _moved(q, reference)
        if moved is None:
            continue
        if len(others) == 1 and others[0][0].unit.text == q.unit.text:
            continue  # two amounts in one unit: nothing says which of them is wrong
        # with two amounts, the one written in the other unit is the slip (19.2元 beside 20万元)
        if len(others) == 1 and _moved(others[0][0], q.base_value) is not None and q.unit.text == "万元":
            continue
        # named against the first of the others (the groups list the budget first) that is of the common size
        near = (
            next(o for o in others if _decades(o[0].base_value, reference) < FITS)
            if any(_decades(o[0].base_value, reference) < FITS for o in others)
            else others[0]
        )
        out.append(Slip(q, span, name, near[2], near[0], moved))
    return out


def _parts(parts: list[tuple[Quantity, Span | None, str]], total: Quantity, total_name: str) -> list[Slip]:
    """Parts of a total (sources, expenses): a part larger than the whole that fits when moved, or
    the one part whose move makes the parts add up to the total where they did not."""
    out = []
    base = sum((q.base_value for q, _, _ in parts), Decimal(0))
    adds_up = agrees_as_written(total.number, base / total.unit.multiplier)
    for q, span, name in parts:
        if not _money(q) or q.base_value <= 0:
            continue
        if (
            q.unit.multiplier < total.unit.multiplier  # 元 among 万元
            and q.base_value < total.base_value * TINY_PART
            and q.base_value * FACTORS[0] <= total.base_value
        ):
            out.append(Slip(q, span, name, total_name, total, FACTORS[0]))
            continue
        if adds_up and q.base_value <= total.base_value * 10:
            continue  # what follows looks for parts that do not add up, or a part ten times its total
        for factor in FACTORS:
            moved_sum = base - q.base_value + q.base_value * factor
            if not adds_up and moved_sum == total.base_value:  # exactly: a coincidence at 0.01 is not evidence
                out.append(Slip(q, span, name, total_name, total, factor))
                break
            if (
                factor < 1
                and q.base_value > total.base_value * 10
                and q.base_value * factor <= total.base_value
                and _moved(q, total.base_value, (factor,)) is not None
            ):
                out.append(Slip(q, span, name, total_name, total, factor))
                break
    return out


def _fund_slips(f: Funds) -> list[Slip]:
    label = schema.FUNDS.label
    keys = ("budget", "initial_budget", "received", "spent")  # the budget first: what others are named against
    out = _odd_one_out([(getattr(f, k), f.spans.get(k), label(k)) for k in keys])
    slipped_totals = {id(x.quantity) for x in out}
    for s in f.sources:
        own = _odd_one_out([(getattr(s, k), s.spans.get(k, s.span), f"「{s.name}」的{label(k)}") for k in keys])
        out += own
        for k in keys:
            total = getattr(f, k)
            part = getattr(s, k)
            if (
                _money(total)
                and part is not None
                and id(total) not in slipped_totals
                and not any(x.quantity is part for x in own)
            ):
                out += _parts([(part, s.spans.get(k, s.span), f"「{s.name}」的{label(k)}")], total, label(k))
    spent = f.spent
    if _money(spent) and f.expenses and not any(x.quantity is spent for x in out):
        assert spent is not None
        out += _parts([(e.amount, e.span, f"支出「{e.name}」") for e in f.expenses], spent, label("spent"))
    return out


def _indicator_slips(ev: Evaluation, budget: Quantity | None, cost_kinds) -> list[Slip]:
    out = []
    for tree in ev.trees():
        for n in tree.leaves():
            target, actual = n.target, n.actual
            if (
                target is not None
                and actual is not None
                and target.compatible(actual)
                and target.unit.multiplier != actual.unit.multiplier  # 万条 against 条, 万元 against 元
            ):
                factors = FACTORS if _money(actual) else COUNT_FACTORS
                moved = _moved(actual, target.base_value, factors)
                if moved is not None:
                    out.append(Slip(actual, n.at("actual"), f"「{n.name}」的实际完成值", "目标", target, moved))
                    continue
            parent = n.path[-2] if len(n.path) > 1 else ""
            if parent in cost_kinds and _money(budget) and budget is not None:
                for q, key, what in ((target, "target", "目标"), (actual, "actual", "实际完成值")):
                    if _money(q) and q is not None and "/" not in q.unit.text and q.base_value > budget.base_value * 10:
                        # a cost is a part of the budget: in 元 instead of 万元 it fits within it
                        moved = FACTORS[1] if q.base_value * FACTORS[1] <= budget.base_value else None
                        if moved is not None:
                            out.append(Slip(q, n.at(key), f"成本指标「{n.name}」的{what}", "全年预算数", budget, moved))
                            break
    return out


def slips(ev: Evaluation) -> list[Slip]:
    out: list[Slip] = []
    if ev.funds is not None:
        out += _fund_slips(ev.funds)
    budget = ev.funds.budget if ev.funds is not None else None
    if budget is not None and any(s.quantity is budget for s in out):
        budget = None  # a slipped budget is no measure for the cost indicators
    out += _indicator_slips(ev, budget, ev.ruleset.cost_kinds)
    seen: set[int] = set()
    unique = []
    for s in out:  # an amount questioned once, against the first thing it was compared with
        if id(s.quantity) not in seen:
            seen.add(id(s.quantity))
            unique.append(s)
    return unique
