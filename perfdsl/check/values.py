"""Values that make no sense: a negative actual of an indicator counted, measured as a rate or
in money; a survey result or a number of questionnaires out of its range; a number with more
digits than any budget or count has (a figure pasted twice, a slip of the keyboard). Each is a
located error, so that a file holding one is neither scored nor built — and the stages that
still see it (diff, score of last year's file) compute it without failing (core/numbers rounds
figures of any length)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..core.numbers import HUNDRED, ZERO, decimals_written, plain
from ..core.quantity import Quantity
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard

MAX_WHOLE_DIGITS = 15  # 10^15 万元 is a thousand times the world's output
MAX_DECIMALS = 8
SIGNED_UNITS = frozenset({"℃", "°C", "度", "分贝"})  # measures that may fall below zero


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for value, owner, key in _absurd_numbers(ev):
        span = getattr(owner, "spans", {}).get(key) or getattr(owner, "span", None) or Span.point(ev.file, 1, 1)
        shown = plain(value)
        out.append(Diagnostic("F0107", span, {"value": shown[:40] + ("…" if len(shown) > 40 else "")}))
    for tree in ev.trees():
        for n in tree.walk():
            a = n.actual
            if a is not None and a.number < ZERO and _never_negative(a):
                out.append(Diagnostic("I0118", n.at("actual"), {"indicator": n.name, "value": a.text}))
    s = ev.survey
    if s is not None:
        r = s.result
        if isinstance(r, Quantity) and r.unit.is_percent and not ZERO <= r.number <= HUNDRED:
            out.append(Diagnostic("I0119", s.spans.get("result") or s.span, {"field": "调查结果", "value": r.text}))
        for key, label in (("sample", "样本"), ("issued", "发放"), ("returned", "回收")):
            q = getattr(s, key)
            if isinstance(q, Quantity) and q.number < ZERO:
                out.append(Diagnostic("I0119", s.spans.get(key) or s.span, {"field": label, "value": q.text}))
    return out


def _never_negative(q: Quantity) -> bool:
    """Counts, rates and amounts: anything with a unit but a signed measure."""
    return bool(q.unit.text) and q.unit.base not in SIGNED_UNITS and q.unit.text not in SIGNED_UNITS


def _absurd(value: Decimal) -> bool:
    # Read from the figure's plain text (C), which every figure of a file is: the usual case
    # ("226.54") is decided by its length alone, without a call per test.
    text = str(value)
    if len(text) <= MAX_DECIMALS + 1 and text[-1].isdigit() and "E" not in text:  # too short to be either
        return False
    if not value.is_finite():
        return True
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        return True
    return decimals_written(value) > MAX_DECIMALS


_FUNDS = ("initial_budget", "budget", "received", "spent", "stated_execution_rate", "stated_arrival_rate")
_SOURCE = ("initial_budget", "budget", "received", "spent")
_SURVEY = ("sample", "issued", "returned", "result")


def _absurd_numbers(ev: Evaluation) -> Iterator[tuple[Decimal, Any, str]]:
    """Every number written in the file that is absurd: (value, what holds it, its field) — the
    place is looked up only for a number that is reported. (Tested here, as each is met: this
    runs over every figure of every file.)"""
    f = ev.funds
    if f is not None:
        for owner, keys in ((f, _FUNDS), *((src, _SOURCE) for src in f.sources)):
            for key in keys:
                q = getattr(owner, key)
                if isinstance(q, Quantity) and _absurd(q.number):
                    yield q.number, owner, key
        for e in f.expenses:
            if isinstance(e.amount, Quantity) and _absurd(e.amount.number):
                yield e.amount.number, e, "amount"
    s = ev.survey
    if s is not None:
        for key in _SURVEY:
            q = getattr(s, key)
            if isinstance(q, Quantity) and _absurd(q.number):
                yield q.number, s, key
    for tree in ev.trees():
        for n in tree.walk():
            target, actual, completion, deviation = n.target, n.actual, n.stated_completion, n.stated_deviation
            weight, score, stated = n.weight, n.score, n.stated_score
            if target is not None and _absurd(target.number):
                yield target.number, n, "target"
            if actual is not None and _absurd(actual.number):
                yield actual.number, n, "actual"
            if completion is not None and _absurd(completion.number):
                yield completion.number, n, "stated_completion"
            if weight is not None and _absurd(weight):
                yield weight, n, "weight"
            if score is not None and _absurd(score):
                yield score, n, "score"
            if stated is not None and _absurd(stated):
                yield stated, n, "stated_score"
            if deviation is not None and _absurd(deviation.number):
                yield deviation.number, n, "stated_deviation"
