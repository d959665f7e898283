"""`perfdsl new [FILE] [--stage 申报|自评]`: a starter file to fill in — by default one for a
self-evaluation, with `--stage 申报` one that starts the year: the project, the 申报 and the
indicator tree with its filed targets (docs/lifecycle.md)."""

from __future__ import annotations

import argparse
import os
import sys

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, add_lang, say


def register(subparsers) -> None:
    p = add_parser(subparsers, "new")
    p.add_argument("path", nargs="?", default="evaluation.perf", metavar="FILE")
    p.add_argument("--force", action="store_true", help="覆盖已有文件")
    p.add_argument(
        "--stage",
        choices=tuple(STARTERS),
        default="自评",
        help="从哪个阶段开始：申报（年初：申报的绩效目标，之后逐步加监控和自评）或 自评（默认）",
    )
    add_lang(p)
    p.set_defaults(handler=run)


# The starter of each stage (templates/), by the stage's name and its English alias.
STARTERS = {"申报": "starter-filing.perf", "自评": "starter.perf", "filing": "starter-filing.perf"}
STARTERS["self-evaluation"] = STARTERS["自评"]


def run(args: argparse.Namespace) -> int:
    from ..atomic import atomic_write_text
    from ..resources import templates_dir

    if os.path.exists(args.path) and not args.force:
        say(args, f"{args.path} 已存在（用 --force 覆盖）", f"{args.path} exists (--force overwrites it)")
        return EXIT_ERRORS
    starter = STARTERS[getattr(args, "stage", "自评")]
    atomic_write_text(args.path, (templates_dir() / starter).read_text(encoding="utf-8"))
    filing = starter == STARTERS["申报"]
    build = f"；perfdsl build {args.path} --form 申报表 生成申报表" if filing else ""
    build_en = f"; perfdsl build {args.path} --form 申报表 makes the 申报表" if filing else ""
    say(
        args,
        f"已生成 {args.path}：填写后运行 perfdsl check {args.path}{build}",
        f"wrote {args.path}: fill it in, then run perfdsl check {args.path}{build_en}",
        stream=sys.stdout,
        prefix=False,
    )
    return EXIT_OK
