"""R017 百分比目标 > 100：比率指标的目标值或实际值超过 100%。"""

from ...core.numbers import HUNDRED
from ..context import word_re
from ..rule import Param, Rule, W

RULE = Rule(
    code="R017",
    name="百分比超过100%",
    name_en="percentage above 100 %",
    severity=W,
    classes=(17,),
    summary="比率类指标（合格率、满意度……）的目标值超过 100%，或写成“> 100%”，或实际值超过 100%",
    message_zh="「{indicator}」的{what} {value} 超过 100%，比率不可能达到",
    message_en="'{indicator}': the {what_en} {value} exceeds 100 %, which a rate cannot reach",
    hint_zh="比率最高为 100%：目标写「≥ 95%」或「= 100%」；实际值按实际比率填写",
    hint_en="a rate is at most 100 %: write '≥ 95%' or '= 100%' as the target and the true rate as the actual",
    params=(
        Param(
            "exclude",
            ("增长", "增幅", "同比", "环比", "上升", "比上年"),
            "words",
            "名称含这些词的指标（增长率等）可以超过 100%，不检查",
        ),
    ),
    rationale=(
        "省级预算绩效系统的规则表与复核实践都把“百分比指标值大于 100%”列为设置错误：合格率、覆盖率、"
        "满意度、及时率等比率的上限是 100%，目标写成 120% 或“> 100%”就永远无法完成，实际值写成 103% 则是"
        "把完成率误填为实际值。增长率一类可以超过 100%，按名称排除。"
    ),
    triggers="""自评表 {
  满意度 {
    服务对象满意度 {
      群众满意度 ≥ 105% 实际 98% 分值 100
        偏差原因 "目标值录入有误，应为 95%；实际满意度按问卷统计为 98%。"
    }
  }
}
""",
    passes="""自评表 {
  满意度 {
    服务对象满意度 {
      群众满意度 ≥ 95% 实际 98% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    exclude = word_re(p["exclude"])
    for it in ctx.leaves("quantitative"):
        n = it.node
        if n.target.unit.is_percent and not exclude.search(n.name):
            t = n.target.base_value
            if t > HUNDRED or (t == HUNDRED and n.comparator == ">"):
                yield ctx.finding(
                    n.at("target"), indicator=n.name, what="目标值", what_en="target", value=it.target_text()
                )
                continue
            if (
                n.actual is not None
                and n.actual.unit.is_percent
                and n.actual.base_value > HUNDRED
                and (n.name.endswith("率") or "满意" in n.name)
            ):
                yield ctx.finding(
                    n.at("actual"), indicator=n.name, what="实际完成值", what_en="actual", value=n.actual.text
                )
