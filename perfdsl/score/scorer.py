"""Evaluation → ScoreCard, by the evaluation's ruleset. Pure: the same evaluation always gives
the same figures. Scores are rounded once, where each is made; subtotals add rounded parts, so
every total equals the sum of the figures a reader sees."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core import schema
from ..core.comparators import SYMBOL
from ..core.numbers import HUNDRED, ONE, ZERO, as_percent, fixed, round_half_up, trimmed
from ..core.quantity import Quantity
from ..model.evaluation import Evaluation, Funds, IndicatorTree, Node
from ..rules.ruleset import Ratio, Ruleset
from .scorecard import FundsScore, NodeScore, Rate, ScoreBasis, ScoreCard, TreeScore

FUND_LABELS = {key: schema.FUNDS.label(key) for key in ("budget", "received", "spent", "initial_budget")}


def score(ev: Evaluation, baseline: Baseline | None = None, department=None) -> ScoreCard:
    """Every figure of `ev`; with `baseline` (last year's evaluation, scored, and how the file
    names it), the year-over-year comparison too; with `department` (a 部门整体 file's roll-up of
    its members, score/department.py), the indicators its members' figures score."""
    rules = ev.ruleset
    card = ScoreCard(ruleset=rules, funds=_funds(ev.funds, rules), department=department)
    for tree in ev.trees():
        setattr(card, tree.kind.attribute, _tree(tree, ev, rules, department))
    # The stages of the year and last year's file: loaded only for a file that has them.
    if ev.lifecycle is not None:
        from .monitor import monitor_scores

        card.monitoring = monitor_scores(ev, rules, completion_ratio)
    if baseline is not None:
        from .compare import compare

        card.year_over_year = compare(ev, card, baseline.evaluation, baseline.scorecard, baseline.label)
    return card


@dataclass(frozen=True)
class Baseline:
    """Last year's evaluation as the scorer needs it."""

    evaluation: Evaluation
    scorecard: ScoreCard
    label: str  # as the file names it (上年评价 "…")


# ---------------------------------------------------------------- funds
def _fund_ratio(funds: Funds | None, ratio: Ratio, rules: Ruleset) -> Rate | None:
    if funds is None:
        return None
    num, den = funds.amount(ratio.numerator), funds.amount(ratio.denominator)
    if num is None or den is None or den.base_value == 0:
        return Rate(None, None, f"{FUND_LABELS[ratio.numerator]}/{FUND_LABELS[ratio.denominator]}")
    value = num.base_value / den.base_value
    shown_num, shown_den = _wan(num), _wan(den)
    percent = as_percent(value, rules.places)
    return Rate(
        value,
        percent,
        f"（{shown_num}/{shown_den}）×100% = {fixed(percent, rules.places)}%",
        {FUND_LABELS[ratio.numerator]: num, FUND_LABELS[ratio.denominator]: den},
        value * HUNDRED,
    )


def _wan(q: Quantity) -> str:
    """An amount as the reports write it in a formula: in 万元 when written so, else as written."""
    return trimmed(q.number)


def _funds(funds: Funds | None, rules: Ruleset) -> FundsScore:
    out = FundsScore()
    if funds is None:
        return out
    out.execution_rate = _fund_ratio(funds, rules.execution_rate, rules)
    out.arrival_rate = _fund_ratio(funds, rules.formulas.get("资金到位率", Ratio("received", "budget")), rules)
    if funds.expenses:
        total = sum((e.amount.base_value for e in funds.expenses), Decimal(0))
        out.breakdown_total = total / Decimal(10000)
    return out


# ---------------------------------------------------------------- trees
def _tree(tree: IndicatorTree, ev: Evaluation, rules: Ruleset, department=None) -> TreeScore:
    places = rules.places
    nodes = [_node(n, tree, ev, rules, None, department) for n in tree.nodes]
    total = sum([n.score for n in nodes if n.score is not None], ZERO)
    weight_total = sum([n.weight for n in nodes if n.weight is not None], ZERO)
    ts = TreeScore(tree=tree, nodes=nodes, total=total, weight_total=weight_total, grade=rules.grade(total))
    third = ts.third_level()
    ts.indicator_count = len(third)
    rates, stated, any_stated = [], [], False  # completion rates (capped), and as the report states them
    for n in third:
        if n.full_marks:
            ts.full_marks_count += 1
        if n.completion is not None and n.completion.ratio is not None:
            rate = _capped(n.completion.ratio, rules)
            rates.append(rate)
            given = _stated_ratio(n)
            any_stated = any_stated or given is not None
            stated.append(rate if given is None else given)
    if rates and len(rates) == len(third):
        mean = sum(rates, ZERO) / len(rates)
        percent = as_percent(mean, places)
        ts.overall_completion = Rate(mean, percent, (_mean_text, len(rates), percent, places), {"指标数": len(rates)})
        if any_stated:
            ts.overall_from_stated = as_percent(sum([_capped(s, rules) for s in stated], ZERO) / len(stated), places)
    for n in tree.leaves():
        if n.comparator:
            ts.quantitative_count += 1
            ts.targeted_count += 1
        elif n.qualitative_target is not None:
            ts.targeted_count += 1
    if ts.targeted_count:
        q = Decimal(ts.quantitative_count) / Decimal(ts.targeted_count)
        ts.quantified = Rate(
            q, as_percent(q, places), f"定量指标{ts.quantitative_count}个/全部指标{ts.targeted_count}个", {}
        )
    return ts


def _mean_text(count: int, percent: Decimal, places: int) -> str:
    return f"{count}个三级指标完成率的平均值 = {fixed(percent, places)}%"


def _stated_ratio(n: NodeScore) -> Decimal | None:
    s = n.node.stated_completion
    return s.number / HUNDRED if s is not None else None


def _capped(ratio: Decimal, rules: Ruleset) -> Decimal:
    if rules.completion_cap and ratio * HUNDRED > rules.completion_cap:
        return rules.completion_cap / HUNDRED
    return ratio


def _node(
    n: Node, tree: IndicatorTree, ev: Evaluation, rules: Ruleset, parent: Node | None, department=None
) -> NodeScore:
    if n.is_group:
        children = [_node(c, tree, ev, rules, n, department) for c in n.children]
        child_weights = [c.weight for c in children if c.weight is not None]
        weight = sum(child_weights, ZERO) if child_weights else n.weight
        parts = [c.score for c in children if c.score is not None]
        computed = sum(parts, ZERO) if parts else None
        places = rules.places
        ns = NodeScore(n, weight, computed, computed, children=children, formula=(_sum_text, parts, places))
        if n.score is not None:
            ns.score, ns.basis = round_half_up(n.score, places), ScoreBasis.OVERRIDE
            ns.formula = f"评价组评定 {fixed(n.score, places)}（按指标合计为 {fixed(computed or ZERO, places)}）"
        return ns
    kind = n.kind
    if kind == "formula":
        return _formula(n, tree, ev, rules, department)
    if kind == "quantitative":
        return _quantitative(n, rules, parent)
    return _judged(n, rules)


def _weight_of(n: Node, tree: IndicatorTree, rules: Ruleset) -> Decimal | None:
    if n.weight is not None:
        return n.weight
    if n.formula == "预算执行率" and tree.kind == "self_evaluation":
        return rules.execution_weight
    return None


def _formula(n: Node, tree: IndicatorTree, ev: Evaluation, rules: Ruleset, department=None) -> NodeScore:
    weight = _weight_of(n, tree, rules)
    ratio: Ratio | None
    if tree.kind == "self_evaluation" and n.formula == "预算执行率":
        ratio = rules.execution_rate
    else:
        ratio = rules.formulas.get(n.formula)
    rate = _fund_ratio(ev.funds, ratio, rules) if ratio else None
    if n.formula == "项目支出绩效" and ratio is None:
        rate = _members_rate(department, rules)
    ns = NodeScore(n, weight, None, None, completion=rate, basis=ScoreBasis.FORMULA)
    if rate is None or rate.ratio is None or rate.percent is None or weight is None:
        return ns
    factor = ONE if rate.ratio >= rules.formula_full_at else min(rate.ratio, ONE)
    used = factor if rules.score_from == "exact" else round_half_up(factor * HUNDRED, rules.places) / HUNDRED
    ns.score = ns.computed = round_half_up(weight * used, rules.places)
    ns.met = rate.ratio >= rules.formula_full_at
    full_note = f"（达到{fixed(rules.formula_full_at * HUNDRED, 0)}%即满分）" if rules.formula_full_at < ONE else ""
    ns.formula = f"{n.formula} = {rate.formula}；得分 = {fixed(rate.percent, rules.places)}% × {trimmed(weight)} = {fixed(ns.score, rules.places)}{full_note}"
    return ns


def _members_rate(department, rules: Ruleset) -> Rate | None:
    """项目支出绩效 of a 部门整体: the members' budget-weighted self-evaluation score, out of 100."""
    if department is None or department.weighted_mean_score is None:
        return None
    value = department.weighted_mean_score / HUNDRED
    percent = as_percent(value, rules.places)
    return Rate(
        value,
        percent,
        f"成员项目预算加权自评得分 {fixed(department.weighted_mean_score, rules.places)} / 100 = {fixed(percent, rules.places)}%",
        {},
        value * HUNDRED,
    )


def completion_ratio(comparator: str, target: Decimal, actual: Decimal, rules: Ruleset) -> tuple[Decimal, bool]:
    """The completion rate of a quantitative indicator and whether its target is met."""
    if comparator in (">=", ">"):
        met = actual >= target if comparator == ">=" else actual > target
        if target == 0:
            return (ONE if met else ZERO), met
        return actual / target, met
    if comparator in ("<=", "<"):
        met = actual <= target if comparator == "<=" else actual < target
        if met:
            return ONE, True
        if rules.completion_less == "linear":
            if target == 0:
                return ZERO, False
            return max(ZERO, ONE - (actual - target) / target), False
        return (target / actual if actual else ZERO), False
    big, small = max(target, actual), min(target, actual)
    if big == 0:
        return ONE, True
    return small / big, target == actual


def _quantitative(n: Node, rules: Ruleset, parent: Node | None) -> NodeScore:
    ns = NodeScore(n, n.weight, None, None, basis=ScoreBasis.COMPUTED)
    if n.comparator is None or n.target is None or n.actual is None or not n.target.compatible(n.actual):
        return ns
    t, a = n.target.base_value, n.actual.base_value
    if n.comparator in (">=", ">") and t == 0:
        return ns
    ratio, met = completion_ratio(n.comparator, t, a, rules)
    capped = _capped(ratio, rules)
    percent = as_percent(capped, rules.places)
    ns.met = met
    ns.completion = Rate(
        ratio,
        percent,
        (_completion_formula, n, ratio, met, rules, percent),
        {"目标值": n.target, "实际值": n.actual},
        capped * HUNDRED,
    )
    if not met:
        ns.deviation = HUNDRED - percent if percent < HUNDRED else None
    if n.weight is None:
        return ns
    factor = ratio
    if (
        rules.satisfaction_scoring == "rate"
        and parent is not None
        and parent.name in rules.satisfaction_kinds
        and n.actual.unit.is_percent
    ):
        factor = a / HUNDRED
    if rules.cap_at_weight:
        factor = min(factor, ONE)
    used = factor if rules.score_from == "exact" else round_half_up(factor * HUNDRED, rules.places) / HUNDRED
    places = rules.places
    computed = ns.score = ns.computed = round_half_up(n.weight * used, places)
    if n.score is not None:  # the evaluators' own score (e.g. a 偏离度 deduction), with its basis
        judged = ns.score = round_half_up(n.score, places)
        ns.basis = ScoreBasis.OVERRIDE
        ns.formula = (_override_text, judged, computed, places)
    elif met and factor >= ONE:
        ns.formula = (_full_marks_text, n.weight)
    else:
        ns.formula = (_score_text, n.weight, used, computed, places)
    return ns


def _sum_text(parts: list[Decimal], places: int) -> str:
    return " + ".join(fixed(p, places) for p in parts)


def _override_text(judged: Decimal, computed: Decimal, places: int) -> str:
    return f"评价组评定 {fixed(judged, places)}（按公式为 {fixed(computed, places)}）"


def _full_marks_text(weight: Decimal) -> str:
    return f"达到目标，得满分 {trimmed(weight)}"


def _score_text(weight: Decimal, used: Decimal, computed: Decimal, places: int) -> str:
    return f"得分 = {trimmed(weight)} × {fixed(used * HUNDRED, places)}% = {fixed(computed, places)}"


def _completion_formula(n: Node, ratio: Decimal, met: bool, rules: Ruleset, percent: Decimal) -> str:
    tgt, act = n.target, n.actual
    assert tgt is not None and act is not None and n.comparator is not None  # scored as quantitative
    t_text = tgt.text if tgt.unit.text == act.unit.text else f"{trimmed(tgt.in_unit(act.unit))}{act.unit.text}"
    shown = f"{fixed(percent, rules.places)}%"
    if n.comparator in ("<=", "<"):
        if met:
            return f"实际 {act.text} {SYMBOL[n.comparator]} 目标 {t_text}，达到目标：{shown}"
        if rules.completion_less == "linear":
            return f"1 − ({trimmed(act.number)} − {t_text})/{t_text} = {shown}"
        return f"目标/实际 = {t_text}/{act.text} = {shown}"
    if n.comparator == "=":
        small, big = (act.text, t_text) if act.base_value <= tgt.base_value else (t_text, act.text)
        return f"较小值/较大值 = {small}/{big} = {shown}"
    cap_note = (
        f"（按{fixed(rules.completion_cap, 0)}%列示）"
        if rules.completion_cap and ratio * HUNDRED > rules.completion_cap
        else ""
    )
    return f"实际/目标 = {act.text}/{t_text} = {fixed(as_percent(ratio, rules.places), rules.places)}%{cap_note}"


def _judged(n: Node, rules: Ruleset) -> NodeScore:
    ns = NodeScore(n, n.weight, None, None, basis=ScoreBasis.JUDGED)
    if n.score is None:
        return ns
    ns.score = ns.computed = round_half_up(n.score, rules.places)
    if n.weight:
        ratio = n.score / n.weight
        ns.completion = Rate(
            ratio,
            as_percent(_capped(ratio, rules), rules.places),
            f"得分/分值 = {trimmed(n.score)}/{trimmed(n.weight)}",
            {},
            _capped(ratio, rules) * HUNDRED,
        )
        ns.met = n.score >= n.weight
    ns.formula = f"评价组评定 {fixed(ns.score, rules.places)} 分" + (f"（{n.achievement}）" if n.achievement else "")
    return ns
