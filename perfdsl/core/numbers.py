"""Decimal arithmetic for money and rates. Every rounding in perfdsl goes through round_half_up:
四舍五入, never banker's rounding, never binary floats (0.125 → 0.13)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(0, 11)}


def round_half_up(value: Decimal, places: int) -> Decimal:
    exponent = _EXPONENTS.get(places) or Decimal(1).scaleb(-places)
    try:
        return value.quantize(exponent, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # a figure too long for the default 28 digits: round it in a context as wide as it needs
        digits = max(28, value.adjusted() + places + 2)
        return value.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def as_percent(ratio: Decimal, places: int) -> Decimal:
    """A ratio (0.9479…) as a rounded percentage (94.79)."""
    return round_half_up(ratio * HUNDRED, places)


def decimals_written(number: Decimal) -> int:
    """How many decimal places a figure was written with ("21.8" → 1, "98" → 0): the digits after
    the point of its plain text (from C, where as_tuple() makes a Python named tuple — this runs
    for every figure compared), or its exponent when the text is in scientific notation."""
    text = str(number)
    if "E" not in text:
        point = text.find(".")
        return 0 if point < 0 else len(text) - point - 1
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def agrees_as_written(stated: Decimal, computed: Decimal) -> bool:
    """Does the computed figure, rounded to the places the stated one was written with, equal it?
    A report that prints 21.8 % for 21.75 % is right; one that prints 65.16 % for 65.18 % is not."""
    return round_half_up(computed, decimals_written(stated)) == stated


def parse_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def plain(value: Decimal) -> str:
    """A Decimal as plain digits (no exponent), as written: 1E+1 → "10"."""
    return format(value, "f")


def fixed(value: Decimal, places: int) -> str:
    return plain(round_half_up(value, places))


def trimmed(value: Decimal) -> str:
    """Digits without trailing zeros: 12.50 → "12.5", 100.00 → "100" (for targets and actuals)."""
    text = plain(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
