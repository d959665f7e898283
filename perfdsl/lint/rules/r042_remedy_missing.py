"""R042 改进措施缺失：未完成的指标只写了原因，没有改进措施。"""

from ..context import bare, word_re
from ..rule import I, Param, Rule

RULE = Rule(
    code="R042",
    name="改进措施缺失",
    name_en="no remedy for a missed target",
    severity=I,
    classes=(12,),
    summary="未达到目标的指标写了偏差原因，却没有改进措施",
    message_zh="「{indicator}」未达到目标（完成率 {completion}），只写了原因，没有改进措施",
    message_en="'{indicator}' missed its target (completion {completion}); the reason is given but no remedy",
    hint_zh='写上改进措施 "…"：下一年度如何避免同样的偏差',
    hint_en='add 改进措施 "…": how the same shortfall will be avoided next year',
    params=(
        Param(
            "remedy_words",
            (
                "下一步",
                "今后",
                "下年",
                "次年",
                "加强",
                "改进",
                "整改",
                "完善",
                "优化",
                "调整",
                "措施",
                "建议",
                "将按",
                "将在",
            ),
            "words",
            "偏差原因中出现这些词时，视为已含改进措施",
        ),
    ),
    rationale=(
        "自评表最后一栏是“偏差原因分析及改进措施”，两者缺一不可；财政部自评工作通知要求对偏差“分析原因、"
        "提出改进措施”，复核（成都郫都区）把“只分析原因、无改进措施”列为填报不完整。本规则只在写了原因"
        "（否则由 R012 报告）而没有「改进措施」、原因中也没有改进的表述时提示。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "受场地改造影响，第四季度一期培训取消。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "受场地改造影响，第四季度一期培训取消。"
        改进措施 "次年一季度补办一期，并预留备用场地。"
    }
  }
}
""",
)


def check(ctx, p):
    words = word_re(p["remedy_words"])
    for it in ctx.leaves("quantitative", "formula"):
        n = it.node
        if it.score.met is not False or not n.reason.strip() or n.remedy.strip():
            continue
        if words.search(n.reason) or len(bare(n.reason)) < 15:
            continue  # a remedy is in the reason, or the reason itself is too thin (R013)
        yield ctx.finding(n.at("reason"), indicator=n.name, completion=it.percent())
