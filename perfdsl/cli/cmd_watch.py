"""`perfdsl watch FILE|DIR`: rebuild the reports whenever their sources change."""

from __future__ import annotations

import signal
import sys

from .common import add_output_options, formats_of, render_options

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def register(subparsers) -> None:
    p = subparsers.add_parser("watch", help="监视 .perf 文件（及其引用的文件、模板、评价规则），改动后自动重新生成报告")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    add_output_options(p)
    p.set_defaults(handler=run)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run(args) -> int:
    import os

    from ..authoring.watch import watch

    formats = formats_of(args, "perfdsl watch")
    if formats is None:
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        print(f"perfdsl watch: 找不到 {'、'.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    options = render_options(args)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return watch(args.paths, formats, args.output, strict=args.strict, options=options, lang=args.lang)
    except KeyboardInterrupt:
        return EXIT_OK
