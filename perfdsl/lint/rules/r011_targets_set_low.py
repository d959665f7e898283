"""R011 指标值偏低：多个指标大幅超额，目标普遍定得偏低。"""

from ...core.numbers import HUNDRED, fixed, trimmed
from ..context import names
from ..rule import Param, Rule, W
from .r010_overshoot_unexplained import overshoots

RULE = Rule(
    code="R011",
    name="指标值偏低",
    name_en="targets set too low",
    severity=W,
    classes=(11,),
    summary="同一张表中多个指标的实际值达到目标值的 130% 以上：目标普遍定得偏低",
    message_zh="{tree}中有 {count} 个指标实际值达到目标的 {threshold}% 以上：{which}，指标值普遍偏低",
    message_en="{tree}: {count} indicators reach {threshold}% of their targets or more ({which}); the targets are set too low",
    hint_zh="按历史完成情况和行业标准设定指标值，次年调高这些目标",
    hint_en="set targets from past results and industry standards; raise these targets next year",
    params=(
        Param(
            "threshold",
            None,
            "number",
            "超过目标值的百分之多少算大幅超额",
            shown="评价规则的 overshoot.explain_above（默认 130）",
        ),
        Param("min_count", 2, "integer", "至少几个指标大幅超额时报告"),
    ),
    rationale=(
        "第三方复核（成都郫都区）与期刊文章都指出“指标值设置偏低、轻易超额完成”是目标管理的普遍问题："
        "实际值达到目标 1.3 倍以上的指标反复出现，说明目标不是按历史标准或计划标准认真测算的。"
        "单个指标超额由 R010 要求说明；本规则看整张表，同一表中至少 min_count 个指标大幅超额时报告一次。"
        "（跨年度的“连年超额”需要上年数据，暂不判断。）"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人次 ≥ 100人次 实际 160人次 分值 50
        偏差原因 "下半年增开两期线上培训。"
      发放手册 ≥ 200册 实际 300册 分值 50
        偏差原因 "培训人次增加，手册相应加印。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人次 ≥ 100人次 实际 160人次 分值 50
        偏差原因 "下半年增开两期线上培训。"
      发放手册 ≥ 200册 实际 210册 分值 50
    }
  }
}
""",
)


def check(ctx, p):
    by_tree = {}
    for it, t in overshoots(ctx, p):
        by_tree.setdefault(id(it.tree), (it.tree, t, []))[2].append(it)
    for tree, t, items in by_tree.values():
        if len(items) >= p["min_count"]:
            which = names(f"{it.name} {fixed(it.ratio * HUNDRED, 0)}%" for it in items)
            yield ctx.finding(tree.span, tree=tree.title, count=len(items), threshold=trimmed(t), which=which)
