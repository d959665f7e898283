"""R025 执行率低而产出满分：钱没花完，产出却全部满分。"""

from ...core.numbers import HUNDRED, fixed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R025",
    name="执行率低而产出满分",
    name_en="low spending, full output marks",
    severity=W,
    classes=(25,),
    summary="预算执行率低于门槛（默认 90%），产出指标却全部满分",
    message_zh="预算执行率只有 {rate}，{tree}「{group}」下的指标（{count} 个）却全部满分",
    message_en="the execution rate is only {rate}, yet every indicator under '{group}' ({tree}; {count} in all) scores full marks",
    hint_zh="核对产出的实际完成值；若确实以较少资金完成全部产出，说明节约的原因，并据此调减下年预算",
    hint_en="check the output actuals; if all was done for less, say how, and lower next year's budget",
    params=(Param("threshold", 90, "number", "预算执行率低于此百分比时检查"),),
    rationale=(
        "复核（成都郫都区第三方复核）与期刊文章都把“预算执行率低而产出指标全部满分”列为自评不实的信号："
        "预算没有花出去，产出却一项不差，要么产出目标定得过低，要么预算编制虚高，要么实际完成值不实。"
        "两者至少有一个需要解释。"
    ),
    triggers="""资金 {
  全年预算数 100万元
  全年执行数 60万元
}

自评表 {
  产出 {
    数量 {
      维修道路 ≥ 10公里 实际 10公里 分值 100
    }
  }
}
""",
    passes="""资金 {
  全年预算数 100万元
  全年执行数 60万元
}

自评表 {
  产出 {
    数量 {
      维修道路 ≥ 10公里 实际 6公里 分值 100
        偏差原因 "下半年四公里路段因征地未完成而停工，对应资金未支付，已申请结转。"
    }
  }
}
""",
)

OUTPUT = ("产出", "产出指标")


def check(ctx, p):
    rate = ctx.card.funds.execution_rate
    if rate is None or rate.ratio is None or rate.ratio * HUNDRED >= p["threshold"]:
        return
    ts = ctx.primary
    if ts is None:
        return
    for ns in ts.nodes:
        if ns.node.name not in OUTPUT or not ns.children:
            continue
        leaves = [c for c in ns.walk() if not c.children and not c.node.is_group]
        if leaves and all(c.full_marks for c in leaves):
            yield ctx.finding(
                ns.node.at("name"),
                rate=f"{fixed(rate.ratio * HUNDRED, 2)}%",
                tree=ts.tree.title,
                group=ns.node.name,
                count=len(leaves),
            )
