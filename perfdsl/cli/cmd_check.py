"""`perfdsl check FILE|DIR …`: every problem of every file at once."""

from __future__ import annotations

import argparse
import sys

from .commands import add_parser
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    JsonList,
    add_cache_options,
    add_lang,
    cache_folder,
    dispatch,
    files_of,
    say,
)


def register(subparsers) -> None:
    p = add_parser(subparsers, "check")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为失败")
    p.add_argument("--select", metavar="CODES", help="只运行这些审核规则：代码或前缀，逗号分隔（如 R010,R02）")
    p.add_argument("--ignore", metavar="CODES", help="不运行这些审核规则：代码或前缀，逗号分隔")
    add_cache_options(p)
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from ..engine import new_run, progress
    from ..engine.check import CheckJob, check_file, prepare

    if args.select or args.ignore:  # a wrong selector is a usage error before any file is read
        from ..lint import LintConfig, SelectorError

        try:
            LintConfig.from_cli(args.select, args.ignore)
        except SelectorError as e:
            say(args, e.message("zh"), e.message("en"))
            return EXIT_USAGE
    files, missing = files_of(args, args.paths)
    if missing and not files:
        return EXIT_USAGE
    cache_dir = cache_folder(args, files)
    run = new_run()
    jobs = [
        CheckJob(f, args.select, args.ignore, args.lang, args.format == "json", args.strict, cache_dir, run)
        for f in files
    ]
    totals, failed = [0, 0, 0], False
    results, refused = dispatch(check_file, jobs, files, cache_dir, args, partial(prepare, args.select, args.ignore))
    if refused:
        return EXIT_USAGE
    listing = JsonList("diagnostics") if args.format == "json" else None
    # Each file's result is printed as soon as those before it are, then dropped.
    # The bar only where nothing else is being printed to the terminal between its updates.
    for result in progress(results, len(jobs), "检查", args.format != "json" and not sys.stdout.isatty()):
        failed = failed or result.failed
        totals = [a + b for a, b in zip(totals, result.counts, strict=True)]
        if listing is not None:
            listing.add(list(result.blocks))
        elif result.blocks:
            sys.stdout.write("\n".join(result.blocks) + "\n")
    if listing is not None:
        listing.close()
    else:
        print(summary(len(files), totals, args.lang), file=sys.stderr)
    return EXIT_ERRORS if failed or missing else EXIT_OK


def summary(files: int, counts: list[int], lang: str) -> str:
    errors, warnings, infos = counts
    if lang == "zh":
        return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告，{infos} 个提示"
    return f"checked {files} files: {errors} errors, {warnings} warnings, {infos} notes"
