"""The rules never crash and always locate their findings, whatever the file: every input of the
bad-input corpus, fragments, empty trees, files without funds or narrative."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from tests.conftest import ROOT

BAD = sorted((ROOT / "tests" / "bad_inputs").glob("*.perf")) + sorted(
    (ROOT / "tests" / "bad_inputs").glob("*/main.perf")
)

ODD = {
    "empty-tree": "自评表 {\n}\n",
    "group-without-leaves": "自评表 {\n  产出 {\n    数量 {\n    }\n  }\n}\n",
    "project-only": '项目 "x" {\n  年度 2023\n}\n',
    "funds-only": "资金 {\n  全年预算数 0万元\n  全年执行数 0万元\n}\n",
    "zero-target": "自评表 {\n  产出 {\n    数量 {\n      a ≥ 0次 实际 0次 分值 100\n    }\n  }\n}\n",
    "no-weights": '自评表 {\n  产出 {\n    数量 {\n      a ≥ 5次 实际 0次\n      b 定性 "有效提升" 实际 "基本"\n    }\n  }\n}\n',
    "huge-numbers": "自评表 {\n  产出 {\n    数量 {\n      a ≥ 1次 实际 99999999999999999999999999999999次 分值 100\n    }\n  }\n}\n",
    "narrative-only": '正文 "评价结论" """\n总分为100分，评级为“优”，预算执行率100%。\n"""\n',
}


def _check(loaded):
    lines = {f: text.split("\n") for f, text in loaded.texts.items()}
    for d in loaded.diagnostics:
        if d.code.startswith("R"):
            assert d.span is not None and d.span.line >= 1 and d.span.column >= 1, d
            assert d.span.file in lines and d.span.line <= len(lines[d.span.file]), d
            assert d.message("zh") and d.message("en")


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.parent.name if p.name == "main.perf" else p.stem)
def test_bad_inputs(path: Path):
    _check(load(str(path)))


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_files(name):
    _check(load(f"{name}.perf", ODD[name]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.. 元万亿x１２", max_size=40))
def test_amounts_found_as_the_plain_pattern_finds_them(text):
    """R027's pattern is written digit first for speed: it finds what the plain one finds — a
    figure and its unit, starting only where a run of digits starts."""
    import re

    from perfdsl.lint.rules.r027_inputs_as_goals import _AMOUNT

    plain = re.compile(r"(?<!\d)\d+(?:\.\d+)?\s*(?:亿元|万元|元)")
    assert [m.span() for m in _AMOUNT.finditer(text)] == [m.span() for m in plain.finditer(text)]
