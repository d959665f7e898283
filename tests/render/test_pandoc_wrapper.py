"""The pandoc wrapper: no raw content gets through, DOCX output is reproducible, pandoc is
never waited for forever."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from perfdsl.render import pandoc
from perfdsl.render.errors import RenderError
from perfdsl.render.gridtable import Cell, grid_table

INJECTION = """\
# 标题

正文 <script>alert(1)</script> 和 \\begin{x} 与 $x^2$。

```{=openxml}
<w:p><w:r><w:t>INJECTED-OPENXML</w:t></w:r></w:p>
```

```{=typst}
#rect(fill: red)[INJECTED-TYPST]
```

`<b>INJECTED-INLINE</b>`{=html}

<div class="x">raw div</div>

---
title: INJECTED-METADATA
---
"""


def docx_part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def test_raw_content_stays_text_in_docx():
    document = docx_part(pandoc.markdown_to_docx(INJECTION), "word/document.xml")
    # the OpenXML block is shown escaped, never spliced in as a paragraph of its own
    assert "&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;INJECTED-OPENXML" in document
    assert "<w:t>INJECTED-OPENXML</w:t>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "\\begin{x}" in document and "$x^2$" in document
    assert "&lt;div class=" in document and "raw div&lt;/div&gt;" in document
    assert "oMath" not in document  # "$x^2$" is no formula


def test_raw_content_stays_text_in_typst():
    src = pandoc.markdown_to_typst(INJECTION)
    body = src[src.index("标题") :]
    assert "#rect(fill: red)[INJECTED-TYPST]" not in body.replace("`{=typst} #rect(fill: red)[INJECTED-TYPST]`", "")
    assert "\\<script\\>alert(1)\\</script\\>" in body
    assert "\\\\begin{x}" in body and "\\$x^2\\$" in body
    assert "INJECTED-METADATA" in body  # a narrative "---" block is text, not metadata
    assert "title: [INJECTED" not in src


def test_raw_content_stays_text_in_html():
    html = pandoc.markdown_to_html(INJECTION)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<div" not in html and "<b>" not in html


def test_metadata_is_plain_text():
    src = pandoc.markdown_to_typst("正文", metadata={"title": "标题 #set *x* $y$ <z>", "date": "2024年3月"})
    assert "标题 \\#set \\*x\\* \\$y\\$ \\<z\\>" in src
    docx = pandoc.markdown_to_docx("正文", metadata={"title": "T <w:p/>"})
    assert "T &lt;w:p/&gt;" in docx_part(docx, "word/document.xml")


def test_local_files_are_not_read():
    docx = pandoc.markdown_to_docx("![secret](/etc/hostname)")
    names = zipfile.ZipFile(io.BytesIO(docx)).namelist()
    assert not any(n.startswith("word/media/") for n in names)


def test_docx_is_reproducible(tmp_path):
    md = "# 标题\n\n正文。\n\n" + grid_table([[Cell("产出指标", rowspan=2), Cell("a")], [Cell("b")]])
    first = pandoc.markdown_to_docx(md, out_path=tmp_path / "a.docx", metadata={"title": "报告"})
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    second = pandoc.markdown_to_docx(md, out_path=tmp_path / "b.docx", metadata={"title": "报告"})
    assert first == second
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes() == first
    z = zipfile.ZipFile(io.BytesIO(first))
    assert z.namelist()[0] == "[Content_Types].xml"
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = docx_part(first, "docProps/core.xml")
    assert "2000" not in core and core.count("1980-01-01T00:00:00Z") == 2
    assert "<dc:language>zh-CN</dc:language>" in core


def test_docx_uses_reference_styles_and_merges_cells():
    md = grid_table([[Cell("产出指标", rowspan=2), Cell("a")], [Cell("b")], [Cell("总分", colspan=2)]])
    data = pandoc.markdown_to_docx(md)
    document = docx_part(data, "word/document.xml")
    assert '<w:vMerge w:val="restart" />' in document and '<w:vMerge w:val="continue" />' in document
    assert '<w:gridSpan w:val="2" />' in document
    assert '<w:vAlign w:val="center" />' in document
    assert "w:footerReference" in document and 'w:w="11906"' in document  # A4 from reference.docx
    assert "仿宋_GB2312" in docx_part(data, "word/styles.xml")
    assert "word/footer1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_cell_fixes_keep_existing_alignment():
    xml = b'<w:tc><w:tcPr /></w:tc><w:tc><w:tcPr><w:vAlign w:val="bottom" /></w:tcPr></w:tc>'
    out = pandoc.fix_table_cells(xml)
    assert out.count(b"vAlign") == 2 and b'w:val="bottom"' in out and b'w:val="center"' in out


def test_merged_away_cells_get_the_cell_style():
    md = grid_table([[Cell("产出指标", rowspan=3), Cell("a")], [Cell("b")], [Cell("c")]])
    document = docx_part(pandoc.markdown_to_docx(md), "word/document.xml")
    assert "<w:pPr />" not in document
    assert document.count('<w:pStyle w:val="Compact" />') == 6


def test_no_warnings_for_a_chinese_report(caplog):
    md = "# 一、基本情况\n\n正文。\n\n" + grid_table([[Cell("表")]])
    with caplog.at_level("WARNING", logger="perfdsl.render.pandoc"):
        pandoc.markdown_to_typst(md, metadata={"title": "报告"})
        pandoc.markdown_to_docx(md, metadata={"title": "报告", "lang": "zh-CN"})
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def test_translations_are_pandocs_own():
    ours = pandoc.template_path("pandoc-data", "translations", "zh.yaml").read_bytes()
    builtin = subprocess.run(
        [pandoc.pandoc_path(), "--print-default-data-file", "translations/zh-Hans.yaml"],
        capture_output=True,
        check=True,
    ).stdout
    assert ours == builtin


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a stand-in for pandoc")
def test_a_hanging_pandoc_is_stopped(tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    fake = tmp_path / "pandoc"
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    started = time.monotonic()
    with pytest.raises(RenderError, match="did not finish"):
        pandoc.run_pandoc([], "x", timeout=0.5)
    assert time.monotonic() - started < 10
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(pid, 0)


def test_pandoc_failure_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="pandoc failed"):
        pandoc.markdown_to_docx("x", reference_docx=Path(tmp_path / "missing.docx"))


def test_the_pandoc_used_is_the_bundled_one_found_without_pypandoc():
    """The pandoc pypandoc-binary ships, found where it puts it: not a system pandoc on PATH,
    and without importing pypandoc (its lookup runs `pandoc --version` on every candidate)."""

    probe = (
        "import sys\nfrom perfdsl.render.pandoc import pandoc_path\nprint(pandoc_path(), 'pypandoc' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    import pypandoc

    assert out == [str(Path(pypandoc.__file__).parent / "files" / Path(out[0]).name), "False"]
