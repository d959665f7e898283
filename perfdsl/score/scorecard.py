"""The ScoreCard: every derived figure of an evaluation, each with the formula and the inputs that
made it. Templates, the JSON output and `perfdsl explain` read figures from here and compute
nothing themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.numbers import HUNDRED, fixed, round_half_up
from ..model.evaluation import IndicatorTree, Node, TreeKind, kept_preorder, preorder
from ..rules.ruleset import Ruleset

if TYPE_CHECKING:
    from .compare import YearOverYear
    from .monitor import MonitorScore

# A figure's formula: its text, or (function, *arguments) that write it when first read. `check`
# works out thousands of figures and shows a formula only with a finding; reports and `explain`
# read the text. (A tuple rather than a closure: one object to keep, not a function and its cells.)
Formula = str | tuple


class LazyFormula:
    """A figure's formula as a field: set to its text or to (function, *arguments), read as text
    (written on first reading and kept)."""

    def __get__(self, obj: object, owner: type | None = None) -> str:
        if obj is None:
            return ""  # the field's default, as the dataclass reads it
        formula = obj._formula  # type: ignore[attr-defined]
        if type(formula) is tuple:
            formula = obj._formula = formula[0](*formula[1:])  # type: ignore[attr-defined]
        return formula

    def __set__(self, obj: object, formula: Formula) -> None:
        obj._formula = formula  # type: ignore[attr-defined]


class ScoreBasis(StrEnum):
    """What a score rests on. (JSON writes the value, under the key "source".)"""

    COMPUTED = "computed"  # the rules applied to the data (completion × weight, sums of children)
    JUDGED = "judged"  # an evaluator's score with its written basis (依据)
    FORMULA = "formula"  # a fund ratio (资金到位率, 预算执行率)
    OVERRIDE = "override"  # an evaluator's score in place of the computed one (seed 000's 成本 9.00)


@dataclass
class Rate:
    """A ratio with its formula: 226.54 / 239 = 94.79 %."""

    ratio: Decimal | None  # exact
    percent: Decimal | None  # rounded for display (cap applied where the rules say so)
    formula: LazyFormula = LazyFormula()
    inputs: dict = field(default_factory=dict)
    shown: Decimal | None = None  # the displayed percentage before rounding (cap applied)

    def text(self) -> str:
        return "—" if self.percent is None else f"{fixed(self.percent, 2)}%"


@dataclass
class NodeScore:
    """An indicator's or group's figures: weight, score, completion, and how the score was made."""

    node: Node
    weight: Decimal | None
    score: Decimal | None  # what counts (an evaluator's override where there is one)
    computed: Decimal | None  # what the rules give from the data
    completion: Rate | None = None  # indicators only
    met: bool | None = None
    deviation: Decimal | None = None  # percent, for missed indicators
    basis: ScoreBasis = ScoreBasis.COMPUTED  # what the score rests on
    formula: LazyFormula = LazyFormula()  # how the score was made, in words and numbers
    children: list[NodeScore] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def path(self) -> tuple[str, ...]:
        return self.node.path

    @property
    def lost(self) -> Decimal | None:
        if self.weight is None or self.score is None:
            return None
        return self.weight - self.score

    @property
    def full_marks(self) -> bool:
        return self.weight is not None and self.score is not None and self.score >= self.weight

    @property
    def score_rate(self) -> Decimal | None:
        if not self.weight or self.score is None:
            return None
        return round_half_up(self.score / self.weight * HUNDRED, 2)

    def walk(self):
        return preorder((self,))


@dataclass
class TreeScore:
    """An indicator tree's figures: its nodes', the total, the grade and the rates."""

    tree: IndicatorTree
    nodes: list[NodeScore]
    total: Decimal
    weight_total: Decimal
    grade: str
    overall_completion: Rate | None = None  # 总体完成率
    overall_from_stated: Decimal | None = None  # the same mean over the rates the report states
    quantified: Rate | None = None  # 指标量化率
    quantitative_count: int = 0
    targeted_count: int = 0
    indicator_count: int = 0  # 三级 indicators
    full_marks_count: int = 0

    @property
    def kind(self) -> str:
        return self.tree.kind

    def walk(self):
        return iter(kept_preorder(self))

    def find(self, *path: str) -> NodeScore | None:
        for n in self.walk():
            if n.path == tuple(path):
                return n
        return None

    def third_level(self) -> list[NodeScore]:
        # The indicators the form counts as 三级: every leaf below a 一级 — at level 3, or at level
        # 2 where a table puts indicators directly under their 一级 — but not a 一级 that is an
        # indicator itself (预算执行率 in the 自评表).
        return [n for n in self.walk() if not n.children and n.node.level >= 2 and not n.node.is_group]

    @property
    def deviation(self) -> Decimal | None:
        if self.overall_completion is None or self.overall_completion.percent is None:
            return None
        return HUNDRED - self.overall_completion.percent


@dataclass
class FundsScore:
    """The funds' figures: execution and arrival rates, the breakdown's total."""

    execution_rate: Rate | None = None  # 预算执行率 as the 自评表 computes it (B/A)
    arrival_rate: Rate | None = None  # 资金到位率
    breakdown_total: Decimal | None = None  # 支出明细合计, in 万元


@dataclass
class ScoreCard:
    """Every figure of an evaluation, as the ruleset computes them."""

    ruleset: Ruleset
    funds: FundsScore
    self_evaluation: TreeScore | None = None
    framework: TreeScore | None = None  # 评价指标体系
    year_over_year: YearOverYear | None = None  # when 上年评价 names a usable file
    monitoring: list[MonitorScore] = field(default_factory=list)  # each 监控 N月, by month (score/monitor.py)
    department: Any = None  # a 部门整体 file's roll-up of its members (score/department.py Rollup)

    @property
    def monitor(self) -> MonitorScore | None:
        """The latest monitoring point's figures."""
        return self.monitoring[-1] if self.monitoring else None

    def trees(self) -> list[TreeScore]:
        return [t for t in (self.self_evaluation, self.framework) if t is not None]

    def tree(self, kind: str) -> TreeScore | None:
        return getattr(self, TreeKind(kind).attribute)

    @property
    def primary(self) -> TreeScore | None:
        """The tree whose indicators the report's 总体完成率 speaks of: the 自评表 when there is one."""
        return self.self_evaluation or self.framework
