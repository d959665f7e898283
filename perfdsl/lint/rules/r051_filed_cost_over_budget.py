"""R051 申报成本超出资金：申报的成本目标超过申报的年度资金总额。"""

from decimal import Decimal

from ...core.numbers import trimmed
from ...model.evaluation import at_self_evaluation, with_parents
from ..rule import Rule, W

RULE = Rule(
    code="R051",
    name="申报成本超出资金",
    name_en="filed cost target above the filed budget",
    severity=W,
    classes=(23,),
    summary="申报的成本指标金额（单项，或一个成本分组的合计）超过申报的年度资金总额",
    message_zh="{what} {amount} 超过申报的年度资金总额 {budget}",
    message_en="{what_en} {amount} exceeds the filed 年度资金总额 {budget}",
    hint_zh="成本目标应在申报的资金之内：核对金额的单位（元与万元）和年度资金总额",
    hint_en="cost targets lie within the filed budget: check the unit (元 or 万元) and the 年度资金总额",
    rationale=(
        "财政部《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》要求成本指标与预算资金相衔接，"
        "省级预算绩效系统的规则表在申报审核时即比对成本目标与申报金额。申报时还没有「资金」块，R023 无从比较；"
        "本规则用申报的年度资金总额，比较申报的成本目标（单项，或一个成本分组的合计），只比较以元、万元计的"
        "总额。自评开始后由 R023 按全年预算数检查。"
    ),
    triggers="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    成本 {
      设备采购成本 ≤ 120000万元 分值 100
    }
  }
}
""",
    passes="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    成本 {
      设备采购成本 ≤ 12万元 分值 100
    }
  }
}
""",
)


def _wan(v: Decimal) -> str:
    return f"{trimmed(v / Decimal(10000))}万元"


def check(ctx, p):
    ev = ctx.ev
    lc = ev.lifecycle
    filing = lc.filing if lc is not None else None
    if filing is None or filing.tree is None or filing.budget is None or at_self_evaluation(ev):
        return  # after filing, R023 compares with the year's budget
    budget = filing.budget.base_value
    cost = ctx.rules.cost_kinds
    groups: dict[int, list] = {}
    for parent, n in with_parents(filing.tree.nodes):
        if n.is_group or n.target is None or n.comparator not in ("<=", "<", "=") or not n.target.unit.is_money:
            continue
        if not ((parent is not None and parent.name in cost) or "成本" in n.name):
            continue
        value = n.target.base_value
        if value > budget:
            yield ctx.finding(
                n.at("target"),
                what=f"「{n.name}」的申报目标",
                what_en=f"the filed target of '{n.name}'",
                amount=n.target.text,
                budget=filing.budget.text,
            )
        elif parent is not None:
            groups.setdefault(id(parent), [parent, Decimal(0)])[1] += value
    for parent, total in groups.values():
        if total > budget:
            yield ctx.finding(
                parent.at("name"),
                what=f"申报的「{parent.name}」各成本目标合计",
                what_en=f"the filed cost targets of '{parent.name}' add up to",
                amount=_wan(total),
                budget=filing.budget.text,
            )
