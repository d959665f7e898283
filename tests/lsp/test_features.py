"""The features in-process (no server): completion contexts, hover, definitions, outline, quick
fixes, formatting edits, and robustness on every cut of a seed example."""

from __future__ import annotations

import re

import pytest
from lsprotocol import types

from perfdsl.lsp.analysis import analyze
from perfdsl.lsp.completion import complete
from perfdsl.lsp.definition import definition
from perfdsl.lsp.diagnostics import to_lsp
from perfdsl.lsp.fixes import fixes_for
from perfdsl.lsp.formatting import edits
from perfdsl.lsp.hover import hover
from perfdsl.lsp.positions import LineIndex
from perfdsl.lsp.scan import tokenize, walk
from perfdsl.lsp.symbols import document_symbols, folding_ranges
from tests.conftest import SEED_000, SEED_003
from tests.lsp.conftest import apply_edits

SEED = SEED_000.read_text(encoding="utf-8")
URI = SEED_000.as_uri()


@pytest.fixture(scope="module")
def seed():
    return analyze(URI, SEED, 1)


def at(text: str, marker: str) -> types.Position:
    """The position right after the first match of `marker` (a regex)."""
    m = re.search(marker, text)
    assert m, marker
    return LineIndex(text).position(m.end())


def labels(text: str, marker: str, analysis=None, **kw) -> list[str]:
    result = complete(text, at(text, marker), analysis, analysis, path=str(SEED_000), **kw)
    return [i.label for i in sorted(result.items, key=lambda i: i.sort_text)]


MINI = '项目 "x" {\n  年度 2023\n  评价规则 "caiyu-2020-10"\n}\n'


# ---------------------------------------------------------------- scan
def test_scan_knows_where_it_is():
    text = SEED
    offset = re.search(r"发送短信\s+≥ 285万条", text).start()
    toks = tokenize(text, offset)
    ctx = walk(toks)
    assert ctx.tree == "evaluation" and ctx.node_path == ("产出", "数量")
    ctx = walk(tokenize(text, re.search(r"全年执行数 226", text).start()))
    assert ctx.entry_path == ["资金"]
    half = '项目 "x" {\n  实施单位 "昌吉 {\n  年度 20'  # an unclosed string ends at its line
    assert walk(tokenize(half)).entry_path == ["项目"]


# ---------------------------------------------------------------- completion
def test_units_after_comparator_and_number(seed):
    got = labels(SEED, r"发送短信\s+≥ 285", seed)
    assert got[:3] and "万条" in got and "万元" in got and "%" in got
    got = labels(SEED, r"发送短信\s+≥ 285万条 实际 61\.99", seed)
    assert got[0] == "万条"  # the target's unit comes first


def test_units_follow_the_field(seed):
    text = MINI + "资金 {\n  全年预算数 239\n}\n"
    assert labels(text, "全年预算数 239")[:2] == ["万元", "元"]
    text = MINI + "资金 {\n  陈述执行率 94.79\n}\n"
    assert labels(text, "陈述执行率 94.79") == ["%"]


def test_after_a_weight_the_next_attributes(seed):
    got = labels(SEED, r"实际 61\.99万条 权重 3", seed)
    assert "偏差原因" in got and "万条" not in got


def test_keywords_chinese_first():
    text = MINI + "自评表 {\n  产出 {\n    数量 {\n      采购设备数量 \n    }\n  }\n}\n"
    got = labels(text, "采购设备数量 ")
    assert got.index("≥") < got.index("大于等于") < got.index(">=")
    assert got.index("定性") < got.index("qualitative")
    assert got.index("实际") < got.index("actual") and got.index("分值") < got.index("weight")


def test_standard_names_by_level():
    text = (
        MINI + "自评表 {\n  \n  产出 {\n    \n  }\n}\n评价指标体系 {\n  决策 {\n    项目立项 {\n      \n    }\n  }\n}\n"
    )
    top = set(labels(text, "自评表 \\{\n  "))
    assert {"效益", "满意度", "预算执行率"} <= top and "产出" not in top  # 产出 is already there
    assert {"数量", "质量", "时效", "成本"} <= set(labels(text, "产出 \\{\n    "))
    assert {"立项依据充分性", "立项程序规范性"} <= set(labels(text, "项目立项 \\{\n      "))


def test_names_defined_in_the_file_and_siblings_left_out():
    text = (
        MINI + "自评表 {\n  产出 {\n    数量 {\n      发送短信 ≥ 5万条 实际 5万条 分值 5\n    }\n  }\n}\n"
        "评价指标体系 {\n  产出 {\n    数量 {\n      \n    }\n    质量 {\n    }\n  }\n}\n"
    )
    got = labels(text, "评价指标体系 \\{\n  产出 \\{\n    数量 \\{\n      ")
    assert "发送短信" in got  # the same group of the other tree
    got = labels(text, "评价指标体系 \\{\n  产出 \\{\n    ")
    assert "数量" not in got and "质量" not in got and "时效" in got


def test_fields_of_the_block_without_those_already_given():
    text = MINI.replace("}\n", "  \n}\n")
    got = labels(text, 'caiyu-2020-10"\n  ')
    assert "实施单位" in got and "年度" not in got and "评价规则" not in got


def test_string_values():
    text = MINI.replace('"caiyu-2020-10"', '"')
    got = labels(text, '评价规则 "')
    assert "caiyu-2020-10" in got and "xinjiang-2018-189" in got
    got = labels(MINI + "正文 ", "正文 ")
    assert '"项目背景"' in got
    got = labels(MINI + "自评表 {\n  a ≥ 1次 实际 1次 分值 1 达成度 \n}\n", "达成度 ")
    assert got == ["达成", "部分达成", "未达成"]


def test_include_paths(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "制度.perf").write_text("", encoding="utf-8")
    text = MINI + '引用 "'
    result = complete(text, at(text, '引用 "'), None, None, path=str(tmp_path / "main.perf"))
    assert [i.label for i in result.items] == ["parts/制度.perf"]


def test_nothing_inside_comments_and_text_blocks():
    assert labels(MINI + "# 注释 ", "注释 ") == []
    assert labels(MINI + '正文 "项目背景" """\n  背景 ', "背景 ") == []


def test_completion_where_the_text_before_does_not_parse():
    text = '项目 "x" {\n  年度 ？？ 2023\n}\n自评表 {\n  产出 {\n    数量 {\n      指标 ≥ 12\n'
    assert "次" in labels(text, "指标 ≥ 12")
    assert "≥" in labels(text + "      另一个 ", "另一个 ")


# ---------------------------------------------------------------- hover
def test_hover_indicator_group_tree_funds(seed):
    def value(marker, shift=1):
        m = re.search(marker, SEED)
        pos = LineIndex(SEED).position(m.start() + shift)
        h = hover(SEED, pos, seed, seed)
        return h.contents.value if h else ""

    v = value(r"发送短信\s+≥ 285")
    assert "21.75%" in v and "0.65" in v and "≥ 285万条" in v and "61.99万条" in v and "偏差率" in v
    v = value(r"数量 权重 15")
    assert "12.65" in v and "15" in v and "3.00 + 3.00 + 0.65" in v
    v = value(r"成本 权重 10 得分 9")
    assert "评价组评定 9.00" in v
    v = value(r"评价指标体系 \{")
    assert "96.39" in v and "优" in v
    v = value(r"到位资金 239万元")
    assert "资金到位率" in v and "100.00%" in v and "到位资金/全年预算数" in v
    v = value(r"评价规则 \"xinjiang", 7)
    assert "新财预〔2018〕189号" in v
    assert value(r"\n\n项目 ", 2).startswith("**项目**")


def test_hover_from_the_last_good_analysis(seed):
    broken = SEED.replace("评价指标体系 {", "评价指标体系 { {{ ？", 1)
    current = analyze(URI, broken, 2)
    assert current.evaluation is None
    m = re.search(r"发送短信\s+≥ 285", broken)
    h = hover(broken, LineIndex(broken).position(m.start() + 1), current, seed)
    assert "0.65" in h.contents.value and "最近一次" in h.contents.value


# ---------------------------------------------------------------- definition, outline, folding
def test_definition_of_formula_names(seed):
    m = re.search(r"资金到位率\s+权重 4", SEED)
    (loc,) = definition(SEED, LineIndex(SEED).position(m.start() + 1), seed, seed, path=str(SEED_000))
    assert SEED.split("\n")[loc.range.start.line].strip().startswith("到位资金")
    text = MINI + "资金 {\n  全年预算数 10万元\n  全年执行数 9万元\n}\n自评表 {\n  x 公式 预算执行率 分值 10\n}\n"
    a = analyze("file:///tmp/f.perf", text, 1)
    (loc,) = definition(text, at(text, "公式 预算"), a, a, path="/tmp/f.perf")
    assert text.split("\n")[loc.range.start.line].strip() == "全年执行数 9万元"
    (loc,) = definition(text, at(text, '评价规则 "ca'), a, a, path="/tmp/f.perf")
    assert loc.uri.endswith("caiyu-2020-10.toml")


def test_outline_and_folding(seed):
    symbols = document_symbols(seed, seed)
    tree = next(s for s in symbols if s.name == "评价指标体系")
    decision = next(s for s in tree.children if s.name == "决策")
    assert decision.detail.startswith("小计 21.00")
    for s in symbols:
        assert s.range.start.line <= s.selection_range.start.line <= s.range.end.line
    folds = folding_ranges(SEED)
    assert any(f.kind == types.FoldingRangeKind.Comment for f in folds)
    assert all(f.end_line > f.start_line for f in folds)


def test_outline_of_the_other_seed():
    text = SEED_003.read_text(encoding="utf-8")
    a = analyze(SEED_003.as_uri(), text, 1)
    names = [s.name for s in document_symbols(a, a)]
    assert "自评表" in names or "评价指标体系" in names


# ---------------------------------------------------------------- quick fixes
FIXME = (
    '项目 "x" {\n  年度 2023\n  实施单位：“单位” \n}\n资金 {\n  全年预算 239万元\n  全年执行数 200万元\n}\n'
    "自评表 {\n  产出 {\n    成本 {\n      光纤费成本 不低于 5万元 实际 2.54万元 分值 50万元\n"
    "      发送短信 ≤ 285 万条 实际61.99万条 分值 40\n    }\n  }\n}\n"
)


def fixes_of(text: str, code: str):
    a = analyze("file:///tmp/fix.perf", text, 1)
    ds = [d for d in a.loaded.diagnostics if d.code == code]
    assert ds, (code, [d.code for d in a.loaded.diagnostics])
    out = []
    for d in ds:
        for f in fixes_for(d, a.text, a.index):
            out.append(a.text[:0] + _apply(a.text, f.edits))
    return out


def _apply(text, spans):
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def test_fix_misspelt_field():
    text = FIXME.replace("  实施单位：“单位” \n", "")
    assert "  全年预算数 239万元" in fixes_of(text, "P0201")[0]


def test_fix_cost_comparator_in_its_own_style():
    text = FIXME.replace("  实施单位：“单位” \n", "")
    a = analyze("file:///tmp/fix.perf", text, 1)
    assert [d for d in a.loaded.diagnostics if d.code == "P0201"]
    fixed = fixes_of(
        text.replace("全年预算 ", "全年预算数 ").replace(" 285 万条 实际61.99万条", " 285万条 实际 61.99万条"), "I0103"
    )
    assert "光纤费成本 不高于 5万元" in fixed[0]


def test_fix_unit_apart_and_keyword_run_in():
    text = FIXME.replace("  实施单位：“单位” \n", "").replace("全年预算 ", "全年预算数 ")
    assert "285万条 实际61.99万条" in fixes_of(text, "P0107")[0]
    text2 = text.replace(" 285 万条", " 285万条")
    assert "285万条 实际 61.99万条" in fixes_of(text2, "P0108")[0]


def test_fix_unit_on_a_weight():
    text = (
        FIXME.replace("  实施单位：“单位” \n", "")
        .replace("全年预算 ", "全年预算数 ")
        .replace(" 285 万条 实际61.99万条", " 285万条 实际 61.99万条")
    )
    assert "分值 50\n" in fixes_of(text, "U0102")[0]


def test_fix_chinese_quotes():
    text = '项目 "x" {\n  年度 2023\n  实施单位 “单位”\n}\n'
    assert '实施单位 "单位"' in fixes_of(text, "P0105")[0]


def test_fixes_travel_with_the_published_diagnostics():
    text = FIXME.replace("  实施单位：“单位” \n", "")
    a = analyze("file:///tmp/fix.perf", text, 1)
    d = next(d for d in to_lsp(a) if d.code == "P0201")
    fix = d.data["fixes"][0]
    ((start, end, new),) = fix["edits"]
    edit = types.TextEdit(range=types.Range(types.Position(*start), types.Position(*end)), new_text=new)
    assert apply_edits(text, [edit]).split("\n")[4] == "  全年预算数 239万元"


# ---------------------------------------------------------------- formatting edits
@pytest.mark.parametrize(
    "old,new",
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\nc", "a\nb\nc\n"),
        ("  𠀀 x\n短\n", "𠀀 x\n短\n\n"),
        ("x\n", ""),
        ("", "项目 {\n}\n"),
        ("a\r\nb\r\n", "a\r\nc\r\nb\r\n"),
    ],
)
def test_edits_produce_the_new_text(old, new):
    assert apply_edits(old, edits(old, new)) == new


def test_edits_touch_only_changed_lines():
    old = "".join(f"line {i}\n" for i in range(100))
    new = old.replace("line 50\n", "line fifty\n")
    (e,) = edits(old, new)
    assert e.range.start.line == 50 and e.range.end.line == 51


# ---------------------------------------------------------------- robustness
def test_every_cut_of_a_seed_is_served_without_error(seed):
    """Completion, hover and definition on a half-typed file (the seed cut anywhere) never raise."""
    step = 53
    for cut in range(0, len(SEED), step):
        text = SEED[:cut]
        pos = LineIndex(text).position(cut)
        complete(text, pos, None, seed, path=str(SEED_000))
        hover(text, pos, None, seed)
        definition(text, pos, None, seed, path=str(SEED_000))
    for cut in range(0, len(SEED), 997):
        a = analyze(URI, SEED[:cut], 1)
        to_lsp(a)
        document_symbols(a, seed)


def test_no_units_for_plain_numbers_and_dates():
    text = MINI.replace("  年度 2023\n", "  年度 202\n  填报时间 2024-0\n")
    assert labels(text, "年度 202") == []
    assert labels(text, "填报时间 2024-0") == []
    assert "份" in labels(MINI + "满意度调查 {\n  样本 50\n}\n", "样本 50")
