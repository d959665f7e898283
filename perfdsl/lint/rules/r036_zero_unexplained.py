"""R036 完成值0无说明：实际完成值为 0 却没有说明。"""

from ..rule import Rule, W

RULE = Rule(
    code="R036",
    name="完成值0无说明",
    name_en="zero actual without explanation",
    severity=W,
    classes=(36,),
    summary="定量指标（或成本指标）的实际完成值为 0，却没有写偏差原因",
    message_zh="「{indicator}」实际完成值为 {actual}（目标 {target}），没有说明原因",
    message_en="'{indicator}': the actual is {actual} (target {target}) and no reason is given",
    hint_zh="说明为何为 0：未实施、未支付、数据未统计……；若指标不再适用，应在调整绩效目标时删去",
    hint_en="say why it is 0 (not carried out, not paid, not counted …); drop an indicator that no longer applies",
    rationale=(
        "复核实践（成都郫都区第三方复核）中常见实际完成值填 0 而不作任何说明：可能是项目根本没有实施、"
        "资金没有支付，也可能是漏填。即使是“≤”的成本指标，实际为 0 也意味着这项钱没有花出去、对应的产出"
        "没有发生，同样需要说明。投诉、事故次数一类的反向指标实际为 0 是最好的结果，不在此列。"
    ),
    triggers="""自评表 {
  产出 {
    成本 {
      设备维护费 ≤ 2万元 实际 0万元 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    成本 {
      设备维护费 ≤ 2万元 实际 0万元 分值 100
        偏差原因 "设备仍在厂家保修期内，维护由厂家免费提供，本年未发生维护费。"
    }
  }
}
""",
)


def check(ctx, p):
    for it in ctx.leaves("quantitative"):
        n = it.node
        if n.actual is None or n.target is None or n.actual.number != 0 or n.target.number == 0:
            continue
        if n.reason.strip():
            continue
        if n.comparator in ("<=", "<") and not (ctx.is_cost(it) or n.target.unit.base.startswith("元")):
            continue  # 投诉次数 ≤ 5次, 实际 0次: none is the best result
        yield ctx.finding(n.at("actual"), indicator=n.name, actual=n.actual.text, target=it.target_text())
