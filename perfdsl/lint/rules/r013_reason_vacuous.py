"""R013 偏差原因空洞：需要说明的偏差只写了“无”“暂无”“酌情”或寥寥数字。"""

from ...core.numbers import HUNDRED, trimmed
from ..context import bare
from ..rule import Param, Rule, W

RULE = Rule(
    code="R013",
    name="偏差原因空洞",
    name_en="vacuous deviation reason",
    severity=W,
    classes=(13,),
    summary="有偏差的指标，偏差原因只写“无”“暂无”“酌情”之类或不足 15 个字",
    message_zh="「{indicator}」{deviation}，偏差原因「{reason}」{why}",
    message_en="'{indicator}' {deviation_en}; its reason '{reason}' {why_en}",
    hint_zh="写出具体原因：发生了什么、影响多少、何时补足，以及改进措施",
    hint_en="give the actual cause: what happened, how much it affected, when it will be made up, and the remedy",
    params=(
        Param("min_length", 15, "integer", "偏差原因至少应有的字数（不计标点和空白）"),
        Param(
            "vague",
            ("无", "暂无", "没有", "无偏差", "不适用", "略", "同上", "酌情", "达到预期", "已完成"),
            "words",
            "只写这些（或以这些为主）的原因视为空洞",
        ),
        Param(
            "overshoot", None, "number", "超额多少（%）也须说明", shown="评价规则的 overshoot.explain_above（默认 130）"
        ),
    ),
    rationale=(
        "第三方复核（成都郫都区）与省级预算绩效系统规则表都把“偏差原因分析流于形式”单列：原因栏只写"
        "“无”“暂无”“酌情扣分”，或一句不足以说明问题的短语。本规则只看确有偏差、须作说明的指标——未达到目标、"
        "评判得分低于分值、实际值为 0，或超额达到 130% 以上——原因不足 min_length 个字或属于 vague 所列写法时报告。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 80人 分值 100
        偏差原因 "暂无"
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


def _deviation(it, overshoot):
    """What there is to explain, if anything: a cheap test first, the words only when needed."""
    n, ns = it.node, it.score
    if n.actual is not None and n.actual.number == 0 and n.target is not None and n.target.number != 0:
        return "zero"
    if ns.met is False and it.kind in ("quantitative", "formula"):
        return "missed"
    if it.kind in ("qualitative", "judged") and ns.weight is not None and ns.score is not None and ns.score < ns.weight:
        return "lost"
    if (
        overshoot
        and it.kind == "quantitative"
        and n.comparator in (">=", ">")
        and it.ratio is not None
        and it.ratio * HUNDRED >= overshoot
    ):
        return "overshot"
    return None


def _words(it, what):
    if what == "zero":
        return "实际完成值为 0", "has an actual of 0"
    if what == "missed":
        return f"未达到目标（完成率 {it.percent()}）", f"missed its target (completion {it.percent()})"
    if what == "lost":
        return f"扣了 {trimmed(it.score.lost)} 分", f"lost {trimmed(it.score.lost)} points"
    return f"超额完成（完成率 {it.percent()}）", f"overshot (completion {it.percent()})"


def check(ctx, p):
    overshoot = p["overshoot"] if p["overshoot"] is not None else ctx.rules.explain_above
    vague = tuple(bare(v) for v in p["vague"])
    openings = tuple(v for v in vague if len(v) > 1)  # one startswith call rules most reasons out
    for it in ctx.items:
        n = it.node
        reason = n.reason.strip()
        if not reason:
            continue
        content = bare(reason)
        if content in vague or (
            content.startswith(openings) and any(content.startswith(v) and len(content) <= len(v) + 4 for v in openings)
        ):
            why, why_en = "没有说明任何原因", "explains nothing"
        elif len(content) < p["min_length"]:
            why, why_en = f"只有 {len(content)} 个字，不足以说明原因", f"has only {len(content)} characters"
        else:
            continue
        what = _deviation(it, overshoot)
        if what is None:
            continue  # nothing to explain
        deviation, deviation_en = _words(it, what)
        yield ctx.finding(
            n.at("reason"),
            indicator=n.name,
            deviation=deviation,
            deviation_en=deviation_en,
            reason=reason,
            why=why,
            why_en=why_en,
        )
