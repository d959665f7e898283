"""Inline suppressions: `# perfdsl: ignore[R010] 原因` on the finding's line or the line above;
a reason is required; unknown codes and suppressions that silence nothing are reported where they
are written."""

from perfdsl.diagnostics import Severity
from tests.lint.conftest import found

BODY = """自评表 {{
  产出 {{
    数量 {{
{above}      培训人次 ≥ 100人次 实际 160人次 分值 100{trailing}
    }}
    成本 {{
      人均培训成本 ≤ 800元/人 实际 760元/人 分值 0
    }}
  }}
}}
"""


def text(above: str = "", trailing: str = "") -> str:
    return BODY.format(above=(above + "\n") if above else "", trailing=trailing)


def codes_at(loaded):
    return sorted((d.code, d.span.line, d.span.column) for d in loaded.diagnostics if d.code.startswith("R"))


def test_baseline(project):
    assert found(project.load(text())) == [("R010", 4)]


def test_trailing_suppression(project):
    loaded = project.load(text(trailing="  # perfdsl: ignore[R010] 超额原因已在“产出情况”一节说明"))
    assert found(loaded) == []


def test_suppression_on_the_line_above(project):
    loaded = project.load(text(above="      # perfdsl: ignore[R010] 目标由上级下达，本单位不能调整"))
    assert found(loaded) == []


def test_suppression_two_lines_above_does_not_reach(project):
    src = text(above="      # perfdsl: ignore[R010] 目标由上级下达\n      # 另一条注释")
    loaded = project.load(src)
    assert ("R010", 6) in found(loaded)
    assert ("R903", 4) in found(loaded)  # and it is reported as silencing nothing


def test_several_codes_and_spacing(project):
    loaded = project.load(text(trailing="  #perfdsl:ignore[ R010 ,R013 ]  已说明"))
    assert found(loaded) == [("R903", 4)]  # R010 silenced; R013 had nothing to silence
    (d,) = [d for d in loaded.diagnostics if d.code == "R903"]
    assert "R013" in d.message() and d.severity == Severity.WARNING


def test_suppression_without_reason_has_no_effect(project):
    loaded = project.load(text(trailing="  # perfdsl: ignore[R010]"))
    assert ("R010", 4) in found(loaded)
    (d,) = [d for d in loaded.diagnostics if d.code == "R901"]
    assert d.span.line == 4 and "R010" in d.hint()


def test_unknown_code_is_a_located_error(project):
    line = "      培训人次 ≥ 100人次 实际 160人次 分值 100"
    loaded = project.load(text(trailing="  # perfdsl: ignore[R010, R0101] 已说明"))
    (d,) = [d for d in loaded.diagnostics if d.code == "R902"]
    assert d.severity == Severity.ERROR and not loaded.ok
    comment_col = len(line) + 3
    assert d.span.line == 4 and d.span.column == comment_col + len("# perfdsl: ignore[R010, ")
    assert found(loaded, "R010") == []  # the known code still applies


def test_checker_codes_cannot_be_suppressed(project):
    src = text(trailing="  # perfdsl: ignore[I0103] 不适用")
    loaded = project.load(src)
    (d,) = [d for d in loaded.diagnostics if d.code == "R902"]
    assert "检查器" in d.hint()


def test_malformed_directive(project):
    loaded = project.load(text(trailing="  # perfdsl: ignore R010 已说明"))
    assert ("R900", 4) in found(loaded) and ("R010", 4) in found(loaded)


def test_unused_suppression_of_a_disabled_rule_is_not_reported(project):
    project.config('[lint]\nignore = ["R013"]\n')
    loaded = project.load(text(trailing="  # perfdsl: ignore[R010, R013] 已说明"))
    assert found(loaded) == []


def test_ordinary_comments_are_untouched(project):
    loaded = project.load(text(trailing="  # 审核意见：perfdsl 之外的说明"))
    assert found(loaded) == [("R010", 4)]
