"""`perfdsl build FILE|DIR …` (the documents) and `perfdsl templates export DIR` (the built-in
templates, copied out for a unit to adapt)."""

from __future__ import annotations

import argparse
import sys

from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    add_lang,
    add_output_options,
    files_of,
    formats_of,
    print_loaded,
    render_options,
    say,
)


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="生成评价报告（DOCX/PDF/HTML/Markdown）与自评表（XLSX）")
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

    p = subparsers.add_parser("templates", help="模板：export DIR 把内置模板复制出来，供单位修改")
    p.add_argument("action", choices=("export",))
    p.add_argument("directory", metavar="DIR")
    add_lang(p)
    p.set_defaults(handler=run_templates)


def run_build(args: argparse.Namespace) -> int:
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
    files, missing = files_of(args, args.paths)
    if not files:
        return EXIT_USAGE
    from .progress import run_builds

    results = run_builds(files, formats, args.output, args.strict, render_options(args), args.jobs, forms)
    failed = False
    for r in results:
        if r.loaded is not None and r.loaded.evaluation is not None and r.loaded.evaluation.is_fragment:
            continue  # a shared fragment (no 项目 block): built as part of the files that include it
        if r.loaded is not None:
            print_loaded(r.loaded, args.lang)
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
            say(args, f"{r.source}: 生成失败：{r.error}", f"{r.source}: build failed: {r.error}", prefix=False)
        else:
            for o in r.outputs:
                print(o)
    return EXIT_ERRORS if failed or missing else EXIT_OK


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
