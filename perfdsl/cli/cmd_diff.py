"""`perfdsl diff`: what changed between two versions of an evaluation, in figures.

    perfdsl diff OLD.perf NEW.perf          two files (two years of one project compare by indicator path)
    perfdsl diff REV [-- FILE…]             the files as of a git revision against the working tree
    perfdsl diff --textconv FILE            one line per figure, for git's diff driver
"""

from __future__ import annotations

import json
import os
import shutil
import sys

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diff", help="语义比较：指标、目标、实际值、分值、正文的改动，以及总分、小计、完成率、等级的变化和原因",
        description="perfdsl diff OLD NEW | perfdsl diff REV [-- FILE…] | perfdsl diff --textconv FILE")
    p.add_argument("args", nargs="*", metavar="OLD NEW | REV [-- FILE]")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--textconv", action="store_true",
                   help="输出一个文件的规范文本（每行一个数字），供 git 的 diff.perf.textconv 使用")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages (default zh)")
    p.set_defaults(handler=run)


def _say(lang: str, zh: str, en: str) -> None:
    print(f"perfdsl diff: {zh if lang == 'zh' else en}", file=sys.stderr)


def _print_diagnostics(loaded, lang: str, rewrite=lambda s: s) -> None:
    from ..diagnostics import format_text

    sources = {k: v.splitlines() for k, v in loaded.sources.items()}
    for d in loaded.diagnostics:
        print(rewrite(format_text(d, sources, lang)), file=sys.stderr)


def run(args) -> int:
    if args.textconv:
        if len(args.args) != 1:
            _say(args.lang, "--textconv 需要一个文件", "--textconv takes one file")
            return EXIT_USAGE
        return _textconv(args.args[0], args.lang)
    items = args.args
    if not items:
        _say(args.lang, "用法：perfdsl diff OLD NEW 或 perfdsl diff REV [-- FILE]",
             "usage: perfdsl diff OLD NEW or perfdsl diff REV [-- FILE]")
        return EXIT_USAGE
    if len(items) == 2 and all(os.path.isfile(a) for a in items):
        return _files(items[0], items[1], args)
    from ..authoring.gitrev import GitError, is_revision

    try:
        if not os.path.exists(items[0]) and is_revision(items[0]):
            return _revision(items[0], items[1:], args)
        if len(items) == 1 and os.path.isfile(items[0]) and is_revision("HEAD", os.path.dirname(items[0]) or "."):
            return _revision("HEAD", items, args)
    except GitError as e:
        _say(args.lang, str(e), str(e))
        return EXIT_USAGE
    for a in items:
        if not os.path.exists(a):
            _say(args.lang, f"找不到文件，也不是 git 版本：{a}", f"neither a file nor a git revision: {a}")
            return EXIT_USAGE
    _say(args.lang, "用法：perfdsl diff OLD NEW 或 perfdsl diff REV [-- FILE]",
         "usage: perfdsl diff OLD NEW or perfdsl diff REV [-- FILE]")
    return EXIT_USAGE


def _emit(diffs: list, args, notes: list[str]) -> None:
    from ..authoring.diff import FORMAT_VERSION, format_text

    if args.format == "json":
        print(json.dumps({"format_version": FORMAT_VERSION, "files": [d.to_data() for d in diffs]},
                         ensure_ascii=False, indent=2))
    else:
        sys.stdout.write("\n".join(format_text(d) for d in diffs))
    for n in notes:
        print(n, file=sys.stderr)


def _with_baseline(d, new_loaded, lang: str, notes: list[str]) -> None:
    """Attach the new file's 同比 figures (against the baseline it names) to the diff."""
    if d.year_over_year is not None or new_loaded is None:
        return
    from ..authoring.baseline import year_over_year
    from ..diagnostics import format_text

    result = year_over_year(new_loaded)
    if result.comparison is not None:
        d.year_over_year = result.comparison
    sources = {k: v.splitlines() for k, v in new_loaded.sources.items()}
    for diag in result.diagnostics:
        text = format_text(diag, sources, lang)
        d.notes.append(text)
        notes.append(text)


def _files(old_path: str, new_path: str, args) -> int:
    from ..authoring.diff import diff
    from ..loader import load

    old, new = load(old_path), load(new_path)
    bad = False
    for loaded in (old, new):
        if not loaded.ok or loaded.evaluation is None or loaded.evaluation.is_fragment:
            _print_diagnostics(loaded, args.lang)
            if loaded.ok:
                _say(args.lang, f"{loaded.path} 没有「项目」块，无法比较", f"{loaded.path} has no 项目 block")
            bad = True
    if bad:
        return EXIT_ERRORS
    d = diff(old, new, old_path, new_path)
    notes: list[str] = []
    _with_baseline(d, new, args.lang, notes)
    _emit([d], args, notes)
    return EXIT_OK


def _revision(rev: str, files: list[str], args) -> int:
    from ..authoring.diff import added_or_removed, diff
    from ..authoring.gitrev import changed_files, load_at, relative_to_top, toplevel
    from ..loader import load

    top = toplevel(files[0] if files else ".")
    if files:
        rels = []
        for f in files:
            if os.path.isdir(f):
                rels.extend(changed_files(rev, top, [relative_to_top(f, top)]))
            else:
                try:
                    rels.append(relative_to_top(f, top))
                except ValueError:
                    _say(args.lang, f"{f} 不在 git 仓库 {top} 之内", f"{f} is outside the repository {top}")
                    return EXIT_USAGE
    else:
        rels = changed_files(rev, top)
    diffs, notes, failed = [], [], False
    scratch: list[str] = []
    try:
        for rel in rels:
            here = top / rel
            shown = os.path.relpath(here)
            old = load_at(rev, rel, top, keep=scratch)
            new = load(shown) if here.is_file() else None
            if old.loaded is None and new is None:
                _say(args.lang, f"{rel} 在 {rev} 和工作区中都不存在", f"{rel} exists neither at {rev} nor in the working tree")
                failed = True
                continue
            problems = False
            for loaded, rewrite in ((old.loaded, old.shown), (new, lambda s: s)):
                if loaded is not None and (not loaded.ok or loaded.evaluation is None or loaded.evaluation.is_fragment):
                    _print_diagnostics(loaded, args.lang, rewrite)
                    problems = True
            if problems:
                failed = True
                continue
            if old.loaded is None:
                diffs.append(added_or_removed(new, shown, added=True))
            elif new is None:
                diffs.append(added_or_removed(old.loaded, old.label, added=False))
            else:
                d = diff(old.loaded, new, old.label, shown)
                _with_baseline(d, new, args.lang, notes)
                diffs.append(d)
    finally:
        for folder in scratch:
            shutil.rmtree(folder, ignore_errors=True)
    if not rels and args.format == "text":
        print(f"自 {rev} 以来没有改动的 .perf 文件" if args.lang == "zh" else f"no .perf file changed since {rev}")
    _emit(diffs, args, notes)
    return EXIT_ERRORS if failed else EXIT_OK


def _textconv(path: str, lang: str) -> int:
    from ..authoring.diff import textconv, without_includes
    from ..loader import load, read_source

    text, problem = read_source(path)
    if problem is not None:
        print(f"perfdsl diff: {problem.message(lang)}: {path}", file=sys.stderr)
        return EXIT_ERRORS
    alone, includes = without_includes(text, path)
    loaded = load(path, alone, lint=False)
    if loaded.ok and loaded.evaluation is not None and not loaded.evaluation.is_fragment:
        sys.stdout.write(textconv(loaded, includes))
        return EXIT_OK
    # git calls the driver on every version it shows: a version with errors (or a fragment) is
    # shown as its source, so the diff still works.
    sys.stdout.write("# perfdsl: 此版本无法计算（有错误或为片段文件），以下为原文\n" + text)
    return EXIT_OK
