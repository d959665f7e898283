"""The DOCX and the XLSX as a reader without Word opens them: through LibreOffice, read back from
the PDF it makes (what scripts/render_pages.py shows as pages)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from perfdsl.render.build import build_file
from perfdsl.render.gridtable import Cell, grid_table
from perfdsl.render.pandoc import markdown_to_docx
from perfdsl.render.title import kinds
from tests.conftest import EXAMPLES
from tests.render.render_testlib import require_tool


def soffice_pdf(files: list[Path], out: Path) -> list[Path]:
    exe = require_tool("soffice", "libreoffice-writer-nogui libreoffice-calc-nogui")
    profile = out / "profile"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return [out / (f.stem + ".pdf") for f in files]


def text_of(pdf: Path) -> str:
    exe = require_tool("pdftotext", "poppler-utils")
    return subprocess.run([exe, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, dict[str, str]]:
    require_tool("soffice", "libreoffice-writer-nogui libreoffice-calc-nogui")
    out = tmp_path_factory.mktemp("lo")
    files, keys = [], []
    for src in sorted(EXAMPLES.glob("*.perf")):
        r = build_file(str(src), ("docx", "xlsx"), str(out / src.stem))
        assert r.ok, r.error
        for p in map(Path, r.outputs):
            files.append(p)
            keys.append((src.stem, p.suffix[1:]))
    texts: dict[str, dict[str, str]] = {}
    for (stem, kind), pdf in zip(keys, soffice_pdf(files, out / "pdf")):
        texts.setdefault(stem, {})[kind] = text_of(pdf)
    return texts


def test_numbers_are_never_split_inside(converted):
    """GB/T 15835: a number is never broken across lines ("20⏎9.62万元", "1⏎2345", "100.0⏎0%"),
    in the text or in a table cell."""
    for stem, texts in converted.items():
        for kind, text in texts.items():
            lines = text.splitlines()
            splits = [
                f"{a}⏎{b}"
                for a, b in zip(lines, lines[1:])
                # a table cell holding only a number ends its line: that is not a split
                if re.search(r"\d[.,]?$", a) and re.match(r"[.,]?\d", b) and not re.fullmatch(r"[\d.,%—]+", a.strip())
            ]
            assert not splits, (stem, kind, splits[:3])
        # a percentage sign never starts a line
        assert not re.search(r"\d\n%", texts["docx"]), stem


def test_no_markdown_reaches_the_reader(converted):
    for stem, texts in converted.items():
        assert not re.search(r"(?m)(?:^|[。；\s])#{2,6}\s", texts["docx"]), stem


def test_the_forms_come_through_with_their_figures(converted):
    xinfang = converted["xinfang-office-2023"]
    for kind in ("docx", "xlsx"):
        flat = "".join(xinfang[kind].split())
        assert "项目支出绩效自评表" in flat and "93.91" in flat and "100.00%" in flat, kind
    assert "附件1" in "".join(xinfang["docx"].split())


GLYPHS = "令骨直海写角化过说曾"  # characters whose Japanese forms differ from the Chinese


def _rendered(markdown: str, out: Path, name: str, styles_edit=None) -> bytes:
    docx = out / f"{name}.docx"
    data = markdown_to_docx(markdown)
    if styles_edit:
        src = zipfile.ZipFile(io.BytesIO(data))
        with zipfile.ZipFile(docx, "w") as dst:
            for n in src.namelist():
                body = src.read(n)
                dst.writestr(n, styles_edit(body.decode()).encode() if n == "word/styles.xml" else body)
    else:
        docx.write_bytes(data)
    (pdf,) = soffice_pdf([docx], out)
    png = out / name
    exe = require_tool("pdftoppm", "poppler-utils")
    subprocess.run([exe, "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(png)], check=True, timeout=60)
    return next(out.glob(f"{name}-*.png")).read_bytes()


def test_chinese_text_gets_chinese_glyph_forms(tmp_path, cjk_font_dirs):
    """The DOCX names the 公文 fonts (仿宋_GB2312 …); a machine without them falls back. What
    matters is that the fallback draws Simplified Chinese forms, not Japanese ones: rendered by
    LibreOffice, our text is pixel for pixel the text set in Noto Sans CJK SC, and not what the
    same text becomes when its language is Japanese. (pdffonts names every Noto CJK font
    LibreOffice 7.4 embeds "…CJKjp…": the collection's faces share one CFF table, which carries
    the Japanese face's name; the glyphs are those of the language.)"""
    ours = _rendered(GLYPHS, tmp_path, "ours")
    ja = _rendered(GLYPHS, tmp_path, "ja", lambda s: s.replace('w:eastAsia="zh-CN"', 'w:eastAsia="ja-JP"'))
    chinese = {
        _rendered(
            GLYPHS, tmp_path, f"sc{i}", lambda s, f=face: s.replace('w:eastAsia="仿宋_GB2312"', f'w:eastAsia="{f}"')
        )
        for i, face in enumerate(("Noto Sans CJK SC", "Noto Serif CJK SC"))
    }
    assert ours != ja, "the test cannot tell Chinese from Japanese forms apart"
    assert ours in chinese


# A number and its unit parted by a line end: "239⏎万元", "36350人⏎次", "285万⏎条", "5000元⏎/人".
PARTED = re.compile(
    r"\d\n(?:[万亿元人次个条台户件项平%/])|\d[万亿]\n[元条人]|\d人\n次|\d元\n/|\d平\n方|\d平方\n米|[≥≤]\n\d"
)


def test_no_number_is_parted_from_its_unit(converted):
    for stem, texts in converted.items():
        text = re.sub(r" +\n", "\n", texts["docx"])
        assert not PARTED.findall(text), (stem, [text[m.start() - 20 : m.end() + 4] for m in PARTED.finditer(text)][:3])


def test_titles_keep_their_kind_on_one_line(converted):
    """Through LibreOffice, the examples' titles break before "绩效评价报告" or
    "绩效评价指标体系及综合评分表", never inside (the 12345 example's are two lines each)."""
    broken = 0
    for stem, texts in converted.items():
        text = texts["docx"]
        titles = [text.split("（", 1)[0]]  # the report's title, before its year line
        titles += [m.group(1) for m in re.finditer(r"(?m)^\f?附件\s*\d+\s*\n+((?:.*\n){2})", text)]  # an annex's
        for title in titles:
            kind = next((k for k in kinds() if k in title.replace("\n", "")), None)
            assert kind is not None and kind in title, (stem, title)
            broken += "\n" in title.strip()
    assert broken >= 2  # the long ones did need two lines


def test_a_wide_form_keeps_every_figure_whole(tmp_path):
    """The 监控表 (17 columns, landscape) through LibreOffice: no figure broken inside its cell
    ("2690⏎0人次" and "7.5⏎8元/人⏎次" when its columns kept the spreadsheet's proportions)."""
    from tests.lifecycle.test_forms import FIGURES, LIFECYCLE

    r = build_file(str(LIFECYCLE), ("docx",), str(tmp_path / "out"), forms=("监控表",))
    assert r.ok, r.error
    (pdf,) = soffice_pdf([Path(r.outputs[0])], tmp_path)
    text = text_of(pdf).replace("\u2060", "")
    assert all(figure in text for figure in FIGURES), [f for f in FIGURES if f not in text]


FILL = "全年在社区提供助餐服务上门探访独居高龄老人紧急呼叫平均响应时间服务投诉全部办结老年人满意度"


@pytest.mark.parametrize("where", ["body", "table cells"])
def test_a_number_keeps_its_unit_at_every_line_position(tmp_path, where):
    """The number and its unit at each of 45 positions of a line, six units, in the body and in
    the cells of a table: LibreOffice never parts them. The same text without the word joiners
    and the run language (numberunit.join_in_docx) is parted at several positions (the test can
    tell)."""
    paragraphs = [
        FILL[:k] + "36350" + unit + "，" + FILL
        for unit in ("万元", "人次", "个", "元/人", "万条", "平方米")
        for k in range(45)
    ]
    if where == "body":
        markdown = "\n\n".join(paragraphs)
    else:
        markdown = "\n\n".join(grid_table([[Cell("实际完成情况"), Cell(p)]]) for p in paragraphs)
    ours = markdown_to_docx(markdown)
    plain = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ours)) as src, zipfile.ZipFile(plain, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace("\u2060".encode(), b"").replace(b'<w:lang w:eastAsia="zxx" />', b"")
            dst.writestr(name, data)
    (tmp_path / "ours.docx").write_bytes(ours)
    (tmp_path / "plain.docx").write_bytes(plain.getvalue())
    ours_pdf, plain_pdf = soffice_pdf([tmp_path / "ours.docx", tmp_path / "plain.docx"], tmp_path)
    parted = [len(PARTED.findall(re.sub(r" +\n", "\n", text_of(pdf)))) for pdf in (ours_pdf, plain_pdf)]
    assert parted[0] == 0 and parted[1] >= 5, parted
