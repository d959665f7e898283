"""R015 定量非数值：把数值目标写成了定性文字。"""

import re

from ..rule import Rule, W

_NUMERIC = re.compile(
    # the spaces belong to the comparator, and a number starts where its digits start: each run
    # of spaces or digits is tried once, so the scan is linear in the text
    r"(?:(?:[≥≤<>＝=]|大于|小于|不低于|不少于|不高于|不超过|达到)\s*)?(?<![\d.])(\d+(?:\.\d+)?\s*"
    r"(?:%|％|‰|个|次|人次|人|套|条|天|户|台|件|元|万元|项|份|册|场|期|小时|公里|平方米|吨))"
)

RULE = Rule(
    code="R015",
    name="定量非数值",
    name_en="a number written as qualitative text",
    severity=W,
    classes=(15,),
    summary="定性目标值里写的是数值（“≥95%”“12次”），应写成定量指标",
    message_zh="「{indicator}」的目标写作定性文字「{target}」，其中是数值「{number}」",
    message_en="'{indicator}': the target is written as qualitative text '{target}' holding the number '{number}'",
    hint_zh="写成定量指标：「{indicator} ≥ 95% 实际 …」，这样才能计算完成率",
    hint_en="write it as a quantitative indicator ('{indicator} ≥ 95% 实际 …') so that its completion can be computed",
    rationale=(
        "财政部《项目支出绩效目标和指标设置及取值指引》要求能量化的指标尽量量化，定量指标以数值和计量单位"
        "表示。复核（成都郫都区）发现“指标值写成文字，实为数值”的情形：把“≥95%”“12次”当作定性目标，"
        "既无法按比例计算完成率，也使指标量化率偏低。"
    ),
    triggers="""自评表 {
  产出 {
    质量 {
      验收合格率 定性 "达到95%" 实际 "达到" 分值 100 得分 100 达成度 达成
        依据 "验收报告。"
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    质量 {
      验收合格率 ≥ 95% 实际 98% 分值 100
    }
  }
}
""",
)


def check(ctx, p):
    for it in ctx.leaves("qualitative"):
        n = it.node
        m = _NUMERIC.search(n.qualitative_target or "")
        if m:
            yield ctx.finding(
                n.at("target"), indicator=n.name, target=n.qualitative_target, number=m.group(1).replace(" ", "")
            )
