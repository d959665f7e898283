"""R052 申报缺少满意度指标：申报的绩效指标中没有服务对象满意度指标。"""

from ..rule import Rule, W

RULE = Rule(
    code="R052",
    name="申报缺少满意度指标",
    name_en="no satisfaction target filed",
    severity=W,
    classes=(22,),
    summary="申报的绩效指标中没有满意度指标（服务对象满意度）",
    message_zh="申报的绩效指标中没有满意度指标",
    message_en="the filed indicators include no satisfaction indicator",
    hint_zh="加「满意度 {{ 服务对象满意度 {{ 某某满意度 ≥ 90% 分值 10 }} }}」，并在年内安排满意度调查",
    hint_en="add 满意度 {{ 服务对象满意度 {{ … ≥ 90% 分值 10 }} }} and plan the survey",
    rationale=(
        "项目支出绩效自评表把满意度列为一级指标（财预〔2020〕10号附件，默认 10 分），财政部"
        "《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》把服务对象满意度列为效益类的必设指标，"
        "与成本指标一样属于申报时必须设置的指标（复核问题清单第 22 类“必设指标缺失”的同一类问题）："
        "申报时没有，年末的自评表就缺一个一级指标，满意度调查也无从安排。判断依据是评价规则中的满意度"
        "分组名（kinds.satisfaction）或名称含“满意”的指标。"
    ),
    triggers="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    数量 {
      培训人数 ≥ 100人 分值 100
    }
  }
}
""",
    passes="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    数量 {
      培训人数 ≥ 100人 分值 90
    }
  }
  满意度 {
    服务对象满意度 {
      学员满意度 ≥ 90% 分值 10
    }
  }
}
""",
)


def check(ctx, p):
    lc = ctx.ev.lifecycle
    tree = lc.filing.tree if lc is not None and lc.filing is not None else None
    if tree is None or not tree.nodes:
        return
    kinds = ctx.rules.satisfaction_kinds
    for n in tree.walk():
        if n.name in kinds or "满意" in n.name:
            return
    yield ctx.finding(tree.span)
