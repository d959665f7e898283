"""`perfdsl check FILE|DIR …`: every problem of every file at once."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_lang, files_of, print_loaded, say


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="检查 .perf 文件（语法、单位、分值、陈述数字与计算值）")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为失败")
    p.add_argument("--select", metavar="CODES", help="只运行这些审核规则：代码或前缀，逗号分隔（如 R010,R02）")
    p.add_argument("--ignore", metavar="CODES", help="不运行这些审核规则：代码或前缀，逗号分隔")
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..diagnostics import has_errors, to_json
    from ..lint import LintConfig, SelectorError
    from ..loader import load

    try:
        lint = LintConfig.from_cli(args.select, args.ignore)
    except SelectorError as e:
        say(args, e.message("zh"), e.message("en"))
        return EXIT_USAGE
    files, missing = files_of(args, args.paths)
    if missing and not files:
        return EXIT_USAGE
    loaded = [load(f, lint=lint) for f in files]
    if args.format == "json":
        print(to_json([d for one in loaded for d in one.diagnostics], args.lang))
    else:
        for one in loaded:
            print_loaded(one, args.lang, sys.stdout)
        print(summary(loaded, args.lang), file=sys.stderr)
    failed = any(has_errors(one.diagnostics, args.strict) for one in loaded)
    return EXIT_ERRORS if failed or missing else EXIT_OK


def summary(loaded: list, lang: str) -> str:
    from ..diagnostics import Severity

    counts = {s: sum(1 for one in loaded for d in one.diagnostics if d.severity == s) for s in Severity}
    errors, warnings, infos = counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
    if lang == "zh":
        return f"检查了 {len(loaded)} 个文件：{errors} 个错误，{warnings} 个警告，{infos} 个提示"
    return f"checked {len(loaded)} files: {errors} errors, {warnings} warnings, {infos} notes"
