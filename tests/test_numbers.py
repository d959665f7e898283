from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfdsl.core.numbers import agrees_as_written, as_percent, decimals_written, round_half_up, trimmed
from perfdsl.core.quantity import Quantity, parse_unit


def test_half_up_not_bankers():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("2.3915"), 2) == Decimal("2.39")
    assert round_half_up(Decimal("78.25"), 1) == Decimal("78.3")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")


def test_percent_of_seed_ratios():
    assert as_percent(Decimal("226.54") / Decimal("239"), 2) == Decimal("94.79")
    assert as_percent(Decimal("1194.67") / Decimal("1833"), 2) == Decimal("65.18")
    assert as_percent(Decimal("98.56") / Decimal("95"), 2) == Decimal("103.75")


def test_agrees_at_the_precision_written():
    assert agrees_as_written(Decimal("21.8"), Decimal("21.7508"))
    assert not agrees_as_written(Decimal("65.16"), Decimal("65.176"))
    assert agrees_as_written(Decimal("92"), Decimal("91.6667"))
    assert agrees_as_written(Decimal("98"), Decimal("98.00"))
    assert decimals_written(Decimal("5.00")) == 2


def test_units_and_multipliers():
    q = Quantity.parse("61.99万条")
    assert q.number == Decimal("61.99") and q.unit.base == "条" and q.base_value == Decimal("619900")
    assert Quantity.parse("285万条").compatible(Quantity.parse("2850000条"))
    assert parse_unit("元/人").base == "元/人"
    assert parse_unit("万元").is_money and parse_unit("元").is_money
    assert parse_unit("%").is_percent
    assert not Quantity.parse("5000元/人").compatible(Quantity.parse("5000元"))
    assert Quantity.parse("2.54万元").in_unit(parse_unit("元")) == Decimal("25400")
    assert Quantity.parse("12月").unit.base == Quantity.parse("12个月").unit.base


def test_trimmed():
    assert trimmed(Decimal("12.50")) == "12.5"
    assert trimmed(Decimal("100.00")) == "100"
    assert trimmed(Decimal("1E+1")) == "10"


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_round_half_up_is_within_half_a_cent(value):
    r = round_half_up(value, 2)
    assert abs(r - value) <= Decimal("0.005")
