"""R016 单位缺失/错配：定量指标没有计量单位，或单位与指标名称不符。"""

import re
from functools import lru_cache

from ..rule import Param, Rule, W

RULE = Rule(
    code="R016",
    name="单位缺失或错配",
    name_en="missing or mismatched unit",
    severity=W,
    classes=(16,),
    summary="定量指标的目标值没有计量单位，或单位与指标名称不符（“次数”用“月”、“率”不用 %）",
    message_zh="「{indicator}」的目标值 {target} {problem}",
    message_en="'{indicator}': the target {target} {problem_en}",
    hint_zh="{fix}",
    hint_en="{fix_en}",
    params=(
        Param(
            "expected",
            {
                "次数": "次",
                "人数": "人",
                "天数": "天",
                "户数": "户",
                "个数": "个",
                "件数": "件",
                "率": "%",
                "满意度": "%",
                "占比": "%",
                "比例": "%",
                "成本": "元",
                "费用": "元",
                "金额": "元",
                "经费": "元",
            },
            "table",
            "指标名称的结尾 → 目标值应有的计量单位（万、亿等倍数不计）",
        ),
    ),
    rationale=(
        "财政部指标取值指引要求定量指标写明计量单位；复核（成都郫都区第三方复核、期刊文章对公开自评表的分析）"
        "常见两类问题：目标值只有数字没有单位，以及单位与指标名称对不上（“缴纳次数”以“月”计，“合格率”"
        "写成“个”）。单位错了，完成值的含义就说不清。名称结尾与单位的对照可在 perfdsl.toml 中增改。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      缴纳通讯费次数 = 12月 实际 12月 分值 100
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      缴纳通讯费次数 = 12次 实际 12次 分值 100
    }
  }
}
""",
)


@lru_cache(maxsize=32)
def _endings(table: tuple) -> tuple[re.Pattern, dict]:
    """A pattern matching the longest listed ending of a name, and the unit each ending wants."""
    pattern = re.compile("(" + "|".join(re.escape(k) for k, _ in sorted(table, key=lambda kv: -len(kv[0]))) + ")$")
    return pattern, dict(table)


def check(ctx, p):
    ending, wants = _endings(tuple(p["expected"].items()))
    for it in ctx.leaves("quantitative"):
        n = it.node
        unit = n.target.unit
        if not unit.text:
            yield ctx.finding(
                n.at("target"),
                indicator=n.name,
                target=n.target.text,
                problem="没有计量单位",
                problem_en="has no unit",
                fix="在数字后紧接着写上单位，如 12次、95%",
                fix_en="write the unit right after the number, e.g. 12次, 95%",
            )
            continue
        m = ending.search(n.name)
        if m is None:
            continue
        suffix = m.group(1)
        want, base = wants[suffix], unit.base
        if not (base == want or base.startswith(want) or base.endswith(want)):
            yield ctx.finding(
                n.at("target"),
                indicator=n.name,
                target=n.target.text,
                problem=f"以「{unit.text}」计，而名称“…{suffix}”应以「{want}」计",
                problem_en=f"is in '{unit.text}', but a name ending in '{suffix}' is counted in '{want}'",
                fix=f"改用「{want}」为单位，或改正指标名称",
                fix_en=f"use '{want}' as the unit, or correct the name",
            )
