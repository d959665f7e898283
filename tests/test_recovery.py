"""Every slip a clerk makes is reported in one run, each once, at its line: the parser resumes
after an error without echoing it into the lines that follow, and the layout slips (a unit apart
from its number, a keyword run into its value) are found even in a file with syntax errors."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from tests.conftest import EXAMPLES

# An indicator line with a numeric target and an actual: `采购设备数量 ≥ 10台 实际 10台 分值 20`.
INDICATOR = re.compile(r"^(\s+\S+\s+)(≥|≤|=|>=|<=|>|<)(\s*)(\d+(?:\.\d+)?)(\S*)(\s+实际\s+)(\d+(?:\.\d+)?)(\S*)")
# A line with a quoted reason: `偏差原因 "…"`.
REASON = re.compile(r'^(\s+偏差原因\s+)"([^"\n]+)"\s*$')


def _full_width_comparator(m):
    return f"{m[1]}＞＝{m[3]}{m[4]}{m[5]}{m[6]}{m[7]}{m[8]}"


def _thousands(m):
    return f"{m[1]}{m[2]}{m[3]}1,{int(float(m[4])):03d}{m[5]}{m[6]}{m[7]}{m[8]}"


def _unit_apart(m):
    unit = m[5] or "个"
    return f"{m[1]}{m[2]}{m[3]}{m[4]} {unit}{m[6]}{m[7]}{m[8]}"


def _keyword_run_in(m):
    return f"{m[1]}{m[2]}{m[3]}{m[4]}{m[5]}{m[6].rstrip()}{m[7]}{m[8]}"


INDICATOR_SLIPS = {
    "P0105": _full_width_comparator,
    "P0109": _thousands,
    "P0107": _unit_apart,
    "P0108": _keyword_run_in,
}
REASON_SLIPS = {
    "P0105": lambda m: f"{m[1]}“{m[2]}”",  # Chinese quotation marks
    "P0104": lambda m: f'{m[1]}"{m[2]}',  # the closing quote forgotten
}


def _slippable(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines, [
        (i, kind)
        for i, line in enumerate(lines)
        for kind, rx in (("indicator", INDICATOR), ("reason", REASON))
        if rx.match(line)
    ]


FILES = {p.stem: _slippable(p) for p in sorted(EXAMPLES.glob("*.perf"))}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(FILES)), st.data())
def test_every_slip_is_reported_once_at_its_line(stem, data):
    lines, candidates = FILES[stem]
    chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=5, unique_by=lambda c: c[0]))
    bad = list(lines)
    made = {}
    for i, kind in chosen:
        slips = INDICATOR_SLIPS if kind == "indicator" else REASON_SLIPS
        code = data.draw(st.sampled_from(sorted(slips)), label=f"slip on line {i + 1}")
        rx = INDICATOR if kind == "indicator" else REASON
        m = rx.match(bad[i])
        bad[i] = slips[code](m) + bad[i][m.end() :]
        made[i + 1] = code
    loaded = load(f"{stem}.perf", "\n".join(bad) + "\n")
    errors = [d for d in loaded.diagnostics if d.severity.value == "error"]
    assert sorted(d.span.line for d in errors) == sorted(made), [(d.code, d.span.line) for d in errors]
    assert {d.span.line: d.code for d in errors} == made


def test_four_slips_of_the_starter_in_one_run():
    text = (EXAMPLES / "starter.perf").read_text(encoding="utf-8")
    text = text.replace('项目 "某某项目"', "项目 “某某项目”", 1)
    text = text.replace("≥ 10台 实际", "＞＝ 10台 实际", 1)
    text = text.replace("≥ 12次 实际", "≥ 1,200次 实际", 1)
    text = text.replace("≥ 95% 实际", "≥ 95 % 实际", 1)
    errors = [d for d in load("starter.perf", text).diagnostics if d.severity.value == "error"]
    assert [d.code for d in errors] == ["P0105", "P0105", "P0109", "P0107"]
    assert "≥ 或 >=" in errors[1].args["hint"] and errors[2].args["joined"] == "1200次"


def test_a_unit_apart_in_the_funds_block_is_one_p0107():
    text = '项目 "甲" {\n  年度 2024\n}\n资金 {\n  全年预算数 20 万元\n  全年执行数 19.2万元\n  来源 "当年财政拨款" { 全年预算数 20 万元 }\n}\n'
    loaded = load("x.perf", text)
    errors = [(d.code, d.span.line) for d in loaded.diagnostics if d.severity.value == "error"]
    assert errors == [("P0107", 5), ("P0107", 7)]
    # a field name after a number on the same line is a field, not a unit
    assert not [d for d in load("y.perf", '项目 "甲" { 年度 2024 实施单位 "乙" }\n').diagnostics if d.code == "P0107"]


def test_a_brace_left_open_still_stops_the_echo():
    """After a block left open everything is read in the wrong block: one diagnostic, not one
    per line that follows."""
    text = (EXAMPLES / "starter.perf").read_text(encoding="utf-8")
    text = text.replace('  支出 "运行维护" 7.2万元\n}', '  支出 "运行维护" 7.2万元\n', 1)
    errors = [d for d in load("x.perf", text).diagnostics if d.severity.value == "error"]
    assert len(errors) == 1 and "没有闭合" in errors[0].args.get("hint", "")
