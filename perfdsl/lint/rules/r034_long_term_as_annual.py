"""R034 长期目标当年度：年度指标写的是多年或以后年度的目标。"""

import re

from ..context import SUSTAIN_GROUPS, word_re
from ..rule import Param, Rule, W

_YEAR = re.compile(r"(?:到|至|于|在)\s*(20\d\d)\s*年")
_WITHIN = re.compile(r"(?<![一二三四五六七八九十两\d])[一二三四五六七八九十两\d]+\s*年内")  # a run tried once: linear

RULE = Rule(
    code="R034",
    name="长期目标当年度",
    name_en="long-term goal as an annual target",
    severity=W,
    classes=(34,),
    summary="年度指标或年度总体目标写的是“长期”“长效”“三年内”或以后年度才到期的目标",
    message_zh="{where}「{text}」是{why}，不是本年度（{year}）能考核的目标",
    message_en="{where_en} '{text}' is {why_en}, not a target that can be assessed for {year}",
    hint_zh="年度目标写本年度内可完成、可核验的部分；长期目标放在项目总体（中期）目标中",
    hint_en="annual targets state what can be done and checked this year; keep long-term aims in the project's mid-term goals",
    params=(Param("long_words", ("长期", "长效", "可持续", "永久"), "words", "指标名称或目标值中表示长期的词"),),
    rationale=(
        "财预〔2020〕10号区分中长期目标与年度目标，自评只考核年度目标；复核（成都郫都区第三方复核）发现年度"
        "指标写“建立长效机制”“三年内实现全覆盖”“到2025年达到……”，年底无从判断完成与否。可持续影响指标"
        "本就是看长期影响的，不在此列；总体目标只检查以后年度的时限。"
    ),
    triggers="""项目 "农村道路提升" {
  年度 2023
}

自评表 {
  产出 {
    数量 {
      道路硬化覆盖 定性 "到2025年实现全覆盖" 实际 "完成 12 个村" 分值 100 得分 80 达成度 达成
        依据 "本年完成 12 个村。"
    }
  }
}
""",
    passes="""项目 "农村道路提升" {
  年度 2023
}

自评表 {
  产出 {
    数量 {
      硬化道路村数 ≥ 12个 实际 12个 分值 100
    }
  }
}
""",
)


def _why(text: str, year: int | None, words):
    word = words.search(text)
    if "年" not in text and word is None:
        return None
    m = _YEAR.search(text)
    if m and year and int(m.group(1)) > year:
        return f"{m.group(1)}年才到期的目标", f"due only in {m.group(1)}"
    m = _WITHIN.search(text)
    if m:
        return f"“{m.group(0)}”的多年目标", f"a multi-year aim ('{m.group(0)}')"
    if word:
        return f"“{word.group(0)}”目标", f"a '{word.group(0)}' aim"
    return None


def check(ctx, p):
    project = ctx.ev.project
    year = project.year if project else None
    words = word_re(p["long_words"])  # looked up once, not once a text
    for it in ctx.items:
        if it.under(SUSTAIN_GROUPS) or it.kind not in ("quantitative", "qualitative"):
            continue
        n = it.node
        for text, key, where, where_en in (
            (n.qualitative_target or "", "target", f"「{n.name}」的目标值", f"the target of '{n.name}'"),
            (n.name, "name", "指标", "the indicator"),
        ):
            why = _why(text, year, words) if text else None
            if why:
                yield ctx.finding(
                    n.at(key),
                    where=where,
                    where_en=where_en,
                    text=text,
                    why=why[0],
                    why_en=why[1],
                    year=year or "本年度",
                )
                break
    g = ctx.ev.goals
    if g and g.overall and year:
        m = _YEAR.search(g.overall)
        if m and int(m.group(1)) > year:
            yield ctx.finding(
                ctx.text_span(g.spans.get("overall"), m.group(0)),
                where="年度总体目标",
                where_en="the annual goal",
                text=m.group(0),
                why=f"{m.group(1)}年才到期的目标",
                why_en=f"due only in {m.group(1)}",
                year=year,
            )
