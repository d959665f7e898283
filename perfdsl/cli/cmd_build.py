"""`perfdsl build FILE|DIR …` (the documents) and `perfdsl templates export DIR` (the built-in
templates, copied out for a unit to adapt)."""

from __future__ import annotations

import argparse
import os
import sys

from .commands import add_parser
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    add_lang,
    add_output_options,
    files_of,
    formats_of,
    options_refused,
    render_options,
    say,
)


def register(subparsers) -> None:
    p = add_parser(subparsers, "build")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    add_output_options(p)
    p.add_argument("-j", "--jobs", type=int, default=0, help="并行数（默认：CPU 核数）")
    p.add_argument(
        "--form",
        default="报告",
        metavar="FORMS",
        help="生成哪些文书，逗号分隔：申报表,监控表,自评表,报告（默认 报告：评价报告与自评表工作簿）",
    )
    p.set_defaults(handler=run_build)

    p = add_parser(subparsers, "templates")
    p.add_argument("action", choices=("export",))
    p.add_argument("directory", metavar="DIR")
    add_lang(p)
    p.set_defaults(handler=run_templates)


def run_build(args: argparse.Namespace) -> int:
    if "site" in [f.strip() for f in args.to.split(",")]:
        return run_site(args)
    formats = formats_of(args)
    if formats is None:
        return EXIT_USAGE
    from ..render.forms import FORMS, forms_of

    forms, unknown = forms_of(args.form)
    if unknown or not forms:
        say(
            args,
            f"未知的文书 {','.join(unknown)}；可用：{','.join(FORMS)}",
            f"unknown form {','.join(unknown)}; known: {','.join(FORMS)}",
        )
        return EXIT_USAGE
    if options_refused(args):
        return EXIT_USAGE
    if args.output and os.path.exists(args.output) and not os.path.isdir(args.output):
        say(
            args,
            f"-o {args.output} 是已有的文件，不是目录：请给出输出目录",
            f"-o {args.output} is an existing file, not a folder: name an output folder",
        )
        return EXIT_USAGE
    files: list[tuple[str, str | None]] = []
    missing = False
    for arg in args.paths:  # each walked file keeps the folder it was found from: its place under -o
        found, absent = files_of(args, [arg])
        files += [(f, arg if os.path.isdir(arg) else None) for f in found]
        missing = missing or absent
    if not files:
        return EXIT_USAGE
    failed = False
    # Each file's result printed as soon as those before it are, then dropped.
    for r in _builds(files, formats, args.output, args.strict, render_options(args), args.jobs, forms, args.lang):
        if r.fragment:  # a shared fragment (no 项目 block): built as part of the files that include it
            failed = failed or r.errors > 0
            errors_zh = f"；有 {r.errors} 个错误，见 perfdsl check" if r.errors else ""
            errors_en = f"; it has {r.errors} errors: see perfdsl check" if r.errors else ""
            say(
                args,
                f"{r.source}: 没有「项目」块，是供其他文件引用的片段：随引用它的文件生成，不单独生成{errors_zh}",
                f"{r.source}: no 项目 block: a fragment for other files to include, built with them, not alone{errors_en}",
                prefix=False,
            )
            continue
        for problem in r.problems:
            print(problem, file=sys.stderr)
        if r.refused:
            failed = True
            say(
                args,
                f"{r.source}: 有错误，未生成任何文件（原有输出保持不变）",
                f"{r.source}: errors; nothing written (earlier outputs left as they were)",
                prefix=False,
            )
        elif r.error:
            failed = True
            en = r.error_en or r.error
            say(args, f"{r.source}: 生成失败：{r.error}", f"{r.source}: build failed: {en}", prefix=False)
        else:
            for o in r.outputs:
                print(o)
    return EXIT_ERRORS if failed or missing else EXIT_OK


def run_site(args: argparse.Namespace) -> int:
    """`build DIR --to site -o OUT`: the portfolio page (index.html) and every evaluation's HTML
    report in OUT, each in the folder its file has under DIR."""
    if [f.strip() for f in args.to.split(",")] != ["site"] or not args.output:
        say(
            args,
            "--to site 单独使用，并用 -o 指定网站目录",
            "--to site stands alone and needs -o OUT (the site's folder)",
        )
        return EXIT_USAGE
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        say(args, f"-o {args.output} 是文件，不是目录", f"-o {args.output} is a file, not a folder")
        return EXIT_USAGE
    from pathlib import Path

    from ..engine import new_run
    from ..engine import run as run_jobs
    from ..outputs import OutputError, prepare_folder, write_set
    from ..portfolio.site import render_index
    from ..portfolio.summary import SummaryJob, aggregate, summarize

    files: list[tuple[str, str | None]] = []
    for arg in args.paths:
        found, _ = files_of(args, [arg])
        files += [(f, arg if os.path.isdir(arg) else None) for f in found]
    if not files:
        return EXIT_USAGE
    run = new_run()
    summary = aggregate(list(run_jobs(summarize, [SummaryJob(f, None, run) for f, _ in files], args.jobs)))
    built = _builds(files, ("html",), args.output, False, render_options(args), args.jobs, ("报告",), args.lang)
    pages = {r.source: o for r in built if r.ok for o in r.outputs if o.endswith(".html")}
    out = Path(args.output)
    try:
        folder = prepare_folder(out, out)
        index = render_index(summary, pages, str(folder))
        write_set(folder, {"index.html": index.encode("utf-8")})
    except OutputError as e:
        say(args, e.zh, e.en)
        return EXIT_ERRORS
    say(
        args,
        f"已写入 {out / 'index.html'}（{len(summary.rows)} 个评价，{len(pages)} 份报告）",
        f"wrote {out / 'index.html'} ({len(summary.rows)} evaluations, {len(pages)} reports)",
        prefix=False,
    )
    return EXIT_OK


def _builds(files: list[tuple[str, str | None]], formats, out_dir, strict: bool, options, jobs: int, forms, lang: str):
    """Each (file, folder whose walk found it or None) built on the engine — a process per core:
    pandoc and typst are the slow part —, the results in the files' order, with a progress bar
    on a terminal."""
    from ..engine import progress
    from ..engine import run as run_jobs
    from ..engine.build import BuildJob, build_one

    if len(files) > 1:
        from ..engine.check import prepare

        prepare(None, None)  # the parser and the rules made once, before the workers fork
    work = [BuildJob(f, walked, tuple(formats), out_dir, strict, options, tuple(forms), lang) for f, walked in files]
    return progress(run_jobs(build_one, work, jobs), len(work), "生成", True)


def run_templates(args: argparse.Namespace) -> int:
    import shutil
    from pathlib import Path

    from ..resources import templates_dir

    target = Path(args.directory)
    source = templates_dir()
    copied = []
    for f in sorted(source.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".py":
            dest = target / f.relative_to(source)
            if dest.exists():
                say(args, f"{dest} 已存在，未覆盖", f"{dest} exists; not overwritten")
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
            copied.append(str(dest))
    say(
        args,
        f'已复制 {len(copied)} 个模板文件到 {target}；在 .perf 的「项目」中写 模板目录 "{target}"，或用 --templates {target}',
        f'copied {len(copied)} template files to {target}; name them with 模板目录 "{target}" in 项目, or --templates {target}',
        stream=sys.stdout,
        prefix=False,
    )
    return EXIT_OK
