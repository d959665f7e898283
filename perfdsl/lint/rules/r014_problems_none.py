"""R014 问题栏“暂无”：有扣分，“存在的问题”却写“无”。"""

import re

from ...core.numbers import fixed
from ..context import bare
from ..rule import Param, Rule, W

_NONE = re.compile(r"^(本项目|本年度|项目)?(暂无|无|没有|不存在|未发现)(明显|重大|其他|突出)?(的)?(问题|不足)?$")

RULE = Rule(
    code="R014",
    name="问题栏“暂无”",
    name_en="no problems stated despite deductions",
    severity=W,
    classes=(14,),
    summary="评分有扣分，“存在的问题及原因”却写“暂无”“无”或寥寥数字",
    message_zh="{tree}扣了 {lost} 分，“存在的问题及原因”却写「{text}」",
    message_en="{tree} lost {lost} points, yet 存在的问题及原因 says '{text}'",
    hint_zh="逐项写出扣分指标反映的问题及其原因（与偏差原因一致）",
    hint_en="state the problem behind each deduction and its cause (consistent with the deviation reasons)",
    params=(Param("min_length", 15, "integer", "问题一节至少应有的字数（不计标点和空白）"),),
    rationale=(
        "第三方复核（成都郫都区）把“存在问题填‘暂无’，而自评有扣分”列为自评不实的表现：得分低于满分说明"
        "有目标没有完成，报告的“存在的问题及原因”一节就应当写出来。本节缺失由 R038 报告；"
        "本规则只看写了却空洞的情形。"
    ),
    triggers='''自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "受场地改造影响，第四季度一期培训取消，已安排在次年一季度补办。"
    }
  }
}

正文 "存在的问题及原因" """
暂无。
"""
''',
    passes='''自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "受场地改造影响，第四季度一期培训取消，已安排在次年一季度补办。"
    }
  }
}

正文 "存在的问题及原因" """
培训场地依赖单一场馆，场馆改造时无备用安排，导致第四季度一期培训取消。
"""
''',
)


def check(ctx, p):
    ts = ctx.primary
    if ts is None or not ts.nodes or ts.total >= ts.weight_total:
        return
    for name, text, span in ctx.narratives():
        if name != "存在的问题及原因":
            continue
        content = bare(text)
        if _NONE.match(content) or len(content) < p["min_length"]:
            yield ctx.finding(
                span, tree=ts.tree.title, lost=fixed(ts.weight_total - ts.total, 2), text=text.strip()[:30]
            )
