"""R033 正文与表不符：正文写的资金、执行率、总分与数据不一致。"""

import re
from decimal import Decimal

from ...core.numbers import HUNDRED, agrees_as_written, decimals_written, fixed, round_half_up
from ...core.quantity import Quantity
from ..context import word_re
from ..rule import Rule, W

_NUM = r"(\d+(?:\.\d+)?)"
_GLUE = r"\s*(?:为|是|达到|达|共计|合计|：|:)?\s*"
_MONEY = [
    ("initial_budget", "年初预算数", re.compile(r"年初预算(?:数|资金)?(?:总额)?" + _GLUE + _NUM + r"\s*(万元|元)")),
    ("budget", "全年预算数", re.compile(r"全年预算(?:数|资金)?(?:总额)?" + _GLUE + _NUM + r"\s*(万元|元)")),
    (
        "spent",
        "全年执行数",
        re.compile(r"(?:全年执行数|实际支出资金|实际支付资金|实际支出总额)" + _GLUE + _NUM + r"\s*(万元|元)"),
    ),
    (
        "received",
        "到位资金",
        re.compile(r"(?:实际到位资金|到位资金|实际收到预算资金)" + _GLUE + _NUM + r"\s*(万元|元)"),
    ),
]
_RATES = [
    ("execution", "预算执行率", re.compile(r"预算执行率" + _GLUE + r"(?:（[^）]*）)?" + _NUM + r"\s*%")),
    ("arrival", "资金到位率", re.compile(r"到位率" + _GLUE + _NUM + r"\s*%")),
]
_KEYS = (
    "预算",
    "执行",
    "支出",
    "支付",
    "到位",
    "总分",
    "总得分",
)  # a section with none of these has nothing to compare
_TOTAL = re.compile(r"总(?:得)?分" + _GLUE + _NUM + r"\s*分")

RULE = Rule(
    code="R033",
    name="正文与表不符",
    name_en="text contradicts the data",
    severity=W,
    classes=(33,),
    summary="正文写的预算数、执行数、预算执行率、到位率或总分与数据算出的不一致",
    message_zh="正文「{section}」写{what} {stated}，按数据为 {computed}",
    message_en="section '{section}' says {what} is {stated}; the data give {computed}",
    hint_zh="正文中的数字应与资金和评分数据一致；只改一处时另一处也要改",
    hint_en="figures in the text must agree with the funds and scores; change both together",
    rationale=(
        "两个复核来源（成都郫都区第三方复核、期刊文章对公开报告的分析）都把“报告正文与自评表、评分表数据"
        "不一致”列为常见问题：正文和表格是分别手填的，一处改了另一处没改。本规则在各节正文中找预算数、"
        "执行数、到位资金、预算执行率、资金到位率和总分的写法，按所写的精度与数据比较。"
    ),
    triggers='''资金 {
  全年预算数 239万元
  全年执行数 226.54万元
}

正文 "资金使用" """
截至年末，本项目实际支付资金226.54万元，预算执行率96.5%。
"""
''',
    passes='''资金 {
  全年预算数 239万元
  全年执行数 226.54万元
}

正文 "资金使用" """
截至年末，本项目实际支付资金226.54万元，预算执行率94.79%。
"""
''',
)


def _money_agrees(number: Decimal, unit: str, q: Quantity) -> bool:
    value = number * (Decimal(10000) if unit == "万元" else Decimal(1))
    places = decimals_written(number)
    scale = Decimal(10000) if unit == "万元" else Decimal(1)
    return round_half_up(q.base_value / scale, places) == number or value == q.base_value


def check(ctx, p):
    ev, card = ctx.ev, ctx.card
    keys = word_re(_KEYS)
    texts = [(section, text, span) for section, text, span in ctx.narratives() if keys.search(text)]
    if not texts:  # no narrative speaks of the figures: nothing to compare (and no tree walked)
        return
    f = ev.funds
    rates = {}
    if card.funds.execution_rate and card.funds.execution_rate.ratio is not None:
        rates["execution"] = [card.funds.execution_rate.ratio * HUNDRED]
        # the framework's 预算执行率 may be spent / received
        for ts in card.trees():
            for ns in ts.walk():
                if ns.node.formula == "预算执行率" and ns.completion and ns.completion.ratio is not None:
                    rates["execution"].append(ns.completion.ratio * HUNDRED)
    if card.funds.arrival_rate and card.funds.arrival_rate.ratio is not None:
        rates["arrival"] = [card.funds.arrival_rate.ratio * HUNDRED]
    totals = [ts.total for ts in card.trees() if ts.nodes]
    for section, text, span in texts:
        if f is not None:
            for key, label, rx in _MONEY:
                q = f.amount(key)
                if q is None:
                    continue
                for m in rx.finditer(text):
                    number = Decimal(m.group(1))
                    if not _money_agrees(number, m.group(2), q):
                        yield ctx.finding(
                            ctx.text_span(span, m.group(0)),
                            section=section,
                            what=label,
                            stated=m.group(1) + m.group(2),
                            computed=q.text,
                        )
        for key, label, rx in _RATES:
            if key not in rates:
                continue
            for m in rx.finditer(text):
                stated = Decimal(m.group(1))
                if not any(agrees_as_written(stated, c) for c in rates[key]):
                    yield ctx.finding(
                        ctx.text_span(span, m.group(0)),
                        section=section,
                        what=label,
                        stated=m.group(1) + "%",
                        computed=f"{fixed(rates[key][0], max(2, decimals_written(stated)))}%",
                    )
        if totals:
            for m in _TOTAL.finditer(text):
                stated = Decimal(m.group(1))
                if not any(agrees_as_written(stated, t) for t in totals):
                    yield ctx.finding(
                        ctx.text_span(span, m.group(0)),
                        section=section,
                        what="总分",
                        stated=m.group(1) + "分",
                        computed=" / ".join(fixed(t, 2) for t in totals) + "分",
                    )
