"""R022 成本指标缺失：产出指标中没有成本指标。"""

from ..rule import Rule, W

RULE = Rule(
    code="R022",
    name="成本指标缺失",
    name_en="no cost indicator",
    severity=W,
    classes=(22,),
    summary="指标体系的“产出”之下没有成本指标",
    message_zh="{tree}的「{group}」下没有成本指标",
    message_en="{tree}: '{group}' has no cost indicator",
    hint_zh="在「{group}」下加「成本 {{ … ≤ 金额 … }}」：经济成本、社会成本、生态环境成本至少其一",
    hint_en="add a 成本 group under '{group}' with at least one '≤ amount' indicator",
    rationale=(
        "自 2021 年起，财政部《项目支出绩效目标和指标设置及取值指引》把成本指标（经济成本、社会成本、生态环境"
        "成本）列为产出指标的必设二级指标；复核（成都郫都区第三方复核等）把“未设置成本指标”列为目标设置"
        "不完整。判断依据是评价规则中列出的成本分组名（kinds.cost）或名称含“成本”的指标。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 60
    }
    成本 {
      人均培训成本 ≤ 800元/人 实际 760元/人 分值 40
    }
  }
}
""",
)

OUTPUT = ("产出", "产出指标")


def check(ctx, p):
    cost = ctx.rules.cost_kinds
    for tree, _ in ctx.trees:
        for group in tree.nodes:
            if group.name not in OUTPUT or not group.is_group:
                continue
            below = [it.node.name for it in ctx.items + ctx.groups if it.ancestors and it.ancestors[0] is group]
            if any(name in cost or "成本" in name for name in below):
                continue
            yield ctx.finding(group.at("name"), tree=tree.title, group=group.name)
