"""`perfdsl watch FILE|DIR`: rebuild the reports whenever their sources change (the file, its
includes, last year's file, templates, rulesets, perfdsl.toml)."""

from __future__ import annotations

import argparse
import os
import signal

from .commands import add_parser
from .common import EXIT_OK, EXIT_USAGE, add_output_options, formats_of, options_refused, render_options, say


def register(subparsers) -> None:
    p = add_parser(subparsers, "watch")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    add_output_options(p)
    p.set_defaults(handler=run)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..authoring.watch import watch

    formats = formats_of(args)
    if formats is None or options_refused(args):
        return EXIT_USAGE
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        say(args, f"找不到 {'、'.join(missing)}", f"no such file or folder: {', '.join(missing)}")
        return EXIT_USAGE
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return watch(args.paths, formats, args.output, strict=args.strict, options=render_options(args), lang=args.lang)
    except KeyboardInterrupt:
        return EXIT_OK
