"""What an imported table says, before it is written as a .perf file: the project's fields, the
funds, the rows of each indicator tree with every printed figure, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .values import Amount, Target


@dataclass
class Row:
    ref: str  # the row's 三级 cell (or its first cell)
    level1: str = ""
    level2: str = ""
    name: str = ""
    target: Target | None = None
    actual: Amount | str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    weight_ref: str = ""
    score_ref: str = ""
    reason: str = ""
    completion: Amount | None = None
    definition: str = ""
    criteria: str = ""
    basis: str = ""
    not_applicable: bool = False


@dataclass
class TreeDraft:
    kind: str  # 自评表 or 评价指标体系
    rows: list[Row] = field(default_factory=list)
    stated_total: Decimal | None = None
    stated_grade: str | None = None
    group_scores: dict[str, Decimal] = field(default_factory=dict)  # 一级 → the score a summary prints


@dataclass
class FundsDraft:
    unit: str = "万元"
    totals: dict[str, Decimal] = field(default_factory=dict)  # initial_budget, budget, received, spent
    sources: list[tuple[str, dict[str, Decimal]]] = field(default_factory=list)
    execution_rate: Amount | None = None
    arrival_rate: Amount | None = None
    weight: Decimal | None = None  # 预算执行率's weight in the 自评表
    score: Decimal | None = None
    reason: str = ""


@dataclass
class Draft:
    source: str
    where: list[str] = field(default_factory=list)  # sheets or tables it was read from
    fields: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    year_from: str = ""
    title: str = ""
    funds: FundsDraft | None = None
    trees: dict[str, TreeDraft] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # goals and conclusions
    notes: list[str] = field(default_factory=list)  # notes, summaries and sign-offs kept as comments
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (ref, text)

    @property
    def project(self) -> str:
        return self.fields.get("project", "")

    def tree(self, kind: str) -> TreeDraft:
        return self.trees.setdefault(kind, TreeDraft(kind))

    @property
    def indicator_count(self) -> int:
        return sum(1 for t in self.trees.values() for r in t.rows if not r.not_applicable)
