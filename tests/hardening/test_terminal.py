"""What perfdsl prints is inert: control and reordering characters from a file are made visible
in every message, and exact output (fmt -) stays byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfdsl.terminal import visible

from .conftest import REPO, STARTER, vary

HOSTILE = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x08\x08\x08", "\u202e", "\u2066", "\x9b31m", "\r", "\x00"]


def _perfdsl(*args, cwd=None, stdin=None):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def _raw_controls(data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    return sorted({c for c in text if c != visible(c) and c not in "\n"})


@given(st.text())
def test_visible_leaves_nothing_unsafe_and_keeps_the_rest(text):
    out = visible(text)
    assert visible(out) == out
    assert all(c == visible(c) for c in out)
    if text == visible(text):
        assert out == text


@pytest.mark.parametrize("evil", HOSTILE)
@pytest.mark.parametrize(
    "place",
    [
        ('实施单位 "某某单位"', '实施单位 "某某{}单位"'),  # a value
        ("# 数字与单位连写", "# 数字与单位连写{}"),  # a comment
        ("实际 10台", "实际 10台{}"),  # a syntax error's excerpt
        ('项目负责人 "某某"', '项目负责人 "某某"\n  未知字段{} 1'),  # an unknown name
    ],
)
def test_check_prints_file_text_inert(project, evil, place):
    path = project("x.perf", vary(STARTER, place[0], place[1].format(evil)))
    for args in (["check", path], ["score", path], ["check", "--format", "json", path]):
        p = _perfdsl(*args)
        assert _raw_controls(p.stdout + p.stderr) == [], args


def test_file_names_are_inert(project):
    path = project("a\x1b[31m\u202eb.perf", STARTER)
    p = _perfdsl("check", project.root)
    assert "\x1b" not in (p.stdout + p.stderr).decode() and "\u202e" not in (p.stdout + p.stderr).decode()
    assert path.exists()


def test_diff_prints_inert(project):
    a = project("a.perf", STARTER)
    b = project("b.perf", vary(STARTER, '"某某项目"', '"某某\x1b[2J项目"'))
    p = _perfdsl("diff", a, b)
    assert _raw_controls(p.stdout + p.stderr) == []


def test_json_stays_json_and_keeps_the_characters(project):
    path = project("x.perf", vary(STARTER, '实施单位 "某某单位"', '实施单位 "某\u202e某"\n  未知字段 1'))
    p = _perfdsl("check", "--format", "json", path)
    data = json.loads(p.stdout)
    assert any("未知字段" in d["message"] for d in data["diagnostics"])


def test_fmt_to_standard_output_is_byte_for_byte(project):
    source = '# 注释\x1b[31m\n项目 "a\u202e" {}\n'.encode()
    p = _perfdsl("fmt", "-", stdin=source)
    assert b"\x1b[31m" in p.stdout and "\u202e".encode() in p.stdout
