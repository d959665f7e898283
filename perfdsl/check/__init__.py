"""The checker: every problem of an evaluation as a located Diagnostic, all at once.

Each module takes the resolved Evaluation and its ScoreCard and returns diagnostics (the fund
checks also take the amounts the magnitude search found slipped); none of them raises for bad
data."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard
from . import assets, audit, funds, indicators, magnitude, narrative, values, weights


def _funds_and_magnitude(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    """The unit slips (19.2元 for 19.2万元) searched once: reported by the magnitude check, and
    left out of the fund checks' comparisons."""
    slips = magnitude.slips(ev)
    return funds.check(ev, card, {id(s.quantity) for s in slips}) + [s.diagnostic() for s in slips]


def _lifecycle(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    """The stages of the year (申报, 监控, 调整), checked in a file that records them: their
    checks loaded only then."""
    if ev.lifecycle is None:
        return []
    from . import lifecycle

    return lifecycle.check(ev, card)


CHECKS = (
    values.check,
    indicators.check,
    weights.check,
    _funds_and_magnitude,
    audit.check,
    narrative.check,
    _lifecycle,
    assets.check,
)


def run_checks(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in CHECKS:
        out.extend(check(ev, card))
    return out
