"""The figures of a monitoring point (运行监控, "双监控"): how much of the budget was spent by the
end of the month against how much of the year had passed, and where each indicator is forecast
to end the year against its target.

    执行率 = 1–X月执行数 / 预算数          时间进度 = X / 12
    落后 = 时间进度 − 执行率 (percentage points, of the two rates as displayed)

The budget is the monitoring point's 预算数 when it states one (a budget changed since filing),
else the 年度资金总额 filed (申报), else the 资金 block's 年初预算数 or 全年预算数. Every rate is
rounded once, half-up, by the ruleset's places; the lag is the difference of the rounded rates,
so that it is the difference a reader of the 监控表 sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.numbers import HUNDRED, as_percent, fixed, trimmed
from ..core.quantity import Quantity
from ..model.evaluation import Evaluation, Node, filed_tree
from ..model.lifecycle import MonitoringPoint, MonitoringSource, Progress
from ..rules.ruleset import Ruleset
from .scorecard import Rate

MONTHS = Decimal(12)
# The scorer's completion rate of an indicator: (comparator, target, value, rules) → (ratio, met).
Completion = Callable[[str, Decimal, Decimal, Ruleset], tuple[Decimal | None, bool]]
WAN = Decimal(10000)


@dataclass
class ProgressScore:
    """An indicator at a monitoring point: its values and whether the forecast meets the target."""

    progress: Progress
    node: Node  # the indicator as it stands (or as filed, when it has been cancelled since)
    forecast_completion: Rate | None = None  # 全年预计完成值 against the target (quantitative only)
    forecast_met: bool | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return self.node.path


@dataclass
class SourceScore:
    """One source of funds at a monitoring point (财政拨款, 其他资金): its row of the 监控表."""

    name: str
    initial: Quantity | None  # as filed (申报's 来源 of the same name)
    budget: Quantity | None  # at the monitoring point: its own 预算数, else as filed
    spent: Quantity | None
    forecast: Quantity | None
    execution_rate: Rate | None
    forecast_rate: Rate | None


@dataclass
class MonitorScore:
    """A monitoring point's figures: execution against time, forecast, each indicator's progress."""

    point: MonitoringPoint
    budget: Quantity | None
    budget_label: str  # where the budget came from: 预算数, 年度资金总额, 年初预算数, 全年预算数
    execution_rate: Rate | None  # 1–X月执行率
    time_progress: Rate  # X / 12
    forecast_rate: Rate | None  # 全年预计执行数 / 预算数
    lag: Decimal | None  # percentage points by which spending trails time (negative: ahead)
    initial: Quantity | None = None  # 年初预算数: as filed
    items: list[ProgressScore] = field(default_factory=list)
    sources: list[SourceScore] = field(default_factory=list)

    @property
    def month(self) -> int:
        return self.point.month


def monitor_scores(ev: Evaluation, rules: Ruleset, completion: Completion) -> list[MonitorScore]:
    """The figures of every monitoring point, by month; `completion` is the scorer's rule for an
    indicator's completion rate by comparator (a forecast is held to its target the same way)."""
    if ev.lifecycle is None:
        return []
    return [_point(ev, point, rules, completion) for point in ev.lifecycle.monitoring]


def _budget(ev: Evaluation, point: MonitoringPoint) -> tuple[Quantity | None, str]:
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    funds = ev.funds
    for value, label in (
        (point.budget, "预算数"),
        (filing.budget if filing is not None else None, "年度资金总额"),
        (funds.initial_budget if funds is not None else None, "年初预算数"),
        (funds.budget if funds is not None else None, "全年预算数"),
    ):
        if value is not None:
            return value, label
    return None, ""


def wan(q: Quantity) -> str:
    """An amount in 万元, as written when written so (20万元, 8.60万元), else converted exactly."""
    if q.unit.text == "万元":
        return q.text
    return f"{trimmed(q.base_value / WAN)}万元"


def _ratio(num: Quantity | None, den: Quantity | None, label: str, rules: Ruleset) -> Rate | None:
    if num is None or den is None or den.base_value == 0:
        return None
    ratio = num.base_value / den.base_value
    percent = as_percent(ratio, rules.places)
    formula = (_ratio_text, label, num.base_value, den.base_value, percent, rules.places)  # written when read
    return Rate(ratio, percent, formula, {"numerator": num, "denominator": den}, ratio * HUNDRED)


def _ratio_text(label: str, num: Decimal, den: Decimal, percent: Decimal, places: int) -> str:
    return f"{label} = （{trimmed(num / WAN)}/{trimmed(den / WAN)}）×100% = {fixed(percent, places)}%"


def _point(ev: Evaluation, point: MonitoringPoint, rules: Ruleset, completion: Completion) -> MonitorScore:
    places = rules.places
    budget, label = _budget(ev, point)
    month = point.month
    time = Decimal(month) / MONTHS
    time_percent = as_percent(time, places)
    time_rate = Rate(time, time_percent, (_time_text, month, time_percent, places), {"月份": month}, time * HUNDRED)
    execution = _ratio(point.spent, budget, f"1至{month}月执行率 = 1至{month}月执行数/{label}", rules)
    forecast = _ratio(point.forecast, budget, f"全年预计执行率 = 全年预计执行数/{label}", rules)
    lag = time_percent - execution.percent if execution is not None and execution.percent is not None else None
    score = MonitorScore(point, budget, label, execution, time_rate, forecast, lag, initial=_initial(ev))
    score.items = _items(ev, point, rules, completion)
    score.sources = [_source(ev, s, month, rules) for s in point.sources]
    return score


def _time_text(month: int, percent: Decimal, places: int) -> str:
    return f"时间进度 = {month}/12 = {fixed(percent, places)}%"


def _initial(ev: Evaluation) -> Quantity | None:
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    if filing is not None and filing.budget is not None:
        return filing.budget
    return ev.funds.initial_budget if ev.funds is not None else None


def same_source(a: str, b: str) -> bool:
    """财政拨款 is 当年财政拨款 is 本年财政拨款: the forms name one source several ways."""
    return a.removeprefix("当年").removeprefix("本年") == b.removeprefix("当年").removeprefix("本年")


def _source(ev: Evaluation, s: MonitoringSource, month: int, rules: Ruleset) -> SourceScore:
    filing = ev.lifecycle.filing if ev.lifecycle is not None else None
    filed = next((f.amount for f in filing.sources if same_source(f.name, s.name)), None) if filing else None
    budget = s.budget or filed
    return SourceScore(
        s.name,
        filed,
        budget,
        s.spent,
        s.forecast,
        _ratio(s.spent, budget, f"{s.name} 1至{month}月执行率", rules),
        _ratio(s.forecast, budget, f"{s.name} 全年预计执行率", rules),
    )


def _items(ev: Evaluation, point: MonitoringPoint, rules: Ruleset, completion: Completion) -> list[ProgressScore]:
    """The indicators with values at this point, in the order of the tree as it stands; an
    indicator cancelled since (调整 取消) keeps its place in the tree as filed, at the end."""
    out: list[ProgressScore] = []
    seen: set[tuple[str, ...]] = set()
    trees = [t for t in (ev.self_evaluation, filed_tree(ev)) if t is not None]
    for tree in trees:
        for node in tree.leaves():
            progress = point.items.get(node.path)
            if progress is not None and node.path not in seen:
                seen.add(node.path)
                out.append(_item(node, progress, rules, completion))
    return out


def _item(node: Node, progress: Progress, rules: Ruleset, completion: Completion) -> ProgressScore:
    item = ProgressScore(progress, node)
    target, forecast = node.target, progress.forecast
    if node.comparator is None or target is None or forecast is None or not target.compatible(forecast):
        return item
    t, f = target.base_value, forecast.base_value
    if node.comparator in (">=", ">") and t == 0:
        return item
    ratio, met = completion(node.comparator, t, f, rules)
    if ratio is None:
        return item
    percent = as_percent(ratio, rules.places)
    item.forecast_met = met
    item.forecast_completion = Rate(
        ratio,
        percent,
        (_forecast_text, forecast.text, node.comparator_text, target.text, percent, rules.places),
        {"目标值": target, "预计值": forecast},
        ratio * HUNDRED,
    )
    return item


def _forecast_text(forecast: str, comparator: str, target: str, percent: Decimal, places: int) -> str:
    return f"全年预计完成值 {forecast} / 目标 {comparator}{target} = {fixed(percent, places)}%"
