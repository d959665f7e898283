"""R020 模糊目标值：定性目标只有程度副词，没有可判断的标准。"""

import re

from ..context import word_re
from ..rule import Param, Rule, W

_DIGIT = re.compile(r"\d")

RULE = Rule(
    code="R020",
    name="模糊目标值",
    name_en="vague target",
    severity=W,
    classes=(20,),
    summary="定性目标值只是“效果明显”“进一步提高”“有效促进”之类的程度描述，无法判断是否达成",
    message_zh="「{indicator}」的目标值「{target}」只是“{word}”一类的程度描述，没有判断达成与否的标准",
    message_en="'{indicator}': the target '{target}' is a matter of degree ('{word}') with no standard to judge it by",
    hint_zh="写明达成的标准：可计量的改为定量指标，不能计量的写出可核验的状态（如“通过验收”“按期上线”）",
    hint_en="state what counts as achieved: measure it, or name a verifiable state (passed acceptance, went live on time)",
    params=(
        Param(
            "vague_words",
            (
                "明显",
                "显著",
                "进一步",
                "逐步",
                "不断",
                "较好",
                "良好",
                "大幅",
                "稳步",
                "积极",
                "切实",
                "一定程度",
                "有所",
                "有效提高",
                "有效提升",
                "有效促进",
                "有效改善",
                "有效保障",
                "有效增强",
                "有效推动",
                "有效缓解",
            ),
            "words",
            "模糊的程度词（“有效”只在修饰提高、促进等动词时算，“有效投诉”不算）",
        ),
    ),
    rationale=(
        "财政部指标取值指引要求定性指标“可衡量、可考核”；第三方复核（成都郫都区）与期刊文章都批评"
        "“效果明显”“进一步提升”“有效促进”这样的目标值：既无基数也无标准，年底只能按作者的感觉评为达成，"
        "是自评虚高（R001）的源头。只判断定性目标值本身，不判断正文。"
    ),
    triggers="""自评表 {
  效益 {
    社会效益 {
      部门履职能力 定性 "有效提高" 实际 "提高" 分值 100 得分 85 达成度 达成
        依据 "全年未发生重大工作失误。"
    }
  }
}
""",
    passes="""自评表 {
  效益 {
    社会效益 {
      信访事项按期办结 定性 "全部按期办结" 实际 "全部按期办结" 分值 100 得分 100 达成度 达成
        依据 "信访系统办结记录，538 件均在期限内办结。"
    }
  }
}
""",
)


def check(ctx, p):
    words = word_re(p["vague_words"])
    for it in ctx.leaves("qualitative"):
        n = it.node
        target = n.qualitative_target or ""
        if _DIGIT.search(target):
            continue  # R015
        m = words.search(target)
        if m:
            yield ctx.finding(n.at("target"), indicator=n.name, target=target, word=m.group(0))
