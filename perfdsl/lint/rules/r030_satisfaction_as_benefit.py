"""R030 满意度代替效益：效益指标只有满意度，或自评表把满意度放在效益下。"""

from ..context import BENEFIT_GROUPS
from ..rule import Rule, W

RULE = Rule(
    code="R030",
    name="满意度代替效益",
    name_en="satisfaction in place of benefits",
    severity=W,
    classes=(30,),
    summary="“效益”之下只有满意度指标，没有反映项目效益的指标",
    message_zh="{tree}的「{group}」下只有满意度指标（{indicator}），没有反映效益的指标",
    message_en="{tree}: '{group}' holds only satisfaction indicators ({indicator}), nothing on the project's effects",
    hint_zh="效益写项目带来的社会、经济、生态效益或可持续影响；满意度另列",
    hint_en="benefits state social, economic or ecological effects; satisfaction is a first-level indicator of its own",
    rationale=(
        "自评表的一级指标是产出、效益、满意度三类，满意度单独计分；复核（成都郫都区第三方复核、期刊文章）"
        "把“以满意度代替效益指标”列为常见问题：效益下只填一个满意度，项目带来的实际变化就无从评价。"
        "满意度列在效益之下本身不算错（评价指标体系的共性框架如此，一些地方的旧版自评表也如此），"
        "只在效益之下再无其他指标时报告。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 60
    }
  }
  效益 {
    社会效益 {
      参训人员满意度 ≥ 90% 实际 95% 分值 40
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 100人 分值 50
    }
  }
  效益 {
    社会效益 {
      参训人员持证上岗率 ≥ 80% 实际 85% 分值 40
    }
  }
  满意度 {
    服务对象满意度 {
      参训人员满意度 ≥ 90% 实际 95% 分值 10
    }
  }
}
""",
)


def check(ctx, p):
    for tree, _ in ctx.trees:
        for group in tree.nodes:
            if group.name not in BENEFIT_GROUPS or not group.is_group:
                continue
            items = [it for it in ctx.items if it.tree is tree and it.ancestors and it.ancestors[0] is group]
            sat = [it for it in items if ctx.is_satisfaction(it)]
            if not sat:
                continue
            if len(sat) == len(items):
                yield ctx.finding(group.at("name"), tree=tree.title, group=group.name, indicator=sat[0].name)
