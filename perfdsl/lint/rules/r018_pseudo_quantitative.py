"""R018 形式定量实质定性：给效果类描述套上百分比。"""

from ..rule import Param, Rule, W

RULE = Rule(
    code="R018",
    name="形式定量实质定性",
    name_en="a percentage on a qualitative outcome",
    severity=W,
    classes=(18,),
    summary="指标名称是效果描述（“效益明显”“提高能力”），目标却是百分比：看似定量，无从计量",
    message_zh="「{indicator}」是效果描述，目标 {target} 的百分比没有可计数的分子分母",
    message_en="'{indicator}' describes an outcome; the percentage {target} has nothing countable behind it",
    hint_zh="改为可计数的比率（“××覆盖率 = 覆盖户数/应覆盖户数”），或如实写成定性指标",
    hint_en="use a countable rate (covered / to be covered), or write it honestly as a qualitative indicator",
    params=(
        Param(
            "outcome_words",
            (
                "明显",
                "显著",
                "有效",
                "提升",
                "提高",
                "改善",
                "促进",
                "增强",
                "加强",
                "效益",
                "效果",
                "作用",
                "能力",
                "水平",
            ),
            "words",
            "名称中表示效果的词",
        ),
        Param(
            "rate_endings",
            ("率", "度", "比例", "占比", "比重", "指数"),
            "words",
            "以这些结尾的名称是真正的比率，不报告",
        ),
    ),
    rationale=(
        "复核（成都郫都区第三方复核）与期刊文章批评“形式上定量、实质上定性”的指标，例如“社会效益明显 ≥ 95%”"
        "“群众办事效率提高 ≥ 90%”：百分比没有分子分母，实际值只能估计，量化率因此虚高。名称以率、度、"
        "比例等结尾的指标是可以计数的比率，不在此列。"
    ),
    triggers="""自评表 {
  效益 {
    社会效益 {
      群众办事效率明显提高 ≥ 90% 实际 95% 分值 100
    }
  }
}
""",
    passes="""自评表 {
  效益 {
    社会效益 {
      受益群众覆盖率 ≥ 90% 实际 95% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    words, endings = p["outcome_words"], p["rate_endings"]
    for it in ctx.leaves("quantitative"):
        n = it.node
        if not n.target.unit.is_percent or n.name.endswith(endings) or "满意" in n.name:
            continue
        if any(w in n.name for w in words):
            yield ctx.finding(n.at("name"), indicator=n.name, target=it.target_text())
