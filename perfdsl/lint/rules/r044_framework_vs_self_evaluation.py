"""R044 评分表与自评表不符：附件1 的产出、效益评分与自评表同类指标的结果相反。"""

from ...core.numbers import fixed, trimmed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R044",
    name="评分表与自评表不符",
    name_en="framework contradicts the self-evaluation",
    severity=W,
    classes=(33,),
    summary="评价指标体系（附件1）的产出、效益指标满分而自评表同类指标失分，或反过来扣分而自评表同类指标全部完成",
    message_zh="评价指标体系「{indicator}」{framework}，而自评表「{group}」{table}",
    message_en="the framework's '{indicator}' {framework_en}, while the 自评表's '{group}' {table_en}",
    hint_zh="两张表评的是同一批指标，结论应一致：据实调整其中一张，或在依据中说明差异",
    hint_en="both tables judge the same indicators: correct one of them, or explain the difference in the basis",
    params=(
        Param(
            "pairs",
            {
                "实际完成率": ("数量", "数量指标"),
                "数量": ("数量", "数量指标"),
                "质量达标率": ("质量", "质量指标"),
                "质量": ("质量", "质量指标"),
                "完成及时性": ("时效", "时效指标"),
                "时效": ("时效", "时效指标"),
                "成本节约率": ("成本", "成本指标"),
                "成本": ("成本", "成本指标"),
                "实施效益": ("效益", "效益指标"),
                "满意度": ("满意度", "满意度指标"),
            },
            "groups",
            "评价指标体系的评判指标 → 自评表中与它对应的分组",
        ),
    ),
    rationale=(
        "报告的附件1（评价指标体系及综合评分表）按共性框架对“实际完成率”“质量达标率”“成本节约率”等评分，"
        "依据就是自评表中的数量、质量、成本指标；两者由不同的人在不同时候填写，常常自相矛盾。复核"
        "（成都郫都区第三方复核）要求自评表、评分表与正文相互印证。本规则比较附件1 的评判指标与自评表中"
        "对应分组：一边满分一边失分，或一边扣分一边全部完成，都报告。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 100
    }
  }
}

评价指标体系 {
  产出 {
    产出数量 {
      实际完成率 权重 100 得分 90
        依据 "培训人数达到目标。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 100
    }
  }
}

评价指标体系 {
  产出 {
    产出数量 {
      实际完成率 权重 100 得分 100
        依据 "培训人数达到目标。"
    }
  }
}
""",
)


def check(ctx, p):
    se, fw = ctx.card.self_evaluation, ctx.card.framework
    if se is None or fw is None:
        return
    groups = {}
    for ns in se.walk():
        if ns.children and ns.node.name not in groups:
            groups[ns.node.name] = ns
    for it in ctx.leaves("judged", "qualitative", tree="evaluation"):
        wanted = p["pairs"].get(it.name)
        g = next((groups[w] for w in wanted or () if w in groups), None)
        if g is None or g.weight is None or g.score is None or it.score.weight is None or it.score.score is None:
            continue
        lost = g.weight - g.score
        if it.score.full_marks and lost > 0:
            yield ctx.finding(
                it.node.at("score"),
                indicator=it.name,
                group=g.node.name,
                framework=f"评为满分 {trimmed(it.node.score)}",
                framework_en=f"scores full marks ({trimmed(it.node.score)})",
                table=f"失 {fixed(lost, 2)} 分（{fixed(g.score, 2)}/{trimmed(g.weight)}）",
                table_en=f"lost {fixed(lost, 2)} points ({fixed(g.score, 2)}/{trimmed(g.weight)})",
            )
        elif not it.score.full_marks and lost == 0 and all(c.met is not False for c in g.walk()):
            yield ctx.finding(
                it.node.at("score"),
                indicator=it.name,
                group=g.node.name,
                framework=f"扣 {trimmed(it.score.lost)} 分（{trimmed(it.node.score)}/{trimmed(it.score.weight)}）",
                framework_en=f"loses {trimmed(it.score.lost)} points ({trimmed(it.node.score)}/{trimmed(it.score.weight)})",
                table="的指标全部达到目标、满分",
                table_en="met every target with full marks",
            )
