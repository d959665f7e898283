"""The checker: every problem of an evaluation as a located Diagnostic, all at once.

Each module takes the resolved Evaluation and its ScoreCard and returns diagnostics; none of
them raises for bad data."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard
from . import assets, audit, funds, indicators, lifecycle, magnitude, narrative, values, weights

CHECKS = (
    values.check,
    indicators.check,
    weights.check,
    funds.check,
    magnitude.check,
    audit.check,
    narrative.check,
    lifecycle.check,
    assets.check,
)


def run_checks(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in CHECKS:
        out.extend(check(ev, card))
    return out
