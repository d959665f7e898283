"""What a table cell says, as people fill them in: text with its line breaks and stray spaces,
full-width digits and signs, numbers stored as text, thousands separators, `%` and `万元`
suffixes, comparators as symbols or words, and the marks that mean "not applicable"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..core.comparators import COMPARATORS
from ..core.numbers import parse_decimal, plain

# Full-width forms of ASCII (！ to ～) and the ideographic space, as typed with a Chinese input method.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
NOT_APPLICABLE = {"", "/", "／", "—", "——", "-", "--", "－", "无", "不适用", "N/A", "n/a", "NA", "\\"}

# Comparators in words and symbols (the language's own, and what tables add: ＞ ＜ ≧ ≦ 达到 …),
# longest first so that 大于等于 is not read as 大于.
_EXTRA_COMPARATORS = {
    "≧": ">=", "≦": "<=", "达到": ">=", "至少": ">=", "不小于": ">=", "以上": ">=",
    "最多": "<=", "不大于": "<=", "控制在": "<=", "以内": "<=", "正向": ">=", "反向": "<=",
    "==": "=", "为": "=",
}  # fmt: skip
_ALL_COMPARATORS = {**COMPARATORS, **_EXTRA_COMPARATORS}
_COMPARATOR_RE = re.compile("|".join(re.escape(c) for c in sorted(_ALL_COMPARATORS, key=len, reverse=True)))
_NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_QUALITATIVE = {"定性", "定性指标"}


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def cell_text(value: object) -> str:
    """A cell's text with its line breaks kept (for long texts) and its ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | int | Decimal):
        return number_text(Decimal(str(value)))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def number_text(value: Decimal) -> str:
    text = plain(value.normalize()) if value == value.to_integral_value() else plain(value)
    return text


def name_text(text: str) -> str:
    """A name as a cell shows it: line breaks and every space inside removed (a 三级 name wrapped
    in its cell, a trailing space after a project name)."""
    return re.sub(r"\s+", "", half_width(text))


def flat_text(text: str) -> str:
    """A long text on one line: line breaks inside a sentence joined, runs of spaces made one."""
    lines = [ln.strip() for ln in text.split("\n")]
    return re.sub(r"[ \t]+", " ", "".join(ln for ln in lines if ln)).strip()


def not_applicable(text: str) -> bool:
    return name_text(text) in NOT_APPLICABLE


@dataclass(frozen=True)
class Amount:
    """A number and what follows it in a cell: 285万条, 98.56%, 5000元/人."""

    number: Decimal
    unit: str

    @property
    def text(self) -> str:
        return f"{plain(self.number)}{self.unit}"


def amount(text: str, default_unit: str = "") -> Amount | None:
    """The number a cell holds, with its unit: `"5.00"`, `"1,234.5万元"`, `"９８.５６％"`,
    `"93.91分"`; None when the cell is not one number (text, a date, two numbers)."""
    s = name_text(text)
    m = _NUMBER_RE.fullmatch(s) or re.fullmatch(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(\D[^\d]*)", s)
    if not m:
        return None
    digits = m.group(0) if m.re is _NUMBER_RE else m.group(1)
    unit = "" if m.re is _NUMBER_RE else m.group(2)
    number = parse_decimal(digits.replace(",", ""))
    if number is None:
        return None
    if unit in ("分",):  # a score written with its unit (93.91分)
        unit = ""
    return Amount(number, unit or default_unit)


def score(text: str) -> Decimal | None:
    a = amount(text)
    return a.number if a is not None and a.unit in ("", "分") else None


def percent(value: object, text: str, number_format: str = "") -> Amount | None:
    """A rate as printed: `100.00%`, `"94.79%"`, or a real percentage cell (1.0 shown as 100.00 %)."""
    if isinstance(value, int | float | Decimal) and "%" in number_format:
        m = re.search(r"\.(0+)", number_format)  # the places the cell shows: 0.00% → 2
        places = Decimal(1).scaleb(-len(m.group(1))) if m else Decimal(1)
        return Amount((Decimal(str(value)) * 100).quantize(places), "%")
    a = amount(text)
    if a is None:
        return None
    if a.unit == "":
        return Amount(a.number, "%")
    return a if a.unit == "%" else None


@dataclass(frozen=True)
class Target:
    comparator: str | None  # ">=", "<=", "=", ">", "<"; None for a qualitative target
    value: Amount | None
    text: str  # the qualitative text, or the cell as written


def target(text: str, comparator_cell: str = "", unit_cell: str = "") -> Target:
    """A target as written: in the value cell (`=12月`, `>=95%`, `≥1833元/月`, `大于等于39人`,
    `不低于95%`, `有效提高`) or split over a comparator column (指标性质: ≥ ≤ = 定性, 正向/反向,
    大于等于 …), a value column and a unit column (度量单位)."""
    s = name_text(text)
    comp_cell = name_text(comparator_cell)
    unit = name_text(unit_cell)
    if comp_cell in _QUALITATIVE:
        return Target(None, None, flat_text(text))
    comparator = _ALL_COMPARATORS.get(comp_cell) if comp_cell else None
    m = _COMPARATOR_RE.match(s)
    if m:
        comparator = _ALL_COMPARATORS[m.group(0)]
        s = s[m.end() :]
    elif s.endswith(("以上", "以内")):
        comparator = _ALL_COMPARATORS[s[-2:]]
        s = s[:-2]
    value = amount(s, unit)
    if value is None:
        return Target(None, None, flat_text(text))
    return Target(comparator or "=", value, s)


def actual(text: str, unit_cell: str = "", like: Amount | None = None) -> Amount | str | None:
    """An actual value: a number with its unit (the target's unit when the cell has none), or text."""
    if not_applicable(text):
        return None
    a = amount(text, name_text(unit_cell))
    if a is None:
        return flat_text(text)
    if not a.unit and like is not None:
        return Amount(a.number, like.unit)
    return a


def year_in(text: str) -> int | None:
    m = re.search(r"(20\d{2}|19\d{2})\s*年(?:度)?", half_width(text))
    return int(m.group(1)) if m else None
