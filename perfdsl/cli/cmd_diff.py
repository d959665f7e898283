"""`perfdsl diff`: what changed between two versions of an evaluation, in figures.

    perfdsl diff OLD.perf NEW.perf          two files (two years of one project compare by indicator path)
    perfdsl diff REV [FILE|DIR …]           the files as of a git revision against the working tree
    perfdsl diff REV1 REV2 [FILE|DIR …]     one revision against another
    perfdsl diff --textconv FILE            one line per figure, for git's diff driver

What is compared, and how, is perfdsl.authoring.revisions; this module prints it."""

from __future__ import annotations

import argparse
import json
import sys

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_lang, print_loaded, say

USAGE = (
    "用法：perfdsl diff OLD NEW | perfdsl diff REV [FILE…] | perfdsl diff REV1 REV2 [FILE…]",
    "usage: perfdsl diff OLD NEW | perfdsl diff REV [FILE…] | perfdsl diff REV1 REV2 [FILE…]",
)


def register(subparsers) -> None:
    p = add_parser(
        subparsers,
        "diff",
        description="perfdsl diff OLD NEW | perfdsl diff REV [FILE…] | perfdsl diff REV1 REV2 [FILE…] | "
        "perfdsl diff --textconv FILE",
    )
    p.add_argument("args", nargs="*", metavar="OLD NEW | REV [REV2] [FILE]")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--textconv",
        action="store_true",
        help="输出一个文件的规范文本（每行一个数字），供 git 的 diff.perf.textconv 使用",
    )
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.textconv:
        if len(args.args) != 1:
            say(args, "--textconv 需要一个文件", "--textconv takes one file")
            return EXIT_USAGE
        return _textconv(args, args.args[0])
    items = [a for a in args.args if a != "--"]
    if not items:
        say(args, *USAGE)
        return EXIT_USAGE
    from ..authoring.diff import FORMAT_VERSION, format_text
    from ..authoring.revisions import compare_arguments

    result = compare_arguments(items, args.lang)
    for bad in result.unusable:
        print_loaded(bad.loaded, args.lang, rewrite=bad.rewrite)
    for zh, en in result.messages:
        say(args, zh, en)
    if result.usage_error:
        return EXIT_USAGE
    if args.format == "json":
        print(
            json.dumps(
                {"format_version": FORMAT_VERSION, "files": [d.to_data() for d in result.diffs]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        sys.stdout.write("\n".join(format_text(d) for d in result.diffs))
        if not result.diffs and not result.failed and result.revision:
            say(
                args,
                f"自 {result.revision} 以来没有改动的 .perf 文件",
                f"no .perf file changed since {result.revision}",
                stream=sys.stdout,
                prefix=False,
            )
    for d in result.diffs:
        for note in d.notes:
            print(note, file=sys.stderr)
    return EXIT_ERRORS if result.failed else EXIT_OK


def _textconv(args: argparse.Namespace, path: str) -> int:
    from ..authoring.diff import textconv, without_includes
    from ..loader import load
    from ..project import read_source

    text, problem, _ = read_source(path)
    if problem is not None or text is None:
        say(
            args,
            f"{problem.message('zh') if problem else ''}: {path}",
            f"{problem.message('en') if problem else ''}: {path}",
        )
        return EXIT_ERRORS
    alone, includes = without_includes(text, path)
    loaded = load(path, alone, lint=False)
    if loaded.ok and loaded.evaluation is not None and not loaded.evaluation.is_fragment:
        sys.stdout.write(textconv(loaded, includes))
        return EXIT_OK
    # git calls the driver on every version it shows: a version with errors (or a fragment) is
    # shown as its source, so the diff still works.
    sys.stdout.write("# perfdsl: 此版本无法计算（有错误或为片段文件），以下为原文\n" + text)
    return EXIT_OK
