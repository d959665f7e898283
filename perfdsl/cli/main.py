"""The perfdsl command: a thin layer that parses arguments, calls the library and prints.

Every command lives in its own module (perfdsl/cli/cmd_<name>.py) whose `register(subparsers)`
adds its parser with `set_defaults(handler=function(args) -> exit code)`; this module only
assembles them and dispatches. Handlers import the library when they run, so that a command
loads only what it needs."""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from . import (
    cmd_build,
    cmd_check,
    cmd_diff,
    cmd_fmt,
    cmd_import,
    cmd_lsp,
    cmd_new,
    cmd_rules,
    cmd_rulesets,
    cmd_score,
    cmd_serve,
    cmd_summary,
    cmd_watch,
)
from .common import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

COMMANDS = (
    cmd_check,
    cmd_score,
    cmd_new,
    cmd_build,
    cmd_rulesets,
    cmd_fmt,
    cmd_diff,
    cmd_watch,
    cmd_serve,
    cmd_lsp,
    cmd_rules,
    cmd_import,
    cmd_summary,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfdsl", description="项目支出绩效评价：一次写成数据，自动计算、检查并生成报告。"
    )
    parser.add_argument("--version", action="version", version=f"perfdsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..terminal import inert_standard_streams

    with inert_standard_streams():  # text from files reaches a terminal with its control characters visible
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        try:
            return args.handler(args)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
