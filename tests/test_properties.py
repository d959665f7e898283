"""Invariants that hold for every evaluation, on generated ones."""

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from perfdsl.syntax.parser import parse

COMPARATORS = ["≥", ">=", "大于等于", "≤", "<=", "=", "等于", ">", "<"]
UNITS = ["个", "万条", "%", "元/人", "次", "万元"]

numbers = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2, allow_nan=False, allow_infinity=False
)
weights = st.integers(min_value=1, max_value=30)


@st.composite
def indicator(draw, index: int):
    unit = draw(st.sampled_from(UNITS))
    cmp = draw(st.sampled_from(COMPARATORS))
    target, actual = draw(numbers), draw(numbers)
    w = draw(weights)
    if draw(st.booleans()):
        return f"指标{index} {cmp} {target}{unit} 实际 {actual}{unit} 分值 {w}"
    score = draw(st.integers(min_value=0, max_value=w))
    return f'指标{index} 定性 "有效提高" 实际 "提高" 分值 {w} 得分 {score} 依据 "评定"'


@st.composite
def evaluation_text(draw):
    groups, index = [], 0
    for g in range(draw(st.integers(min_value=1, max_value=3))):
        seconds = []
        for s in range(draw(st.integers(min_value=1, max_value=3))):
            leaves = []
            for _ in range(draw(st.integers(min_value=1, max_value=4))):
                index += 1
                leaves.append(draw(indicator(index)))
            seconds.append(f"二级{g}{s} {{\n" + "\n".join(leaves) + "\n}")
        groups.append(f"一级{g} {{\n" + "\n".join(seconds) + "\n}")
    budget, spent = draw(numbers), draw(numbers)
    return (
        f'项目 "生成" {{ 年度 2023 }}\n资金 {{ 全年预算数 {budget}万元 全年执行数 {spent}万元 }}\n'
        f"自评表 {{\n预算执行率 分值 10\n" + "\n".join(groups) + "\n}\n"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluation_text())
def test_totals_are_sums_of_displayed_parts_and_scores_never_exceed_weights(text):
    loaded = load("gen.perf", text)
    assert loaded.scorecard is not None
    tree = loaded.scorecard.self_evaluation
    assert tree.total == sum(n.score for n in tree.nodes if n.score is not None)
    for ns in tree.walk():
        if ns.children and ns.basis != "override":
            assert ns.score == sum(c.score for c in ns.children if c.score is not None)
        if ns.score is not None and ns.weight is not None:
            assert ns.score <= ns.weight
            assert ns.score == ns.score.quantize(Decimal("0.01"))  # rounded once, to the cent
        if ns.completion is not None and ns.completion.ratio is not None:
            assert ns.completion.ratio >= 0


GRAMMAR_ALPHABET = st.sampled_from(
    list('项目资金自评表产出数量实际分值得分依据定性≥≤=<>{}"#\n 0123456789.%万元条个abc""""至-')
)


@settings(max_examples=300, deadline=None)
@given(st.text(GRAMMAR_ALPHABET, max_size=200) | st.text(max_size=200))
def test_parsing_never_raises(text):
    tree, diags = parse(text, "fuzz.perf")
    assert (tree is None) == bool(diags) or tree is not None
    for d in diags:
        assert d.span.line >= 1 and d.span.column >= 1 and d.message()


@settings(max_examples=150, deadline=None)
@given(st.text(GRAMMAR_ALPHABET, max_size=300))
def test_the_whole_pipeline_never_raises(text):
    loaded = load("fuzz.perf", '项目 "x" { 年度 2023 }\n自评表 {\n' + text)
    for d in loaded.diagnostics:
        assert d.message("zh") and d.message("en")


_INDENTED_LINE = st.tuples(st.text(" \t", max_size=4), st.text(" \t\r\u3000ab", max_size=4)).map("".join)


@settings(max_examples=500)
@given(st.lists(_INDENTED_LINE, max_size=6).map("\n".join))
def test_dedent_is_textwrap_dedent(text):
    import textwrap

    from perfdsl.syntax.ast import dedent

    assert dedent(text) == textwrap.dedent(text)
    # any_space: a line of only spaces of any kind is blank, as if emptied before textwrap
    emptied = "\n".join("" if line.isspace() else line for line in text.split("\n"))
    assert dedent(text, any_space=True) == textwrap.dedent(emptied)


@settings(max_examples=500)
@given(st.lists(_INDENTED_LINE, max_size=3).map("\n".join), st.booleans())
def test_a_text_block_is_its_lines_dedented(text, opening_newline):
    """dedent_text's short way for a one-line block gives what the general way gives."""
    from perfdsl.syntax.ast import dedent, dedent_text

    body = ("\n" if opening_newline else "") + text
    inner = body[1:] if body.startswith("\n") else body
    assert dedent_text(body) == dedent(inner, any_space=not inner.isascii()).rstrip()


@given(
    st.decimals(allow_nan=True, allow_infinity=True)
    | st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,30})?(E[+-]?[0-9]{1,3})?", fullmatch=True).map(Decimal)
)
def test_decimals_written_is_the_negative_exponent(number):
    from perfdsl.core.numbers import decimals_written

    exponent = number.as_tuple().exponent
    assert decimals_written(number) == (-exponent if isinstance(exponent, int) and exponent < 0 else 0)


@given(
    st.decimals(allow_nan=True, allow_infinity=True)
    | st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,30})?(E[+-]?[0-9]{1,3})?", fullmatch=True).map(Decimal)
)
def test_a_figure_is_absurd_exactly_when_it_is_too_long_or_not_a_number(number):
    """The check of absurd figures decides most of them by the length of their text: the same
    answer as its definition (finite, fewer than 16 whole digits, at most 8 decimals)."""
    from perfdsl.check.values import MAX_DECIMALS, MAX_WHOLE_DIGITS, _absurd
    from perfdsl.core.numbers import decimals_written

    defined = not number.is_finite() or number.adjusted() >= MAX_WHOLE_DIGITS or decimals_written(number) > MAX_DECIMALS
    assert _absurd(number) == defined


# The grammar's quoted terminals, as first written: one character at a time through a group,
# which Python's regular expressions run far slower (a lazy group saves its state at every
# character). The grammar's patterns must take exactly the same text.
_STRING_AS_FIRST_WRITTEN = r'"(?!"")([^"\\\n]|\\.)*"'
_TEXT_AS_FIRST_WRITTEN = r'"""(.|\n)*?"""'


def _terminal(name: str) -> str:
    import re

    grammar = (Path(__file__).parent.parent / "grammar" / "perf.lark").read_text(encoding="utf-8")
    return re.search(rf"^{name}: /(.*)/$", grammar, re.M).group(1)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(['"""', '"', '""', "\\", '\\"', "\n", "a", "中", " "]), max_size=14), st.integers(0, 3))
def test_the_quoted_terminals_take_what_they_took_as_first_written(pieces, start):
    import re

    text = "".join(pieces)
    for name, first in (("STRING", _STRING_AS_FIRST_WRITTEN), ("TEXT", _TEXT_AS_FIRST_WRITTEN)):
        old, new = re.compile(first).match(text, start), re.compile(_terminal(name)).match(text, start)
        assert (old and old.group(0)) == (new and new.group(0)), (name, text, start)


# Markdown's own marks, whole constructions and near misses (a line break or an entity between
# the brackets and the parenthesis, escaped brackets): the screen must not miss any link.
_MARKDOWN_PIECES = [
    "[", "]", "](", "]:", "![", "[a]", "(", ")", "(x.png)", "<", ">", ":", "!", "\\", "`", "*",
    "\n", "\n\n", " ", "    ", "a", "x.png", "javascript:alert(1)", "ftp://h", "http://h",
    "mailto:a@b", "#", "&#93;", "&#40;", "|", "-", "中", "<http://h>", "<a@b.cn>", "[a]: x.png\n",
    "[a]: javascript:alert(1)\n",
]  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=16))
def test_the_screen_before_the_markdown_parser_drops_no_link(pieces):
    """A text `may_hold_link` passes over holds no link and no picture (scan then skips the
    parser): Markdown parsed finds none in it either."""
    from perfdsl.model.markdown_safety import may_hold_link, parse

    text = "".join(pieces)
    if may_hold_link(text):
        return
    found = [c.type for tok in parse(text) for c in tok.children or () if c.type in ("image", "link_open")]
    assert found == [], (text, found)


# Bytes that make a file plain or not: the characters the parser refuses (control characters,
# U+FFFD, bytes that are not UTF-8) among ordinary ones, and a byte-order mark and CR line ends.
_SOURCE_PIECES = [
    b"a",
    "中".encode(),
    "，".encode(),  # EF BC 8C: begins as U+FFFD's EF BF BD does
    b" ",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x0c",
    b"\x00",
    b"\x08",
    b"\x0b",
    b"\x1b",
    b"\x1f",
    b"\x7f",
    "\ufffd".encode(),
    "\ufeff".encode(),
    b"\xff",
    b"\xe4\xb8",  # a character cut short
    b"\xed\xb2\x80",  # an encoded surrogate (not UTF-8)
]


@given(st.lists(st.sampled_from(_SOURCE_PIECES), max_size=12).map(b"".join))
def test_a_plain_source_is_one_the_parser_finds_no_binary_content_in(data):
    """project's look at a file's bytes (which lets the parser skip its own search) agrees with
    the parser's search of the text on every file: plain exactly when the search finds nothing."""
    from perfdsl.project import decode_source, normalise_line_ends
    from perfdsl.syntax.parser import _precheck

    text, plain = decode_source(data)
    assert text == normalise_line_ends(data.decode("utf-8", errors="surrogateescape"))
    assert plain == (_precheck(text, "x.perf") is None)
