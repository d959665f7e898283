"""The magnitude slip (元 for 万元, 万元 for 元, 元 for 千元) questioned where amounts meet, at the
line of the amount, with the value it was probably meant to have — and nowhere else."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from tests.conftest import EXAMPLES

STARTER = (EXAMPLES / "starter.perf").read_text(encoding="utf-8")


def _u0201(text: str, name: str = "x.perf"):
    return [d for d in load(name, text).diagnostics if d.code == "U0201"]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.perf")), ids=lambda p: p.stem)
def test_no_slip_is_seen_where_there_is_none(example):
    assert not _u0201(example.read_text(encoding="utf-8"), str(example))


@pytest.mark.parametrize(
    "old, new, line_has, suggestion",
    [
        # 执行数 against 预算数, even without a spending breakdown (the acceptance's case)
        ("全年执行数 19.2万元\n  来源", "全年执行数 19.2元\n  来源", "全年执行数 19.2元", "19.2万元"),
        ("全年预算数 20万元\n  到位资金", "全年预算数 20元\n  到位资金", "全年预算数 20元", "20万元"),
        ("全年执行数 19.2万元\n  来源", "全年执行数 192元\n  来源", "全年执行数 192元", "19.2万元"),  # 千元
        # a source against its own amounts
        ("全年执行数 19.2万元 }", "全年执行数 19.2元 }", "来源", "19.2万元"),
        # an expense whose move makes the breakdown add up
        ('支出 "设备采购" 12万元', '支出 "设备采购" 12元', '支出 "设备采购" 12元', "12万元"),
        # an indicator's actual against its target, 万 lost
        ("≥ 10台 实际 10台", "≥ 10万台 实际 10台", "10万台", "10万台"),
        # a cost target against the budget it is paid from
        ("≤ 12万元 实际 12万元", "≤ 120000万元 实际 12万元", "120000万元", "12万元"),
    ],
)
def test_the_slip_is_questioned_at_its_line(old, new, line_has, suggestion):
    assert old in STARTER
    text = STARTER.replace(old, new, 1)
    found = _u0201(text)
    assert len(found) == 1, [d.args for d in found]
    (d,) = found
    assert line_has in text.splitlines()[d.span.line - 1]
    assert d.args["suggestion"] == suggestion
    # one slip, one diagnostic: the funds checks do not say it again
    codes = {x.code for x in load("x.perf", text).diagnostics if x.span and x.span.line == d.span.line}
    assert codes == {"U0201"}


def test_the_message_names_the_units_and_the_likely_value():
    text = STARTER.replace("全年执行数 19.2万元\n  来源", "全年执行数 19.2元\n  来源", 1)
    loaded = load("x.perf", text)
    (d,) = [x for x in loaded.diagnostics if x.code == "U0201"]
    assert "把「万元」写成了「元」" in d.message("zh") and "19.2万元" in d.hint("zh")
    assert "元 written for 万元" in d.message("en")


def _amounts(text: str):
    """Lines of the 资金 block with an amount in 万元 (but a zero); none without one (a 部门整体
    file's funds are its members')."""
    if "资金 {" not in text:
        return
    funds = text.index("资金 {")
    end = text.index("\n}", funds)
    start_line = text.count("\n", 0, funds)
    for i, line in enumerate(text[funds:end].splitlines()):
        code = line.split("#", 1)[0]  # not the comments
        for m in re.finditer(r"(?<![\d.])(\d+(?:\.\d+)?)万元", code):
            if float(m.group(1)) > 0:
                yield start_line + i, m


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.perf")), ids=lambda p: p.stem)
def test_every_fund_amount_of_the_examples_is_guarded(example):
    """Write any one amount of an example's 资金 block in 元 instead of 万元: it is questioned, at
    its line, with the amount as it was."""
    text = example.read_text(encoding="utf-8")
    lines = text.splitlines()
    cases = list(_amounts(text))
    # xinfang writes its funds in 万元 only at the totals; a 部门整体 file has its members' funds
    assert cases or "xinfang" in example.stem or "部门整体 " in text
    for i, m in cases:
        slipped = list(lines)
        slipped[i] = lines[i][: m.start()] + m.group(1) + "元" + lines[i][m.end() :]
        found = _u0201("\n".join(slipped) + "\n", str(example))
        assert [d.span.line for d in found] == [i + 1], (lines[i], [d.args for d in found])
        assert found[0].args["suggestion"] == f"{m.group(1)}万元"


_FUND_LINES = re.compile(r"(?m)^(  (?:年初预算数|全年预算数|到位资金|全年执行数) )[\d.]+万元$")
_AMOUNT = st.tuples(st.integers(1, 10**7), st.integers(0, 2), st.sampled_from(["元", "千元", "万元"])).map(
    lambda a: f"{Decimal(a[0]).scaleb(-a[1])}{a[2]}"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_AMOUNT, min_size=4, max_size=4))
def test_a_group_of_amounts_all_near_one_another_is_passed_over_without_changing_a_finding(amounts):
    """Amounts whose largest is under 300 times the smallest are not compared one by one (none
    can be SUSPECT decades from a median of the others): the findings are those of comparing them."""
    from perfdsl.check import magnitude

    figures = iter(amounts)
    text = _FUND_LINES.sub(lambda m: m.group(1) + next(figures), STARTER)
    ev = load("x.perf", text).evaluation
    quick = [(s.field, s.factor) for s in magnitude.slips(ev)]
    near, magnitude._ALL_NEAR = magnitude._ALL_NEAR, 0.0  # every group compared one by one
    try:
        compared = [(s.field, s.factor) for s in magnitude.slips(ev)]
    finally:
        magnitude._ALL_NEAR = near
    assert quick == compared
