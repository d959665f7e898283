"""R024 目标与预算脱节：预算大幅调减，绩效目标却没有相应调整。"""

from ...core.numbers import HUNDRED, fixed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R024",
    name="目标与预算脱节",
    name_en="budget cut, targets unchanged",
    severity=W,
    classes=(24,),
    summary="全年预算数比年初预算数少 20% 以上，文件中却没有任何目标调整的说明",
    message_zh="全年预算数 {budget} 只有年初预算数 {initial} 的 {ratio}，却没有说明绩效目标是否随之调整",
    message_en="the 全年预算数 {budget} is only {ratio} of the 年初预算数 {initial}, and nothing says whether the targets were adjusted",
    hint_zh="预算调减后应同步调整绩效目标（或说明为何不调）：在总体目标、偏差原因或正文中写明",
    hint_en="adjust the targets with the budget (or say why not) in the goals, a deviation reason or the text",
    params=(
        Param("ratio", 80, "number", "全年预算低于年初预算的百分之多少算大幅调减"),
        Param(
            "adjust_words",
            ("调整", "调减", "核减", "压减", "削减", "追减", "下调", "调低", "修订"),
            "words",
            "出现这些词即视为说明了目标调整",
        ),
    ),
    rationale=(
        "财预〔2020〕10号要求预算调整时同步调整绩效目标；省级规则表与复核（成都郫都区）把“预算大幅调减而"
        "绩效目标未作调整”列为目标与预算脱节：钱少了两成以上，产出目标却照旧，要么目标原本虚高，要么"
        "实际完成情况不实。文件不记录调整前的目标，所以本规则看的是：有没有任何地方说明了调整。"
    ),
    triggers='''资金 {
  年初预算数 100万元
  全年预算数 60万元
  全年执行数 60万元
}

绩效目标 {
  总体目标 """
  完成 10 个村的道路维修。
  """
}
''',
    passes='''资金 {
  年初预算数 100万元
  全年预算数 60万元
  全年执行数 60万元
}

绩效目标 {
  总体目标 """
  完成 6 个村的道路维修（年中预算调减 40万元，目标由 10 个村相应调减为 6 个村）。
  """
}
''',
)


def check(ctx, p):
    f = ctx.ev.funds
    if f is None or f.initial_budget is None or f.budget is None or f.initial_budget.base_value <= 0:
        return
    ratio = f.budget.base_value / f.initial_budget.base_value * HUNDRED
    if ratio >= p["ratio"]:
        return
    words = p["adjust_words"]
    texts = [t for _, t, _ in ctx.narratives()]
    if ctx.ev.goals:
        texts += [ctx.ev.goals.overall, ctx.ev.goals.stage, ctx.ev.goals.achieved]
    texts += [it.node.reason for it in ctx.items] + [it.node.basis for it in ctx.items]
    if any(w in t for t in texts if t for w in words):
        return
    yield ctx.finding(
        f.spans.get("budget", f.span), budget=f.budget.text, initial=f.initial_budget.text, ratio=f"{fixed(ratio, 2)}%"
    )
