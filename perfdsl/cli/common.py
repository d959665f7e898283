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
