"""The perfdsl command: a thin layer that parses arguments, calls the library and prints.

Subcommands import what they need when they run, so `perfdsl check` starts without loading the
rendering stack."""

from __future__ import annotations

import argparse
import json
import sys

from .. import __version__
from .common import add_output_options, formats_of, render_options

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfdsl", description="项目支出绩效评价：一次写成数据，自动计算、检查并生成报告。")
    parser.add_argument("--version", action="version", version=f"perfdsl {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="检查 .perf 文件（语法、单位、分值、陈述数字与计算值）")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="警告也视为失败")
    p.add_argument("--select", metavar="CODES", help="只运行这些审核规则：代码或前缀，逗号分隔（如 R010,R02）")
    p.add_argument("--ignore", metavar="CODES", help="不运行这些审核规则：代码或前缀，逗号分隔")
    _add_common(p)

    p = sub.add_parser("score", help="计算得分（自评表与评价指标体系）")
    p.add_argument("path", metavar="FILE")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_common(p)

    p = sub.add_parser("explain", help="逐项说明每个数字的算法与每一处失分的原因")
    p.add_argument("path", metavar="FILE")
    _add_common(p)

    p = sub.add_parser("new", help="生成一个起始 .perf 文件")
    p.add_argument("path", nargs="?", default="evaluation.perf", metavar="FILE")
    p.add_argument("--force", action="store_true", help="覆盖已有文件")

    p = sub.add_parser("build", help="生成评价报告（DOCX/PDF/HTML/Markdown）与自评表（XLSX）")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    add_output_options(p)
    p.add_argument("-j", "--jobs", type=int, default=0, help="并行数（默认：CPU 核数）")

    p = sub.add_parser("templates", help="模板：export DIR 把内置模板复制出来，供单位修改")
    p.add_argument("action", choices=("export",))
    p.add_argument("directory", metavar="DIR")

    p = sub.add_parser("rulesets", help="列出可用的评价规则")
    for module in _feature_modules():
        module.register(sub)
    return parser


# Commands that live in their own modules (perfdsl/cli/cmd_<name>.py): each offers
# register(subparsers), adding its parser with set_defaults(handler=function(args) -> exit code).
FEATURE_COMMANDS = ("fmt", "diff", "watch", "serve", "lsp", "rules")


def _feature_modules():
    import importlib

    for name in FEATURE_COMMANDS:
        try:
            yield importlib.import_module(f"perfdsl.cli.cmd_{name}")
        except ModuleNotFoundError as e:
            if e.name != f"perfdsl.cli.cmd_{name}":
                raise


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler = getattr(args, "handler", None) or globals()["cmd_" + args.command.replace("-", "_")]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _print_diagnostics(loaded_list, lang: str, stream=sys.stderr) -> None:
    from ..diagnostics import format_text

    for loaded in loaded_list:
        sources = {k: v.splitlines() for k, v in loaded.sources.items()}
        for d in loaded.diagnostics:
            print(format_text(d, sources, lang), file=stream)


def _summary(loaded_list, lang: str) -> str:
    from ..diagnostics import Severity

    counts = {s: sum(1 for l in loaded_list for d in l.diagnostics if d.severity == s) for s in Severity}
    files = len(loaded_list)
    if lang == "zh":
        return f"检查了 {files} 个文件：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，{counts[Severity.INFO]} 个提示"
    return f"checked {files} files: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} notes"


def _load_all(paths: list[str], lint=None):
    from ..loader import load, perf_files

    files, missing = perf_files(paths)
    return [load(f, lint=lint) for f in files], missing


def cmd_check(args) -> int:
    from ..diagnostics import has_errors, to_json
    from ..lint import LintConfig, SelectorError

    try:
        lint = LintConfig.from_cli(args.select, args.ignore)
    except SelectorError as e:
        print(f"perfdsl: {e.message(args.lang)}", file=sys.stderr)
        return EXIT_USAGE
    loaded, missing = _load_all(args.paths, lint)
    for m in missing:
        print(f"perfdsl: 找不到 {m}" if args.lang == "zh" else f"perfdsl: no such file or folder: {m}", file=sys.stderr)
    if missing and not loaded:
        return EXIT_USAGE
    if args.format == "json":
        print(to_json([d for l in loaded for d in l.diagnostics], args.lang))
    else:
        _print_diagnostics(loaded, args.lang, sys.stdout)
        print(_summary(loaded, args.lang), file=sys.stderr)
    failed = any(has_errors(l.diagnostics, args.strict) for l in loaded)
    return EXIT_ERRORS if failed or missing else EXIT_OK


def _load_one(path: str, lang: str):
    """Load one file for a command that needs a clean evaluation; print its problems."""
    import os

    from ..loader import load

    if not os.path.isfile(path):
        print(f"perfdsl: 找不到文件 {path}" if lang == "zh" else f"perfdsl: no such file: {path}", file=sys.stderr)
        return None, EXIT_USAGE
    loaded = load(path)
    if not loaded.ok or loaded.evaluation is None:
        _print_diagnostics([loaded], lang)
        return None, EXIT_ERRORS
    return loaded, EXIT_OK


def cmd_score(args) -> int:
    loaded, status = _load_one(args.path, args.lang)
    if loaded is None:
        return status
    from ..score.export import scorecard_data

    data = scorecard_data(loaded.evaluation, loaded.scorecard)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_score_text(data))
    return EXIT_OK


def _score_text(data: dict) -> str:
    from .textable import table

    out = []
    project = data.get("project") or {}
    out.append(f"{project.get('name') or data['file']}  （评价规则 {data['ruleset']}）")
    funds = data["funds"]
    if funds.get("execution_rate"):
        out.append(f"预算执行率 {funds['execution_rate']}%   资金到位率 {funds.get('arrival_rate') or '—'}%")
    for key in ("self_evaluation", "evaluation"):
        tree = data.get(key)
        if not tree:
            continue
        out.append("")
        out.append(f"{tree['title']}：总分 {tree['total']}，等级「{tree['grade']}」")
        rows = [["指标", "分值", "得分", "完成率"]]
        for item in tree["items"]:
            name = "  " * (item["level"] - 1) + item["path"][-1]
            completion = f"{item['completion']}%" if item["completion"] else ""
            rows.append([name, item["weight"] or "", item["score"] or "—", completion])
        rows.append(["合计", tree["weight_total"], tree["total"], ""])
        out.append(table(rows, {1, 2, 3}))
        if tree["overall_completion"]:
            out.append(f"总体完成率 {tree['overall_completion']}%，偏差率 {tree['deviation']}%；"
                       f"指标量化率 {(tree['quantified_rate'] + '%') if tree['quantified_rate'] else '—'}；满分指标 {tree['full_marks_count']}/{tree['indicator_count']}")
    return "\n".join(out)


def cmd_explain(args) -> int:
    loaded, status = _load_one(args.path, args.lang)
    if loaded is None:
        return status
    from ..score.explain import explain

    sys.stdout.write(explain(loaded.evaluation, loaded.scorecard))
    return EXIT_OK


def cmd_new(args) -> int:
    import os

    from ..atomic import atomic_write_text
    from ..resources import templates_dir

    if os.path.exists(args.path) and not args.force:
        print(f"perfdsl: {args.path} 已存在（用 --force 覆盖）", file=sys.stderr)
        return EXIT_ERRORS
    atomic_write_text(args.path, (templates_dir() / "starter.perf").read_text(encoding="utf-8"))
    print(f"已生成 {args.path}：填写后运行 perfdsl check {args.path}")
    return EXIT_OK


def cmd_build(args) -> int:
    formats = formats_of(args)
    if formats is None:
        return EXIT_USAGE
    from ..loader import perf_files

    files, missing = perf_files(args.paths)
    for m in missing:
        print(f"perfdsl: 找不到 {m}", file=sys.stderr)
    if not files:
        return EXIT_USAGE
    from .progress import run_builds

    results = run_builds(files, formats, args.output, args.strict, render_options(args), args.jobs)
    failed = False
    for r in results:
        if r.loaded is not None and r.loaded.evaluation is not None and r.loaded.evaluation.is_fragment:
            continue  # a shared fragment (no 项目 block): built as part of the files that include it
        if r.loaded is not None:
            _print_diagnostics([r.loaded], args.lang)
        if r.refused:
            failed = True
            print(f"{r.source}: 有错误，未生成任何文件（原有输出保持不变）", file=sys.stderr)
        elif r.error:
            failed = True
            print(f"{r.source}: 生成失败：{r.error}", file=sys.stderr)
        else:
            for o in r.outputs:
                print(o)
    return EXIT_ERRORS if failed or missing else EXIT_OK


def cmd_templates(args) -> int:
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
                print(f"perfdsl: {dest} 已存在，未覆盖", file=sys.stderr)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
            copied.append(str(dest))
    print(f"已复制 {len(copied)} 个模板文件到 {target}；在 .perf 的「项目」中写 模板目录 \"{target}\"，或用 --templates {target}")
    return EXIT_OK


def cmd_rulesets(args) -> int:
    from ..rules.ruleset import available_rulesets, load_ruleset

    for name in available_rulesets():
        r = load_ruleset(name)
        print(f"{name:20} {r.title}：{r.description}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
