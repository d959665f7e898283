"""Audit: every figure a submitted report states (`陈述…`) against the one its own data give.

One mistake gives one diagnostic: an evaluators' subtotal that deducts for an indicator whose
stated completion is wrong is reported once, at the subtotal, naming the indicator; sibling
subtotals that contradict their rows are reported together."""

from __future__ import annotations

from decimal import Decimal

from ..core.comparators import SYMBOL
from ..core.numbers import HUNDRED, agrees_as_written, decimals_written, fixed, round_half_up, trimmed
from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..score.scorecard import NodeScore, ScoreBasis, ScoreCard, TreeScore


def _pct(value: Decimal | None, like: Decimal | None = None, places: int = 2) -> str:
    if value is None:
        return "—"
    if like is not None:
        places = decimals_written(like)
    return f"{fixed(value, places)}%"


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    _funds(ev, card, out)
    for ts in card.trees():
        explained: set[int] = set()
        _overrides(ts, out, explained)
        _completions(ts, out, explained)
        _subtotals(ts, out)
        _tree_figures(ts, out)
    return out


def _funds(ev: Evaluation, card: ScoreCard, out: list) -> None:
    f = ev.funds
    if f is None:
        return
    for stated, rate, label, key in (
        (f.stated_execution_rate, card.funds.execution_rate, "预算执行率", "stated_execution_rate"),
        (f.stated_arrival_rate, card.funds.arrival_rate, "资金到位率", "stated_arrival_rate"),
    ):
        if stated is None or rate is None or rate.ratio is None:
            continue
        computed = rate.ratio * HUNDRED
        if not agrees_as_written(stated.number, computed):
            out.append(
                Diagnostic(
                    "A0106",
                    f.spans.get(key),
                    {"figure": label, "stated": stated.text, "computed": _pct(computed, stated.number)},
                )
            )


def _shown_completion(ns: NodeScore) -> Decimal | None:
    """The completion rate as the rules display it (capped where they cap), unrounded."""
    return ns.completion.shown if ns.completion is not None else None


def _completion_mismatch(ns: NodeScore) -> bool:
    stated = ns.node.stated_completion
    shown = _shown_completion(ns)
    return stated is not None and shown is not None and not agrees_as_written(stated.number, shown)


def _met_note(ns: NodeScore) -> str:
    """Say the target was met when the report's figure implies it was missed."""
    n = ns.node
    stated = n.stated_completion
    if stated is None or stated.number >= HUNDRED:
        return ""
    if ns.met and n.comparator in ("<=", "<", ">=", ">", "=") and n.target is not None and n.actual is not None:
        return f"（实际 {n.actual.text} {SYMBOL[n.comparator]} 目标 {n.target.text}，已达到目标）"
    return ""


def _overrides(ts: TreeScore, out: list, explained: set[int]) -> None:
    for ns in ts.walk():
        if not ns.children or ns.basis != ScoreBasis.OVERRIDE or ns.computed is None or ns.score == ns.computed:
            continue  # a group's judged subtotal; a single indicator's judged score needs only its basis
        wrong = [c for c in ns.walk() if c is not ns and not c.children and _completion_mismatch(c)]
        if wrong:
            parts = []
            for c in wrong:
                explained.add(id(c))
                parts.append(
                    f"「{c.name}」{_met_note(c) or ''}报告列完成率 {c.node.stated_completion.text}，"
                    f"按数据应为 {_pct(_shown_completion(c), c.node.stated_completion.number)}"
                )
            cause = "；其中" + "；".join(parts)
        elif all(c.met for c in ns.walk() if not c.children and c is not ns and c.met is not None):
            cause = "；其下指标均已达到目标"
        else:
            cause = ""
        out.append(
            Diagnostic(
                "S0103",
                ns.node.at("score"),
                {"group": ns.name, "score": fixed(ns.score, 2), "computed": fixed(ns.computed, 2), "cause": cause},
            )
        )


def _completions(ts: TreeScore, out: list, explained: set[int]) -> None:
    for ns in ts.walk():
        if ns.children or id(ns) in explained:
            continue
        n = ns.node
        if _completion_mismatch(ns):
            out.append(
                Diagnostic(
                    "A0101",
                    n.at("stated_completion"),
                    {
                        "item": ns.name,
                        "stated": n.stated_completion.text,
                        "computed": _pct(_shown_completion(ns), n.stated_completion.number),
                        "detail": _met_note(ns),
                    },
                )
            )
            continue  # its deviation, if stated, follows from the same slip
        if n.stated_deviation is not None and (shown := _shown_completion(ns)) is not None:
            places = decimals_written(n.stated_deviation.number)
            expected = HUNDRED - round_half_up(shown, places) if not ns.met else Decimal(0)
            if expected != n.stated_deviation.number and not (ns.met and n.stated_deviation.number == 0):
                out.append(
                    Diagnostic(
                        "A0108",
                        n.at("stated_deviation"),
                        {
                            "item": ns.name,
                            "stated": n.stated_deviation.text,
                            "computed": _pct(expected, n.stated_deviation.number),
                        },
                    )
                )
        if n.stated_score is not None and ns.score is not None:
            if not agrees_as_written(n.stated_score, ns.score):
                code = "A0102"
            elif _whole_number_slip(n.stated_score, ns.score):
                code = "A0111"
            else:
                continue
            out.append(
                Diagnostic(
                    code,
                    n.at("stated_score"),
                    {"item": ns.name, "stated": trimmed(n.stated_score), "computed": fixed(ns.score, 2)},
                )
            )


def _subtotals(ts: TreeScore, out: list) -> None:
    """Stated group scores; siblings that disagree are reported together, once."""
    _sibling_subtotals(ts.nodes, out)


def _sibling_subtotals(siblings: list[NodeScore], out: list) -> None:
    """(A function of the module, not one nested in _subtotals: a nested function that calls
    itself is a reference cycle, which would keep the file's diagnostics until the collector's
    next full pass.)"""
    wrong = [
        (ns, stated, score)
        for ns in siblings
        if ns.children
        and (stated := ns.node.stated_score) is not None
        and (score := ns.score) is not None
        and not agrees_as_written(stated, score)
    ]
    if len(wrong) >= 2:
        details = "；".join(
            f"{ns.name} 报告列 {trimmed(stated)}，明细合计 {trimmed(round_half_up(score, 2))}"
            for ns, stated, score in wrong
        )
        stated_sum = sum((stated for _, stated, _ in wrong), Decimal(0))
        real_sum = sum((score for _, _, score in wrong), Decimal(0))
        agreement = "两者之和相同，总分不受影响" if stated_sum == real_sum else "总分因此也不相符"
        out.append(
            Diagnostic("A0107", wrong[0][0].node.at("stated_score"), {"details": details, "agreement": agreement})
        )
    elif wrong:
        ns, stated, score = wrong[0]
        out.append(
            Diagnostic(
                "A0102",
                ns.node.at("stated_score"),
                {"item": ns.name, "stated": trimmed(stated), "computed": fixed(score, 2)},
            )
        )
    for ns in siblings:
        if ns.children:
            _sibling_subtotals(ns.children, out)


def _tree_figures(ts: TreeScore, out: list) -> None:
    t = ts.tree
    if t.stated_total is not None and (
        not agrees_as_written(t.stated_total, ts.total) or _whole_number_slip(t.stated_total, ts.total)
    ):
        out.append(
            Diagnostic(
                "A0103" if not agrees_as_written(t.stated_total, ts.total) else "A0112",
                t.spans.get("stated_total"),
                {"tree": t.title, "stated": trimmed(t.stated_total), "computed": fixed(ts.total, 2)},
            )
        )
    stated = t.stated_overall_completion
    if stated is not None and ts.overall_completion is not None and ts.overall_completion.ratio is not None:
        computed = ts.overall_completion.ratio * HUNDRED
        if not agrees_as_written(stated.number, computed):
            detail = ""
            if ts.overall_from_stated is not None:
                detail = f"；即使按报告自己所列各指标完成率计算，也应为 {_pct(ts.overall_from_stated, stated.number)}"
            out.append(
                Diagnostic(
                    "A0104",
                    t.spans.get("stated_overall_completion"),
                    {"stated": stated.text, "computed": _pct(computed, stated.number), "detail": detail},
                )
            )
    q = t.stated_quantified_rate
    quantified = ts.quantified.ratio if ts.quantified is not None else None
    if q is not None and quantified is not None and not agrees_as_written(q.number, quantified * HUNDRED):
        out.append(
            Diagnostic(
                "A0105",
                t.spans.get("stated_quantified_rate"),
                {
                    "stated": q.text,
                    "computed": _pct(quantified * HUNDRED),
                    "quantitative": ts.quantitative_count,
                    "total": ts.targeted_count,
                },
            )
        )
    if t.stated_full_marks is not None and t.stated_full_marks != ts.full_marks_count:
        out.append(
            Diagnostic(
                "A0109",
                t.spans.get("stated_full_marks"),
                {"stated": trimmed(t.stated_full_marks), "computed": ts.full_marks_count},
            )
        )
    if t.stated_grade is not None and ts.grade and t.stated_grade.strip() != ts.grade:
        out.append(
            Diagnostic(
                "A0110",
                t.spans.get("stated_grade"),
                {"tree": t.title, "stated": t.stated_grade, "computed": ts.grade, "total": fixed(ts.total, 2)},
            )
        )


def _whole_number_slip(stated: Decimal, computed: Decimal) -> bool:
    """A score printed as a whole number that the computation gives with a fraction: 9 for 8.62
    agrees once rounded to the unit, but scores are kept to two places, so the table rounded
    (or guessed) where it should have computed."""
    return decimals_written(stated) == 0 and round_half_up(computed, 2) != stated
