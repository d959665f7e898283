"""部门整体: a department's members rolled up — Σ 全年预算数, Σ 全年执行数, their 执行率, the mean
and the budget-weighted self-evaluation score (Σ score × 全年预算数 / Σ 全年预算数 over the members
that have a 自评表), the grades — from each member's own evaluation and scorecard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.numbers import HUNDRED, fixed, trimmed
from ..core.quantity import parse_quantity
from ..model.evaluation import Evaluation, Funds
from .monitor import WAN
from .scorecard import ScoreCard


@dataclass(frozen=True)
class Member:
    path: str  # relative to the department's file, as `score` JSON gives it
    evaluation: Evaluation | None
    scorecard: ScoreCard | None
    errors: int = 0


@dataclass
class Rollup:
    members: list[str] = field(default_factory=list)
    budget: Decimal = Decimal(0)  # 万元
    spent: Decimal = Decimal(0)
    initial_budget: Decimal | None = Decimal(0)
    scored: int = 0
    mean_score: Decimal | None = None
    weighted_mean_score: Decimal | None = None
    grades: Counter = field(default_factory=Counter)
    unscored: list[str] = field(default_factory=list)  # members without figures (errors, no funds)
    rows: list[dict] = field(default_factory=list)  # each member's figures, for the report

    @property
    def execution_rate(self) -> Decimal | None:
        return self.spent / self.budget * HUNDRED if self.budget else None

    def funds(self) -> Funds | None:
        """The department's funds when its file gives none: its members' sums."""
        if not self.budget:
            return None
        initial = parse_quantity(f"{trimmed(self.initial_budget)}万元") if self.initial_budget is not None else None
        return Funds(
            initial_budget=initial,
            budget=parse_quantity(f"{trimmed(self.budget)}万元"),
            spent=parse_quantity(f"{trimmed(self.spent)}万元"),
        )

    def data(self) -> dict:
        return {
            "members": self.members,
            "budget": f"{trimmed(self.budget)}万元",
            "spent": f"{trimmed(self.spent)}万元",
            "execution_rate": None if self.execution_rate is None else fixed(self.execution_rate, 2),
            "mean_score": None if self.mean_score is None else fixed(self.mean_score, 2),
            "weighted_mean_score": None if self.weighted_mean_score is None else fixed(self.weighted_mean_score, 2),
            "grades": dict(self.grades),
            "unscored": self.unscored,
        }


def _wan(q) -> Decimal | None:
    return None if q is None or not q.unit.is_money else q.base_value / WAN


def roll_up(members: list[Member]) -> Rollup:
    out = Rollup(members=[m.path for m in members])
    scores, weighted, weights = [], Decimal(0), Decimal(0)
    for m in members:
        ev, card = m.evaluation, m.scorecard
        funds = ev.funds if ev is not None else None
        budget, spent = (_wan(funds.budget), _wan(funds.spent)) if funds is not None else (None, None)
        if budget is None or spent is None or m.errors:
            out.unscored.append(m.path)
            if budget is None or spent is None:
                continue
        out.budget += budget
        out.spent += spent
        initial = _wan(funds.initial_budget) if funds is not None else None
        out.initial_budget = None if initial is None or out.initial_budget is None else out.initial_budget + initial
        own = card.self_evaluation if card is not None else None
        framework = card.framework if card is not None else None
        out.rows.append(
            {
                "path": m.path,
                "project": ev.project.name if ev is not None and ev.project is not None else m.path,
                "budget": f"{trimmed(budget)}万元",
                "spent": f"{trimmed(spent)}万元",
                "execution_rate": fixed(spent / budget * HUNDRED, 2) if budget else None,
                "self_evaluation": f"{fixed(own.total, 2)}（{own.grade}）" if own is not None else None,
                "evaluation": f"{fixed(framework.total, 2)}（{framework.grade}）" if framework is not None else None,
            }
        )
        if own is not None:
            scores.append(own.total)
            weighted += own.total * budget
            weights += budget
            out.grades[own.grade] += 1
    out.scored = len(scores)
    if scores:
        out.mean_score = sum(scores, Decimal(0)) / len(scores)
    if weights:
        out.weighted_mean_score = weighted / weights
    return out
