"""Positions: perfdsl's 1-based character columns ↔ LSP's 0-based UTF-16 (or UTF-8/UTF-32) units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol.types import Position

from perfdsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, units

ASTRAL = "𠀀"  # U+20000: two UTF-16 code units, four UTF-8 bytes


def test_units_by_encoding():
    assert units("发送短信", UTF16) == 4
    assert units(ASTRAL, UTF16) == 2
    assert units(ASTRAL + "a", UTF8) == 5
    assert units(ASTRAL + "短", UTF32) == 2
    assert units("abc") == 3


def test_chinese_is_one_unit_astral_two():
    text = '项目 "x" {\n  实施单位 "𠀀𠀀单位" ？\n}\n'
    index = LineIndex(text)
    line = text.split("\n")[1]
    col = line.index("？") + 1  # perfdsl: 1-based, in characters
    p = index.to_lsp(2, col)
    assert p == Position(line=1, character=col - 1 + 2)
    assert index.from_lsp(p) == (2, col)


def test_positions_inside_a_surrogate_pair_fall_before_the_character():
    index = LineIndex(f"a{ASTRAL}b")
    assert index.offset(Position(0, 1)) == 1
    assert index.offset(Position(0, 2)) == 1  # between the two halves
    assert index.offset(Position(0, 3)) == 2


def test_line_breaks_and_clamping():
    text = "第一行\r\n第二行\r第三行\n"
    index = LineIndex(text)
    assert index.line_count == 4
    assert index.line(1) == "第二行" and index.line(2) == "第三行"
    assert index.offset(Position(1, 0)) == text.index("第二行")
    assert index.offset(Position(0, 99)) == 3  # past the end of a line: its end
    assert index.offset(Position(99, 0)) == len(text)  # past the last line: the end
    assert index.position(4) == Position(0, 3)  # inside \r\n: the end of the line
    assert index.to_lsp(99, 1) == index.position(len(text))


def test_span_range():
    from perfdsl.diagnostics import Span

    index = LineIndex(f"  {ASTRAL}短信 ≥ 5万条\n")
    r = index.span_range(Span("f", 1, 3, 1, 6))
    assert (r.start.character, r.end.character) == (2, 6)


def test_other_encodings():
    text = f"x{ASTRAL}短 y"
    for enc, expect in ((UTF8, 1 + 4 + 3), (UTF16, 1 + 2 + 1), (UTF32, 3)):
        index = LineIndex(text, enc)
        assert index.position(3) == Position(0, expect), enc
        assert index.offset(Position(0, expect)) == 3


chars = st.sampled_from(list("ab 短信发送\t") + [ASTRAL, "😀", "\n", "\r\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(chars, max_size=40), st.sampled_from([UTF8, UTF16, UTF32]))
def test_round_trip(parts, encoding):
    text = "".join(parts)
    index = LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # inside a line break: no position of its own
        p = index.position(offset)
        assert index.offset(p) == offset
        line, col = index.line_col(offset)
        assert index.offset_of(line, col) == offset
