"""R050 申报产出未量化：申报的产出指标写成定性目标。"""

from ...model.evaluation import with_parents
from ..context import QUANTITY_GROUPS
from ..rule import Param, Rule, W

RULE = Rule(
    code="R050",
    name="申报产出未量化",
    name_en="filed output target not quantified",
    severity=W,
    classes=(19,),
    summary="申报的绩效目标中，产出指标（质量、时效、成本）写成了定性目标",
    message_zh="申报的产出指标「{indicator}」（{group}）目标为定性“{target}”，没有量化",
    message_en="the filed output indicator '{indicator}' ({group}) has the qualitative target '{target}'",
    hint_zh="申报时写明数值和计量单位，如「≥ 95%」「≤ 30天」「= 100%」",
    hint_en="file a number with its unit, such as '≥ 95%', '≤ 30天', '= 100%'",
    params=(Param("groups", ("产出", "产出指标"), "words", "其下指标须量化的一级指标"),),
    rationale=(
        "财政部《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》（财预〔2021〕101号）要求绩效目标"
        "“细化量化”，产出指标（数量、质量、时效、成本）原则上以数值和计量单位表示；复核（成都郫都区第三方"
        "复核）把定性的产出目标列为目标设置问题：年末无法判断是否完成。本规则只看申报的指标树（调整之前的"
        "申报值）；数量指标由 R039 检查。"
    ),
    triggers="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    质量 {
      设备运行状况 定性 "良好" 分值 100
    }
  }
}
""",
    passes="""申报 {
  年度资金总额 20万元
}

绩效指标 {
  产出 {
    质量 {
      设备完好率 ≥ 95% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    lc = ctx.ev.lifecycle
    tree = lc.filing.tree if lc is not None and lc.filing is not None else None
    if tree is None:
        return
    for parent, node in with_parents(tree.nodes):
        if node.is_group or node.qualitative_target is None or node.path[0] not in p["groups"]:
            continue
        if parent is not None and parent.name in QUANTITY_GROUPS:
            continue  # R039
        group = parent.name if parent is not None else node.path[0]
        yield ctx.finding(node.at("target"), indicator=node.name, group=group, target=node.qualitative_target)
