"""R019 定性指标过多：指标量化率低于门槛。"""

from ...core.numbers import HUNDRED, fixed, trimmed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R019",
    name="定性指标过多",
    name_en="too few quantitative indicators",
    severity=W,
    classes=(19,),
    summary="指标量化率（定量指标/全部有目标值的指标）低于门槛（默认 70%）",
    message_zh="{tree}的指标量化率为 {rate}（定量 {quantitative} / 全部 {total}），低于 {threshold}%",
    message_en="{tree}: the quantified rate is {rate} ({quantitative} quantitative of {total}), below {threshold}%",
    hint_zh="把能计数、能计量的目标改写为定量指标（数量、比率、金额、时限）",
    hint_en="rewrite whatever can be counted or measured as quantitative indicators",
    params=(
        Param("threshold", 70, "number", "指标量化率的最低百分比（没有公开规定，按需设定）"),
        Param("min_indicators", 3, "integer", "有目标值的指标少于此数时不判断"),
    ),
    rationale=(
        "三个来源（成都郫都区第三方复核、省级系统规则表、期刊文章）都把“定性指标过多、量化程度低”列为目标"
        "设置问题，评价指标体系中的“绩效指标明确性”也据此扣分；但没有一个来源给出统一的量化率门槛。默认取 "
        "70%，即种子报告 000 自己在“绩效指标明确性”中采用的标准（“量化率达70.00%以上”），可在 perfdsl.toml "
        "中改设。"
    ),
    triggers="""自评表 {
  效益 {
    社会效益 {
      服务能力 定性 "有效提升" 实际 "提升" 分值 40 得分 32 达成度 达成
        依据 "窗口服务流程优化。"
      办事体验 定性 "明显改善" 实际 "改善" 分值 30 得分 24 达成度 达成
        依据 "群众反映良好。"
      投诉量下降比例 ≥ 10% 实际 12% 分值 30
    }
  }
}
""",
    passes="""自评表 {
  效益 {
    社会效益 {
      服务能力 定性 "有效提升" 实际 "提升" 分值 40 得分 32 达成度 达成
        依据 "窗口服务流程优化。"
      平均办理时长 ≤ 3天 实际 2.5天 分值 20
      投诉量下降比例 ≥ 10% 实际 12% 分值 20
      窗口受理量 ≥ 1000件 实际 1050件 分值 20
    }
  }
}
""",
)


def check(ctx, p):
    for tree, ts in ctx.trees:
        if ts.quantified is None or ts.targeted_count < p["min_indicators"]:
            continue
        rate = ts.quantified.ratio * HUNDRED
        if rate < p["threshold"]:
            yield ctx.finding(
                tree.span,
                tree=tree.title,
                rate=f"{fixed(rate, 2)}%",
                quantitative=ts.quantitative_count,
                total=ts.targeted_count,
                threshold=trimmed(p["threshold"]),
            )
