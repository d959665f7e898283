"""Year over year (同比): this year's evaluation against last year's, a pure function.

A file names last year's file in its 项目 block (`上年评价 "../2023/x.perf"`); the loader loads it
(through the project's door, like an include) and the scorer calls `compare` with both scored
evaluations. `perfdsl diff` calls it too when the two files are of different years.

The figures compared are the funds (全年预算数, 全年执行数, 执行率), each tree's total, and every
indicator, matched by its path (一级/二级/三级 names) — or, when an indicator moved to another
group, by its name where that name is unique in both years. Every figure is read from the two
ScoreCards (or, for amounts and actuals, from the quantities as written); nothing is scored here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..core import schema
from ..core.numbers import HUNDRED, fixed, round_half_up, trimmed
from ..core.quantity import Quantity, parse_unit
from ..model.evaluation import Evaluation

if TYPE_CHECKING:  # the ScoreCard holds a YearOverYear: the type only, to keep the import one way
    from .scorecard import ScoreCard

WAN_YUAN = parse_unit("万元")
FORMAT_VERSION = 1

# The fund figures compared, with the labels the reports use.
FUND_FIGURES = tuple((key, schema.FUNDS.label(key)) for key in ("budget", "spent"))


@dataclass
class Change:
    """One figure in both years. Display strings; `change` is signed ("+18.01"), `rate` the
    relative change in percent ("+29.05"), both None where they mean nothing."""

    key: str
    label: str
    last: str | None
    this: str | None
    change: str | None = None
    unit: str = ""
    rate: str | None = None

    def to_data(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "last": self.last,
            "this": self.this,
            "change": self.change,
            "unit": self.unit,
            "rate": self.rate,
        }

    def text(self) -> str:
        out = f"{self.label} {self.last or '—'} → {self.this or '—'}"
        extra = []
        if self.change is not None:
            extra.append(f"{self.change}{self.unit}")
        if self.rate is not None:
            extra.append(f"{self.rate}%")
        return out + (f" ({'，'.join(extra)})" if extra else "")


@dataclass
class IndicatorChange:
    """An indicator between last year and this: matched, moved, new or dropped, and what changed."""

    tree: str  # self_evaluation | evaluation
    path: tuple[str, ...]  # this year's path (last year's for a dropped indicator)
    status: str  # matched | moved | new | dropped
    last_path: tuple[str, ...] | None = None
    actual: Change | None = None
    completion: Change | None = None
    score: Change | None = None
    target_last: str | None = None
    target_this: str | None = None

    @property
    def name(self) -> str:
        return self.path[-1]

    def to_data(self) -> dict:
        return {
            "tree": self.tree,
            "path": list(self.path),
            "status": self.status,
            "last_path": list(self.last_path) if self.last_path else None,
            "target": {"last": self.target_last, "this": self.target_this},
            "actual": self.actual.to_data() if self.actual else None,
            "completion": self.completion.to_data() if self.completion else None,
            "score": self.score.to_data() if self.score else None,
        }


@dataclass
class YearOverYear:
    """This year's figures against last year's file (上年评价)."""

    baseline_file: str
    last_year: int | None
    this_year: int | None
    funds: list[Change] = field(default_factory=list)
    totals: list[Change] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)

    def to_data(self) -> dict:
        return {
            "format_version": FORMAT_VERSION,
            "baseline_file": self.baseline_file,
            "last_year": self.last_year,
            "this_year": self.this_year,
            "funds": [c.to_data() for c in self.funds],
            "totals": [c.to_data() for c in self.totals],
            "indicators": [i.to_data() for i in self.indicators],
        }

    def indicator(self, *path: str) -> IndicatorChange | None:
        for i in self.indicators:
            if i.path == tuple(path):
                return i
        return None

    def text_lines(self) -> list[str]:
        """The comparison as lines of text (for `perfdsl diff` and the preview)."""
        head = (
            f"同比（{self.this_year or '本年'}年度 对 {self.last_year or '上年'}年度，上年评价 {self.baseline_file}）"
        )
        out = [head]
        for c in self.funds + self.totals:
            out.append("  " + c.text())
        for i in self.indicators:
            where = "/".join(i.path)
            if i.status == "new":
                out.append(f"  + {where}：上年无此指标")
            elif i.status == "dropped":
                out.append(f"  - {where}：本年无此指标")
            elif i.actual is not None and (i.actual.last != i.actual.this or i.actual.change not in (None, "0")):
                moved = f"（上年在 {'/'.join(i.last_path)}）" if i.status == "moved" and i.last_path else ""
                out.append(f"  ~ {where}{moved}：实际 " + i.actual.text().split(" ", 1)[1])
        return out


# ---------------------------------------------------------------- arithmetic on display figures


def _signed(value: Decimal, places: int | None = None) -> str:
    text = fixed(value, places) if places is not None else trimmed(value)
    if text.lstrip("-").strip("0.") == "":
        return "0" if places is None else fixed(Decimal(0), places)
    return text if text.startswith("-") else "+" + text


def _relative(change: Decimal, last: Decimal) -> str | None:
    if last == 0:
        return None
    return _signed(round_half_up(change / abs(last) * HUNDRED, 2), 2)


def amount_change(key: str, label: str, last: Quantity | None, this: Quantity | None) -> Change:
    """An amount in both years, the change in 万元 (amounts may be written in 元 or 万元)."""
    c = Change(key, label, last.text if last else None, this.text if this else None, unit="万元")
    if last is not None and this is not None and last.unit.is_money and this.unit.is_money:
        a, b = last.in_unit(WAN_YUAN), this.in_unit(WAN_YUAN)
        c.change = _signed(b - a)
        c.rate = _relative(b - a, a)
    return c


def quantity_change(key: str, label: str, last: Quantity | None, this: Quantity | None) -> Change:
    """A measured figure in both years, the change in this year's unit (61.99万条 → 80万条: +18.01万条)."""
    c = Change(key, label, last.text if last else None, this.text if this else None)
    if last is not None and this is not None and last.compatible(this):
        a, b = last.in_unit(this.unit), this.number
        c.change = _signed(b - a)
        if this.unit.is_percent:  # 91.5% → 93%: +1.5 个百分点, not a relative change
            c.unit = "个百分点" if this.unit.text == "%" else this.unit.text
        else:
            c.unit = this.unit.text
            c.rate = _relative(b - a, a)
    return c


def figure_change(
    key: str, label: str, last: str | None, this: str | None, *, percent: bool = False, places: int = 2
) -> Change:
    """A computed figure (display string from the ScoreCard) in both years. For a percentage the
    change is in percentage points (个百分点) and no relative change is given."""
    suffix = "%" if percent else ""
    c = Change(
        key,
        label,
        None if last is None else last + suffix,
        None if this is None else this + suffix,
        unit="个百分点" if percent else "",
    )
    if last is not None and this is not None:
        try:
            a, b = Decimal(last), Decimal(this)
        except ArithmeticError:
            return c
        c.change = _signed(b - a, places)
        if not percent:
            c.rate = _relative(b - a, a)
    return c


# ---------------------------------------------------------------- the comparison


def _leaves(card) -> dict[str, dict[tuple[str, ...], object]]:
    """tree kind → {path: NodeScore} of its indicators (nodes without children)."""
    out = {}
    for ts in card.trees():
        out[ts.kind] = {ns.path: ns for ns in ts.walk() if not ns.children and not ns.node.is_group}
    return out


def _rate(rate) -> str | None:
    return None if rate is None or rate.percent is None else fixed(rate.percent, 2)


def _score(value) -> str | None:
    return None if value is None else fixed(value, 2)


def _indicator(kind: str, path, last_ns, this_ns, status: str) -> IndicatorChange:
    i = IndicatorChange(kind, tuple(path), status)
    if last_ns is not None and this_ns is not None:
        i.last_path = tuple(last_ns.path)
        ln, tn = last_ns.node, this_ns.node
        if ln.actual is not None or tn.actual is not None:
            i.actual = quantity_change("actual", "实际", ln.actual, tn.actual)
        elif ln.actual_text is not None or tn.actual_text is not None:
            i.actual = Change("actual", "实际", ln.actual_text, tn.actual_text)
        i.completion = figure_change(
            "completion", "完成率", _rate(last_ns.completion), _rate(this_ns.completion), percent=True
        )
        i.score = figure_change("score", "得分", _score(last_ns.score), _score(this_ns.score))
        i.target_last, i.target_this = ln.target_text() or None, tn.target_text() or None
    return i


def compare(ev: Evaluation, card: ScoreCard, bev: Evaluation, bcard: ScoreCard, baseline_label: str) -> YearOverYear:
    """This year's figures (`ev`, `card`) against last year's (`bev`, `bcard`)."""
    yoy = YearOverYear(
        baseline_file=baseline_label,
        last_year=bev.project.year if bev.project else None,
        this_year=ev.project.year if ev.project else None,
    )
    for key, label in FUND_FIGURES:
        last = bev.funds.amount(key) if bev.funds else None
        this = ev.funds.amount(key) if ev.funds else None
        if last is not None or this is not None:
            yoy.funds.append(amount_change(key, label, last, this))
    last_rate, this_rate = _rate(bcard.funds.execution_rate), _rate(card.funds.execution_rate)
    if last_rate is not None or this_rate is not None:
        yoy.funds.append(figure_change("execution_rate", "预算执行率", last_rate, this_rate, percent=True))

    last_trees = {t.kind: t for t in bcard.trees()}
    for ts in card.trees():
        lt = last_trees.get(ts.kind)
        if lt is None:
            continue
        yoy.totals.append(figure_change(f"{ts.kind}.total", f"{ts.tree.title}总分", _score(lt.total), _score(ts.total)))
        if ts.overall_completion is not None or lt.overall_completion is not None:
            yoy.totals.append(
                figure_change(
                    f"{ts.kind}.overall_completion",
                    f"{ts.tree.title}总体完成率",
                    _rate(lt.overall_completion),
                    _rate(ts.overall_completion),
                    percent=True,
                )
            )

    last_leaves, this_leaves = _leaves(bcard), _leaves(card)
    for kind, leaves in this_leaves.items():
        before = dict(last_leaves.get(kind, {}))
        unmatched = []
        for path, ns in leaves.items():
            if path in before:
                yoy.indicators.append(_indicator(kind, path, before.pop(path), ns, "matched"))
            else:
                unmatched.append((path, ns))
        # An indicator moved to another group: matched by its name when the name is unique.
        by_name: dict[str, list] = {}
        for p in before:
            by_name.setdefault(p[-1], []).append(p)
        this_names = [p[-1] for p in leaves]
        for path, ns in unmatched:
            candidates = by_name.get(path[-1], [])
            if len(candidates) == 1 and this_names.count(path[-1]) == 1:
                last_path = candidates[0]
                yoy.indicators.append(_indicator(kind, path, before.pop(last_path), ns, "moved"))
            else:
                yoy.indicators.append(IndicatorChange(kind, tuple(path), "new"))
        for path in before:
            yoy.indicators.append(IndicatorChange(kind, tuple(path), "dropped", last_path=tuple(path)))
    return yoy
