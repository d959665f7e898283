"""R027 投入作目标：绩效目标写的是花多少钱，不是产出和效果。"""

import re

from ..rule import Param, Rule, W

# A match starts only where a run of digits starts (the digit taken first has no digit before
# it: (?<!\d\d)), so a long run is tried once (linear). Written with the digit first, not the
# look-behind, so that the regular-expression engine skips to the next digit in C instead of
# trying a match at every character (half the time on a goal of 700 characters).
_AMOUNT = re.compile(r"\d(?<!\d\d)\d*(?:\.\d+)?\s*(?:亿元|万元|元)")
_CEILING = re.compile(r"(?:小于等于|不高于|不超过|小于|低于|控制在|节约|≤|<=|<)\s*[“\"「]?\s*$")

RULE = Rule(
    code="R027",
    name="投入作目标",
    name_en="spending stated as the goal",
    severity=W,
    classes=(27,),
    summary="总体目标、阶段性目标或实际完成情况主要在列资金金额，把投入当作目标",
    message_zh="{fields}列了 {count} 笔资金金额（{examples}），目标写的是投入，不是产出和效果",
    message_en="{fields_en}: {count} amounts of money ({examples}); the goals state inputs, not outputs and outcomes",
    hint_zh="目标写“做成什么、达到什么效果”（数量、质量、时效、效益）；资金安排写在“资金投入”一节",
    hint_en="state what will be produced and achieved; put the spending plan in the 资金投入 section",
    params=(Param("min_amounts", 2, "integer", "一段目标文字中出现几笔金额即报告（“≤ 金额”的成本上限不计）"),),
    rationale=(
        "财预〔2020〕10号要求绩效目标反映“预期达到的产出和效果”；复核（成都郫都区第三方复核）把“以资金"
        "安排代替绩效目标”列为目标不规范：年度目标写成“差旅费 1万元、通讯费 2.2万元……”，实际完成情况"
        "写成“支出差旅费 4783元……”，都只是预算的复述。“≤ 5万元”之类的成本上限是成本指标的写法，不计。"
    ),
    triggers='''绩效目标 {
  总体目标 """
  保障机关正常运转，其中差旅费 1万元，通讯费 2.2万元，公益性岗位工资差额 1.8万元。
  """
}
''',
    passes='''绩效目标 {
  总体目标 """
  保障机关正常运转：全年信访事项按期办结率不低于 95%，网上信访事项办结率不低于 99%。
  """
}
''',
)

FIELDS = (
    ("overall", "总体目标", "the overall goal"),
    ("stage", "阶段性目标", "the stage goal"),
    ("achieved", "实际完成情况", "the achievement"),
)


def _amounts(text: str) -> list[str]:
    out = []
    for m in _AMOUNT.finditer(text):
        if not _CEILING.search(text[max(0, m.start() - 10) : m.start()]):
            out.append(m.group(0))
    return out


def check(ctx, p):
    g = ctx.ev.goals
    if g is None:
        return
    hits = []
    for key, zh, en in FIELDS:
        amounts = _amounts(getattr(g, key) or "")
        if len(amounts) >= p["min_amounts"]:
            hits.append((key, zh, en, amounts))
    if not hits:
        return
    key, _, _, amounts = hits[0]
    examples = "、".join(amounts[:3]) + ("……" if len(amounts) > 3 else "")
    yield ctx.finding(
        ctx.text_span(g.spans.get(key), amounts[0]),
        fields="、".join(h[1] for h in hits),
        fields_en=", ".join(h[2] for h in hits),
        count=sum(len(h[3]) for h in hits),
        examples=examples,
    )
