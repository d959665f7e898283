"""`perfdsl serve FILE|DIR`: the report in the browser, refreshed on every save."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_lang, say

DEFAULT_PORT = 8765  # the same as perfdsl.authoring.serve.DEFAULT_PORT (not imported: slow to load)


def register(subparsers) -> None:
    p = add_parser(subparsers, "serve")
    p.add_argument("path", metavar="FILE|DIR")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}；0 为任选一个空闲端口）")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="监听地址（默认 127.0.0.1，只有本机可以访问；改为其他地址会让别人也能看到预览）",
    )
    p.add_argument("--templates", metavar="DIR", help="单位自己的模板目录（优先于内置模板）")
    p.add_argument("--verbose", action="store_true", help="打印每个请求")
    add_lang(p)
    p.set_defaults(handler=run)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..authoring.serve import LOOPBACK, serve
    from ..render.report import RenderOptions

    if not os.path.exists(args.path):
        say(args, f"找不到 {args.path}", f"no such file or folder: {args.path}")
        return EXIT_USAGE
    if os.path.isfile(args.path) and not args.path.endswith(".perf"):
        say(args, f"{args.path} 不是 .perf 文件", f"{args.path} is not a .perf file")
        return EXIT_USAGE
    options = RenderOptions(templates=Path(args.templates).resolve() if args.templates else None)

    def ready(server) -> None:
        say(
            args,
            f"预览：{server.url}  （保存文件后页面自动刷新；Ctrl+C 退出）",
            f"preview: {server.url}  (the page refreshes on save; Ctrl+C stops)",
            stream=sys.stdout,
            prefix=False,
        )
        if args.host not in LOOPBACK:
            say(
                args,
                f"注意：监听 {args.host}，同一网络中的其他人也能看到预览",
                f"note: listening on {args.host}: others on the network can see the preview",
                prefix=False,
            )

    signal.signal(signal.SIGTERM, _terminate)
    try:
        serve(args.path, args.host, args.port, options, args.lang, args.verbose, ready)
    except OSError as e:
        say(
            args,
            f"无法监听 {args.host}:{args.port}：{e.strerror or e}",
            f"cannot listen on {args.host}:{args.port}: {e.strerror or e}",
        )
        return EXIT_ERRORS
    except KeyboardInterrupt:
        pass
    return EXIT_OK
