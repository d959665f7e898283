"""Weight checks: a group's stated weight equals its children's sum; a tree's weights add up to
the total its ruleset requires (100)."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import trimmed
from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for ts in card.trees():
        if ts.tree.broken:  # a node was dropped or a weight unreadable: already reported, totals would mislead
            continue
        required = ev.ruleset.self_total if ts.kind == "self_evaluation" else ev.ruleset.evaluation_total
        for ns in ts.walk():
            n = ns.node
            if n.is_group and n.weight is not None and ns.children:
                weights = [c.weight for c in ns.children]
                if all(w is not None for w in weights) and sum(weights, Decimal(0)) != n.weight:
                    out.append(
                        Diagnostic(
                            "S0101",
                            n.at("weight"),
                            {"group": n.name, "stated": trimmed(n.weight), "sum": trimmed(sum(weights, Decimal(0)))},
                        )
                    )
        roots = [(ns.name, ns.weight) for ns in ts.nodes]
        if ts.nodes and all(w is not None for _, w in roots) and ts.weight_total != required:
            detail = (
                " + ".join(f"{name} {trimmed(w)}" for name, w in roots if w is not None)
                + f" = {trimmed(ts.weight_total)}"
            )
            out.append(
                Diagnostic(
                    "S0102",
                    ts.tree.span,
                    {
                        "tree": ts.tree.title,
                        "sum": trimmed(ts.weight_total),
                        "required": trimmed(required),
                        "detail": detail,
                    },
                )
            )
    return out
