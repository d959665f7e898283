"""R041 目标合理性满分而指标严重未完成：目标设定、预算编制给满分，执行结果却差得远。"""

from ...core.numbers import HUNDRED, trimmed
from ..rule import Param, Rule, W

RULE = Rule(
    code="R041",
    name="目标设定满分而严重未完成",
    name_en="target setting scored full, targets badly missed",
    severity=W,
    classes=(1,),
    summary="“绩效目标合理性”“预算编制科学性”评为满分，而有定量指标完成率不足 60%",
    message_zh="「{indicator}」评为满分 {score}，而「{worst}」完成率只有 {completion}（目标 {target}，实际 {actual}）",
    message_en="'{indicator}' scores full marks ({score}), while '{worst}' reached only {completion} (target {target}, actual {actual})",
    hint_zh="目标与实际相差如此之大，说明目标或预算测算不准：据实扣分，或在依据中说明为何仍属合理",
    hint_en="a gap this wide means the target or the budget was mis-estimated: deduct, or explain in the basis why it was still sound",
    params=(
        Param("names", ("绩效目标合理性", "预算编制科学性"), "words", "评价目标设定与预算编制的评判指标名称"),
        Param("threshold", 60, "number", "定量指标完成率低于此百分比视为严重未完成（与定性“未达成”档 0–60% 一致）"),
    ),
    rationale=(
        "财政部自评通知要求“严禁刻意抬高分数”；复核（成都郫都区第三方复核、省级规则表）指出的自评虚高之一，"
        "是决策类指标一律满分：“绩效目标合理性”要求预期产出“符合正常的业绩水平”，“预算编制科学性”要求"
        "“资金量与工作任务相匹配”，而同一份报告中有产出或成本指标只完成了目标的一小部分——目标或预算"
        "显然没有测算准确。门槛 60% 取定性指标“未达成”档的上限。"
    ),
    triggers="""评价指标体系 {
  决策 {
    绩效目标 {
      绩效目标合理性 权重 50 得分 50
        依据 "绩效目标与实际工作内容相关，符合正常业绩水平。"
    }
  }
  产出 {
    数量 {
      发送短信 ≥ 285万条 实际 61.99万条 权重 50
        偏差原因 "诉求人群较少，短信发送量随之减少；次年按实际发送量调整目标。"
    }
  }
}
""",
    passes="""评价指标体系 {
  决策 {
    绩效目标 {
      绩效目标合理性 权重 50 得分 40
        依据 "短信发送目标按上年诉求量测算，明显偏高，扣 10 分。"
    }
  }
  产出 {
    数量 {
      发送短信 ≥ 285万条 实际 61.99万条 权重 50
        偏差原因 "诉求人群较少，短信发送量随之减少；次年按实际发送量调整目标。"
    }
  }
}
""",
)


def check(ctx, p):
    missed = [
        it
        for it in ctx.leaves("quantitative")
        if it.score.met is False and it.ratio is not None and it.ratio * HUNDRED < p["threshold"]
    ]
    if not missed:
        return
    worst = min(missed, key=lambda it: it.ratio)
    for it in ctx.leaves("judged", "qualitative"):
        if it.name in p["names"] and it.score.full_marks:
            yield ctx.finding(
                it.node.at("score"),
                indicator=it.name,
                score=trimmed(it.node.score),
                worst=worst.name,
                completion=worst.percent(),
                target=worst.target_text(),
                actual=worst.actual_text(),
            )
