"""The engine: a folder checked on every core gives what one process gives, in the same order,
and the streamed JSON is the document `to_json` writes."""

from __future__ import annotations

import json

from perfdsl.cli.main import main
from perfdsl.diagnostics import json_document, json_items, to_json
from perfdsl.engine import run
from perfdsl.loader import load
from tests.conftest import EXAMPLES, examples_folder


def _square(n: int) -> int:
    return n * n


def test_results_come_back_in_the_order_of_the_items():
    assert list(run(_square, range(200), jobs=2)) == [n * n for n in range(200)]
    assert list(run(_square, [3], jobs=4)) == [9]
    assert list(run(_square, [], jobs=4)) == []


def _started(n: int) -> tuple[int, float]:
    import time

    at = time.monotonic()  # the same clock in every process of the machine
    time.sleep(0.005)  # a job that takes time: a worker cannot run through the rest in a moment
    return n, at


def test_items_asked_for_first_start_first_and_still_come_back_in_order():
    results = list(run(_started, range(60), jobs=2, first=[50, 55, 99]))  # 99: no such item, ignored
    assert [n for n, _ in results] == list(range(60))
    started = dict(results)
    assert started[50] < started[30] and started[55] < started[30]  # in their place, 30 starts long before


def test_the_newest_files_are_found_by_their_time(tmp_path):
    import os

    from perfdsl.engine.cache import newest

    paths = []
    for i, seconds in enumerate([13, 10, 15, 11, 14, 12]):
        f = tmp_path / f"{i}.perf"
        f.write_text("", encoding="utf-8")
        os.utime(f, ns=(0, seconds * 10**9))
        paths.append(str(f))
    assert newest(paths + [str(tmp_path / "gone.perf")], 2) == [2, 4]  # changed at 15 s, then 14 s


def test_a_folder_on_two_cores_prints_what_one_process_prints(tmp_path, capsys):
    folder = examples_folder(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        for fmt in ("text", "json"):
            code = main(["check", str(folder), "-j", jobs, "--format", fmt])
            out = capsys.readouterr()
            outputs.append((code, out.out, out.err))
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    document = json.loads(outputs[1][1])
    assert document["format_version"] == 1 and document["diagnostics"]


def test_the_streamed_json_is_the_document_to_json_writes():
    loaded = load(str(EXAMPLES / "12345-hotline-2023.perf"))
    assert json_document(json_items(loaded.diagnostics)) == to_json(loaded.diagnostics)
    assert json_document([]) == to_json([])


def test_the_progress_bar_never_changes_what_comes(monkeypatch):
    from perfdsl.engine import progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("perfdsl.engine._is_terminal", lambda: True)
    assert list(progress(iter(range(50)), 50, "检查", show=True)) == list(range(50))
    assert list(progress(iter(range(50)), 50, "检查", show=False)) == list(range(50))
