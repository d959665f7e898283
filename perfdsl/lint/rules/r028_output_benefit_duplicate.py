"""R028 产出效益重复：效益指标只是把产出指标换个位置再写一遍。"""

import re

from ..context import BENEFIT_GROUPS, OUTPUT_GROUPS
from ..rule import Rule, W

_SUFFIX = re.compile(r"(指标|数量|数|量)$")

RULE = Rule(
    code="R028",
    name="产出效益重复",
    name_en="benefit repeats an output",
    severity=W,
    classes=(28,),
    summary="效益指标与某个产出指标同名（或名称相含），或目标值完全相同：同一件事算了两次",
    message_zh="效益指标「{indicator}」与产出指标「{output}」{why}，同一件事计了两次分",
    message_en="benefit indicator '{indicator}' {why_en} output indicator '{output}': the same thing is scored twice",
    hint_zh="效益写产出带来的变化（受益面、节约、改善），不重复产出本身",
    hint_en="a benefit states the change the output brings, not the output again",
    rationale=(
        "财政部指标取值指引区分产出（提供了什么）与效益（带来了什么变化）；复核（成都郫都区第三方复核与期刊"
        "文章）常见“效益指标与产出指标重复”：产出写“培训人数 500人”，效益又写“受训人数 500人”。"
        "重复的指标使同一事实占了两份分值。判断：名称去掉“数、量、指标”后相同，或互相包含（至少四个字、"
        "只差三个字以内，如“培训人数”与“培训人数增加”），"
        "或非百分比的目标值（数字和单位）完全相同。"
    ),
    triggers="""自评表 {
  产出 {
    数量 {
      培训农民人数 ≥ 500人 实际 500人 分值 50
    }
  }
  效益 {
    社会效益 {
      培训农民人数增加 ≥ 500人 实际 500人 分值 50
    }
  }
}
""",
    passes="""自评表 {
  产出 {
    数量 {
      培训农民人数 ≥ 500人 实际 500人 分值 50
    }
  }
  效益 {
    经济效益 {
      受训农户户均增收 ≥ 2000元 实际 2300元 分值 50
    }
  }
}
""",
)


def _norm(name: str) -> str:
    return _SUFFIX.sub("", name)


def check(ctx, p):
    for tree, _ in ctx.trees:
        outputs = [
            (it, _norm(it.name))
            for it in ctx.items
            if it.tree is tree and it.first in OUTPUT_GROUPS and it.node.target is not None
        ]
        benefits = [it for it in ctx.items if it.tree is tree and it.first in BENEFIT_GROUPS]
        for b in benefits:
            nb = _norm(b.name)
            for o, no in outputs:  # each output's name normalised once, not once a benefit
                why = why_en = None
                if nb == no:
                    why, why_en = "名称相同", "has the same name as"
                elif min(len(nb), len(no)) >= 4 and abs(len(nb) - len(no)) <= 3 and (no in nb or nb in no):
                    why, why_en = "名称几乎相同", "has nearly the same name as"
                elif (
                    b.node.target is not None
                    and not b.node.target.unit.is_percent
                    and b.node.comparator
                    and b.node.target.text == o.node.target.text
                    and b.node.target.number not in (0, 1)
                ):
                    why, why_en = f"目标值同为 {o.node.target.text}", f"has the same target ({o.node.target.text}) as"
                if why:
                    yield ctx.finding(b.node.at("name"), indicator=b.name, output=o.name, why=why, why_en=why_en)
                    break
