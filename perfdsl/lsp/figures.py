"""The figures behind hover and the outline: an indicator's score by its place in the tree, the
fund rates with their formulas. Read from the ScoreCard; nothing is computed here that the
scorer already gives, and what is computed (a source's own execution rate, a framework rate the
自评表 does not use) is computed the scorer's way."""

from __future__ import annotations

from decimal import Decimal

from ..core.numbers import as_percent, fixed, trimmed
from ..rules.ruleset import Ratio
from ..score.scorecard import NodeScore, TreeScore
from ..score.scorer import FUND_LABELS


def tree_score(scorecard, kind: str | None) -> TreeScore | None:
    if scorecard is None or kind is None:
        return None
    return scorecard.tree(kind)


def find_node(scorecard, kind: str | None, path: tuple[str, ...], line: int | None = None) -> NodeScore | None:
    """The NodeScore at `path` in tree `kind`; failing that (the text has moved on since the last
    good analysis), the node of the same name nearest to `line`."""
    ts = tree_score(scorecard, kind)
    if ts is None or not path:
        return None
    exact = ts.find(*path)
    if exact is not None:
        return exact
    same = [n for n in ts.walk() if n.name == path[-1]]
    if not same:
        return None
    if line is None:
        return same[0]
    return min(same, key=lambda n: abs(n.node.span.line - line))


def ratio_text(funds, ratio: Ratio, places: int) -> tuple[Decimal | None, str]:
    """A fund ratio as (percent, formula) — "（226.54/239）×100% = 94.79%" — or (None, why not)."""
    num, den = funds.amount(ratio.numerator), funds.amount(ratio.denominator)
    label = f"{FUND_LABELS[ratio.numerator]}/{FUND_LABELS[ratio.denominator]}"
    if num is None or den is None or not den.base_value:
        return None, label
    percent = as_percent(num.base_value / den.base_value, places)
    return percent, f"{label} = （{trimmed(num.number)}/{trimmed(den.number)}）×100% = {fixed(percent, places)}%"


def percent_text(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{fixed(value, places)}%"


def number_text(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else fixed(value, places)


def weight_text(value: Decimal | None) -> str:
    return "—" if value is None else trimmed(value)
