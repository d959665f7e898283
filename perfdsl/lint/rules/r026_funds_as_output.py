"""R026 资金指标作数量/质量：把花钱当作产出。"""

from ..context import QUALITY_GROUPS, QUANTITY_GROUPS, TIME_GROUPS, word_re
from ..rule import Param, Rule, W

RULE = Rule(
    code="R026",
    name="资金指标作产出",
    name_en="spending used as an output",
    severity=W,
    classes=(26,),
    summary="数量、质量、时效指标以金额计，或是预算执行率、资金到位率一类的资金指标",
    message_zh="「{indicator}」放在「{group}」下，{why}：这是资金投入，不是产出",
    message_en="'{indicator}' sits under '{group}' and {why_en}: that is spending, not output",
    hint_zh="数量指标写产出了什么（多少人、多少套、多少公里）；资金使用情况由预算执行率反映",
    hint_en="quantity indicators count what was produced; spending is covered by the execution rate",
    params=(
        Param(
            "fund_words",
            ("预算执行率", "资金到位率", "执行率", "支出进度", "资金使用率", "资金拨付率", "拨付率", "支出率"),
            "words",
            "名称含这些词的指标是资金指标",
        ),
    ),
    rationale=(
        "财政部指标取值指引规定，数量、质量、时效指标反映提供的产品和服务，资金指标不得作为产出指标；"
        "复核实践中常见把“资金拨付 ≥ 100万元”当数量指标、把“预算执行率 ≥ 90%”当质量指标，"
        "这样的产出只是把预算执行重复算了一遍。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      补助资金发放 ≥ 50万元 实际 50万元 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      补助发放户数 ≥ 500户 实际 500户 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    words = word_re(p["fund_words"])
    groups = QUANTITY_GROUPS | QUALITY_GROUPS | TIME_GROUPS
    for it in ctx.leaves("quantitative"):
        parent = it.parent
        if parent is None or parent.name not in groups:
            continue
        n = it.node
        if n.target.unit.is_money:
            why, why_en = f"以金额（{n.target.unit.text}）计", f"is counted in money ({n.target.unit.text})"
        else:
            m = words.search(n.name)
            if m is None:
                continue
            word = m.group(0)
            why, why_en = f"是“{word}”", f"is a '{word}'"
        yield ctx.finding(n.at("name"), indicator=n.name, group=parent.name, why=why, why_en=why_en)
