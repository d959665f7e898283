"""R038 报告要素缺失：项目基本信息或报告提纲规定的章节没有写。"""

from ...model.evaluation import at_self_evaluation
from ..rule import Param, Rule, W

FACTS = (
    ("project", "unit", "实施单位"),
    ("project", "department", "主管部门"),
    ("project", "owner", "项目负责人"),
    ("project", "filed", "填报时间"),
    ("project", "period", "实施周期"),
    ("funds", "initial_budget", "年初预算数"),
    ("goals", "overall", "总体目标"),
)

RULE = Rule(
    code="R038",
    name="报告要素缺失",
    name_en="report elements missing",
    severity=W,
    classes=(38,),
    summary="缺少项目基本信息（主管部门、实施周期、年初预算数、总体目标……）或报告提纲规定的章节",
    message_zh="报告缺少：{missing}",
    message_en="the report lacks: {missing}",
    hint_zh='补上这些内容；章节写在「正文 "节名" """…"""」中，确实不适用的写明原因',
    hint_en='add them; sections go in 正文 "name" """…"""; where one does not apply, say why',
    params=(
        Param(
            "sections",
            (
                "项目背景",
                "主要内容",
                "实施情况",
                "资金投入",
                "资金使用",
                "评价目的",
                "评价对象",
                "评价范围",
                "评价方法",
                "评价标准",
                "评价工作过程",
                "评价结论",
                "主要经验及做法",
                "存在的问题及原因",
                "有关建议",
            ),
            "words",
            "评价报告必须有的章节（财预〔2020〕10号 参考提纲）；资金、评价工作、指标树已写出的内容算作已有",
        ),
    ),
    rationale=(
        "财预〔2020〕10号附件的评价报告参考提纲规定了报告的章节（基本情况、评价工作开展情况、综合评价及结论、"
        "指标分析、经验与问题、建议），自评表表头须有项目名称、主管部门、实施单位和资金情况；复核"
        "（成都郫都区第三方复核的 14 条规则之一）把“报告要素不全”列为形式审查的首项。有「项目」块的文件"
        "都生成评价报告（只有自评表的也一样），所以都检查：报告里没有内容的章节在这里逐一列出；"
        "由数据写成的章节（资金情况、评价方法和标准、工作过程、评价结论）有数据即算已有。片段文件"
        "（没有「项目」块）不检查。"
    ),
    triggers="""项目 "机关办公业务项目" {
  年度 2023
  实施单位 "某某局"
  项目负责人 "某某"
  填报时间 2024-05-10
}

资金 {
  年初预算数 5万元
  全年预算数 5万元
  全年执行数 5万元
}
""",
    passes="""项目 "机关办公业务项目" {
  年度 2023
  实施单位 "某某局"
  主管部门 "某某局"
  项目负责人 "某某"
  填报时间 2024-05-10
  实施周期 2023-01-01 至 2023-12-31
}

资金 {
  年初预算数 5万元
  全年预算数 5万元
  全年执行数 5万元
}

绩效目标 {
  总体目标 "保障机关日常运转，全年信访事项按期办结率不低于 95%。"
}

评价工作 {
  阶段 "前期准备" 2024-03-01 "成立评价工作组，收集资料。"
  评价方法 "比较法"
  评价标准 "计划标准"
}

自评表 {
  预算执行率 分值 100
}

正文 "项目背景" "为保障机关日常运转设立本项目。"
正文 "主要内容" "差旅、通讯及公益性岗位工资差额。"
正文 "评价目的" "了解资金使用效果，总结经验，改进管理。"
正文 "评价对象" "机关办公业务项目2023年度资金5万元。"
正文 "评价范围" "资金使用、项目管理及绩效目标实现情况。"
正文 "主要经验及做法" "先做事、后验收、再拨付。"
正文 "存在的问题及原因" "绩效专业知识有待加强。"
正文 "有关建议" "加强绩效管理培训。"
""",
)


# Sections the report fills from data when the file has it: (block, field) pairs, any one of
# which gives the section content without a 正文 of that name (see templates/report.md.j2).
FILLED_BY = {
    "实施情况": (("project", "implementer"), ("project", "period")),
    "资金投入": (("funds", "budget"),),
    "资金使用": (("funds", "spent"),),
    "评价方法": (("work", "method"),),
    "评价标准": (("work", "standard"),),
    "评价工作过程": (("work", "phases"),),
    "评价结论": (("framework", "nodes"), ("self_evaluation", "nodes")),
}


def _has(ev, block: str, key: str) -> bool:
    obj = getattr(ev, block, None)
    return obj is not None and bool(getattr(obj, key, None))


def check(ctx, p):
    ev = ctx.ev
    if ev.project is None or not at_self_evaluation(ev):  # a file still at 申报 or 监控 has no report yet
        return
    missing = [label for block, key, label in FACTS if not _has(ev, block, key)]
    # Every file with a 项目 builds a report (a 自评表 alone included): its outline names what is missing.
    present = {n.name for n in ev.narrative if n.text.strip()}
    for section in p["sections"]:
        if section not in present and not any(_has(ev, b, k) for b, k in FILLED_BY.get(section, ())):
            missing.append(f"“{section}”一节")
    if missing:
        yield ctx.finding(ev.project.spans.get("name"), missing="、".join(missing))
