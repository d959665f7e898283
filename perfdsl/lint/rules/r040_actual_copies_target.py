"""R040 目标=实际复制：每个指标的实际值都与目标值一字不差。"""

from ...core.numbers import HUNDRED
from ..context import bare
from ..rule import I, Param, Rule

RULE = Rule(
    code="R040",
    name="目标实际照抄",
    name_en="actuals copied from targets",
    severity=I,
    classes=(40,),
    summary="一张表中（几乎）所有指标的实际完成值与目标值完全相同，疑为照抄目标",
    message_zh="{tree}中 {same}/{count} 个指标的实际值与目标值完全相同，疑为照抄目标而非统计所得",
    message_en="{tree}: {same} of {count} indicators have an actual identical to the target: copied rather than measured?",
    hint_zh="按统计数据、验收记录填写实际完成值，并保留佐证材料",
    hint_en="fill actuals from statistics and acceptance records, and keep the evidence",
    params=(
        Param("share", 100, "number", "实际值等于目标值的指标占比（%）达到多少时提示"),
        Param("min_indicators", 5, "integer", "有目标值和实际值的指标少于此数时不判断"),
    ),
    rationale=(
        "期刊文章对公开自评表的分析指出，不少自评表的实际完成值与年度指标值逐项相同，定性指标照抄"
        "“有效提升”，疑为填表时照抄目标。单个指标恰好完成目标很正常，这只是一个弱信号：整张表全部相同时"
        "才提示（默认占比 100%），严重程度为提示。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 = 100人 实际 100人 分值 20
      培训场次 = 4次 实际 4次 分值 20
      发放手册 = 200册 实际 200册 分值 20
    }
    质量 {
      考核合格率 = 100% 实际 100% 分值 20
    }
  }
  效益 {
    社会效益 {
      技能水平 定性 "有效提升" 实际 "有效提升" 分值 20 得分 20 达成度 达成
        依据 "考核全部合格。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 = 100人 实际 100人 分值 20
      培训场次 = 4次 实际 4次 分值 20
      发放手册 ≥ 200册 实际 215册 分值 20
    }
    质量 {
      考核合格率 ≥ 95% 实际 97% 分值 20
    }
  }
  效益 {
    社会效益 {
      持证上岗人数 ≥ 60人 实际 64人 分值 20
    }
  }
}
""",
)


def check(ctx, p):
    for tree, _ in ctx.trees:
        pairs = []
        for it in ctx.items:
            if it.tree is not tree:
                continue
            n = it.node
            if n.target is not None and n.actual is not None:
                pairs.append(n.target.text == n.actual.text)
            elif n.qualitative_target is not None and n.actual_text:
                pairs.append(bare(n.qualitative_target) == bare(n.actual_text))
        if len(pairs) < p["min_indicators"]:
            continue
        same = sum(pairs)
        if same * HUNDRED >= p["share"] * len(pairs):
            yield ctx.finding(tree.span, tree=tree.title, same=same, count=len(pairs))
