"""What every command shares: exit codes, the --lang option, saying things in the reader's
language, printing diagnostics, and the options of the commands that build documents.

Commands import the library inside their handlers, so that `perfdsl check` starts without loading
the rendering stack (and `perfdsl --help` without loading anything)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..loader import Loaded
    from ..render.report import RenderOptions

EXIT_OK = 0  # done; warnings only (unless --strict)
EXIT_ERRORS = 1  # the input has errors, or an output could not be written
EXIT_USAGE = 2  # the command line is wrong, or a file it names does not exist
EXIT_INTERRUPTED = 130  # Ctrl+C

LANGS = ("zh", "en")


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of messages (default zh)")


def say(args: argparse.Namespace, zh: str, en: str, *, stream: TextIO | None = None, prefix: bool = True) -> None:
    """A message to the user in their language (stderr unless told otherwise), prefixed with the
    command's name as every command-line tool does."""
    text = zh if getattr(args, "lang", "zh") == "zh" else en
    if prefix:
        text = f"perfdsl {args.command}: {text}" if getattr(args, "command", None) else f"perfdsl: {text}"
    print(text, file=stream or sys.stderr, flush=True)


def print_diagnostics(
    diagnostics: list[Diagnostic], texts: dict[str, str], lang: str, stream: TextIO | None = None, rewrite=None
) -> None:
    """Each diagnostic as `file:line:col: severity[CODE]: message`, with its source line (from
    `texts`, file → text) and hint. `rewrite` adjusts each printed block (diff of a revision
    names the file as of that revision)."""
    from ..diagnostics import format_all

    out = stream or sys.stderr
    for text in format_all(diagnostics, texts, lang):
        print(rewrite(text) if rewrite else text, file=out)


def print_loaded(loaded: Loaded, lang: str, stream: TextIO | None = None, rewrite=None) -> None:
    print_diagnostics(loaded.diagnostics, loaded.texts, lang, stream, rewrite)


def load_one(args: argparse.Namespace, path: str) -> tuple[Loaded | None, int]:
    """One file, loaded for a command that needs a clean evaluation; its problems printed."""
    import os

    from ..loader import load

    if not os.path.isfile(path):
        say(args, f"找不到文件 {path}", f"no such file: {path}")
        return None, EXIT_USAGE
    loaded = load(path)
    if not loaded.ok or loaded.evaluation is None:
        print_loaded(loaded, args.lang)
        return None, EXIT_ERRORS
    return loaded, EXIT_OK


def files_of(args: argparse.Namespace, paths: list[str]) -> tuple[list[str], bool]:
    """The .perf files the paths name (folders walked through the project's door), and whether
    an argument named nothing; each problem said."""
    from ..project import perf_files

    files, missing, skipped = perf_files(paths)
    for m in missing:
        say(args, f"找不到 {m}", f"no such file or folder: {m}")
    if skipped:
        print_diagnostics(skipped, {}, args.lang)
    return files, bool(missing)


class JsonList:
    """`{"format_version": 1, "<key>": [...]}` on standard output, written item by item as the
    results of a folder come (each item already dumped with indent=2): the same text as
    json.dumps(document, indent=2), without holding the document."""

    def __init__(self, key: str):
        self.first = True
        sys.stdout.write(f'{{\n  "format_version": 1,\n  "{key}": [')

    def add(self, items: list[str]) -> None:
        if items:  # one write a file: every write is screened for control characters
            sys.stdout.write(
                ("\n" if self.first else ",\n") + ",\n".join("    " + b.replace("\n", "\n    ") for b in items)
            )
            self.first = False

    def close(self) -> None:
        sys.stdout.write("]\n}\n" if self.first else "\n  ]\n}\n")


# ---------------------------------------------------------------- the cache of results


def add_cache_options(p: argparse.ArgumentParser) -> None:
    """The options of the commands that run over folders on the engine: cache, cores, executor."""
    p.add_argument("--cache-dir", metavar="DIR", help="结果缓存的目录（默认：所查目录下的 .perfdsl-cache/）")
    p.add_argument("--no-cache", action="store_true", help="不读也不写缓存，全部重新计算")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认每核一个；1 为单进程）")
    p.add_argument("--executor", choices=("local", "dask"), default="local", help="在本机或 Dask 集群上运行")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址（如 tcp://10.0.0.5:8786）")


def cache_folder(args: argparse.Namespace, files: list[str]) -> str | None:
    """The cache folder for this run (None: --no-cache)."""
    if args.no_cache or not files:
        return None
    from ..engine.cache import code_stamp, default_folder

    code_stamp()  # once, before the workers start: they inherit it
    if args.cache_dir:
        return str(Path(args.cache_dir).resolve())
    return str(default_folder(list(args.paths)).resolve())


def dispatch(job, jobs: list, files: list[str], cache_dir: str | None, args: argparse.Namespace, prepare=None):
    """The jobs on the engine as the options ask (cores, executor), with the cache the few files
    changed last started first (likely the ones it cannot answer: engine.cache.newest): the
    results as `started` gives them, (results, refused). `prepare()`: what every file's job needs
    (the parser, the rules), made once here before the workers fork when every file will be
    worked — without the cache; with it, most files are answered from it and need none of it, and
    a worker that meets a changed file makes it itself. `forking`: whether workers will fork
    from this process (in one process, or with Dask's, only what every file needs is made ahead).
    Then the collector is tuned (what is loaded so far frozen: shared by the workers, never
    scanned again)."""
    from ..engine import cores, processes_for, tune_gc
    from ..engine import run as run_jobs

    if prepare is not None and len(files) > 1 and cache_dir is None:
        prepare(forking=args.executor == "local" and processes_for(args.jobs, len(files)) > 1)
    tune_gc()

    first: list[int] = []
    if cache_dir is not None and len(files) > 1 and args.executor == "local":  # Dask schedules its own
        from ..engine.cache import newest

        first = newest(files, 2 * cores())
    return started(run_jobs(job, jobs, args.jobs, args.executor, args.scheduler, first=first), args)


def started(results, args: argparse.Namespace):
    """The engine's results with the first one taken, so that an executor that cannot run (dask
    missing, no scheduler) is said before anything is printed: (results, refused)."""
    import itertools

    from ..engine import ExecutorError

    try:
        first = next(results)
    except StopIteration:
        return iter(()), False
    except ExecutorError as e:
        say(args, str(e), str(e))
        return iter(()), True
    return itertools.chain([first], results), False


# ---------------------------------------------------------------- building documents


def add_output_options(p: argparse.ArgumentParser, default_formats: str = "docx,xlsx") -> None:
    p.add_argument(
        "--to", default=default_formats, help=f"输出格式，逗号分隔：docx,pdf,html,xlsx,md（默认 {default_formats}）"
    )
    p.add_argument("-o", "--output", metavar="OUTDIR", help="输出目录（默认：各文件旁的 build/）")
    p.add_argument("--strict", action="store_true", help="有警告也不生成")
    p.add_argument("--templates", metavar="DIR", help="单位自己的模板目录（优先于内置模板）")
    p.add_argument("--reference-docx", metavar="FILE", help="单位自己的 Word 样式文档")
    add_lang(p)


def formats_of(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The formats asked for, or None (after saying why) when one is unknown."""
    from ..render.build import FORMATS

    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        say(
            args,
            f"未知的输出格式 {','.join(unknown)}；可用：{','.join(FORMATS)}",
            f"unknown output format {','.join(unknown)}; known: {','.join(FORMATS)}",
        )
        return None
    return formats


def render_options(args: argparse.Namespace) -> RenderOptions:
    from ..render.report import RenderOptions

    return RenderOptions(
        templates=Path(args.templates).resolve() if getattr(args, "templates", None) else None,
        reference_docx=Path(args.reference_docx).resolve() if getattr(args, "reference_docx", None) else None,
    )


def options_refused(args: argparse.Namespace) -> bool:
    """Whether --templates or --reference-docx names something the build cannot use (said)."""
    from ..project import Reason, read_docx

    templates = getattr(args, "templates", None)
    if templates and not Path(templates).is_dir():
        say(args, f"--templates {templates} 不是目录", f"--templates {templates} is not a folder")
        return True
    reference = getattr(args, "reference_docx", None)
    if reference:
        _, refusal = read_docx(reference)
        if refusal is not None:
            why = {
                Reason.MISSING: ("文件不存在", "no such file"),
                Reason.SPECIAL: ("不是普通文件", "not a regular file"),
                Reason.TOO_LARGE: ("文件过大", "the file is too large"),
                Reason.NOT_DOCX: ("不是可用的 Word 文档", "not a usable Word document"),
            }.get(refusal.reason, (refusal.detail, refusal.detail))
            say(args, f"--reference-docx {reference}：{why[0]}", f"--reference-docx {reference}: {why[1]}")
            return True
    return False
