"""`perfdsl import FILE|DIR … [-o OUT] [--layout NAME] [--mapping FILE.toml] [--ruleset NAME]
[--format json]`: the 自评表 and 评分表 a unit already holds (XLSX, DOCX) as .perf files.

One evaluation and no -o: its text on standard output. `-o FILE.perf`: that file. `-o DIR`: a
file per evaluation, named after its project. Every cell that could not be placed is listed on
standard error and at the end of the file. Exit 0 when everything was placed, 1 when something
was left (or no evaluation table was found), 2 when a file could not be read."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .commands import add_parser
from .common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, add_lang, say

SUFFIXES = (".xlsx", ".xlsm", ".docx")


def register(subparsers) -> None:
    p = add_parser(subparsers, "import")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR", help=".xlsx 或 .docx 文件，或含有它们的目录")
    p.add_argument("-o", "--output", metavar="OUT", help="输出：一个 .perf 文件，或一个目录（每个评价一个文件）")
    p.add_argument("--layout", metavar="NAME", help="按指定的内置版式读取（默认自动识别）")
    p.add_argument("--mapping", metavar="FILE.toml", help="自己的版式映射文件（TOML）")
    p.add_argument("--ruleset", metavar="NAME", help="表格评分所依据的评价规则（写入 评价规则）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="报告格式")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="并行进程数（默认每核一个）")
    add_lang(p)
    p.set_defaults(handler=run)


def _inputs(paths: list[str]) -> tuple[list[Path], list[str]]:
    files, missing = [], []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not p.is_symlink():
            for folder, dirs, names in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in sorted(names):
                    f = Path(folder) / n
                    if (
                        n.lower().endswith(SUFFIXES)
                        and not n.startswith(("~$", "."))
                        and f.is_file()
                        and not f.is_symlink()
                    ):
                        files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            missing.append(raw)
    return files, missing


@dataclass(frozen=True)
class Imported:
    """One evaluation read from a table: its .perf text and what the report says of it (what a
    worker sends back — not the table or the draft, so that a folder of thousands of tables is
    read in the memory of its outputs)."""

    text: str
    project: str
    year: int | None
    where: tuple[str, ...]  # the sheets or tables it was read from
    indicators: int
    unplaced: tuple[tuple[str, str], ...]


def _one(task: tuple[Path, object]) -> tuple[Path, list[Imported] | None, tuple[str, str] | None]:
    """An engine job: one table file read."""
    from ..importers import ImportFailure, LayoutError, import_file

    path, options = task
    try:
        found = import_file(path, options)  # type: ignore[arg-type]
    except ImportFailure as e:
        return path, None, (e.zh, e.en)
    except LayoutError as e:
        return path, None, (f"版式无效：{e}", f"bad layout: {e}")
    imported = []
    for i in found:
        d = i.draft
        imported.append(Imported(i.text, d.project, d.year, tuple(d.where), d.indicator_count, tuple(d.unplaced)))
    return path, imported, None


def _file_name(project: str, year: int | None, taken: set[str]) -> str:
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", project).strip("._") or "evaluation"
    stem = stem[:80] + (f"-{year}" if year else "")
    name, n = f"{stem}.perf", 2
    while name in taken:
        name, n = f"{stem}-{n}.perf", n + 1
    taken.add(name)
    return name


def run(args: argparse.Namespace) -> int:
    from ..importers import ImportOptions, shipped
    from ..outputs import OutputError, prepare_folder, write_set

    if args.layout and args.layout not in shipped():
        say(
            args,
            f"没有版式 {args.layout}（可用：{'、'.join(shipped())}）",
            f"no layout {args.layout} (shipped: {', '.join(shipped())})",
        )
        return EXIT_USAGE
    files, missing = _inputs(args.paths)
    for m in missing:
        say(args, f"{m}: 文件不存在", f"{m}: no such file")
    if missing:
        return EXIT_USAGE
    options = ImportOptions(args.layout, Path(args.mapping) if args.mapping else None, args.ruleset)
    tasks = [(f, options) for f in files]
    from ..engine import progress
    from ..engine import run as run_jobs

    # Every table is read before anything is written: a set of outputs is written at once.
    results = list(progress(run_jobs(_one, tasks, args.jobs), len(tasks), "导入", True))

    zh = args.lang == "zh"
    report: dict = {"format_version": 1, "outputs": [], "errors": []}
    unreadable = left = False
    evaluations = [(path, imp) for path, imported, _ in results for imp in imported or []]
    out = Path(args.output) if args.output else None
    to_file = out is not None and out.suffix == ".perf"
    if to_file and len(evaluations) > 1:
        say(
            args, f"共 {len(evaluations)} 个评价，-o 须为目录", f"{len(evaluations)} evaluations: -o must name a folder"
        )
        return EXIT_USAGE
    if out is None and len(evaluations) > 1:
        say(
            args,
            f"共 {len(evaluations)} 个评价：用 -o 目录 写成各自的文件",
            f"{len(evaluations)} evaluations: name a folder with -o",
        )
        return EXIT_USAGE
    documents: dict[str, bytes] = {}
    taken: set[str] = set()
    for path, imported, failure in results:
        if failure is not None:
            unreadable = True
            report["errors"].append({"source": str(path), "message": failure[0 if zh else 1]})
            say(args, f"{path}: {failure[0]}", f"{path}: {failure[1]}")
            continue
        if not imported:
            left = True
            report["errors"].append(
                {"source": str(path), "message": "未找到评价表" if zh else "no evaluation table found"}
            )
            say(
                args,
                f"{path}: 未找到评价表（找的是含“三级指标”“分值/权重”等列名的表）",
                f"{path}: no evaluation table found (a table with columns such as 三级指标 and 分值/权重)",
            )
            continue
        for d in imported:
            name = out.name if to_file and out else _file_name(d.project, d.year, taken)
            target = out if to_file else (out / name) if out else None
            if target is not None:
                documents[str(target)] = d.text.encode("utf-8")
            for ref, text in d.unplaced:
                left = True
                flat = text.replace("\n", " ")
                say(args, f"{path}: {ref}: 未放置：{flat}", f"{path}: {ref}: not placed: {flat}")
            report["outputs"].append(
                {
                    "source": str(path),
                    "where": list(d.where),
                    "file": str(target) if target else None,
                    "project": d.project,
                    "year": d.year,
                    "indicators": d.indicators,
                    "unplaced": [{"ref": r, "text": t} for r, t in d.unplaced],
                }
            )
            if target is None:
                sys.stdout.write(d.text) if args.format == "text" else None
    try:
        by_folder: dict[Path, dict[str, bytes]] = {}
        for target_text, data in documents.items():
            target_path = Path(target_text)
            by_folder.setdefault(target_path.parent, {})[target_path.name] = data
        for folder, docs in by_folder.items():
            real = prepare_folder(folder, folder)
            write_set(real, docs)
            if args.format == "text":
                for n in docs:
                    say(args, f"已写入 {folder / n}", f"wrote {folder / n}")
    except OutputError as e:
        say(args, e.zh, e.en)
        return EXIT_ERRORS
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 2 if unreadable else EXIT_ERRORS if left else EXIT_OK
