"""R021 成本方向错：成本指标不是“≤”，节约被当作未完成，或支出越多得分越高。"""

from ..context import word_re
from ..rule import Param, Rule, W

RULE = Rule(
    code="R021",
    name="成本方向错",
    name_en="cost indicator in the wrong direction",
    severity=W,
    classes=(21,),
    summary="成本指标用“=”而实际低于目标（节约被扣分），或名称是费用的金额指标用“≥”（检查器 I0103 未覆盖的情形）",
    message_zh="「{indicator}」是成本指标，{problem}",
    message_en="'{indicator}' is a cost indicator; {problem_en}",
    hint_zh="成本指标写「≤ 目标值」：不超支即达到目标，节约不扣分",
    hint_en="write cost indicators as '≤ target': within budget is met, and savings are not penalised",
    params=(
        Param(
            "cost_words",
            ("成本", "费用", "经费", "单价", "费"),
            "words",
            "名称含这些词、以金额计的指标视为成本指标（成本分组之外）",
        ),
        Param(
            "payment_words",
            ("工资", "补助", "补贴", "津贴", "报酬", "抚恤", "救助", "奖励"),
            "words",
            "发给个人的标准（工资、补助……）少发就是未完成，用“=”是对的，不报告",
        ),
    ),
    rationale=(
        "省级预算绩效系统的规则表把成本指标定为反向指标（“≤”，不超过即满分）；复核实践中常见成本指标写成"
        "“=”或“≥”：写“=”时实际支出低于标准被算作未完成而扣分（鼓励花光预算），写“≥”时花得越多得分越高。"
        "成本分组中写“≥”的已由检查器（I0103）报告；本规则报告其余两种：成本分组中写“=”而实际低于目标的，"
        "以及不在成本分组、但名称和金额单位表明是费用的“≥”指标。发给个人的工资、补助标准少发即未完成，"
        "写“=”没有错，不在此列。"
    ),
    triggers="""自评表 {
  产出 {
    成本 {
      人均运转支出标准 = 5000元/人 实际 2391.5元/人 分值 100
        偏差原因 "差旅费报销次数少，其余用于办公用品购买及车辆加油等支出。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    成本 {
      人均运转支出标准 ≤ 5000元/人 实际 2391.5元/人 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    words = word_re(p["cost_words"])
    exempt = word_re(p["payment_words"])
    for it in ctx.leaves("quantitative"):
        n = it.node
        if n.actual is None or not n.target.compatible(n.actual):
            continue
        if ctx.is_cost(it):
            if n.comparator == "=" and n.actual.base_value < n.target.base_value and not exempt.search(n.name):
                yield ctx.finding(
                    n.at("target"),
                    indicator=n.name,
                    problem=f"却写作「= {n.target.text}」：实际 {n.actual.text} 低于目标，节约被算作未完成（完成率 {it.percent()}）",
                    problem_en=f"written '= {n.target.text}', spending less ({n.actual.text}) counts as a miss ({it.percent()})",
                )
        elif n.comparator in (">=", ">") and n.target.unit.base.startswith("元") and words.search(n.name):
            yield ctx.finding(
                n.at("target"),
                indicator=n.name,
                problem=f"却写作「{n.comparator_text} {n.target.text}」：支出越多得分越高",
                problem_en=f"written '{n.comparator_text} {n.target.text}', more spending scores higher",
            )
