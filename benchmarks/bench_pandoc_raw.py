#!/usr/bin/env python3
"""Time pandoc (and typst) on a report-sized Chinese Markdown document.

    python benchmarks/bench_pandoc_raw.py [runs]

Prints medians; asserts nothing.  The document is about 300 lines: a report outline with
narrative paragraphs and a 自评表-like table with merged cells.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perfdsl.render import pandoc
from perfdsl.render.gridtable import Cell, grid_table

PARAGRAPH = (
    "昌吉州12345政务服务便民热线以“一号响应、便民惠企”为目标，全年受理群众来电诉求。本项目年初预算数239万元，"
    "全年预算数239万元，全年执行数226.54万元，预算执行率94.79%。项目按照《项目支出绩效评价管理办法》"
    "（财预〔2020〕10号）的要求组织实施，资金使用规范，达到了预期目标。"
)


def self_evaluation_table() -> str:
    rows = [
        [
            Cell(t)
            for t in (
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            )
        ]
    ]
    groups = [
        ("产出指标", [("数量指标", 4), ("质量指标", 3), ("时效指标", 2), ("成本指标", 2)]),
        ("效益指标", [("社会效益指标", 3), ("可持续影响指标", 2)]),
        ("满意度指标", [("服务对象满意度指标", 2)]),
    ]
    for level1, level2s in groups:
        first1 = True
        for level2, n in level2s:
            for i in range(n):
                row = []
                if first1:
                    row.append(Cell(level1, rowspan=sum(k for _, k in level2s)))
                    first1 = False
                if i == 0:
                    row.append(Cell(level2, rowspan=n))
                row += [
                    Cell(f"{level2[:2]}三级指标{i + 1}"),
                    Cell("≥95%"),
                    Cell("96.2%"),
                    Cell("5"),
                    Cell("5"),
                    Cell("短信发送量受市民来电量影响，较预期减少；下一步将合理设定目标值。" if i == 0 else ""),
                ]
                rows.append(row)
    rows.append([Cell("总分", colspan=5), Cell("100"), Cell("93.91"), Cell("")])
    return grid_table(rows, [6, 8, 12, 8, 8, 4, 5, 20], header_rows=1)


def document() -> str:
    parts = []
    outline = [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、综合评价情况及评价结论",
        "四、绩效评价指标分析",
        "五、预算执行进度与绩效指标偏差",
        "六、主要经验及做法、存在的问题及原因分析",
        "七、有关建议",
        "八、其他需要说明的问题",
    ]
    for n, h1 in enumerate(outline):
        parts.append(f"# {h1}\n")
        for k in range(4):
            parts.append(f"## （{'一二三四'[k]}）第{k + 1}小节\n")
            parts.append(PARAGRAPH + "\n")
            parts.append(PARAGRAPH * 2 + "\n")
            parts.append(f"- 要点{k + 1}：{PARAGRAPH[:40]}\n- 要点{k + 2}：{PARAGRAPH[40:80]}\n")
        if n == 2:
            parts.append(self_evaluation_table())
    return "\n".join(parts)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    md = document()
    print(f"document: {len(md.splitlines())} lines, {len(md)} characters; median of {runs} runs")
    exe = pandoc.pandoc_path()
    rows = [
        (
            "pandoc --version (process start)",
            lambda: subprocess.run([exe, "--version"], capture_output=True, check=True),
        ),
        ("md -> docx (incl. normalisation)", lambda: pandoc.markdown_to_docx(md, metadata={"title": "绩效评价报告"})),
        ("md -> typst", lambda: pandoc.markdown_to_typst(md, metadata={"title": "绩效评价报告"})),
        ("md -> html fragment", lambda: pandoc.markdown_to_html(md)),
    ]
    for name, fn in rows:
        print(f"  {name:<40} {median_ms(fn, runs):8.1f} ms")
    try:
        from perfdsl.render.pdf import typst_to_pdf

        src = pandoc.markdown_to_typst(md, metadata={"title": "绩效评价报告"})
        t = time.perf_counter()
        typst_to_pdf(src)
        print(f"  {'typst -> pdf, first (loads fonts)':<40} {(time.perf_counter() - t) * 1000:8.1f} ms")
        counter = iter(range(10**9))  # a new text each run, so nothing is served from typst's cache
        print(
            f"  {'typst -> pdf, later documents':<40} "
            f"{median_ms(lambda: typst_to_pdf(src.replace('第1小节', f'第{next(counter)}小节')), runs):8.1f} ms"
        )
    except Exception as e:  # no fonts: report and carry on
        print(f"  typst -> pdf skipped: {e}")


if __name__ == "__main__":
    main()
