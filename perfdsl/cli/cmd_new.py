"""`perfdsl new [FILE]`: a starter file to fill in."""

from __future__ import annotations

import argparse
import os
import sys

from .common import EXIT_ERRORS, EXIT_OK, add_lang, say


def register(subparsers) -> None:
    p = subparsers.add_parser("new", help="生成一个起始 .perf 文件")
    p.add_argument("path", nargs="?", default="evaluation.perf", metavar="FILE")
    p.add_argument("--force", action="store_true", help="覆盖已有文件")
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..atomic import atomic_write_text
    from ..resources import templates_dir

    if os.path.exists(args.path) and not args.force:
        say(args, f"{args.path} 已存在（用 --force 覆盖）", f"{args.path} exists (--force overwrites it)")
        return EXIT_ERRORS
    atomic_write_text(args.path, (templates_dir() / "starter.perf").read_text(encoding="utf-8"))
    say(
        args,
        f"已生成 {args.path}：填写后运行 perfdsl check {args.path}",
        f"wrote {args.path}: fill it in, then run perfdsl check {args.path}",
        stream=sys.stdout,
        prefix=False,
    )
    return EXIT_OK
