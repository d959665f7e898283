"""The stages of a project's year, as a file records them: what was filed (申报), each monitoring
point (监控 N月), and the changes made to what was filed (调整 … 批复).

A file grows through the year: the indicator tree is written once, at filing, with its targets,
units and weights; a monitoring point adds its figures beside each indicator; the
self-evaluation adds the actual values (the Evaluation's own fields, as for any file). So the
filed tree and the tree evaluated at the end are two views of one written tree: they differ
only where a `调整` says so — a new target or weight, an indicator cancelled (取消) or added
(新增) — and the checker reports every such difference with both values and where each was
written (check/lifecycle.py). A file without 申报 or 监控 has no Lifecycle (None) and is read
exactly as before.

Nothing here computes a figure: execution rates, time progress and forecasts are the ScoreCard's
(score/monitor.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.quantity import Quantity
from ..diagnostics import Span
from .evaluation import IndicatorTree

CANCEL, ADD = "取消", "新增"  # what 调整 may say of an indicator itself
ACTIONS = {CANCEL: CANCEL, ADD: ADD, "cancel": CANCEL, "add": ADD}


@dataclass
class FilingSource:
    """其中：财政拨款 18万元 — one source of the filed budget."""

    name: str
    amount: Quantity
    span: Span


@dataclass
class Filing:
    """The 绩效目标申报表 as filed with the budget, at the start of the year."""

    filed: str = ""  # 填报日期
    budget: Quantity | None = None  # 年度资金总额 (the year's budget as filed: 年初预算数)
    midterm_budget: Quantity | None = None  # 中期资金总额
    sources: list[FilingSource] = field(default_factory=list)
    midterm: str = ""  # 中期目标
    overall: str = ""  # 年度总体目标
    tree: IndicatorTree | None = None  # the indicator tree as filed (targets before any 调整)
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class MonitoringSource:
    """A source of funds at a monitoring point: its budget, spending and forecast."""

    name: str
    budget: Quantity | None = None
    spent: Quantity | None = None
    forecast: Quantity | None = None
    span: Span | None = None


@dataclass
class Cause:
    """A deviation's cause, in the 监控表's column (经费保障 … 其他) with its explanation."""

    column: str
    text: str
    span: Span


@dataclass
class Progress:
    """An indicator's values at a monitoring point: `监控 6月 已完成 … 预计完成 … 可能性 …`."""

    month: int
    path: tuple[str, ...]
    to_date: Quantity | None = None  # 1–X月实际完成值
    to_date_text: str | None = None  # … of a qualitative indicator ("推进中")
    forecast: Quantity | None = None  # 全年预计完成值
    forecast_text: str | None = None
    possibility: str | None = None  # 完成目标可能性: 确定能 / 有可能 / 完全不可能
    causes: list[Cause] = field(default_factory=list)  # 偏差原因
    correction: str = ""  # 纠偏措施
    note: str = ""  # 备注
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    def at(self, key: str) -> Span | None:
        return self.spans.get(key, self.span)


@dataclass
class MonitoringPoint:
    """监控 6月 { 执行数 … 全年预计执行数 … }: the money as of the end of a month, and every
    indicator's progress at that month (written beside the indicators, gathered here)."""

    month: int
    filed: str = ""
    budget: Quantity | None = None  # the year's budget at that point, when it has changed since filing
    spent: Quantity | None = None  # 1–X月执行数
    forecast: Quantity | None = None  # 全年预计执行数
    sources: list[MonitoringSource] = field(default_factory=list)
    progress_text: str = ""  # 1–X月 年度总体目标完成情况
    items: dict[tuple[str, ...], Progress] = field(default_factory=dict)  # by indicator path
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    def at(self, key: str) -> Span | None:
        return self.spans.get(key, self.span)


@dataclass
class Adjustment:
    """What a `调整` changes of a filed indicator, and the 批复 that approved it (if any)."""

    path: tuple[str, ...]
    comparator: str | None = None  # a new target: comparator (canonical) …
    comparator_text: str | None = None
    target: Quantity | None = None  # … and value, or
    qualitative_target: str | None = None  # … a new qualitative target
    weight: Decimal | None = None  # a new weight
    action: str | None = None  # 取消 (cancelled) or 新增 (added after filing)
    approval: str = ""  # 批复
    spans: dict[str, Span] = field(default_factory=dict)  # target, weight, action, approval

    @property
    def changes_target(self) -> bool:
        return self.comparator is not None or self.qualitative_target is not None

    @property
    def span(self) -> Span | None:
        for key in ("target", "weight", "action", "approval"):
            if key in self.spans:
                return self.spans[key]
        return None


@dataclass
class Lifecycle:
    """The stages of the year: the filing (申报), the monitoring points (监控) and the adjustments (调整)."""

    filing: Filing | None = None
    monitoring: list[MonitoringPoint] = field(default_factory=list)  # by month
    adjustments: dict[tuple[str, ...], Adjustment] = field(default_factory=dict)  # by indicator path
    evaluated: bool = False  # the self-evaluation has begun (资金, an actual value or a score)

    @property
    def latest(self) -> MonitoringPoint | None:
        return self.monitoring[-1] if self.monitoring else None

    def point(self, month: int) -> MonitoringPoint | None:
        return next((m for m in self.monitoring if m.month == month), None)
