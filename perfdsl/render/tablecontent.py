"""What the forms' tables hold, decided once for the report (Markdown → DOCX, PDF, HTML) and the
workbook (XLSX): one table, one content in every format.

- `fund_rows`: the 自评表's funds block in 万元 — 年度资金总额, the three standard sources (by the
  names they go by), then any other source — every amount at one precision, the most decimals any
  of them needs and at least two (5.00 | 5.00 | 5.00, never 5 | 5 | 5.00).
- `framework_columns`: the columns of 附件1 (评价指标体系及综合评分表), without 指标解释 when no
  indicator has one: a column empty in every row only takes the width its neighbours need. Its
  评价要点 column is filled the same way everywhere (context.criteria_text).
- `deviation_text`: the 自评表's 偏差原因分析及改进措施 cell — the reason and the remedy on lines of their
  own, or "—" where there is nothing to explain (the form's column is fixed; a column blank in
  every row reads as forgotten)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.numbers import decimals_written, fixed
from ..core.quantity import Quantity, parse_unit
from ..model.evaluation import Funds, Source
from ..score.scorecard import TreeScore

__all__ = ["FundRows", "fund_rows", "framework_columns", "deviation_text", "FRAMEWORK_COLUMNS", "MISSING"]

MISSING = "—"  # a figure the file does not give, in a cell that expects one

# Fund sources of the 自评表, in its row order, with the names they go by.
SOURCE_ROWS = (
    ("其中：当年财政拨款", ("当年财政拨款", "本年财政拨款", "财政拨款")),
    ("上年结转资金", ("上年结转资金", "上年结转")),
    ("其他资金", ("其他资金",)),
)
_WAN = parse_unit("万元")
MIN_PLACES = 2  # 万元 to two places at least, as finance tables print it


Amount = Decimal | str | None  # in 万元; a figure that is no amount of money stays as written


@dataclass(frozen=True)
class FundRows:
    rows: list[tuple[str, tuple[Amount, Amount, Amount]]]  # label, (年初预算数, 全年预算数, 全年执行数)
    places: int  # decimals every amount of the block is printed with

    def text(self, amount: Amount) -> str:
        if amount is None:
            return MISSING
        if isinstance(amount, Decimal):
            return fixed(amount, self.places)
        return amount

    @property
    def number_format(self) -> str:
        """The same precision as a spreadsheet number format: 0.00, 0.0000."""
        return "0." + "0" * self.places


def wan_amount(q: Quantity | None) -> Amount:
    if q is None:
        return None
    if q.unit.text == "万元":
        return q.number
    if q.unit.is_money:
        return q.in_unit(_WAN)
    return q.text  # a mistake the checker reports (U codes): shown as written


def _source(funds: Funds, names: tuple[str, ...]) -> Source | None:
    return next((s for s in funds.sources if s.name in names), None)


def fund_rows(funds: Funds | None) -> FundRows:
    funds = funds or Funds()
    rows: list[tuple[str, tuple[Amount, Amount, Amount]]] = [
        ("年度资金总额", (wan_amount(funds.initial_budget), wan_amount(funds.budget), wan_amount(funds.spent)))
    ]
    used: set[int] = set()
    for label, names in SOURCE_ROWS:
        s = _source(funds, names)
        if s is not None:
            used.add(id(s))
        rows.append(
            (
                label,
                (wan_amount(s.initial_budget), wan_amount(s.budget), wan_amount(s.spent)) if s else (None, None, None),
            )
        )
    rows.extend(
        (s.name, (wan_amount(s.initial_budget), wan_amount(s.budget), wan_amount(s.spent)))
        for s in funds.sources
        if id(s) not in used
    )
    numbers = [a.normalize() for _, amounts in rows for a in amounts if isinstance(a, Decimal)]
    places = max([MIN_PLACES, *(decimals_written(n) for n in numbers)])
    return FundRows(rows, places)


FRAMEWORK_COLUMNS = ("一级指标", "二级指标", "三级指标", "指标解释", "评价要点", "权重", "得分")


def framework_columns(ts: TreeScore) -> tuple[str, ...]:
    """附件1's columns for this framework: 指标解释 only when some indicator has one."""
    if any(ns.node.definition.strip() for ns in ts.walk() if not ns.children):
        return FRAMEWORK_COLUMNS
    return tuple(c for c in FRAMEWORK_COLUMNS if c != "指标解释")


def deviation_text(reason: str | None, remedy: str | None) -> str:
    """The 偏差原因分析及改进措施 cell: reason, then remedy, each on its own line; "—" for neither."""
    return "\n".join(t.strip() for t in (reason, remedy) if t and t.strip()) or MISSING
