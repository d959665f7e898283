"""R009 等级不符：正文写的评价等级与得分对应的等级不同。"""

import re

from ...core.numbers import fixed
from ..rule import Rule, W

_GRADE = re.compile(
    r"(?:评级|等级|级别|评价结果|评定为|属于)\s*(?:为|是|：|:)?\s*[“\"「『]?(优秀|良好|中等|优|良|中|差)(?:[”\"」』]|等级|级|(?=[，。；,;\s]|$))"
)
_BANDS = re.compile(r"对应|以上|以下|之间|含\s*\d|[-－—~～至]\s*\d+\s*分")
_CANON = {"优秀": "优", "良好": "良", "中等": "中"}

RULE = Rule(
    code="R009",
    name="等级不符",
    name_en="grade does not match the score",
    severity=W,
    classes=(9,),
    summary="正文写的评价等级与总分按评价规则对应的等级不同",
    message_zh="正文写评价等级为「{stated}」，而{tree}总分 {total} 对应的等级是「{grade}」",
    message_en="the text gives the grade '{stated}', but the {tree} total {total} is graded '{grade}'",
    hint_zh="等级按总分划档（默认：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60），改正文字或核对得分",
    hint_en="grades follow the total (by default 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60); correct the text or the scores",
    rationale=(
        "财预〔2020〕10号第十七条按总分划定优、良、中、差四档；第三方复核（成都郫都区）把“评价等级与得分不对应”"
        "列为计分错误的一类。报告正文中的等级由作者手写，与评分表的总分不一致时，复核以评分为准并要求改正。"
        "本规则在各节正文中找“评级为“优””“属于“良””之类的写法，与按数据算出的总分等级比较。"
    ),
    triggers='''自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 70人 分值 100
        偏差原因 "受场地限制，下半年两期培训取消，已调整至次年上半年举办。"
    }
  }
}

正文 "评价结论" """
经评价，本项目绩效评级为“优”。
"""
''',
    passes='''自评表 {
  产出 {
    数量 {
      培训人数 ≥ 100人 实际 70人 分值 100
        偏差原因 "受场地限制，下半年两期培训取消，已调整至次年上半年举办。"
    }
  }
}

正文 "评价结论" """
经评价，本项目绩效评级为“中”。
"""
''',
)


def check(ctx, p):
    trees = [ts for ts in (ctx.card.framework, ctx.card.self_evaluation) if ts is not None and ts.nodes]
    if not trees:
        return
    grades = {ts.grade for ts in trees}
    for _, text, span in ctx.narratives():
        if "级" not in text and "属于" not in text and "评定" not in text and "评价结果" not in text:
            continue
        for m in _GRADE.finditer(text):
            stated = _CANON.get(m.group(1), m.group(1))
            if stated in grades or _BANDS.search(text[max(0, m.start() - 24) : m.start()]):
                continue  # agrees, or the sentence explains the grade bands ("80-90分对应的级别为良")
            ts = trees[0]
            yield ctx.finding(
                ctx.text_span(span, m.group(0)),
                stated=m.group(1),
                tree=ts.tree.title,
                total=fixed(ts.total, 2),
                grade=ts.grade,
            )
            break
