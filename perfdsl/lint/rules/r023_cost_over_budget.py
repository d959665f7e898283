"""R023 成本值 > 全年预算：成本目标超过项目全年预算。"""

from decimal import Decimal

from ...core.numbers import trimmed
from ..rule import Rule, W

RULE = Rule(
    code="R023",
    name="成本值超过预算",
    name_en="cost target above the budget",
    severity=W,
    classes=(23,),
    summary="成本指标的金额目标（单项，或一个成本分组的合计）超过项目的全年预算数",
    message_zh="{what} {amount} 超过全年预算数 {budget}",
    message_en="{what_en} {amount} exceeds the 全年预算数 {budget}",
    hint_zh="成本目标应在预算之内：核对金额的单位（元与万元）和预算数",
    hint_en="cost targets lie within the budget: check the unit (元 or 万元) and the budget",
    rationale=(
        "省级预算绩效系统的规则表要求成本指标与预算资金相衔接；复核实践中常见成本目标与预算对不上，最典型的是"
        "元与万元混写（目标“≤ 50000万元”而预算只有 5 万元）。项目的全部成本不可能超过全年预算数，"
        "单项或一个成本分组的合计超过即为错误。只比较以元、万元计的总额，不比较“元/人”等单价。"
        "元与万元混写、换算后即落在预算之内的，由检查器以 U0201 指出（并给出可能的数值），本规则不再重复。"
    ),
    triggers="""资金 {
  全年预算数 20万元
  全年执行数 19万元
}

自评表 {
  产出 {
    成本 {
      设备采购成本 ≤ 25万元 实际 12万元 分值 100
    }
  }
}
""",
    passes="""资金 {
  全年预算数 20万元
  全年执行数 19万元
}

自评表 {
  产出 {
    成本 {
      设备采购成本 ≤ 12万元 实际 12万元 分值 100
    }
  }
}
""",
)


def _wan(v: Decimal) -> str:
    return f"{trimmed(v / Decimal(10000))}万元"


def check(ctx, p):
    f = ctx.ev.funds
    if f is None or f.budget is None:
        return
    budget = f.budget.base_value
    groups: dict[int, tuple] = {}
    for it in ctx.leaves("quantitative"):
        n = it.node
        if not (ctx.is_cost(it) or "成本" in n.name) or not n.target.unit.is_money:
            continue
        if n.comparator not in ("<=", "<", "="):
            continue
        value = n.target.base_value
        if value > budget:
            yield ctx.finding(
                n.at("target"),
                what=f"「{n.name}」的目标",
                what_en=f"the target of '{n.name}'",
                amount=n.target.text,
                budget=f.budget.text,
            )
            continue
        if it.parent is not None:
            entry = groups.setdefault(id(it.parent), [it.parent, Decimal(0), it.tree])
            entry[1] += value
    for parent, total, tree in groups.values():
        if total > budget:
            yield ctx.finding(
                parent.at("name"),
                what=f"{tree.title}「{parent.name}」各成本目标合计",
                what_en=f"the cost targets of '{parent.name}' add up to",
                amount=_wan(total),
                budget=f.budget.text,
            )
