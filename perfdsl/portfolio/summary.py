"""The summary of a folder of evaluations: each file's figures (an engine job, so that a
county's repository is summarised on every core), then the aggregates by 主管部门 and in all.

Amounts are summed in 万元 as Decimals and rounded once, where they are shown; a file with
errors stays in the summary, marked, with its error count."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.numbers import HUNDRED, fixed, round_half_up, trimmed

GRADES = ("优", "良", "中", "差")
NO_DEPARTMENT = "（未填主管部门）"


@dataclass(frozen=True)
class Row:
    """One evaluation, as the summary shows it."""

    file: str
    department: str | None = None
    unit: str | None = None
    project: str | None = None
    year: int | None = None
    budget: str | None = None  # as `score --format json` writes it (5万元, 5.00万元)
    spent: str | None = None
    budget_wan: Decimal | None = None  # the same in 万元, for sums
    spent_wan: Decimal | None = None
    execution_rate: str | None = None
    self_evaluation_total: str | None = None
    self_evaluation_grade: str | None = None
    evaluation_total: str | None = None
    evaluation_grade: str | None = None
    quantified_rate: str | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    codes: tuple[tuple[str, int], ...] = ()  # the most frequent rule codes
    diagnostics: tuple[tuple[int | None, str, str, str], ...] = ()  # (line, code, severity, message)

    def data(self) -> dict:
        return {
            "file": self.file,
            "department": self.department,
            "unit": self.unit,
            "project": self.project,
            "year": self.year,
            "budget": self.budget,
            "spent": self.spent,
            "execution_rate": self.execution_rate,
            "self_evaluation_total": self.self_evaluation_total,
            "self_evaluation_grade": self.self_evaluation_grade,
            "evaluation_total": self.evaluation_total,
            "evaluation_grade": self.evaluation_grade,
            "quantified_rate": self.quantified_rate,
            "errors": self.errors,
            "warnings": self.warnings,
            "codes": [{"code": c, "count": n} for c, n in self.codes],
        }


def _wan(q) -> Decimal | None:
    from ..score.monitor import WAN

    if q is None or not q.unit.is_money:
        return None
    return q.base_value / WAN


@dataclass(frozen=True)
class SummaryJob:
    path: str
    cache_dir: str | None = None
    run: int | None = None  # the run its folder's jobs share (engine.check.settings_for); None: on its own


_DECIMALS = ("budget_wan", "spent_wan")


def _to_data(row: Row) -> dict:
    data = {k: getattr(row, k) for k in Row.__dataclass_fields__}
    for k in _DECIMALS:
        data[k] = None if data[k] is None else str(data[k])
    data["codes"] = [list(c) for c in row.codes]
    data["diagnostics"] = [list(d) for d in row.diagnostics]
    return data


def _from_data(data: dict) -> Row:
    values = dict(data)
    for k in _DECIMALS:
        values[k] = None if values[k] is None else Decimal(values[k])
    values["codes"] = tuple(tuple(c) for c in values["codes"])
    values["diagnostics"] = tuple(tuple(d) for d in values["diagnostics"])
    return Row(**values)


def summarize(job: SummaryJob) -> Row:
    """An engine job: one file's row, from the cache when the file and what it names are unchanged."""
    from ..engine.cache import through

    return through(
        job.cache_dir,
        "summary",
        job.path,
        [],
        job.run,
        lambda keeping: _summarize(job.path, job.run, keeping),
        _to_data,
        _from_data,
    )


def summarize_file(path: str, run: int | None = None) -> Row:
    """One file's row (its diagnostics kept as short tuples for the 问题清单)."""
    return _summarize(path, run, False)[0]


def _summarize(path: str, run: int | None = None, keeping: bool = False) -> tuple[Row, list[str]]:
    """The row, and the files it was made from when `keeping` it (looked up only then)."""
    from ..diagnostics import Severity
    from ..engine.check import settings_for
    from ..loader import load
    from ..score.export import scorecard_data

    loaded = load(path, lint=settings_for(run, None, None, path))
    dependencies = loaded.dependencies() if keeping else []
    diags = loaded.diagnostics
    count = Counter(d.severity for d in diags)
    codes = tuple(Counter(d.code for d in diags).most_common(3))
    listed = tuple((d.span.line if d.span else None, d.code, d.severity.value, d.message("zh")) for d in diags)
    base = {
        "errors": count[Severity.ERROR],
        "warnings": count[Severity.WARNING],
        "notes": count[Severity.INFO],
        "codes": codes,
        "diagnostics": listed,
    }
    ev, card = loaded.evaluation, loaded.scorecard
    if ev is None or card is None:
        return Row(file=path, **base), dependencies  # type: ignore[arg-type]
    data = scorecard_data(ev, card)
    p, f = ev.project, ev.funds
    self_ev, framework = data["self_evaluation"] or {}, data["evaluation"] or {}
    row = Row(
        file=path,
        department=(p.department or None) if p else None,
        unit=(p.unit or p.implementer or None) if p else None,
        project=(p.name or None) if p else None,
        year=p.year if p else None,
        budget=data["funds"].get("budget"),
        spent=data["funds"].get("spent"),
        budget_wan=_wan(f.budget) if f else None,
        spent_wan=_wan(f.spent) if f else None,
        execution_rate=data["funds"].get("execution_rate"),
        self_evaluation_total=self_ev.get("total"),
        self_evaluation_grade=self_ev.get("grade"),
        evaluation_total=framework.get("total"),
        evaluation_grade=framework.get("grade"),
        quantified_rate=self_ev.get("quantified_rate") or framework.get("quantified_rate"),
        **base,  # type: ignore[arg-type]
    )
    return row, dependencies


@dataclass
class Group:
    """Evaluations summed: a 主管部门's, or the whole portfolio's."""

    name: str
    count: int = 0
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    weighted_sum: Decimal = Decimal(0)  # Σ score × 全年预算数
    weight_sum: Decimal = Decimal(0)  # Σ 全年预算数 of the scored
    grades: Counter = field(default_factory=Counter)
    errors: int = 0
    warnings: int = 0
    failing: int = 0  # files with errors

    def add(self, row: Row) -> None:
        self.count += 1
        self.budget += row.budget_wan or 0
        self.spent += row.spent_wan or 0
        self.errors += row.errors
        self.warnings += row.warnings
        self.failing += row.errors > 0
        if row.self_evaluation_total is not None:
            score = Decimal(row.self_evaluation_total)
            self.scored += 1
            self.score_sum += score
            if row.budget_wan:
                self.weighted_sum += score * row.budget_wan
                self.weight_sum += row.budget_wan
        if row.self_evaluation_grade:
            self.grades[row.self_evaluation_grade] += 1

    @property
    def execution_rate(self) -> Decimal | None:
        return self.spent / self.budget * HUNDRED if self.budget else None

    @property
    def mean_score(self) -> Decimal | None:
        return self.score_sum / self.scored if self.scored else None

    @property
    def weighted_mean_score(self) -> Decimal | None:
        return self.weighted_sum / self.weight_sum if self.weight_sum else None

    def data(self, key: str = "department") -> dict:
        return {
            key: self.name,
            "count": self.count,
            "budget": f"{trimmed(round_half_up(self.budget, 6))}万元",
            "spent": f"{trimmed(round_half_up(self.spent, 6))}万元",
            "execution_rate": _two(self.execution_rate),
            "mean_score": _two(self.mean_score),
            "weighted_mean_score": _two(self.weighted_mean_score),
            "grades": {g: self.grades[g] for g in GRADES if self.grades[g]}
            | {g: n for g, n in self.grades.items() if g not in GRADES},
            "errors": self.errors,
            "warnings": self.warnings,
            "files_with_errors": self.failing,
        }


def _two(value: Decimal | None) -> str | None:
    return None if value is None else fixed(value, 2)


@dataclass
class Summary:
    rows: list[Row]
    departments: list[Group]
    totals: Group

    def data(self) -> dict:
        totals = self.totals.data("scope")
        totals.pop("scope")
        return {
            "format_version": 1,
            "evaluations": [r.data() for r in self.rows],
            "departments": [g.data() for g in self.departments],
            "totals": totals,
        }


def aggregate(rows: list[Row]) -> Summary:
    by_department: dict[str, Group] = {}
    totals = Group("合计")
    for row in rows:
        name = row.department or NO_DEPARTMENT
        by_department.setdefault(name, Group(name)).add(row)
        totals.add(row)
    return Summary(rows, sorted(by_department.values(), key=lambda g: g.name), totals)
