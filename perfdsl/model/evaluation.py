"""The resolved evaluation: what a .perf file says, in typed fields, with where each was said.

The resolver fills it from the syntax tree; the scorer and the checks read it; nothing here
computes a derived figure (that is the ScoreCard's job)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.comparators import SYMBOL, WORD
from ..core.quantity import Quantity
from ..diagnostics import Span
from ..rules.ruleset import Ruleset

if TYPE_CHECKING:
    from .lifecycle import Lifecycle


@dataclass
class Project:
    """The project block: its name, year, units, people and period."""

    name: str = ""
    year: int | None = None
    unit: str = ""
    department: str = ""
    implementer: str = ""
    owner: str = ""
    code: str = ""  # 项目代码 (预算管理一体化)
    filed: str = ""
    filing_unit: str = ""
    filer: str = ""
    phone: str = ""
    period: tuple[str, str] | None = None
    ruleset: str = ""
    baseline: str = ""
    templates: str = ""
    reference_docx: str = ""
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class DepartmentScope:
    """A 部门整体 file's department and the member evaluations it rolls up (patterns as written)."""

    name: str
    year: int | None
    members: list[tuple[str, Span]]
    span: Span
    ruleset: str = "bumen-zhengti"


@dataclass
class Source:
    """One source of funds (财政拨款, 其他资金…) and its figures."""

    name: str
    initial_budget: Quantity | None = None
    budget: Quantity | None = None
    received: Quantity | None = None
    spent: Quantity | None = None
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Expense:
    """One line of the spending breakdown (支出): what the money went on, and how much."""

    name: str
    amount: Quantity
    span: Span


@dataclass
class Funds:
    """The funds block: budget, received, spent, their sources, the breakdown, the rates stated."""

    initial_budget: Quantity | None = None
    budget: Quantity | None = None
    received: Quantity | None = None
    spent: Quantity | None = None
    sources: list[Source] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    stated_execution_rate: Quantity | None = None
    stated_arrival_rate: Quantity | None = None
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    def amount(self, name: str) -> Quantity | None:
        """A fund figure by its ruleset name (budget, received, spent, initial_budget). An
        unstated 到位资金 is taken as the budget: most reports only state it when it differs."""
        value = getattr(self, name)
        if value is None and name == "received":
            return self.budget
        return value


@dataclass
class Goals:
    """The goals block: the overall and stage goals, and what was achieved."""

    overall: str = ""
    stage: str = ""
    achieved: str = ""
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Survey:
    """The satisfaction survey: who was asked, how many, how, and its result."""

    respondents: str = ""
    sample: Quantity | None = None
    issued: Quantity | None = None
    returned: Quantity | None = None
    method: str = ""
    result: Quantity | None = None
    span: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Member:
    """A member of the evaluation team and their duty."""

    name: str
    role: str
    duty: str = ""


@dataclass
class Phase:
    """A phase of the evaluation's work, with its dates."""

    name: str
    start: str | None
    end: str | None
    description: str = ""


@dataclass
class Work:
    """How the evaluation was done: its team, phases, method, standard and documents."""

    members: list[Member] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    method: str = ""
    standard: str = ""
    basis_documents: list[str] = field(default_factory=list)


@dataclass
class Narrative:
    """A section of the report's text, by name."""

    name: str
    text: str
    span: Span


class NodeKind(StrEnum):
    """What an indicator tree's node is, and so how it is scored. (A str: JSON writes the value.)"""

    GROUP = "group"  # 一级/二级: the sum of its children, or an evaluator's override
    FORMULA = "formula"  # 资金到位率, 预算执行率: a fund ratio
    QUALITATIVE = "qualitative"  # 定性: a judged score inside the band of its achievement
    QUANTITATIVE = "quantitative"  # a target with a comparator, scored by completion
    JUDGED = "judged"  # a score and the written basis for it


@dataclass
class Node:
    """One node of an indicator tree: a group (一级/二级) or an indicator (三级)."""

    name: str
    level: int
    path: tuple[str, ...]
    span: Span
    children: list[Node] = field(default_factory=list)
    is_group: bool = False
    comparator: str | None = None  # ">=", ">", "<=", "<", "=" (canonical)
    comparator_text: str | None = None  # as written
    target: Quantity | None = None
    qualitative_target: str | None = None
    actual: Quantity | None = None
    actual_text: str | None = None  # a qualitative actual ("提高")
    weight: Decimal | None = None
    score: Decimal | None = None  # a judged score (or an evaluator's override of a group)
    basis: str = ""
    reason: str = ""
    remedy: str = ""
    definition: str = ""
    criteria: str = ""
    formula: str | None = None
    achievement: str | None = None
    category: str = ""
    stated_completion: Quantity | None = None
    stated_score: Decimal | None = None
    stated_deviation: Quantity | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    @property
    def kind(self) -> NodeKind:
        if self.is_group:
            return NodeKind.GROUP
        if self.formula:
            return NodeKind.FORMULA
        if self.qualitative_target is not None:
            return NodeKind.QUALITATIVE
        if self.comparator:
            return NodeKind.QUANTITATIVE
        return NodeKind.JUDGED

    def target_text(self, style: str = "written") -> str:
        """The target as text, "" when there is none; a qualitative target is its text (保障).
        `style`: "written" — the comparator as the author wrote it (≥285万条, 不低于95%);
        "symbol" — its canonical symbol (≥ 285万条, spaced as review findings quote it);
        "words" — as the report's sentences write it (大于等于285万条)."""
        if self.qualitative_target is not None:
            return self.qualitative_target
        if not self.comparator or self.target is None:
            return ""
        if style == "symbol":
            return f"{SYMBOL[self.comparator]} {self.target.text}"
        if style == "words":
            return WORD[self.comparator] + self.target.text
        return f"{self.comparator_text or SYMBOL[self.comparator]}{self.target.text}"

    def walk(self):
        return preorder((self,))

    def leaves(self):
        return (n for n in preorder((self,)) if not n.is_group)

    def at(self, key: str) -> Span:
        return self.spans.get(key, self.span)


def preorder(roots):
    """The nodes and all below them, each parent before its children, in written order. One
    generator however deep the tree (nested generators cost a step per level for every node)."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        if node.children:
            stack.extend(reversed(node.children))


def with_parents(roots):
    """(parent, node) for every node, parents first, in written order; the parent of a root is None."""
    stack = [(None, n) for n in reversed(roots)]
    while stack:
        pair = stack.pop()
        yield pair
        node = pair[1]
        if node.children:
            stack.extend([(node, c) for c in reversed(node.children)])


class TreeKind(StrEnum):
    """The two indicator trees a file may hold. The values are the language's block names and
    the JSON keys (format_version 1); in code the 评价指标体系 is the `framework`."""

    SELF_EVALUATION = "self_evaluation"  # 自评表
    FRAMEWORK = "evaluation"  # 评价指标体系 (附件1 of a report)

    @property
    def attribute(self) -> str:
        """The attribute of an Evaluation or a ScoreCard that holds this tree."""
        return "self_evaluation" if self is TreeKind.SELF_EVALUATION else "framework"


TREE_TITLES = {TreeKind.SELF_EVALUATION: "自评表", TreeKind.FRAMEWORK: "评价指标体系"}


@dataclass
class IndicatorTree:
    """An indicator tree (自评表 or 评价指标体系) with the totals and rates the file states."""

    kind: TreeKind
    nodes: list[Node]
    span: Span
    stated_total: Decimal | None = None
    stated_overall_completion: Quantity | None = None
    stated_quantified_rate: Quantity | None = None
    stated_full_marks: Decimal | None = None
    stated_grade: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    broken: bool = False  # a node was dropped or a weight unreadable: totals would mislead

    @property
    def title(self) -> str:
        return TREE_TITLES[self.kind]

    def walk(self):
        return iter(kept_preorder(self))

    def leaves(self):
        return (n for n in kept_preorder(self) if not n.is_group)


def kept_preorder(owner) -> tuple:
    """`owner.nodes` and all below them in preorder, made on the first walk and kept on the owner
    (a tree, or its scores): the checks and the reviewer's rules walk each tree several times
    (seven in the example files). Kept with the list of roots it was made from, so that an owner
    whose nodes are set anew (as resolve does, once) is walked afresh; nothing changes the shape
    of a tree after resolve, nor of its scores after score."""
    kept = owner.__dict__.get("_preorder")
    if kept is None or kept[0] is not owner.nodes:
        kept = (owner.nodes, tuple(preorder(owner.nodes)))
        owner.__dict__["_preorder"] = kept
    return kept[1]


@dataclass
class Evaluation:
    """One project's evaluation, resolved from its file and includes: what the scorer and checks read."""

    file: str
    ruleset: Ruleset
    project: Project | None = None
    funds: Funds | None = None
    goals: Goals | None = None
    survey: Survey | None = None
    work: Work | None = None
    self_evaluation: IndicatorTree | None = None
    framework: IndicatorTree | None = None  # 评价指标体系
    narrative: list[Narrative] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # file → text, for messages and reports
    comments: list[Any] = field(default_factory=list)  # the comment tokens of the file and its includes
    unknown_blocks: list[str] = field(default_factory=list)  # top-level names the resolver did not know
    lifecycle: Lifecycle | None = None  # 申报, 监控 and 调整 when the file records the year (model/lifecycle.py)
    department: DepartmentScope | None = None  # a 部门整体 file: the members it rolls up

    @property
    def is_fragment(self) -> bool:
        return self.project is None

    def section(self, name: str) -> str:
        return "\n\n".join(n.text for n in self.narrative if n.name == name)

    def trees(self):
        return [t for t in (self.self_evaluation, self.framework) if t is not None]

    def tree(self, kind: str) -> IndicatorTree | None:
        return getattr(self, TreeKind(kind).attribute)


# Of a file's stages of the year (model/lifecycle.py), what the checks of every file ask: here, so
# that a file without stages never loads them.
def at_self_evaluation(ev: Evaluation) -> bool:
    """Is the file's self-evaluation due to be complete? Always for a file without stages; for
    a file that records the year, once the self-evaluation has begun."""
    return ev.lifecycle is None or ev.lifecycle.evaluated


def filed_tree(ev: Evaluation) -> IndicatorTree | None:
    """The indicator tree as filed: the 申报's, or for a file without one the tree as it stands."""
    if ev.lifecycle is not None and ev.lifecycle.filing is not None and ev.lifecycle.filing.tree is not None:
        return ev.lifecycle.filing.tree
    return ev.self_evaluation
