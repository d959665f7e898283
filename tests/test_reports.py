"""The documents a unit files: built from both seeds, deterministic, safe, never half-written."""

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from perfdsl.loader import load
from perfdsl.render.build import build_file
from perfdsl.render.report import render_markdown
from tests.conftest import IN_CI, SEED_000, SEED_003


def _md(path):
    loaded = load(str(path))
    return render_markdown(loaded.evaluation, loaded.scorecard)


def test_report_markdown_golden(file_regression):
    file_regression.check(_md(SEED_000), basename="seed000_report", extension=".md")


def test_report_markdown_golden_003(file_regression):
    file_regression.check(_md(SEED_003), basename="seed003_report", extension=".md")


def test_report_has_the_official_outline_and_figures():
    md = _md(SEED_000)
    for heading in [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、综合评价情况及评价结论",
        "四、绩效评价指标分析",
        "五、预算执行进度与绩效指标偏差",
        "六、主要经验及做法、存在的问题及原因分析",
        "七、有关建议",
        "八、其他需要说明的问题",
        "附件1",
    ]:
        assert heading in md
    assert "总分为96.39分，绩效评级为“优”" in md
    assert "“发送短信”指标：预期指标值为“大于等于285万条”，实际完成指标值为“61.99万条”，指标完成率为21.75%" in md
    assert "预算执行率为94.79%" in md


def _document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    results = {}
    for key, src in (("000", SEED_000), ("003", SEED_003)):
        r = build_file(str(src), ("docx", "pdf", "html", "xlsx", "md"), str(out / key))
        assert r.ok, r.error
        results[key] = {Path(p).suffix: Path(p) for p in r.outputs}
    return results


def test_docx_contents(built):
    xml = _document_xml(built["003"][".docx"])
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    text = re.sub(r"<[^>]+>", "", xml)
    assert "93.91" in text and "98.00" in text
    text000 = re.sub(r"<[^>]+>", "", _document_xml(built["000"][".docx"]))
    for fig in ("96.39", "94.79%", "18.74", "26.65"):
        assert fig in text000


def test_docx_golden_dump(built, data_regression):
    """A normalised dump: the paragraphs' text and style, the tables' shape."""
    xml = _document_xml(built["003"][".docx"])
    paragraphs = re.findall(r'<w:p>(?:<w:pPr><w:pStyle w:val="([^"]+)" />)?(.*?)</w:p>', xml)
    dump = [
        f"{style or 'Body'}: {re.sub(r'<[^>]+>', '', body)[:60]}"
        for style, body in paragraphs
        if not style or style != "Compact"
    ]
    data_regression.check({"paragraphs": dump, "tables": xml.count("<w:tbl>"), "merged": xml.count("w:vMerge")})


def test_xlsx_present_with_merges(built):
    import openpyxl

    wb = openpyxl.load_workbook(built["003"][".xlsx"])
    assert sum(len(ws.merged_cells.ranges) for ws in wb.worksheets) > 0
    values = " ".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    )
    assert "93.91" in values


def test_html_is_self_contained(built):
    html = built["000"][".html"].read_text(encoding="utf-8")
    assert "96.39" in html and "Content-Security-Policy" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None and not IN_CI, reason="poppler-utils not installed")
def test_pdf_text_and_fonts(built):
    pdf = built["000"][".pdf"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "96.39" in text and "一、基本情况" in text and "绩效评价指标分析" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK", fonts) and " yes " in fonts  # embedded CJK font


def _sha(paths):
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def test_two_builds_are_byte_identical(tmp_path):
    a = build_file(str(SEED_003), ("docx", "xlsx", "html", "md"), str(tmp_path / "a"))
    b = build_file(str(SEED_003), ("docx", "xlsx", "html", "md"), str(tmp_path / "b"))
    assert _sha(a.outputs) == _sha(b.outputs)


def test_a_broken_file_writes_nothing_and_keeps_the_old_output(tmp_path):
    src = tmp_path / "e.perf"
    shutil.copy(SEED_003, src)
    out = tmp_path / "out"
    first = build_file(str(src), ("docx", "xlsx"), str(out))
    before = _sha(first.outputs)
    src.write_text(src.read_text(encoding="utf-8") + "\n}}} 这不是合法的语法 ??? \n", encoding="utf-8")
    second = build_file(str(src), ("docx", "xlsx"), str(out))
    assert second.refused and not second.outputs
    assert _sha(first.outputs) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in first.outputs)


INJECTION = """
```{=openxml}
<w:p><w:r><w:t>INJECTED-XML</w:t></w:r></w:p>
```

<script>alert("INJECTED-JS")</script>

[点我]{onclick="alert(1)"} [链接](javascript:alert(1)) {{ cycler.__init__.__globals__ }}

![密码](../../etc/passwd)
"""


def _event_attributes(page: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"{tag} {name}" for name, _ in attrs if name.lower().startswith("on"))

    Finder().feed(page)
    return found


def test_injection_stays_text(tmp_path):
    body = SEED_000.read_text(encoding="utf-8")
    at = body.find('"""')
    src = tmp_path / "evil.perf"
    src.write_text(body[: at + 3] + INJECTION + body[at + 3 :], encoding="utf-8")
    loaded = load(str(src))
    codes = {d.code for d in loaded.diagnostics}
    assert {"P0401", "P0402"} <= codes  # the image and the javascript: link are reported
    assert build_file(str(src), ("md",), str(tmp_path / "refused")).refused  # an image outside is an error
    src.write_text(src.read_text(encoding="utf-8").replace("![密码](../../etc/passwd)", ""), encoding="utf-8")
    r = build_file(str(src), ("docx", "html", "md"), str(tmp_path / "out"))
    assert r.ok
    outs = {Path(p).suffix: Path(p) for p in r.outputs}
    xml = _document_xml(outs[".docx"])
    assert "<w:t>INJECTED-XML</w:t></w:r></w:p>" not in xml
    html = outs[".html"].read_text(encoding="utf-8")
    assert '<script>alert("INJECTED-JS")</script>' not in html and "&lt;script&gt;" in html
    assert not _event_attributes(html)  # `{onclick=…}` is text, never an attribute
    assert 'href="javascript:' not in html
    md = outs[".md"].read_text(encoding="utf-8").replace("\\", "")
    assert "{{ cycler.**init**.**globals** }}" in md  # printed (Markdown's own emphasis), never run
    assert "root:" not in html


def test_year_over_year_figures_reach_the_scorecard_and_the_report(tmp_path):
    from tests.conftest import EXAMPLES

    starter = (EXAMPLES / "starter.perf").read_text(encoding="utf-8")
    (tmp_path / "perfdsl.toml").write_text("", encoding="utf-8")
    (tmp_path / "2023").mkdir()
    (tmp_path / "2024").mkdir()
    (tmp_path / "2023" / "a.perf").write_text(
        starter.replace("年度 2024", "年度 2023").replace("实际 11次", "实际 9次"), encoding="utf-8"
    )
    this = starter.replace('评价规则 "caiyu-2020-10"', '评价规则 "caiyu-2020-10"\n  上年评价 "../2023/a.perf"')
    (tmp_path / "2024" / "a.perf").write_text(this, encoding="utf-8")
    loaded = load(str(tmp_path / "2024" / "a.perf"))
    assert loaded.ok
    yoy = loaded.scorecard.year_over_year
    assert yoy is not None and yoy.last_year == 2023
    assert yoy.indicator("产出", "数量", "运行维护次数").actual.change == "+2"
    md = render_markdown(loaded.evaluation, loaded.scorecard)
    assert "与2023年度相比" in md and "“运行维护次数”实际完成值由9次变为11次" in md


def test_annex_and_self_evaluation_start_on_new_pages(built):
    xml = _document_xml(built["003"][".docx"])
    assert xml.count('<w:br w:type="page" />') + xml.count('<w:br w:type="page"/>') == 2


def test_the_summary_table_keeps_its_caption(built, tmp_path):
    """表1's caption is the table's: a Table Caption (kept with the next) just before it in the
    DOCX, the figure's caption in the PDF, held to the table's first row — the starter's fell at
    the foot of page 3 with its table on page 4 while it was a paragraph of its own."""
    xml = _document_xml(built["000"][".docx"])
    assert re.search(
        r'<w:pStyle w:val="TableCaption" />(?:(?!</w:p>).)*综合评分表(?:(?!</w:p>).)*</w:p>\s*<w:tbl>', xml
    )
    assert "<caption>表1 综合评分表</caption>" in built["000"][".html"].read_text(encoding="utf-8")
    exe = shutil.which("pdftotext")
    if exe is None and not IN_CI:
        pytest.skip("poppler-utils not installed")
    starter = build_file(str(SEED_000.parent / "starter.perf"), ("pdf",), str(tmp_path))
    assert starter.ok, starter.error
    text = subprocess.run([exe or "pdftotext", starter.outputs[0], "-"], capture_output=True, text=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    at = lines.index("表1 综合评分表")
    assert lines[at + 1] == "一级指标", lines[at : at + 3]


def test_an_overall_completion_above_100_is_not_a_negative_deviation():
    """The lifecycle example's indicators average 101.32 %: the report says by how much they were
    passed, not "总体偏差率为-1.32%"."""
    md = _md(SEED_000.parent / "lifecycle-elderly-care-2024.perf")
    assert "总体完成率为101.32%，超出年度目标1.32个百分点。" in md
    assert "偏差率为-" not in md
    assert "总体完成率为96.37%，总体偏差率为3.63%。" in _md(SEED_000)  # below 100 %: as before
