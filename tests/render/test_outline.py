"""The report's outline: every heading a heading, numbers without gaps, no section without a
body, items never run together — checked on every render, for every combination of content."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from perfdsl.loader import load
from perfdsl.render.errors import RenderError
from perfdsl.render.outline import cn_number, fit_narrative, outline_problems
from perfdsl.render.report import RenderOptions, render_markdown
from perfdsl.resources import templates_dir
from tests.conftest import EXAMPLES

GOOD = """# 一、基本情况

## （一）项目概况

### 1.项目背景

为保障……

### 2.实施情况

实施时间：2024年。

# 二、绩效评价工作开展情况

本项目无绩效评价工作开展情况说明。
"""


@pytest.mark.parametrize(
    "markdown, what",
    [
        ("# 一、甲\n\n正文。\n### 1.乙\n\n正文。\n", "heading without a blank line"),
        ("# 一、甲\n\n正文。 ### 3.分析评价\n", "heading marks inside a paragraph"),
        ("# 一、甲\n\n### 1.乙\n\n正文。\n\n### 3.丙\n\n正文。\n", "number 3 follows 1"),
        ("# 一、甲\n\n## （一）乙\n\n## （二）丙\n\n正文。\n", "heading with nothing under it"),
        ("# 一、甲\n\n正文。\n\n# 三、丙\n\n正文。\n", "number 3 follows 1"),
        ("# 一、甲\n\n（1）产出指标\n（2）效益指标\n", "an item run into the paragraph"),
        ("# 一、甲\n\n①数量指标：“甲”。\n②质量指标：“乙”。\n", "an item run into the paragraph"),
        ("# 一、甲\n", "heading with nothing under it"),
    ],
)
def test_each_outline_slip_is_found_at_its_line(markdown, what):
    problems = outline_problems(markdown)
    assert problems and what in problems[-1].what
    line = markdown.splitlines()[problems[-1].line - 1]
    assert line.strip() and problems[-1].text == line[:40]


def test_a_well_formed_outline_passes():
    assert outline_problems(GOOD) == []
    # numbers restart under a new parent; author headings below level 3 are not numbered
    assert outline_problems(GOOD + "\n## （一）甲\n\n### 1.乙\n\n正文。\n\n#### 小标题\n\n正文。\n") == []
    # decimals and grid tables are not items; fenced code is content
    assert outline_problems("# 一、甲\n\n预算数为\n12.5万元。\n\n+---+\n| a |\n+---+\n| （1）b |\n+---+\n") == []
    assert outline_problems("# 一、甲\n\n```\n# 注释\n```\n") == []


def test_chinese_numbers_read_back():
    assert [cn_number(t) for t in ("一", "九", "十", "十一", "十九", "二十", "二十三")] == [1, 9, 10, 11, 19, 20, 23]
    assert cn_number("") is None and cn_number("甲") is None


def test_author_markdown_is_fitted_below_the_report_levels():
    text = "第一段。\n# 小标题\n正文。\n（1）主要职能\n负责……\n① 其一\n```\n# 不是标题\n（2）不是条目\n```\n"
    fitted = fit_narrative(text)
    assert fitted == (
        "第一段。\n\n#### 小标题\n正文。\n\n（1）主要职能\n负责……\n\n① 其一\n\n```\n# 不是标题\n（2）不是条目\n```\n"
    )
    assert outline_problems("# 一、甲\n\n" + fitted) == []


def _render(text: str, name: str = "x.perf", options: RenderOptions | None = None) -> str:
    loaded = load(name, text)
    assert loaded.ok, [str(d) for d in loaded.diagnostics if d.severity.value == "error"]
    return render_markdown(loaded.evaluation, loaded.scorecard, options)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.perf")), ids=lambda p: p.stem)
def test_every_example_renders_a_valid_outline(example):
    md = _render(example.read_text(encoding="utf-8"), str(example))
    assert outline_problems(md) == []
    assert "\n# 八、其他需要说明的问题\n" in md


def _top_level_items(text: str) -> list[str]:
    """A .perf file cut into its top-level items (项目 {…}, 资金 {…}, 正文 "…" \"\"\"…\"\"\" …)."""
    starts = [m.start() for m in re.finditer(r"(?m)^(?=[^\s#}])", text)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)])]


SEED_ITEMS = {p.stem: _top_level_items(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.perf"))}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SEED_ITEMS)), st.data())
def test_any_part_of_a_file_renders_a_valid_outline(stem, data):
    """Drop any of a file's top-level items but 项目: the report is still a well-formed outline —
    sections without content are omitted or say so, and the numbers never skip."""
    items = SEED_ITEMS[stem]
    keep = [item for item in items if item.startswith("项目") or data.draw(st.booleans(), label=item[:12])]
    loaded = load(f"{stem}.perf", "".join(keep))
    assume(loaded.ok)  # some parts need others (a 资金到位率 row needs 资金): such a file is refused
    md = render_markdown(loaded.evaluation, loaded.scorecard)  # raises on any outline problem
    assert outline_problems(md) == []
    for chapter in ("一、基本情况", "四、绩效评价指标分析", "七、有关建议", "八、其他需要说明的问题"):
        assert f"\n# {chapter}\n" in md


def test_a_template_that_glues_a_heading_is_refused(tmp_path):
    """The slip that once printed "…收回50份。 ### 3.分析评价": a block tag ending a content line
    eats the blank line before the next heading. A unit's template with it is refused, loudly."""
    report = (templates_dir() / "report.md.j2").read_text(encoding="utf-8")
    (tmp_path / "report.md.j2").write_text(
        report + "\n{% for ph in work.phases %}\n### {{ loop.index }}.{{ ph.name }}\n\n"
        "{% if ph.text %}{{ ph.text }}{% endif %}\n\n{% endfor %}\n",
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match="heading without a blank line"):
        _render((EXAMPLES / "12345-hotline-2023.perf").read_text(encoding="utf-8"), options=RenderOptions(tmp_path))
