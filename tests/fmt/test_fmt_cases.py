"""`perfdsl fmt` as a library: the data-driven cases, the repository's own files, and the
proof format_text runs before it returns anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perfdsl.core.text import display_width
from perfdsl.loader import load
from perfdsl.score.export import scorecard_data
from perfdsl.syntax import format as fmt
from perfdsl.syntax.format import InternalFormatError, format_text
from tests.conftest import EXAMPLES, ROOT

from .fmtlib import assert_layout_hygiene, assert_same_meaning, format_twice

CASES = Path(__file__).parent / "cases"
CASE_NAMES = sorted(p.name[: -len(".input.perf")] for p in CASES.glob("*.input.perf"))
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.perf"))


def test_every_case_has_its_expected_output():
    assert CASE_NAMES
    for name in CASE_NAMES:
        assert (CASES / f"{name}.output.perf").is_file(), name
    outputs = {p.name[: -len(".output.perf")] for p in CASES.glob("*.output.perf")}
    assert outputs == set(CASE_NAMES)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name):
    source = (CASES / f"{name}.input.perf").read_text(encoding="utf-8")
    expected = (CASES / f"{name}.output.perf").read_text(encoding="utf-8")
    out = format_twice(source, f"{name}.perf")
    assert out == expected


@pytest.mark.parametrize("name", CASE_NAMES)
def test_expected_outputs_are_canonical(name):
    expected = (CASES / f"{name}.output.perf").read_text(encoding="utf-8")
    out, diagnostics = format_text(expected, f"{name}.perf")
    assert out == expected


# ---------------------------------------------------------------- the repository's own files
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_are_formatted(path):
    """`perfdsl fmt --check examples` passes: the examples are in the canonical layout."""
    source = path.read_text(encoding="utf-8")
    out, diagnostics = format_text(source, str(path))
    assert not diagnostics
    assert out == source


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_keep_their_meaning_when_laid_out_differently(path, tmp_path):
    """Mangle an example's layout (no indentation, ragged spacing, blank lines doubled, text
    blocks out of step with their entries): the formatter brings it back exactly, and neither
    the scores nor the diagnostics moved."""
    source = path.read_text(encoding="utf-8")
    mangled = _mangle(source)
    assert mangled != source
    out = format_twice(mangled, path.name)
    assert out == source
    assert _scores(path, source, tmp_path) == _scores(path, mangled, tmp_path) == _scores(path, out, tmp_path)


def _mangle(text: str) -> str:
    """No indentation, ragged spacing, trailing blanks and doubled blank lines outside text
    blocks; text blocks left where they were (their indentation no longer matches)."""
    lines, in_text = [], False
    for line in text.split("\n"):
        opens = line.split("#")[0].count('"""') % 2 == 1
        if in_text:
            lines.append(line)
        elif not line.strip():
            lines.extend(["", "  "])
        elif line.lstrip().startswith("#"):
            lines.append(line.strip())
        else:
            lines.append(line.strip().replace(" ", " \t  ", 1) + ("" if opens else "  "))
        if opens:
            in_text = not in_text
    return "\n".join(lines)


def _scores(path: Path, text: str, tmp_path: Path) -> str:
    target = tmp_path / path.name
    target.write_text(text, encoding="utf-8")
    loaded = load(str(target))
    assert loaded.evaluation is not None
    data = scorecard_data(loaded.evaluation, loaded.scorecard)
    codes = sorted(d.code for d in loaded.diagnostics)
    return json.dumps([data, codes], ensure_ascii=False, sort_keys=True)


BAD_INPUTS = sorted((ROOT / "tests" / "bad_inputs").rglob("*.perf"))


@pytest.mark.parametrize("path", BAD_INPUTS, ids=lambda p: str(p.relative_to(ROOT / "tests" / "bad_inputs")))
def test_bad_inputs_are_formatted_or_refused_never_broken(path):
    source = path.read_text(encoding="utf-8", errors="surrogateescape")
    out, diagnostics = format_text(source, path.name)
    if out is None:
        assert diagnostics and all(d.code.startswith("P0") for d in diagnostics)
        return
    assert not diagnostics
    assert_same_meaning(source, out)
    assert format_text(out, path.name)[0] == out


def test_lint_suppressions_still_cover_their_findings(tmp_path):
    """Suppressions work by line (their own, or the next): wherever the formatter moves an
    attribute, the comment that silences its finding stays on or just above its line."""
    source = (
        '项目 "x" {\n  年度 2023\n}\n'
        "自评表 {\n  产出 {\n    数量 {\n"
        "      培训人次指标 ≥ 100人次\n"
        "        实际 300人次  # perfdsl: ignore[R010] 超额已在正文中说明\n"
        "        分值 90\n"
        "      讲座场次指标 ≥ 10场\n"
        "        分值 10\n"
        "        # perfdsl: ignore[R010] 同样已说明\n"
        "        实际 30场\n"
        "    }\n  }\n}\n"
    )
    out = format_twice(source)
    assert "实际 300人次 分值 90  # perfdsl: ignore[R010]" in out
    assert "# perfdsl: ignore[R010] 同样已说明\n      讲座场次指标 ≥ 10场    实际 30场" in out
    codes = []
    for text in (source, out):
        f = tmp_path / "s.perf"
        f.write_text(text, encoding="utf-8")
        codes.append(sorted(d.code for d in load(str(f)).diagnostics))
    assert codes[0] == codes[1]
    assert "R010" not in codes[0] and not any(c.startswith("R90") for c in codes[0])


# ---------------------------------------------------------------- refusals
def test_syntax_errors_give_no_text_and_the_errors():
    out, diagnostics = format_text('项目 "x" {\n  年度 2023\n', "broken.perf")
    assert out is None
    assert [d.code for d in diagnostics] == ["P0102"]


def test_a_unit_written_apart_from_its_number_is_a_syntax_error_to_the_formatter():
    """Put on separate lines, "285" and "万条" would read as two indicators: the resolver's
    P0107 would vanish. The formatter refuses instead."""
    source = "自评表 {\n  产出 {\n    数量 {\n      发送短信 ≥ 285 万条 实际 61.99万条 分值 3\n    }\n  }\n}\n"
    out, diagnostics = format_text(source, "slip.perf")
    assert out is None
    assert [d.code for d in diagnostics] == ["P0107"]


def test_a_keyword_run_into_its_value_is_refused():
    source = "自评表 {\n  产出 {\n    数量 {\n      发送短信 ≥ 285万条 实际61.99万条 分值 3\n    }\n  }\n}\n"
    out, diagnostics = format_text(source, "slip.perf")
    assert out is None
    assert "P0108" in [d.code for d in diagnostics]


# ---------------------------------------------------------------- the proof
def test_a_formatter_that_drops_a_comment_raises_instead_of_returning(monkeypatch):
    run = fmt._Formatter.run

    def lossy(self):
        return "\n".join(line for line in run(self).split("\n") if "审核" not in line)

    monkeypatch.setattr(fmt._Formatter, "run", lossy)
    with pytest.raises(InternalFormatError, match="comments"):
        format_text('# 审核意见：复核通过\n项目 "x" {\n  年度 2023\n}\n')


def test_a_formatter_that_changes_a_number_raises(monkeypatch):
    run = fmt._Formatter.run
    monkeypatch.setattr(fmt._Formatter, "run", lambda self: run(self).replace("5.00万元", "5万元"))
    with pytest.raises(InternalFormatError, match="syntax trees differ"):
        format_text("资金 {\n  全年预算数 5.00万元\n}\n")


def test_a_formatter_that_changes_a_text_block_raises(monkeypatch):
    run = fmt._Formatter.run
    monkeypatch.setattr(fmt._Formatter, "run", lambda self: run(self).replace("    第二行", "      第二行"))
    with pytest.raises(InternalFormatError):
        format_text('绩效目标 {\n  总体目标 """\n    第一行\n    第二行\n    """\n}\n')


def test_an_unstable_formatter_raises(monkeypatch):
    run = fmt._Formatter.run
    passes = []

    def drifting(self):  # the second pass lays the same text out differently
        passes.append(1)
        out = run(self)
        return out.replace("  年度", "\n  年度") if len(passes) > 1 else out

    monkeypatch.setattr(fmt._Formatter, "run", drifting)
    with pytest.raises(InternalFormatError, match="stable"):
        format_text('项目 "x" {\n  年度 2023\n}\n')


def test_the_mode_has_no_options_and_is_frozen():
    import dataclasses

    assert dataclasses.fields(fmt.Mode) == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fmt.DEFAULT_MODE.width = 80  # type: ignore[attr-defined]


# ---------------------------------------------------------------- details
def test_numbers_units_and_keywords_are_kept_as_written():
    source = (
        "funds { budget 5.00万元  spent 4.50万元 }\n"
        "self-evaluation { output { quantity {\n"
        "甲指标甲 不低于 285.0万条 actual 61.990万条 权重 3.0\n"
        "乙指标乙 ＝ 1套 实际完成值 1套 weight 3 }}}\n"
    )
    out = format_twice(source)
    for written in (
        "5.00万元",
        "4.50万元",
        "不低于 285.0万条",
        "actual 61.990万条",
        "权重 3.0",
        "＝ 1套",
        "实际完成值 1套",
        "self-evaluation",
        "funds",
        "budget",
        "weight 3",
    ):
        assert written in out, written


def test_display_width_counts_cjk_as_two_columns():
    assert display_width("abc") == 3
    assert display_width("发送短信") == 8
    assert display_width("PC采购") == 6
    assert display_width("（电话回访）") == 12
    assert display_width("≥ 5%") == 4


def test_alignment_is_by_display_width():
    out = format_twice(
        "自评表 {\n 数量 {\n发送短信 ≥ 285万条 实际 61.99万条 分值 3\nPC采购 = 1套 实际 1套 分值 3\n}\n}\n"
    )
    lines = [l for l in out.split("\n") if "实际" in l]
    columns = {display_width(l[: l.index("实际")]) for l in lines}
    assert len(columns) == 1, lines


def test_crlf_and_bom_are_normalised():
    source = '\ufeff项目 "x" {\r\n  年度 2023\r\n}\r\n'
    out, _ = format_text(source)
    assert out == '项目 "x" {\n  年度 2023\n}\n'


@pytest.mark.parametrize(
    "source,expected",
    [
        ("", ""),
        ("\n\n  \n", ""),
        ("# 只有注释\n\n\n", "# 只有注释\n"),
        ("# 甲  \n\n\n# 乙\n", "# 甲\n\n# 乙\n"),
    ],
)
def test_files_without_items(source, expected):
    out, diagnostics = format_text(source)
    assert out == expected


def test_includes_stay_together_and_blocks_get_one_blank_line():
    out = format_twice('引用 "a.perf"\n引用 "b.perf"\n项目 "x" { 年度 2023 }\n\n\n\n正文 "项目背景" "短"\n')
    assert out == '引用 "a.perf"\n引用 "b.perf"\n\n项目 "x" { 年度 2023 }\n\n正文 "项目背景" "短"\n'


def test_a_comment_indented_under_an_item_stays_with_it_and_one_at_the_next_items_level_moves_on():
    source = (
        "自评表 {\n  数量 {\n"
        "    甲指标甲 ≥ 1个 实际 1个 分值 5\n"
        "      # 属于甲\n"
        "    # 属于乙\n"
        "    乙指标乙 ≥ 1个 实际 1个 分值 5\n"
        "  }\n}\n"
    )
    out = format_twice(source)
    assert out == source


def test_two_trailing_comments_on_a_joined_line_keep_the_last_at_the_end():
    source = "自评表 {\n  数量 {\n    甲指标甲 ≥ 1个  # 目标\n      实际 1个  # 实际\n      分值 5\n  }\n}\n"
    out = format_twice(source)
    assert out == "自评表 {\n  数量 {\n    # 目标\n    甲指标甲 ≥ 1个 实际 1个 分值 5  # 实际\n  }\n}\n"


def test_a_one_line_block_too_wide_is_opened():
    long = " ".join(["年初预算数 123456789.00元", "全年预算数 123456789.00元", "全年执行数 123456789.00元"])
    out = format_twice(f'资金 {{\n  来源 "当年财政拨款" {{ {long} 到位资金 1元 }}\n}}\n')
    assert '来源 "当年财政拨款" {\n    年初预算数' in out


def test_layout_hygiene_of_every_expected_output():
    for name in CASE_NAMES:
        assert_layout_hygiene((CASES / f"{name}.output.perf").read_text(encoding="utf-8"))


def test_comments_from_inside_an_indicator_head_keep_their_order_above_it():
    source = "自评表 {\n  数量 {\n    甲指标甲 ≥ 1个  # 一\n      # 二\n      实际 1个  # 三\n      分值 5\n  }\n}\n"
    out = format_twice(source)
    assert out == "自评表 {\n  数量 {\n    # 一\n    # 二\n    甲指标甲 ≥ 1个 实际 1个 分值 5  # 三\n  }\n}\n"


def test_a_blank_line_above_an_indicator_stays_above_the_comments_moved_onto_it():
    source = "自评表 {\n  数量 {\n    甲指标甲 ≥ 1个 实际 1个 分值 5\n\n    乙指标乙 ≥ 1个  # 目标\n      实际 1个  # 实际\n  }\n}\n"
    out = format_twice(source)
    assert "分值 5\n\n    # 目标\n    乙指标乙 ≥ 1个 实际 1个  # 实际\n" in out
