"""A deterministic corpus of typical .perf files for the benchmarks: a 自评表 of 10–20
indicators, funds with sources and a breakdown, goals and a few narrative sections — the size of
an ordinary county-level project evaluation."""

from __future__ import annotations

import random

SECOND = {
    "产出": ["数量", "质量", "时效", "成本"],
    "效益": ["社会效益", "经济效益", "可持续影响"],
    "满意度": ["服务对象满意度"],
}
UNITS = ["个", "次", "人", "套", "万条", "天", "户"]
PARAGRAPH = (
    "根据年度工作安排，本项目按计划组织实施，资金使用符合相关管理规定，各项工作有序推进，较好地完成了年度绩效目标。"
)


def make_file(seed: int) -> str:
    rnd = random.Random(seed)
    budget = rnd.randint(5, 500)
    spent = round(budget * rnd.uniform(0.8, 1.0), 2)
    lines = [
        f"# 生成的评价文件 {seed}",
        f'项目 "项目{seed}" {{',
        "  年度 2024",
        f'  实施单位 "单位{seed % 97}"',
        '  主管部门 "主管部门"',
        '  项目负责人 "负责人"',
        "  填报时间 2025-03-31",
        "  实施周期 2024-01-01 至 2024-12-31",
        "}",
        "",
        "资金 {",
        f"  年初预算数 {budget}万元",
        f"  全年预算数 {budget}万元",
        f"  到位资金 {budget}万元",
        f"  全年执行数 {spent}万元",
        f'  来源 "当年财政拨款" {{ 年初预算数 {budget}万元 全年预算数 {budget}万元 全年执行数 {spent}万元 }}',
        f'  支出 "设备购置" {round(spent * 0.6, 2)}万元',
        f'  支出 "运行维护" {round(spent - round(spent * 0.6, 2), 2)}万元',
        "}",
        "",
        "绩效目标 {",
        f'  总体目标 """\n  {PARAGRAPH}\n  """',
        f'  实际完成情况 """\n  {PARAGRAPH}\n  """',
        "}",
        "",
        "自评表 {",
        "  预算执行率 分值 10",
    ]
    weights = {"产出": 50, "效益": 30, "满意度": 10}
    index = 0
    for first, seconds in SECOND.items():
        lines.append(f"  {first} {{")
        chosen = seconds if first != "效益" else seconds[:1]
        budget_points = weights[first]
        per_second = [budget_points // len(chosen)] * len(chosen)
        per_second[0] += budget_points - sum(per_second)
        for second, points in zip(chosen, per_second):
            lines.append(f"    {second} {{")
            count = rnd.randint(2, 4) if first == "产出" else 1
            w = [points // count] * count
            w[0] += points - sum(w)
            for weight in w:
                index += 1
                if first == "效益":
                    score = rnd.randint(weight * 8 // 10, weight)
                    lines.append(
                        f'      效益指标{index} 定性 "有效提升" 实际 "有效提升" 分值 {weight} 得分 {score} 达成度 达成'
                    )
                    lines.append('        依据 "项目实施后相关业务保障能力明显增强，酌情评分。"')
                    continue
                unit = (
                    "%"
                    if first == "满意度" or second == "质量"
                    else ("万元" if second == "成本" else rnd.choice(UNITS))
                )
                cmp = "≤" if second == "成本" else rnd.choice(["≥", "="])
                target = rnd.randint(80, 100) if unit == "%" else rnd.randint(1, 500)
                actual = (
                    round(target * rnd.uniform(0.7, 1.05), 2)
                    if unit != "%"
                    else min(100, round(target * rnd.uniform(0.9, 1.1), 1))
                )
                lines.append(f"      指标{index} {cmp} {target}{unit} 实际 {actual}{unit} 分值 {weight}  # 第{index}项")
                if actual < target and cmp != "≤":
                    lines.append('        偏差原因 "受年度工作安排调整影响，部分任务顺延至次年完成。"')
            lines.append("    }")
        lines.append("  }")
    lines.append("}")
    for section in ("项目背景", "主要经验及做法", "存在的问题及原因", "有关建议"):
        lines += ["", f'正文 "{section}" """', PARAGRAPH * rnd.randint(1, 3), '"""']
    return "\n".join(lines) + "\n"


def corpus(count: int) -> list[str]:
    return [make_file(i) for i in range(count)]
