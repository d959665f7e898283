"""The perfdsl command: a thin layer that parses arguments, calls the library and prints.

Every command lives in its own module (perfdsl/cli/cmd_<name>.py) whose `register(subparsers)`
adds its parser with `set_defaults(handler=function(args) -> exit code)`, listed in
`commands.COMMANDS`; this module only assembles them and dispatches. Handlers import the library
when they run, so that a command loads only what it needs."""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..engine import ExecutorError
from .commands import COMMANDS
from .common import EXIT_ERRORS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE


def _named_command(argv: list[str]) -> str | None:
    """The command the arguments name: the first that is not an option (the top level has only
    --help and --version, which take no value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser. Given arguments that name a command, only that command is built (its
    module imported and registered: each parser argparse makes costs a quarter of a millisecond,
    mostly looking for translations, at every start); otherwise (`perfdsl --help`, a misspelt
    command) the others are listed by name and help, which is all those show. Without arguments,
    every command in full."""
    parser = argparse.ArgumentParser(
        prog="perfdsl", description="项目支出绩效评价：一次写成数据，自动计算、检查并生成报告。"
    )
    parser.add_argument("--version", action="version", version=f"perfdsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = _named_command(argv) if argv is not None else None
    chosen = {command.module for command in COMMANDS if argv is None or command.name == named}
    registered: set[str] = set()
    for command in COMMANDS:
        if command.module in registered:
            continue  # that module registered this command with its sibling
        if command.module in chosen:
            importlib.import_module(f"{__package__}.{command.module}").register(sub)
            registered.add(command.module)
        elif not chosen:  # no command named: each listed, for the help or the misspelling's message
            sub.add_parser(command.name, help=command.help)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..terminal import inert_standard_streams

    with inert_standard_streams():  # text from files reaches a terminal with its control characters visible
        arguments = sys.argv[1:] if argv is None else argv
        parser = build_parser(arguments)
        args = parser.parse_args(arguments)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        try:
            return args.handler(args)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except ExecutorError as e:  # a worker lost mid-run: said plainly, the run not complete
            print(f"perfdsl: {e}", file=sys.stderr)
            return EXIT_ERRORS
        except BrokenPipeError:
            return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
