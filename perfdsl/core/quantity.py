"""Quantities: a Decimal with the unit it was written with.

"万" and "亿" are multipliers (285万条 = 2 850 000 条); a compound unit such as 元/人 is one
unit; % is a unit of its own. Two quantities compare only when their base units agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache

from .numbers import plain
from .text import half_width_digits

_PREFIXES = {"亿": Decimal(100_000_000), "万": Decimal(10_000)}

# Units that are a fixed multiple of another (the base on the right).
_EQUIVALENT = {
    "千米": (Decimal(1000), "米"),
    "公里": (Decimal(1000), "米"),
    "厘米": (Decimal("0.01"), "米"),
    "毫米": (Decimal("0.001"), "米"),
    "千克": (Decimal(1000), "克"),
    "公斤": (Decimal(1000), "克"),
    "吨": (Decimal(1_000_000), "克"),
    "‰": (Decimal("0.1"), "%"),
    "个月": (Decimal(1), "月"),
}

_QUANTITY_RE = re.compile(r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))(.*)", re.S)


@dataclass(frozen=True)
class Unit:
    """A unit as written (万条), its multiplier to the base unit and that base (条; 元 for money)."""

    text: str  # as written: "万条"
    multiplier: Decimal
    base: str  # "条"; "" for a plain number

    @property
    def is_money(self) -> bool:
        return self.base == "元"

    @property
    def is_percent(self) -> bool:
        return self.base == "%"


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> Unit:
    text = text.strip()
    multiplier = Decimal(1)
    rest = text
    if rest and rest[0] in _PREFIXES and (len(rest) == 1 or rest[1] not in "/"):
        multiplier = _PREFIXES[rest[0]]
        rest = rest[1:]
    numerator, slash, denominator = rest.partition("/")
    if numerator in _EQUIVALENT:
        factor, numerator = _EQUIVALENT[numerator]
        multiplier *= factor
    return Unit(text, multiplier, numerator + slash + denominator)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, exactly as written (the text kept for the formatter and messages)."""

    number: Decimal
    unit: Unit
    text: str  # the token exactly as written, for the formatter and for messages

    @classmethod
    def parse(cls, text: str) -> Quantity:
        return parse_quantity(text)

    @classmethod
    def _parse(cls, text: str) -> Quantity:
        text = half_width_digits(text)  # ２８５万条 is 285万条, and is printed so
        m = _QUANTITY_RE.fullmatch(text.strip())
        if not m:
            raise ValueError(f"not a quantity: {text!r}")
        number, unit = m.groups()
        return cls(Decimal(number), parse_unit(unit), text)

    @classmethod
    def of(cls, number: Decimal, unit: str = "") -> Quantity:
        return cls(number, parse_unit(unit), plain(number) + unit)

    @cached_property
    def base_value(self) -> Decimal:
        """The value in the base unit: 61.99万条 → 619900 (条). Worked out once: quantities are
        shared (parse_quantity) and every check that compares amounts asks for it."""
        return self.number * self.unit.multiplier

    def in_unit(self, unit: Unit) -> Decimal:
        """This quantity expressed in another unit of the same base (2.54万元 in 元 → 25400)."""
        return self.base_value / unit.multiplier

    def compatible(self, other: Quantity) -> bool:
        return self.unit.base == other.unit.base

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Quantity:
    """Quantities are immutable, and the same few ("5", "100%") recur in every file: the latest
    are kept. Only so many: a folder of thousands of files, or a language server open all day,
    must not keep every figure it has read (unbounded, 2,000 files of their own figures kept
    100,000 quantities, 30 MB)."""
    return Quantity._parse(text)
