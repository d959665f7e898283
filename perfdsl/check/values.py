"""Values that make no sense: a negative actual of an indicator counted, measured as a rate or
in money; a survey result or a number of questionnaires out of its range; a number with more
digits than any budget or count has (a figure pasted twice, a slip of the keyboard). Each is a
located error, so that a file holding one is neither scored nor built — and the stages that
still see it (diff, score of last year's file) compute it without failing (core/numbers rounds
figures of any length)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..core.numbers import HUNDRED, ZERO, plain
from ..core.quantity import Quantity
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation
from ..score.scorecard import ScoreCard

MAX_WHOLE_DIGITS = 15  # 10^15 万元 is a thousand times the world's output
MAX_DECIMALS = 8
SIGNED_UNITS = frozenset({"℃", "°C", "度", "分贝"})  # measures that may fall below zero


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for value, span in _numbers(ev):
        if span is not None and _absurd(value):
            out.append(
                Diagnostic("F0107", span, {"value": plain(value)[:40] + ("…" if len(plain(value)) > 40 else "")})
            )
    for tree in ev.trees():
        for n in tree.walk():
            a = n.actual
            if isinstance(a, Quantity) and a.number < ZERO and _never_negative(a):
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
    if not value.is_finite():
        return True
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    whole = len(digits) + exponent
    return whole > MAX_WHOLE_DIGITS or -exponent > MAX_DECIMALS


def _numbers(ev: Evaluation) -> Iterator[tuple[Decimal, Span | None]]:
    f = ev.funds
    if f is not None:
        for key in ("initial_budget", "budget", "received", "spent", "stated_execution_rate", "stated_arrival_rate"):
            q = getattr(f, key)
            if isinstance(q, Quantity):
                yield q.number, f.spans.get(key) or f.span
        for src in f.sources:
            for key in ("initial_budget", "budget", "received", "spent"):
                q = getattr(src, key)
                if isinstance(q, Quantity):
                    yield q.number, src.spans.get(key) or src.span
        for e in f.expenses:
            if isinstance(e.amount, Quantity):
                yield e.amount.number, getattr(e, "span", None) or f.span
    s = ev.survey
    if s is not None:
        for key in ("sample", "issued", "returned", "result"):
            q = getattr(s, key)
            if isinstance(q, Quantity):
                yield q.number, s.spans.get(key) or s.span
    for tree in ev.trees():
        for n in tree.walk():
            for key in ("target", "actual", "stated_completion", "stated_deviation"):
                q = getattr(n, key)
                if isinstance(q, Quantity):
                    yield q.number, n.at(key)
            for key in ("weight", "score", "stated_score"):
                d = getattr(n, key)
                if isinstance(d, Decimal):
                    yield d, n.at(key)
