"""`perfdsl fmt [--check] [--diff] FILE|DIR …`: put .perf files in the canonical layout.

Files are rewritten in place (atomically, and only when they change). `--check` writes nothing
and exits 1 when a file would change; `--diff` writes nothing and prints what would change. A
file with syntax errors is left as it is and its errors are shown. `-` reads standard input and
writes the result to standard output. A folder's files are formatted on every core (`-j N`),
what each says printed in the files' order."""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_lang, files_of

_TEXT = {
    "zh": {
        "check": "只检查：有文件需要整理时退出码为 1，不写文件",
        "diff": "打印需要的改动（unified diff），不写文件",
        "would": "{path}: 需要整理",
        "done": "已整理 {path}",
        "untouched": "{path}: 有语法错误，未整理",
        "stdin_alone": "perfdsl fmt: - （标准输入）不能与文件同时使用",
        "summary": "{changed} 个文件{verb}，{same} 个文件无需整理{errors}",
        "verb_write": "已整理",
        "verb_check": "需要整理",
        "errors": "，{n} 个文件有错误",
    },
    "en": {
        "check": "check only: exit 1 when a file would change; write nothing",
        "diff": "print the changes as a unified diff; write nothing",
        "would": "would reformat {path}",
        "done": "reformatted {path}",
        "untouched": "{path}: syntax errors, left as it is",
        "stdin_alone": "perfdsl fmt: - (standard input) cannot be combined with files",
        "summary": "{changed} files {verb}, {same} files already formatted{errors}",
        "verb_write": "reformatted",
        "verb_check": "would be reformatted",
        "errors": ", {n} files with errors",
    },
}


def register(subparsers) -> None:
    p = add_parser(subparsers, "fmt")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help="文件或目录；- 表示标准输入")
    p.add_argument("--check", action="store_true", help=_TEXT["zh"]["check"])
    p.add_argument("--diff", action="store_true", help=_TEXT["zh"]["diff"])
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认每核一个；1 为单进程）")
    add_lang(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    t = _TEXT[args.lang]
    paths = [p for p in args.paths if p != "-"]
    if len(paths) < len(args.paths):
        if paths:
            print(t["stdin_alone"], file=sys.stderr)
            return EXIT_USAGE
        return _stdin(args)
    files, missing = files_of(args, paths)
    if missing and not files:
        return EXIT_USAGE
    from ..engine import run as run_jobs

    if len(files) > 1:
        from ..syntax.parser import warm_up

        warm_up()  # the parser made once, before the workers fork
    changed = same = errors = 0
    results = run_jobs(format_file, [FmtJob(f, args.check, args.diff, args.lang) for f in files], args.jobs)
    for result in results:  # printed in the files' order, each as soon as those before it
        sys.stdout.write(result.out)
        sys.stderr.write(result.err)
        if result.changed is None:
            errors += 1
        elif result.changed:
            changed += 1
        else:
            same += 1
    if not args.diff or args.check:
        verb = t["verb_check"] if args.check or args.diff else t["verb_write"]
        print(
            t["summary"].format(
                changed=changed, same=same, verb=verb, errors=t["errors"].format(n=errors) if errors else ""
            ),
            file=sys.stderr,
        )
    if errors or missing:
        return EXIT_ERRORS
    if args.check and changed:
        return EXIT_ERRORS
    return EXIT_OK


@dataclass(frozen=True)
class FmtJob:
    path: str
    check: bool
    diff: bool
    lang: str


@dataclass(frozen=True)
class FmtResult:
    changed: bool | None  # True: changed (or would be); False: already formatted; None: not formatted
    out: str  # what the file's formatting prints on standard output (--check, --diff)
    err: str  # and on standard error (what was done, the file's problems)


def format_file(job: FmtJob) -> FmtResult:
    """Format one file (an engine job): written in place unless --check or --diff; what it says
    returned as text, for the parent to print in the files' order."""
    from ..atomic import atomic_write_text
    from ..project import read_bytes, refusal_diagnostic
    from ..syntax.format import format_text
    from ..syntax.parser import MAX_FILE_BYTES

    t, path = _TEXT[job.lang], job.path
    data, refusal = read_bytes(path, MAX_FILE_BYTES)
    if refusal is not None or data is None:
        from ..diagnostics import Span

        shown = [refusal_diagnostic(refusal, Span.point(path, 1, 1), path)] if refusal else []
        return FmtResult(None, "", _shown(shown, path, "", job.lang))
    source = data.decode("utf-8", errors="surrogateescape")
    if "\r" in source.replace("\r\n", ""):  # lone CRs end lines, as when the file is loaded
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    try:
        formatted, diagnostics = format_text(source, path)
    except Exception as e:
        return FmtResult(None, "", _shown([_refusal(e, path)], path, source, job.lang))
    if formatted is None:
        return FmtResult(
            None, "", _shown(diagnostics, path, source, job.lang) + t["untouched"].format(path=path) + "\n"
        )
    if formatted == source:
        return FmtResult(False, "", "")
    out = _unified_diff(source, formatted, path) if job.diff else ""
    if job.check:
        return FmtResult(True, out + t["would"].format(path=path) + "\n", "")
    if job.diff:
        return FmtResult(True, out, "")
    atomic_write_text(path, formatted)
    return FmtResult(True, "", t["done"].format(path=path) + "\n")


def _stdin(args) -> int:
    from ..syntax.format import format_text
    from ..terminal import raw

    t = _TEXT[args.lang]
    source = sys.stdin.read()
    try:
        formatted, diagnostics = format_text(source, "<stdin>")
    except Exception as e:
        sys.stderr.write(_shown([_refusal(e, "<stdin>")], "<stdin>", source, args.lang))
        raw(sys.stdout).write(source)  # the file itself, byte for byte
        return EXIT_ERRORS
    if formatted is None:
        sys.stderr.write(_shown(diagnostics, "<stdin>", source, args.lang))
        raw(sys.stdout).write(source)  # the file itself, byte for byte
        return EXIT_ERRORS
    if args.diff:
        sys.stdout.write(_unified_diff(source, formatted, "<stdin>"))
    elif not args.check:
        raw(sys.stdout).write(formatted)  # the file itself, byte for byte
    if args.check and formatted != source:
        print(t["would"].format(path="<stdin>"), file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _refusal(e: Exception, path: str):
    """The formatter declined: the file stays as it is, and the refusal is a located diagnostic
    saying why (a layout it cannot prove keeps the meaning, or nesting too deep)."""
    from ..diagnostics import Diagnostic, Span
    from ..syntax.format import InternalFormatError, NestingTooDeep

    if isinstance(e, NestingTooDeep):
        why = ("花括号嵌套过深", "blocks are nested too deep")
    elif isinstance(e, InternalFormatError):
        why = ("整理后含义会改变", str(e))
    else:  # a failure of the formatter itself: still a refusal, with what failed
        why = ("整理失败", f"{type(e).__name__}: {e}")
    where = getattr(e, "where", None)
    span = Span.point(path, where.line, where.column) if where is not None else Span.point(path, 1, 1)
    return Diagnostic("P0110", span, {"why": why[0], "why_en": why[1]})


def _shown(diagnostics, path: str, source: str, lang: str) -> str:
    """The diagnostics as printed, each with its source line."""
    from ..diagnostics import format_all

    texts = {path: source.lstrip("\ufeff").replace("\r\n", "\n")}
    return "".join(text + "\n" for text in format_all(diagnostics, texts, lang))


def _unified_diff(before: str, after: str, path: str) -> str:
    out = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    lines = []
    for line in out:
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)
