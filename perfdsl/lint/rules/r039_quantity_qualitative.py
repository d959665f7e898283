"""R039 数量指标定性：数量指标没有数值目标。"""

from ..context import QUANTITY_GROUPS
from ..rule import Rule, W

RULE = Rule(
    code="R039",
    name="数量指标定性",
    name_en="qualitative quantity indicator",
    severity=W,
    classes=(39,),
    summary="数量指标写成了定性目标（“按计划完成”“全面保障”）",
    message_zh="数量指标「{indicator}」的目标是定性的「{target}」，数量指标应有数值和计量单位",
    message_en="quantity indicator '{indicator}' has the qualitative target '{target}'; a quantity takes a number and a unit",
    hint_zh="写成「{indicator} ≥ 数值单位 实际 …」",
    hint_en="write '{indicator} ≥ <number><unit> 实际 …'",
    rationale=(
        "数量指标反映“提供了多少产品和服务”，财政部指标取值指引要求以数值和计量单位表示；复核（成都郫都区"
        "第三方复核）把“数量指标未量化”列为指标设置问题：“按计划完成”“全面保障”无法判断完成程度，"
        "只能按达成度自由评分。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      设备采购 定性 "按计划完成" 实际 "已完成" 分值 100 得分 100 达成度 达成
        依据 "设备已验收。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      设备采购数量 ≥ 10台 实际 10台 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    for it in ctx.leaves("qualitative"):
        if it.parent is not None and it.parent.name in QUANTITY_GROUPS:
            yield ctx.finding(it.node.at("target"), indicator=it.name, target=it.node.qualitative_target)
