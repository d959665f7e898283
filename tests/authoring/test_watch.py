"""`perfdsl watch`: a save rebuilds the outputs; a bad save keeps the last good ones."""

from __future__ import annotations

import os
import threading
import time

import pytest

from perfdsl.authoring.watch import Watcher

from .helpers import FIXTURES, perfdsl, seed_text, with_actual


def wait_for(predicate, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


class Running:
    """A watcher in a thread, stoppable, recording every build result."""

    def __init__(self, paths, formats=("md",), **kwargs):
        self.results = []
        self.stop = threading.Event()
        self.watcher = Watcher([str(p) for p in paths], formats, on_result=self.results.append, **kwargs)
        self.thread = threading.Thread(target=self.watcher.run, kwargs={"stop_event": self.stop}, daemon=True)

    def __enter__(self):
        self.thread.start()
        assert wait_for(lambda: self.results), "no first build"
        assert self.watcher.watching.wait(10), "the file watcher did not start"
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the watch loop did not stop"

    def count(self) -> int:
        return len(self.results)


@pytest.fixture
def unit(tmp_path):
    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "perfdsl.toml").write_text("", encoding="utf-8")
    (folder / "hotline.perf").write_text(with_actual(seed_text(), "80"), encoding="utf-8")
    return folder


def test_save_rebuilds_and_bad_save_keeps_the_last_output(unit, capsys):
    f = unit / "hotline.perf"
    out = unit / "build" / "hotline.md"
    with Running([f], formats=("md", "xlsx")) as w:
        assert out.is_file() and "96.58" in out.read_text(encoding="utf-8")
        xlsx = unit / "build" / "hotline-评分表.xlsx"  # 附件1 only: no 自评表 in the name
        assert xlsx.is_file()
        n = w.count()
        f.write_text(with_actual(seed_text(), "90"), encoding="utf-8")
        assert wait_for(lambda: "96.69" in out.read_text(encoding="utf-8")), "the output was not rebuilt"
        assert wait_for(lambda: w.count() > n)
        assert wait_for(lambda: xlsx.stat().st_mtime_ns > 0)
        good = out.read_bytes()
        mtime = out.stat().st_mtime_ns

        n = w.count()
        f.write_text(f.read_text(encoding="utf-8").replace("项目 ", "项目 项目 ", 1), encoding="utf-8")
        assert wait_for(lambda: w.count() > n), "the bad save was not noticed"
        assert w.results[-1].refused
        assert out.read_bytes() == good and out.stat().st_mtime_ns == mtime  # the last good output stays
        assert not [p for p in os.listdir(unit / "build") if p.startswith(".")]  # no half-written file

        n = w.count()
        f.write_text(with_actual(seed_text(), "80"), encoding="utf-8")
        assert wait_for(lambda: "96.58" in out.read_text(encoding="utf-8"))
    err = capsys.readouterr().err
    assert "有错误，未生成任何文件（原有输出保持不变）" in err
    assert "hotline.perf:" in err  # the diagnostics, with where they are


def test_include_change_rebuilds_its_includer(unit):
    common = unit / "common"
    common.mkdir()
    (common / "background.perf").write_text('正文 "项目背景" """\n第一版背景。\n"""\n', encoding="utf-8")
    year = unit / "2024"
    year.mkdir()
    x = year / "x.perf"
    x.write_text(
        (FIXTURES / "diff" / "old.perf")
        .read_text(encoding="utf-8")
        .replace(
            '正文 "项目背景" """\n为保障业务正常开展，单位安排本项目。\n"""\n', '引用 "../common/background.perf"\n'
        ),
        encoding="utf-8",
    )
    out = year / "build" / "x.md"
    with Running([year]):
        assert "第一版背景" in out.read_text(encoding="utf-8")
        (common / "background.perf").write_text('正文 "项目背景" """\n第二版背景。\n"""\n', encoding="utf-8")
        assert wait_for(lambda: "第二版背景" in out.read_text(encoding="utf-8"))


def test_template_change_and_new_files(unit, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("第一版模板：{{ project.name }}\n", encoding="utf-8")
    from perfdsl.render.report import RenderOptions

    out_dir = tmp_path / "out"
    with Running([unit], options=RenderOptions(templates=templates), out_dir=str(out_dir)) as w:
        out = out_dir / "hotline.md"
        assert out.read_text(encoding="utf-8").startswith("第一版模板")
        (templates / "report.md.j2").write_text("第二版模板：{{ project.name }}\n", encoding="utf-8")
        assert wait_for(lambda: out.read_text(encoding="utf-8").startswith("第二版模板"))
        # A new evaluation in the watched folder is built too.
        (unit / "second.perf").write_text(seed_text(), encoding="utf-8")
        assert wait_for(lambda: (out_dir / "second.md").is_file())
        assert not w.stop.is_set()


def test_max_rounds_stops_the_loop(unit):
    f = unit / "hotline.perf"
    stop = threading.Event()
    w = Watcher([str(f)], ("md",))
    t = threading.Thread(target=w.run, kwargs={"stop_event": stop, "max_rounds": 1}, daemon=True)
    t.start()
    assert wait_for(lambda: (unit / "build" / "hotline.md").is_file())
    assert w.watching.wait(10)
    f.write_text(with_actual(seed_text(), "90"), encoding="utf-8")
    t.join(timeout=15)
    assert not t.is_alive() and w.rounds == 1 and stop.is_set()


def test_watch_usage_errors(tmp_path):
    assert perfdsl("watch", tmp_path / "missing.perf").returncode == 2
    assert perfdsl("watch", tmp_path, "--to", "odt").returncode == 2


def test_last_years_file_change_rebuilds(tmp_path):
    """The report prints 同比 figures from the file 上年评价 names: a change there rebuilds it."""
    import shutil

    root = tmp_path / "unit"
    shutil.copytree(FIXTURES / "years", root)
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    last = root / "2023" / "device.perf"
    out = root / "2024" / "build" / "device.md"
    with Running([root / "2024" / "device.perf"]) as w:
        before = out.read_text(encoding="utf-8")
        assert "8台" in before
        n = w.count()
        last.write_text(last.read_text(encoding="utf-8").replace("实际 8台", "实际 7台", 1), encoding="utf-8")
        assert wait_for(lambda: w.count() > n), "a change to last year's file did not rebuild"
        assert wait_for(lambda: "7台" in out.read_text(encoding="utf-8"))
