"""R010 超额无说明：实际完成值达到目标值的 130% 以上，没有偏差原因。"""

from decimal import Decimal

from ...core.numbers import HUNDRED, fixed, trimmed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R010",
    name="超额无说明",
    name_en="overshoot without explanation",
    severity=W,
    classes=(10,),
    summary="实际完成值达到目标值的 130% 以上（正向指标），却没有写偏差原因",
    message_zh="「{indicator}」实际 {actual} 为目标 {target} 的 {ratio}，达到 {threshold}% 以上却没有说明原因",
    message_en="'{indicator}': the actual {actual} is {ratio} of the target {target}, at or above {threshold}%, with no explanation",
    hint_zh='写明超额的原因（目标定得偏低、需求变化……）：偏差原因 "…"；目标偏低时次年应调高',
    hint_en='say why (the target was set low, demand changed …) with 偏差原因 "…"; raise a low target next year',
    params=(
        Param(
            "threshold",
            None,
            "number",
            "实际值达到目标值的百分之多少时须说明（正向指标 ≥、>）",
            shown="评价规则的 overshoot.explain_above（默认 130）",
        ),
    ),
    rationale=(
        "广西等地的预算绩效管理系统规定：实际完成值超过年度指标值 30%（即达到 130%）的，须说明偏差原因；"
        "评审规则称之为“偏离度”，超额过多说明目标设定偏低（见 R011）。复核（成都郫都区项目自评复核）把"
        "“大幅超额完成却未说明原因”列为常见问题。门槛默认取评价规则的 overshoot.explain_above，"
        "可在 perfdsl.toml 中为本规则另设。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人次 ≥ 100人次 实际 160人次 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人次 ≥ 100人次 实际 160人次 分值 100
        偏差原因 "下半年增开两期线上培训，报名人数超出计划；次年目标按 150人次 设定。"
    }
  }
}
""",
)


def threshold(ctx, p) -> Decimal | None:
    t = p["threshold"]
    if t is None:
        t = ctx.rules.explain_above
    return Decimal(t) if t else None


def overshoots(ctx, p):
    """The ≥/> indicators at or above the threshold, with their ratio."""
    t = threshold(ctx, p)
    if t is None:
        return
    for it in ctx.leaves("quantitative"):
        n = it.node
        if n.comparator not in (">=", ">") or it.ratio is None or n.target is None or n.target.base_value <= 0:
            continue
        if it.ratio * HUNDRED >= t:
            yield it, t


def check(ctx, p):
    for it, t in overshoots(ctx, p):
        n = it.node
        if n.reason.strip():
            continue
        yield ctx.finding(
            n.at("actual"),
            indicator=n.name,
            actual=n.actual.text,
            target=n.target.text,
            ratio=f"{fixed(it.ratio * HUNDRED, 2)}%",
            threshold=trimmed(t),
        )
