"""R029 质量效益混淆：效益指标其实是质量或时效指标。"""

from ..context import BENEFIT_GROUPS
from ..rule import Param, Rule, W

RULE = Rule(
    code="R029",
    name="质量效益混淆",
    name_en="quality measure used as a benefit",
    severity=W,
    classes=(29,),
    summary="效益指标的名称是合格率、完成率、达标率、及时率一类：这是质量或时效，不是效益",
    message_zh="效益指标「{indicator}」是“{ending}”，衡量的是产出的质量或时效，不是效益",
    message_en="benefit indicator '{indicator}' is a '{ending}', which measures output quality or timeliness, not benefit",
    hint_zh="把它移到产出的质量或时效指标下；效益写项目带来的社会、经济、生态变化",
    hint_en="move it to the quality or timeliness indicators; benefits state social, economic or ecological change",
    params=(
        Param(
            "endings",
            ("合格率", "完成率", "达标率", "及时率", "准确率", "验收率", "办结率", "验收合格率"),
            "words",
            "效益指标名称以这些结尾即报告",
        ),
    ),
    rationale=(
        "财政部指标取值指引中，合格率、达标率属质量指标，完成及时率属时效指标；复核（成都郫都区第三方复核、"
        "期刊文章）把“效益指标设置为完成率、合格率”列为指标分类错误：这样的效益只是产出的复述，"
        "看不出项目带来了什么变化。"
    ),
    triggers="""自评表 {
  效益 {
    社会效益 {
      项目验收合格率 = 100% 实际 100% 分值 100
    }
  }
}
""",
    passes="""自评表 {
  效益 {
    社会效益 {
      受益群众覆盖率 ≥ 90% 实际 93% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    endings = sorted(p["endings"], key=len, reverse=True)
    for it in ctx.items:
        if it.first not in BENEFIT_GROUPS or ctx.is_satisfaction(it) or it.kind not in ("quantitative", "qualitative"):
            continue
        ending = next((e for e in endings if it.name.endswith(e)), None)
        if ending:
            yield ctx.finding(it.node.at("name"), indicator=it.name, ending=ending)
