"""R031 满意度无调查：给出满意度数值，却没有调查样本。"""

from ...core.numbers import trimmed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R031",
    name="满意度无调查",
    name_en="satisfaction without a survey",
    severity=W,
    classes=(31,),
    summary="有满意度数值，却没有满意度调查的样本数（或样本少于设定的最低数）",
    message_zh="「{indicator}」的实际值 {actual} {problem}",
    message_en="'{indicator}': the actual {actual} {problem_en}",
    hint_zh='写上「满意度调查 {{ 调查对象 "…" 样本 …人 发放 …份 回收 …份 调查方式 "问卷调查" }}」',
    hint_en='add 满意度调查 {{ 调查对象 "…" 样本 …人 发放 …份 回收 …份 调查方式 "问卷调查" }}',
    params=(Param("min_sample", 0, "integer", "样本的最低数量；0 表示不检查（公开来源中没有统一规定）"),),
    rationale=(
        "满意度是自评表的一级指标，实际完成值必须来自调查；复核（成都郫都区第三方复核）发现“满意度无调查"
        "依据、数值凭估计填写”的情形很常见。报告应写明调查对象、样本量、发放与回收份数。公开来源中没有样本量"
        "的统一规定，最低样本数默认不检查，可在 perfdsl.toml 中设定。"
    ),
    triggers="""自评表 {
  满意度 {
    服务对象满意度 {
      群众满意度 ≥ 90% 实际 98% 分值 100
    }
  }
}
""",
    passes="""满意度调查 {
  调查对象 "前来办事的群众"
  样本 100人
  发放 100份
  回收 96份
  调查方式 "问卷调查"
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
    sat = [it for it in ctx.leaves("quantitative") if ctx.is_satisfaction(it) and it.node.actual is not None]
    if not sat:
        return
    it = sat[0]
    s = ctx.ev.survey
    size = None if s is None else (s.sample or s.returned or s.issued)
    if size is None:
        yield ctx.finding(
            it.node.at("actual"),
            indicator=it.name,
            actual=it.node.actual.text,
            problem="没有满意度调查的样本数据",
            problem_en="has no survey sample behind it",
        )
    elif p["min_sample"] and size.number < p["min_sample"]:
        yield ctx.finding(
            s.spans.get("sample", s.span),
            indicator=it.name,
            actual=it.node.actual.text,
            problem=f"来自 {size.text} 的调查，少于最低样本 {trimmed(p['min_sample'])}",
            problem_en=f"comes from a survey of {size.text}, below the minimum sample {p['min_sample']}",
        )
