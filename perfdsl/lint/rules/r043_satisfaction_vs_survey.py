"""R043 满意度与调查结果不符：满意度指标的实际值与满意度调查的结果不同。"""

from ...core.numbers import agrees_as_written
from ..rule import Rule, W

RULE = Rule(
    code="R043",
    name="满意度与调查不符",
    name_en="satisfaction differs from the survey",
    severity=W,
    classes=(33,),
    summary="满意度指标的实际值与“满意度调查”的调查结果不一致",
    message_zh="「{indicator}」实际值 {actual}，而满意度调查的结果是 {result}",
    message_en="'{indicator}': the actual is {actual}, but the survey's result is {result}",
    hint_zh="满意度指标的实际值应取自调查结果；调查对象不同的，分别写明",
    hint_en="take the satisfaction actual from the survey; where the respondents differ, say so",
    rationale=(
        "满意度指标的实际完成值应当就是满意度调查的结果；复核（成都郫都区第三方复核）与期刊文章都发现报告"
        "正文的调查结果与自评表中的满意度数值对不上，属于“正文与表不符”（第 33 类）的一种。只有一个满意度"
        "指标时比较；有多个指标（调查对象不同）时，只要有一个与调查结果一致即可。"
    ),
    triggers="""满意度调查 {
  样本 100人
  回收 96份
  调查结果 92%
}

自评表 {
  满意度 {
    服务对象满意度 {
      群众满意度 ≥ 90% 实际 98% 分值 100
    }
  }
}
""",
    passes="""满意度调查 {
  样本 100人
  回收 96份
  调查结果 98%
}

自评表 {
  满意度 {
    服务对象满意度 {
      群众满意度 ≥ 90% 实际 98% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    s = ctx.ev.survey
    if s is None or s.result is None:
        return
    sat = [
        it
        for it in ctx.leaves("quantitative")
        if ctx.is_satisfaction(it) and it.node.actual is not None and it.node.actual.unit.is_percent
    ]
    if not sat:
        return
    result = s.result.number

    def agrees(it):
        a = it.node.actual.number
        return agrees_as_written(a, result) or agrees_as_written(result, a)

    if any(agrees(it) for it in sat):
        return
    it = sat[0]
    yield ctx.finding(it.node.at("actual"), indicator=it.name, actual=it.node.actual.text, result=s.result.text)
