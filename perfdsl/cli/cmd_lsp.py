"""perfdsl lsp: the language server for editors (VS Code, Neovim, Helix …), over stdio."""

from __future__ import annotations

import argparse
import sys

from .commands import add_parser
from .common import EXIT_OK


def register(subparsers) -> None:
    p = add_parser(
        subparsers,
        "lsp",
        description="Language Server Protocol 服务：诊断、悬停显示得分、补全、格式化、跳转定义、大纲、快速修复。"
        "由编辑器启动，通过标准输入输出通信。",
    )
    _add_arguments(p)
    p.set_defaults(handler=handle)


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stdio", action="store_true", help="经标准输入输出通信（默认）")
    p.add_argument("--tcp", metavar="PORT", type=int, help="改为在 127.0.0.1:PORT 上监听（调试用）")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="诊断与悬停的语言（默认 zh，编辑器可另行指定）")
    p.add_argument(
        "--debounce", type=float, default=None, metavar="SECONDS", help="连续修改时，停顿多久后再检查（默认 0.15 秒）"
    )
    p.add_argument("--log", metavar="FILE", help="把服务日志写入 FILE")


def handle(args) -> int:
    from ..lsp.server import DEBOUNCE, build

    target = {"filename": args.log} if args.log else {"stream": sys.stderr}
    import logging  # only for the server: not in every command's start-up

    logging.basicConfig(
        level=logging.DEBUG if args.log else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        **target,
    )
    server = build(DEBOUNCE if args.debounce is None else args.debounce)
    if args.lang:
        server.lang = args.lang
    if args.tcp:
        server.start_tcp("127.0.0.1", args.tcp)
    else:
        server.start_io()
    return EXIT_OK


def run(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="perfdsl lsp")
    _add_arguments(p)
    return handle(p.parse_args(argv))
