"""`perfdsl summary PATH… [-o FILE.xlsx] [--format text|json|csv] [-j N]`: a row per evaluation,
a row per 主管部门, the portfolio's totals. A file with errors stays in the summary, marked with
its error count; it never stops the run."""

from __future__ import annotations

import argparse
import csv
import sys

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_cache_options, add_lang, cache_folder, dispatch, files_of, say


def register(subparsers) -> None:
    p = add_parser(subparsers, "summary")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("-o", "--output", metavar="FILE.xlsx", help="写成工作簿：明细、按主管部门、问题清单和图表")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    add_cache_options(p)
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from ..engine import new_run, progress
    from ..loader import load  # noqa: F401  (imported before the collector is tuned and workers fork)
    from ..portfolio.summary import SummaryJob, aggregate, summarize

    files, missing = files_of(args, args.paths)
    if missing and not files:
        return EXIT_USAGE
    cache_dir = cache_folder(args, files)
    run = new_run()
    jobs = [SummaryJob(f, cache_dir, run) for f in files]
    results, refused = dispatch(summarize, jobs, files, cache_dir, args)
    if refused:
        return EXIT_USAGE
    found = progress(results, len(jobs), "汇总", args.format != "json")
    if not args.output:
        # Only the workbook's 问题清单 lists each problem: without it, the rows of a folder of
        # thousands keep their counts and codes, not every message.
        from dataclasses import replace

        found = (replace(row, diagnostics=()) for row in found)
    summary = aggregate(list(found))
    if args.output:
        from ..atomic import atomic_write_bytes
        from ..portfolio.workbook import write_workbook

        target = Path(args.output)
        if target.suffix.lower() != ".xlsx" or target.is_dir():
            say(args, "-o 须为 .xlsx 文件", "-o must name an .xlsx file")
            return EXIT_USAGE
        try:
            atomic_write_bytes(target, write_workbook(summary))
        except OSError as e:
            say(args, f"无法写入 {target}：{e.strerror}", f"cannot write {target}: {e.strerror}")
            return EXIT_ERRORS
        say(args, f"已写入 {target}（{len(summary.rows)} 个评价）", f"wrote {target} ({len(summary.rows)} evaluations)")
    if args.format == "json":
        print(json.dumps(summary.data(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        rows = [r.data() for r in summary.rows]
        writer = csv.writer(sys.stdout, lineterminator="\n")
        heads = [k for k in rows[0] if k != "codes"] if rows else []
        writer.writerow(heads + ["codes"])
        for r in rows:
            writer.writerow([r[k] for k in heads] + ["、".join(f"{c['code']}×{c['count']}" for c in r["codes"])])
    elif not args.output:
        _text(summary, args.lang)
    return EXIT_ERRORS if missing else EXIT_OK


def _text(summary, lang: str) -> None:
    from ..core.text import pad

    zh = lang == "zh"
    heads = (
        ["项目", "主管部门", "执行率", "自评", "评价", "错误", "警告"]
        if zh
        else ["project", "department", "execution", "self", "evaluation", "errors", "warnings"]
    )
    table = [heads] + [
        [
            r.project or r.file,
            r.department or "—",
            f"{r.execution_rate}%" if r.execution_rate else "—",
            f"{r.self_evaluation_total} {r.self_evaluation_grade}" if r.self_evaluation_total else "—",
            f"{r.evaluation_total} {r.evaluation_grade}" if r.evaluation_total else "—",
            str(r.errors),
            str(r.warnings),
        ]
        for r in summary.rows
    ]
    from ..core.text import display_width

    widths = [max(display_width(row[c]) for row in table) for c in range(len(heads))]
    for row in table:
        print("  ".join(pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip())
    print()
    for g in [*summary.departments, summary.totals]:
        data = g.data()
        grades = "、".join(f"{k}{v}" for k, v in data["grades"].items()) or "—"
        print(
            f"{g.name}：{g.count} 个评价，预算 {data['budget']}，执行 {data['spent']}，执行率 {data['execution_rate'] or '—'}%，"
            f"平均得分 {data['mean_score'] or '—'}，预算加权得分 {data['weighted_mean_score'] or '—'}，{grades}"
            if zh
            else f"{g.name}: {g.count} evaluations, budget {data['budget']}, spent {data['spent']}, "
            f"execution {data['execution_rate'] or '—'}%, mean {data['mean_score'] or '—'}, "
            f"budget-weighted {data['weighted_mean_score'] or '—'}, {grades}"
        )
