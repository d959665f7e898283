"""R001 自评虚高：定性指标实际表述不及目标，却评为满分。"""

from ...core.numbers import trimmed
from ..context import bare
from ..rule import Param, Rule, W

RULE = Rule(
    code="R001",
    name="自评虚高",
    name_en="inflated self-score",
    severity=W,
    classes=(1,),
    summary="定性指标的实际完成值有保留（基本、部分……）或弱于目标值，却评为满分",
    message_zh="「{indicator}」实际完成值「{actual}」{why}，却评为满分 {score}",
    message_en="'{indicator}': the actual '{actual}' {why_en}, yet it is scored full marks ({score})",
    hint_zh="按达成度给分（部分达成为分值的 60%–80%），或在实际完成值中写明已完全达到目标的事实",
    hint_en="score by the band (部分达成: 60–80 % of the weight), or state in the actual value what shows the target was fully met",
    params=(
        Param(
            "hedges",
            ("基本", "部分", "初步", "有所", "一定程度", "尚未", "未完全", "有待", "逐步"),
            "words",
            "实际完成值中表示“没有完全达到”的词",
        ),
    ),
    rationale=(
        "财政部关于中央部门项目支出绩效自评的通知要求“严禁刻意抬高分数”，第三方复核（成都郫都区 2025 年"
        "项目自评复核）和多省评审规则都把“实际未完全达成而给满分”列为首要问题。定性指标按三档评分：达成 "
        "80%–100%、部分达成 60%–80%、未达成 0–60%。实际完成值写“基本达成”“部分完成”，或只写出目标的一部分"
        "（目标“有效提高”，实际“提高”），说明作者自己也没有认定目标完全达到，满分就没有依据。"
    ),
    triggers="""自评表 {
  效益 {
    社会效益 {
      群众诉求办理 定性 "及时办理" 实际 "基本达成目标" 分值 100 得分 100 达成度 达成
        依据 "全年诉求均已转办。"
    }
  }
}
""",
    passes="""自评表 {
  效益 {
    社会效益 {
      群众诉求办理 定性 "及时办理" 实际 "基本达成目标" 分值 100 得分 75 达成度 部分达成
        依据 "全年诉求均已转办，但有 12 件超期办结，按部分达成计分。"
    }
  }
}
""",
)


def check(ctx, p):
    hedges = p["hedges"]
    for it in ctx.leaves("qualitative"):
        n, ns = it.node, it.score
        if not n.actual_text or not ns.full_marks:
            continue
        actual, target = bare(n.actual_text), bare(n.qualitative_target or "")
        hedge = next((h for h in hedges if h in actual), None)
        if hedge:
            why, why_en = f"含“{hedge}”", f"says '{hedge}'"
        elif actual and target and actual != target and actual in target:
            why, why_en = (
                f"只写出了目标「{n.qualitative_target}」的一部分",
                f"is only part of the target '{n.qualitative_target}'",
            )
        else:
            continue
        yield ctx.finding(
            n.at("score"), indicator=n.name, actual=n.actual_text, why=why, why_en=why_en, score=trimmed(n.score)
        )
