"""`perfdsl score FILE|DIR …` (every figure; a folder's files on every core, in order) and
`perfdsl explain FILE` (each figure's formula, and why each point was lost)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from .commands import add_parser
from .common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    JsonList,
    add_cache_options,
    add_lang,
    cache_folder,
    dispatch,
    files_of,
    load_one,
)


def register(subparsers) -> None:
    p = add_parser(subparsers, "score")
    p.add_argument("paths", nargs="+", metavar="FILE|DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_cache_options(p)
    add_lang(p)
    p.set_defaults(handler=run_score)

    p = add_parser(subparsers, "explain")
    p.add_argument("path", metavar="FILE")
    add_lang(p)
    p.set_defaults(handler=run_explain)


def run_score(args: argparse.Namespace) -> int:
    if len(args.paths) > 1 or os.path.isdir(args.paths[0]):
        return _score_many(args)
    result = _through_the_cache(args, args.paths[0])
    if result is not None and result.data is None:  # a file with errors: its problems, as load_one prints them
        for block in result.problems:
            print(block, file=sys.stderr)
        return EXIT_ERRORS
    if result is not None:
        data = result.data
    else:  # not kept (--no-cache), or not a file
        loaded, status = load_one(args, args.paths[0])
        if loaded is None:
            return status
        from ..score.export import scorecard_data

        assert loaded.evaluation is not None and loaded.scorecard is not None  # load_one's promise
        data = scorecard_data(loaded.evaluation, loaded.scorecard)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_score_text(data))
    return EXIT_OK


def _through_the_cache(args: argparse.Namespace, path: str):
    """A file's ScoreResult through the result cache, as a folder's are (a file scored before and
    unchanged is answered without the parser or the model); None without a cache or for a path
    that is not a file."""
    if not os.path.isfile(path):
        return None
    cache_dir = cache_folder(args, [path])
    if cache_dir is None:
        return None
    from ..engine.score import ScoreJob, score_file

    return score_file(ScoreJob(path, args.lang, cache_dir))  # a file on its own: its perfdsl.toml found by the loader


def _score_many(args: argparse.Namespace) -> int:
    """Each file's figures, in the files' order, as `score FILE` prints them: in text one after
    another, under the file's name; in JSON as {"format_version": 1, "scores": [...]}. A file that
    cannot be scored has its problems printed (standard error) and fails the run."""
    from functools import partial

    from ..engine import new_run, progress
    from ..engine.check import prepare
    from ..engine.score import ScoreJob, score_file

    files, missing = files_of(args, args.paths)
    if missing and not files:
        return EXIT_USAGE
    cache_dir = cache_folder(args, files)
    run = new_run()
    jobs = [ScoreJob(f, args.lang, cache_dir, run) for f in files]
    results, refused = dispatch(score_file, jobs, files, cache_dir, args, partial(prepare, None, None))
    if refused:
        return EXIT_USAGE
    failed = False
    listing = JsonList("scores") if args.format == "json" else None
    for result in progress(results, len(jobs), "评分", args.format != "json" and not sys.stdout.isatty()):
        if result.data is None:
            failed = True
            sys.stderr.write("\n".join(result.problems) + "\n")
        elif listing is not None:
            listing.add([json.dumps(result.data, ensure_ascii=False, indent=2)])
        else:
            sys.stdout.write(f"== {result.path}\n{_score_text(result.data)}\n\n")
    if listing is not None:
        listing.close()
    return EXIT_ERRORS if failed or missing else EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    loaded, status = load_one(args, args.path)
    if loaded is None:
        return status
    from ..score.explain import explain

    assert loaded.evaluation is not None and loaded.scorecard is not None  # load_one's promise
    sys.stdout.write(explain(loaded.evaluation, loaded.scorecard))
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
            out.append(
                f"总体完成率 {tree['overall_completion']}%，偏差率 {tree['deviation']}%；"
                f"指标量化率 {(tree['quantified_rate'] + '%') if tree['quantified_rate'] else '—'}；满分指标 {tree['full_marks_count']}/{tree['indicator_count']}"
            )
    return "\n".join(out)
