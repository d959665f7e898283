"""The documentation of the reviewer's rules, generated from the registry: `perfdsl rules` prints
from here, and docs/rules.md is this module's output:

    python -m perfdsl.lint.docs > docs/rules.md

A test keeps the file in step with the registry."""

from __future__ import annotations

import sys
import textwrap

from ..diagnostics import severity_word
from ..messages import META
from .registry import all_rules
from .rule import PARAM_KINDS, Rule

# The defect classes of the reviewers' catalogue (复核问题清单), by number: name, and — for those
# no rule implements — what covers them instead or why they cannot be decided from the data.
CLASSES: dict[int, tuple[str, str]] = {
    1: ("自评虚高", ""),
    2: ("定量得分算错", "检查器：A0101（陈述完成率）、A0102（陈述得分）——定量指标的得分由数据计算，手填的数字与之比较"),
    3: ("定性得分越档", "检查器：I0105（达成度与得分不在同一档）"),
    4: ("得分超分值", "检查器：I0106"),
    5: ("权重合计错", "检查器：S0101（分组分值与下级合计）、S0102（总分值不是 100）"),
    7: ("执行率得分错", "检查器：A0106（陈述执行率、到位率）、A0102（公式指标的陈述得分）"),
    8: ("合计不符", "检查器：A0103（陈述总分）、A0107（小计与明细）、S0103（评定小计与指标合计）"),
    9: ("等级不符", ""),
    10: ("超额无说明", ""),
    11: ("指标值偏低", ""),
    12: ("偏差原因缺失", ""),
    13: ("偏差原因空洞", ""),
    14: ("问题栏“暂无”", ""),
    15: ("定量非数值", ""),
    16: ("单位缺失/错配", ""),
    17: ("百分比目标 > 100", ""),
    18: ("形式定量实质定性", ""),
    19: ("定性指标过多", ""),
    20: ("模糊目标值", ""),
    21: ("成本方向错", ""),
    22: ("成本指标缺失", ""),
    23: ("成本值 > 全年预算", ""),
    24: ("目标与预算脱节", ""),
    25: ("执行率低而产出满分", ""),
    26: ("资金指标作数量/质量", ""),
    27: ("投入作目标", ""),
    28: ("产出效益重复", ""),
    29: ("质量效益混淆", ""),
    30: ("满意度代替效益", ""),
    31: ("满意度无调查", ""),
    33: ("正文与表不符", ""),
    34: ("长期目标当年度", ""),
    35: (
        "无关或不可考核的指标",
        "不能机械判断：指标与项目内容是否相关、能否考核，要读懂项目做什么、指标量什么，"
        "数据里只有指标名称和数值。其中可以机械判断的部分另有规则：模糊目标值（R020）、"
        "数量指标定性（R039）、形式定量实质定性（R018）。",
    ),
    36: ("完成值0无说明", ""),
    37: (
        "无佐证材料",
        "不能机械判断：文件记录的是数字和文字，不是合同、发票、验收单、问卷这些佐证材料本身；"
        "材料是否齐全、是否支持所填数字，只能查阅原件。唯一记在数据里的佐证是满意度调查的样本，"
        "由 R031 检查。",
    ),
    38: ("报告要素缺失", ""),
    39: ("数量指标定性", ""),
    40: ("目标=实际复制", ""),
}
CHECKER_EXTRA = {
    21: "检查器 I0103 报告成本分组中的“≥”；R021 报告其余情形",
    33: "检查器 A0104、A0105、A0109 比较报告所列总体完成率、量化率、满分指标数",
}


def param_rows(rule: Rule) -> list[tuple[str, str, str]]:
    rows = [(p.name, p.default_text(), f"{p.doc}。取值：{PARAM_KINDS[p.kind][0]}") for p in rule.params]
    rows.append(("severity", f'"{rule.severity}"', '严重程度。取值："error"、"warning" 或 "info"'))
    return rows


def rule_text(rule: Rule) -> str:
    """One rule's documentation as plain text (`perfdsl rules R010`)."""
    out = [f"{rule.code} {rule.name}（{rule.name_en}）  默认：{severity_word(rule.severity)}", rule.summary, ""]
    if rule.classes:
        out.append("复核问题清单：" + "、".join(f"第 {c} 类（{CLASSES[c][0]}）" for c in rule.classes))
        out.append("")
    out += ["依据：", "  " + rule.rationale, ""]
    out.append(f"参数（perfdsl.toml 的 [lint.{rule.code}]）：")
    for name, default, doc in param_rows(rule):
        out.append(f"  {name} = {default}")
        out.append(f"      {doc}")
    out += [
        "",
        "会报告的写法：",
        textwrap.indent(rule.triggers.rstrip(), "  | "),
        "",
        "不会报告的写法：",
        textwrap.indent(rule.passes.rstrip(), "  | "),
        "",
    ]
    return "\n".join(out)


def rule_line(rule: Rule) -> str:
    return f"{rule.code}  {rule.name}  [{severity_word(rule.severity)}]  {rule.summary}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    rules = all_rules()
    by_class: dict[int, list[str]] = {}
    for r in rules:
        for c in r.classes:
            by_class.setdefault(c, []).append(r.code)
    out = [
        "<!-- 由 perfdsl/lint/docs.py 生成，请勿手改：python -m perfdsl.lint.docs > docs/rules.md -->",
        "",
        "# 审核规则（reviewer's rules）",
        "",
        "检查器证明数字算得对；审核规则补上财政部门复核自评报告时所作的判断，赶在复核之前。"
        f"共 {len(rules)} 条规则，代码为 R 加三位数字，编号与复核问题清单的类别号一致（R010 即第 10 类“超额无说明”），"
        "同一类的补充规则编在 R041 之后。",
        "",
        "## 运行",
        "",
        "审核规则随 `perfdsl check` 一起运行，结果是普通的带位置的诊断。",
        "",
        "<!-- snippet: run -->",  # tests/test_docs.py runs it
        "```sh",
        "perfdsl check 评价.perf                      # 检查器 + 全部审核规则",
        "perfdsl check 评价.perf --select R01,R020    # 只运行 R010–R019 和 R020",
        "perfdsl check 评价.perf --ignore R040        # 不运行 R040",
        "perfdsl rules                                # 列出全部规则",
        "perfdsl rules R010                           # 一条规则的说明、参数和例子",
        "```",
        "",
        "`--select`、`--ignore` 接受规则代码或代码前缀（`R`、`R0`、`R01`），逗号分隔；`ALL` 表示全部。",
        "",
        "### 项目配置：perfdsl.toml",
        "",
        "从评价文件所在目录向上查找 `perfdsl.toml`（最远到含 `.git` 的仓库根目录），读取其中的 `[lint]` 一节：",
        "",
        "<!-- snippet: perfdsl.toml -->",
        "```toml",
        "[lint]",
        'select = ["R"]        # 默认：全部规则',
        'ignore = ["R040"]',
        "",
        "[lint.R010]",
        "threshold = 150        # 规则的参数",
        'severity = "error"     # 每条规则都可改严重程度',
        "",
        "[lint.R019]",
        "threshold = 60",
        "```",
        "",
        "命令行的 `--select` 取代文件中的 `select`，`--ignore` 与文件中的 `ignore` 合并。"
        "文件中未知的规则代码、参数或错误的取值都是带位置的错误（perfdsl.toml 的行和列）。",
        "",
        "### 行内忽略",
        "",
        "```",
        "      培训人次 ≥ 100人次 实际 160人次 分值 10  # perfdsl: ignore[R010] 超额原因已在“产出情况”一节说明",
        "      # perfdsl: ignore[R020, R001] 目标按上级下达的目标表填写，不由本单位修改",
        '      部门履职能力 定性 "有效提高" 实际 "提高" 分值 20 得分 20 达成度 达成',
        "```",
        "",
        "忽略指令写在问题所在行的行末，或它上面一行；必须在方括号后写明原因。没有原因的指令不生效；"
        "方括号中不是审核规则代码的、或没有忽略掉任何问题的，指令本身会被报告。检查器的诊断（P、U、F、I、S、A 类）"
        "不能忽略，只能改正。",
        "",
        "## 规则一览",
        "",
        "| 代码 | 名称 | 默认 | 说明 |",
        "|---|---|---|---|",
    ]
    for r in rules:
        out.append(f"| [{r.code}](#{r.code.lower()}) | {r.name} | {severity_word(r.severity)} | {_cell(r.summary)} |")
    out.append("")
    for r in rules:
        out += [
            f"## {r.code}",
            "",
            f"**{r.name}**（{r.name_en}）· 默认{severity_word(r.severity)}"
            + (" · 复核问题清单第 " + "、".join(str(c) for c in r.classes) + " 类" if r.classes else ""),
            "",
            r.summary + "。",
            "",
            r.rationale,
            "",
            f"参数（`[lint.{r.code}]`）：",
            "",
            "| 参数 | 默认值 | 说明 |",
            "|---|---|---|",
        ]
        for name, default, doc in param_rows(r):
            out.append(f"| `{name}` | `{_cell(default)}` | {_cell(doc)} |")
        msg = r.message
        out += [
            "",
            f"诊断：{msg.zh}",
            "",
            "会报告：",
            "",
            "```",
            r.triggers.rstrip(),
            "```",
            "",
            "不会报告：",
            "",
            "```",
            r.passes.rstrip(),
            "```",
            "",
        ]
    out += [
        "## 复核问题清单与覆盖情况",
        "",
        "复核问题清单汇集了公开的复核规则与复核发现（成都郫都区 2025 年项目自评第三方复核的 14 条规则及发现、"
        "省级预算绩效管理系统的规则表、财政部关于中央部门绩效自评的通知、咨询机构与期刊文章、公开自评表中"
        "可见的问题）。清单没有第 6、32 类。",
        "",
        "| 类 | 问题 | 由谁判断 |",
        "|---|---|---|",
    ]
    for number, (name, note) in CLASSES.items():
        codes = by_class.get(number, [])
        parts = []
        if codes:
            parts.append("、".join(f"[{c}](#{c.lower()})" for c in codes))
        if number in CHECKER_EXTRA:
            parts.append(CHECKER_EXTRA[number])
        if note:
            parts.append(note)
        out.append(f"| {number} | {name} | {_cell('；'.join(parts))} |")
    out += ["", "### 不能机械判断的类别", ""]
    for number, (name, note) in CLASSES.items():
        if note.startswith("不能机械判断"):
            out.append(f"- **第 {number} 类 {name}**：{note[len('不能机械判断：') :]}")
    out += [
        "",
        "### 部分判断的类别",
        "",
        "- **第 11 类 指标值偏低**：清单说的是“反复”超额。R011 在同一张表内看多个指标同时大幅超额；"
        "跨年度的“连年超额”要用上年的评价文件，审核规则不读取其他文件。",
        "- **第 24 类 目标与预算脱节**：文件不记录调整前的绩效目标，R024 只能判断预算大幅调减后"
        "有没有任何地方说明目标的调整。",
        "- **第 33 类 正文与表不符**：R033 比较正文中写法明确的资金数、执行率、到位率和总分，R043 比较满意度"
        "与调查结果，R044 比较附件1 与自评表；正文中其他叙述（例如“全部完成”）是否属实，要读懂文字，不判断。",
        "",
        "## 配置与忽略指令的诊断",
        "",
        "这些诊断总是报告，不能用 select/ignore 关闭。",
        "",
        "| 代码 | 默认 | 说明 |",
        "|---|---|---|",
    ]
    for code, m in META.items():
        out.append(f"| {code} | {severity_word(m.severity)} | {_cell(m.zh)} |")
    out.append("")
    return "\n".join(out)


def main() -> None:
    sys.stdout.write(markdown())


if __name__ == "__main__":
    main()
