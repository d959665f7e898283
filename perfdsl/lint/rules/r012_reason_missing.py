"""R012 偏差原因缺失：未达到目标的指标没有写偏差原因。"""

from ..rule import Param, Rule, W

RULE = Rule(
    code="R012",
    name="偏差原因缺失",
    name_en="missing deviation reason",
    severity=W,
    classes=(12,),
    summary="定量指标或预算执行率未达到目标，却没有写偏差原因",
    message_zh="「{indicator}」未达到目标（完成率 {completion}），没有写偏差原因",
    message_en="'{indicator}' missed its target (completion {completion}) and gives no reason",
    hint_zh='写明未完成的原因：偏差原因 "…"，并写上改进措施 "…"',
    hint_en='say why it was missed with 偏差原因 "…", and add 改进措施 "…"',
    params=(
        Param(
            "funds_words",
            ("结余", "结转", "未支付", "未执行", "未使用", "尚未", "节约", "剩余", "收回", "未拨付"),
            "words",
            "正文“预算执行与偏差”或“资金使用”一节含这些词时，视为已说明预算执行率的偏差",
        ),
    ),
    rationale=(
        "自评表的最后一栏是“偏差原因分析及改进措施”；财政部自评表填报说明要求未完成年度指标值的逐项说明原因，"
        "两个复核来源（成都郫都区第三方复核、省级预算绩效系统规则表）都把“有偏差未说明原因”列为必查项。"
        "预算执行率未达 100% 同样要说明资金未支出的原因（写在该行的偏差原因，或正文“预算执行与偏差”“资金使用”一节）。定性与评判指标的扣分理由写在必填的「依据」中，"
        "不在本规则之列；实际完成值为 0 的由 R036 报告。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "受场地改造影响，第四季度一期培训取消，已安排在次年一季度补办。"
    }
  }
}
""",
)


def _funds_explained(ctx, words) -> bool:
    """Is the unspent money explained in the text (section 五, or the 资金使用 section)?"""
    return any(
        name in ("预算执行与偏差", "资金使用") and any(w in text for w in words) for name, text, _ in ctx.narratives()
    )


def check(ctx, p):
    explained = None
    for it in ctx.leaves("quantitative", "formula"):
        n, ns = it.node, it.score
        if ns.met is not False or n.reason.strip():
            continue
        if n.actual is not None and n.actual.number == 0:
            continue  # R036
        if it.kind == "formula":
            if explained is None:
                explained = _funds_explained(ctx, p["funds_words"])
            if explained:
                continue
        yield ctx.finding(n.at("name"), indicator=n.name, completion=it.percent())
