"""The formatter on a generated corpus: random indicator trees and plain blocks, written with
random spacing, line breaks, indentation, text-block indentation and comments anywhere a
comment may go. Every file must come out meaning the same (syntax tree, text-block values,
scores and diagnostics), with the same comments, and a second pass must change nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from perfdsl.score.export import scorecard_data
from perfdsl.syntax.format import format_text

from .fmtlib import format_twice

SPACES = [" ", "  ", "\t", " \t  "]
BREAKS = ["\n", "\n  ", "\n\n", "\n\t\t", "\n\n\n    ", "  \n      "]
COMMENT_WORDS = ["审核意见", "复核通过", "note", "见报告第3页", "“引号”", '"quoted"', "#", "{ }", '"""']

NAMES = [
    "采购设备数量",
    "运行维护次数",
    "PC采购台数",
    "群众满意度指标",
    '"12345热线接通率"',
    "服务质量达标率",
    "光纤费成本标准",
    "培训人次总数",
    "公益性岗位人数",
    "资金发放准确率",
]
GROUPS = ["产出", "数量", "质量", "效益", "社会效益", "满意度", "成本", "decision", "output"]
COMPARATORS = ["≥", ">=", "大于等于", "≤", "<=", "=", "＝", "不低于", ">", "小于"]
UNITS = ["个", "万条", "%", "元/人", "次", "万元", "台"]
NUMBERS = ["1", "12", "5.00", "61.99", "0.5", "100", "285.0", "2391.5"]


class Writer:
    """Tokens joined by random whitespace, with comments dropped in between."""

    def __init__(self, draw):
        self.draw = draw
        self.parts: list[str] = []
        self.comments = 0
        self.inline = 0  # > 0: inside a block that should stay on one line: spaces only

    def sep(self) -> None:
        draw = self.draw
        if self.inline:
            self.parts.append(draw(st.sampled_from(SPACES)))
            return
        kind = draw(st.integers(0, 9))
        if kind <= 3:
            self.parts.append(draw(st.sampled_from(SPACES)))
        elif kind <= 6:
            self.parts.append(draw(st.sampled_from(BREAKS)))
        else:
            self.comments += 1
            words = " ".join(draw(st.lists(st.sampled_from(COMMENT_WORDS), max_size=3)))
            before = draw(st.sampled_from(SPACES + BREAKS))
            after = draw(st.sampled_from(BREAKS))
            trailing_blank = draw(st.sampled_from(["", " ", "\t"]))
            self.parts.append(f"{before}# 注释{self.comments} {words}{trailing_blank}{after}")

    def tok(self, *tokens: str) -> None:
        for t in tokens:
            self.sep()
            self.parts.append(t)

    def text(self) -> str:
        self.sep()
        return "".join(self.parts).lstrip(" \t") + self.draw(st.sampled_from(["", "\n", "\n\n\n", "  "]))


def text_block(draw) -> str:
    margin = " " * draw(st.integers(0, 8))
    lines = draw(
        st.lists(
            st.sampled_from(
                [
                    "第一段。",
                    "  - 列表项",
                    "",
                    "**（1）主要职能**",
                    "\t制表符缩进",
                    '含 # 号与 "引号" 的一行',
                    "trailing  ",
                ]
            ),
            max_size=5,
        )
    )
    first = draw(st.sampled_from(["\n", ""]))
    body = first + "\n".join(margin + line if line else draw(st.sampled_from(["", "   "])) for line in lines)
    closing = draw(st.sampled_from(["\n" + margin, "\n", "", "\n    "]))
    return '"""' + body + closing + '"""'


def long_value(draw) -> str:
    return (
        draw(st.sampled_from(['"评定依据。"', '"偏差原因：诉求人群较少。"']))
        if draw(st.booleans())
        else text_block(draw)
    )


def quantity(draw) -> str:
    return draw(st.sampled_from(NUMBERS)) + draw(st.sampled_from(UNITS))


def indicator(w: Writer, draw) -> None:
    w.tok(draw(st.sampled_from(NAMES)))
    if draw(st.integers(0, 3)):
        if draw(st.booleans()):
            w.tok(draw(st.sampled_from(COMPARATORS)), quantity(draw))
        else:
            w.tok(draw(st.sampled_from(["定性", "qualitative"])), '"有效提高"')
    attrs = [
        lambda: w.tok(draw(st.sampled_from(["实际", "actual", "实际完成值"])), quantity(draw)),
        lambda: w.tok(draw(st.sampled_from(["分值", "权重", "weight"])), draw(st.sampled_from(["5", "10", "2.5"]))),
        lambda: w.tok("得分", "4"),
        lambda: w.tok("达成度", "达成"),
        lambda: w.tok("分类", '"经济成本指标"'),
        lambda: w.tok(draw(st.sampled_from(["依据", "basis"])), long_value(draw)),
        lambda: w.tok("偏差原因", long_value(draw)),
        lambda: w.tok("改进措施", long_value(draw)),
        lambda: w.tok("指标解释", long_value(draw)),
        lambda: w.tok("评价要点", long_value(draw)),
        lambda: w.tok("陈述完成率", "21.8%"),
        lambda: w.tok("陈述得分", "2.39"),
    ]
    chosen = draw(st.lists(st.sampled_from(range(len(attrs))), max_size=6))
    for i in chosen:
        attrs[i]()


def group(w: Writer, draw, depth: int) -> None:
    w.tok(draw(st.sampled_from(GROUPS)))
    if draw(st.booleans()):
        w.tok("权重", "20")
    if draw(st.integers(0, 4)) == 0:
        w.tok("依据", long_value(draw))
    w.tok("{")
    for _ in range(draw(st.integers(0, 4))):
        if depth < 2 and draw(st.integers(0, 2)) == 0:
            group(w, draw, depth + 1)
        else:
            indicator(w, draw)
    w.tok("}")


def tree(w: Writer, draw) -> None:
    w.tok(draw(st.sampled_from(["自评表", "self-evaluation", "评价指标体系", "evaluation"])), "{")
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 4)) == 0:
            w.tok(draw(st.sampled_from(["陈述总分", "stated-total"])), "93.91")
        else:
            group(w, draw, 1)
    w.tok("}")


def plain_block(w: Writer, draw, keyword: str, fields: list, value: str | None = None) -> None:
    w.tok(keyword)
    if value:
        w.tok(value)
    w.tok("{")
    for f in draw(st.permutations(fields)):
        if draw(st.integers(0, 3)):
            f()
    w.tok("}")


def funds(w: Writer, draw) -> None:
    def source():
        inline = draw(st.booleans())
        w.tok("来源", '"当年财政拨款"', "{")
        w.inline += inline
        for name in draw(st.permutations(["年初预算数 5万元", "全年预算数 5.00万元", "全年执行数 4.5万元"])):
            w.tok(*name.split())
        w.tok("}")
        w.inline -= inline

    plain_block(
        w,
        draw,
        "资金",
        [
            lambda: w.tok("全年预算数", "5.00万元"),
            lambda: w.tok("budget-typo", "5万元"),
            lambda: w.tok("全年执行数", "4.50万元"),
            source,
            lambda: w.tok("支出", '"差旅费"', "1.2万元"),
            lambda: w.tok("支出", '"办公用品"', "3.30万元"),
            lambda: w.tok("陈述执行率", "90%"),
        ],
    )


@st.composite
def perf_files(draw) -> str:
    w = Writer(draw)
    makers = [
        lambda: plain_block(
            w,
            draw,
            draw(st.sampled_from(["项目", "project"])),
            [
                lambda: w.tok("年度", "2023"),
                lambda: w.tok("实施单位", '"某某单位"'),
                lambda: w.tok("填报时间", "2024-05-10"),
                lambda: w.tok("实施周期", "2023-01-01", draw(st.sampled_from(["至", "to"])), "2023-12-31"),
            ],
            '"生成的项目"',
        ),
        lambda: funds(w, draw),
        lambda: tree(w, draw),
        lambda: plain_block(
            w,
            draw,
            "绩效目标",
            [
                lambda: w.tok("总体目标", text_block(draw)),
                lambda: w.tok("实际完成情况", text_block(draw)),
            ],
        ),
        lambda: w.tok("正文", '"项目背景"', text_block(draw)),
        lambda: w.tok("引用", '"common.perf"'),
    ]
    for i in draw(st.lists(st.sampled_from(range(len(makers))), min_size=1, max_size=5)):
        makers[i]()
    return w.text()


def _meaning(text: str, tmp_path) -> str:
    f = tmp_path / "gen.perf"
    f.write_text(text, encoding="utf-8")
    loaded = load(str(f), lint=False)
    data = scorecard_data(loaded.evaluation, loaded.scorecard) if loaded.evaluation is not None else None
    return json.dumps(
        [data, sorted(d.code for d in loaded.diagnostics)], ensure_ascii=False, sort_keys=True, default=str
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=perf_files())
def test_generated_files_keep_meaning_and_comments_and_are_stable(text, tmp_path):
    out = format_twice(text, "gen.perf")
    assert _meaning(text, tmp_path) == _meaning(out, tmp_path)


@settings(max_examples=100, deadline=None)
@given(text=perf_files())
def test_every_layout_of_a_file_formats_to_the_same_text(text):
    """The formatted file with every line pushed one column right (text blocks too, so their
    values are unchanged) is the same file: it formats to the same text."""
    out = format_twice(text, "gen.perf")
    shifted = "\n".join(" " + line if line else line for line in out.split("\n"))
    assert format_twice(shifted, "gen.perf") == out


ALPHABET = st.sampled_from(
    list('项目资金来源自评表产出数量实际分值依据定性≥≤=<>{}"#\n\t 0123456789.%万元条个abc""""至-')
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(ALPHABET, max_size=300))
def test_any_text_is_formatted_or_refused_never_broken(text):
    """Arbitrary text: either the errors come back, or a proved, stable layout does."""
    out, diagnostics = format_text(text, "fuzz.perf")
    if out is None:
        assert diagnostics
    else:
        assert format_text(out, "fuzz.perf")[0] == out
