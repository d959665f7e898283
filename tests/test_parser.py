from pathlib import Path

from lark import Lark

from perfdsl.resources import grammar_path
from perfdsl.syntax import ast
from perfdsl.syntax.lark_parser import STRICT_OPTIONS, raw_parser
from perfdsl.syntax.parser import parse

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"


def test_parses_entries_trees_comments_and_text_blocks():
    src = '''# 文件注释
项目 "机关办公业务项目" {
  年度 2023
  实施周期 2023-01-01 至 2023-12-31
}
自评表 {
  产出 { 数量 {
    缴纳通讯费次数 = 12月 实际 12月 分值 5   # 行尾注释
    提高 定性 "有效提高" 实际 "提高" 分值 20 得分 20 依据 """
      多行
      文本 # 不是注释
    """
  } }
  陈述总分 93.91
}
'''
    f, diags = parse(src, "a.perf")
    assert diags == []
    assert [c.text for c in f.comments] == ["# 文件注释", "# 行尾注释"]
    tree = f.items[1]
    assert isinstance(tree, ast.Tree) and tree.kind == "self_evaluation"
    leaf = tree.nodes[0].children[0].children[1]
    assert leaf.target.qualitative and leaf.attr("basis").value.value == "多行\n文本 # 不是注释"
    assert tree.attrs[0].kind == "stated_total"


def test_english_aliases_mean_the_same():
    zh = "自评表 { 产出 { 数量 { 甲 ≥ 5个 实际 6个 分值 5 } } }"
    en = "self-evaluation { 产出 { 数量 { 甲 >= 5个 actual 6个 weight 5 } } }"
    assert parse(zh)[0] == parse(en)[0]


def test_keyword_prefix_is_still_a_name():
    f, d = parse('评价指标体系 { 产出 { 产出数量 { 实际完成率 权重 10 得分 9 依据 "x" } } }')
    assert not d
    assert f.items[0].nodes[0].children[0].children[0].name.text == "实际完成率"


def test_syntax_error_is_located_and_in_the_authors_terms():
    f, d = parse('项目 "x" {\n  年度 2023\n  budget ??? 12\n}\n', "junk.perf")
    assert f is None
    assert d[0].code == "P0105" and (d[0].span.line, d[0].span.column) == (3, 10)
    assert "?" in d[0].message()


def test_unterminated_text_block_stops_cleanly():
    f, d = parse('正文 "项目背景" """abc\n\n', "x.perf")
    assert [x.code for x in d] == ["P0103"]


def test_missing_brace_at_end():
    f, d = parse("自评表 { 产出 { 数量 { 甲 ≥ 5个 实际 6个 分值 5 } }", "x.perf")
    assert [x.code for x in d] == ["P0102"]


def test_binary_and_huge_input():
    assert parse("\x00abc")[1][0].code == "P0003"
    assert parse("#" * (5 * 1024 * 1024))[1][0].code == "P0004"


def test_grammar_is_strict():
    """No shift/reduce conflict and no colliding terminals: Lark's strict mode (with interegular,
    a test dependency) raises on either. The parsers of a run are built without it; on every
    example and every bad input they give what the strict build gives (its state numbers differ
    from build to build, so the trees and errors are compared, not the tables)."""
    from lark.exceptions import LarkError

    strict = Lark(grammar_path().read_text(encoding="utf-8"), **STRICT_OPTIONS)
    run = raw_parser()
    sources = sorted(EXAMPLES.glob("*.perf")) + sorted(BAD_INPUTS.rglob("*.perf"))
    assert len(sources) > 20

    def outcome(parser, text):
        try:
            return parser.parse(text)
        except LarkError as e:  # where, and what was expected there (a set: its order varies)
            expected = getattr(e, "expected", None) or getattr(e, "allowed", None) or ()
            return type(e).__name__, getattr(e, "line", None), getattr(e, "column", None), sorted(expected)

    for source in sources:
        text = source.read_text(encoding="utf-8", errors="surrogateescape")
        assert outcome(strict, text) == outcome(run, text), source
