"""Indicator checks: each indicator has what its kind needs (a target and an actual, or a judged
score with its basis, or a known formula), units that agree, a comparator that suits its kind."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import HUNDRED, trimmed
from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation, Node, at_self_evaluation, with_parents
from ..model.resolve import DEPARTMENT_FORMULAS
from ..rules.ruleset import Ruleset
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    rules = ev.ruleset
    # An actual value or a score is due at the self-evaluation; in a file with a 申报, a filed
    # indicator without one is reported against its filing (check/lifecycle.py, L0206).
    due = at_self_evaluation(ev) and (ev.lifecycle is None or ev.lifecycle.filing is None)
    for tree in ev.trees():
        if not tree.nodes:
            out.append(Diagnostic("I0117", tree.span))
        for parent, node in with_parents(tree.nodes):
            if node.is_group:
                if node.score is not None:
                    out.extend(_judged_score(node))
                continue
            out.extend(_leaf(node, parent, rules, tree.kind, due or tree.kind != "self_evaluation"))
    return out


def _leaf(n: Node, parent: Node | None, rules: Ruleset, tree_kind: str, due: bool = True) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    name_span = n.at("name")
    kind = n.kind
    if (
        n.weight is None
        and "weight" not in n.spans
        and not (kind == "formula" and n.formula == "预算执行率" and tree_kind == "self_evaluation")
    ):
        out.append(Diagnostic("I0111", name_span, {"indicator": n.name}))
    if kind == "formula":
        if n.formula not in rules.formulas and n.formula != "预算执行率" and n.formula not in DEPARTMENT_FORMULAS:
            out.append(
                Diagnostic(
                    "I0110", n.at("formula"), {"formula": n.formula, "available": "、".join(sorted(rules.formulas))}
                )
            )
        return out
    if kind == "quantitative":
        assert n.target is not None  # a comparator and a target make it quantitative
        if n.actual is None:
            if n.actual_text is not None:
                out.append(
                    Diagnostic(
                        "I0116",
                        n.at("actual"),
                        {"indicator": n.name, "expected": f"数值（与目标值 {n.target.text} 同单位）"},
                    )
                )
            elif due:
                out.append(Diagnostic("I0102", name_span, {"indicator": n.name}))
        elif not n.target.compatible(n.actual):
            out.append(
                Diagnostic(
                    "U0101",
                    n.at("actual"),
                    {
                        "indicator": n.name,
                        "target_unit": n.target.unit.text or "无单位",
                        "actual_unit": n.actual.unit.text or "无单位",
                    },
                )
            )
        if n.target.base_value == 0 and n.comparator in (">=", ">"):
            out.append(Diagnostic("I0113", n.at("target"), {"indicator": n.name}))
        if parent is not None and parent.name in rules.cost_kinds and n.comparator in (">=", ">"):
            out.append(
                Diagnostic(
                    "I0103",
                    n.at("target"),
                    {"indicator": n.name, "comparator": n.comparator_text, "target": n.target.text},
                )
            )
        if n.score is not None:
            out.extend(_judged_score(n))
        return out
    if kind == "qualitative":
        if n.actual is not None:
            out.append(Diagnostic("I0116", n.at("actual"), {"indicator": n.name, "expected": '文字（如 "提高"）'}))
        if n.score is None:
            if due:
                out.append(Diagnostic("I0107", name_span, {"indicator": n.name}))
            return out
    elif n.score is None:  # judged
        out.append(Diagnostic("I0101", name_span, {"indicator": n.name}))
        return out
    out.extend(_judged_score(n))
    if n.achievement is not None:
        band = rules.band(n.achievement)
        if band is None:
            out.append(
                Diagnostic(
                    "I0112",
                    n.at("achievement"),
                    {"value": n.achievement, "available": "、".join(b.name for b in rules.qualitative_bands)},
                )
            )
        elif n.weight and n.score is not None:
            low, high = n.weight * band.low / HUNDRED, n.weight * band.high / HUNDRED
            if not low <= n.score <= high:
                out.append(
                    Diagnostic(
                        "I0105",
                        n.at("score"),
                        {
                            "indicator": n.name,
                            "band": band.name,
                            "low": trimmed(low),
                            "high": trimmed(high),
                            "score": trimmed(n.score),
                        },
                    )
                )
    return out


def _judged_score(n: Node) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if n.score is None:
        return out
    if not n.basis.strip():
        out.append(Diagnostic("I0104", n.at("score"), {"indicator": n.name, "score": trimmed(n.score)}))
    if n.weight is not None and n.score > n.weight:
        out.append(
            Diagnostic(
                "I0106", n.at("score"), {"indicator": n.name, "score": trimmed(n.score), "weight": trimmed(n.weight)}
            )
        )
    if n.score < 0:
        out.append(
            Diagnostic(
                "I0106",
                n.at("score"),
                {"indicator": n.name, "score": trimmed(n.score), "weight": trimmed(n.weight or Decimal(0))},
            )
        )
    return out
