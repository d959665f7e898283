"""Links and pictures in narrative, judged on the parsed text: every spelling of an unsafe target
ends as plain text, and only project pictures that every output can show are embedded."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from perfdsl.loader import load
from perfdsl.model.markdown_safety import link_is_safe, repaired_png
from perfdsl.render.narrative import judge, neutralise, plain_paragraphs
from perfdsl.render.pdf import images_as_files

from .conftest import STARTER


def _png(width=1, height=1, crc_ok=True) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) ^ (0 if crc_ok else 1)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims a picture of width × height."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    head = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return _png()[:8] + head + _png()[33:]


def _live_links(markdown: str) -> list[str]:
    """Every link target pandoc-like CommonMark would make of the written Markdown."""
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True
    out = []
    for tok in md.parse(markdown):
        for child in tok.children or []:
            if child.type == "link_open":
                out.append(child.attrGet("href"))
            if child.type == "image":
                out.append(child.attrGet("src"))
    return out


UNSAFE = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](javascript&#58;alert(1))",
    "[a](javascript&#x3A;alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](java&#115;cript:alert(1))",
    "[a]( javascript:alert(1) )",
    "[a](<javascript:alert(1)>)",
    "[a](\njavascript:alert(1))",
    "[a](%6Aavascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](file:///etc/passwd)",
    "[a](//evil.example/share)",
    "[a](\\\\\\\\evil\\\\share)",
    "[a](../secret.docx)",
    "[a [b] c](javascript:alert(1))",
    "[a\nb](javascript:alert(1))",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "[a][r]\n\n> [r]: javascript:alert(1)",
    "[a][r]\n\n[r]:\n  javascript:alert(1)",
    "[r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "- item [a](javascript:alert(1))",
    "> quote [a](javascript:alert(1))",
    "| h |\n|---|\n| [a](javascript:alert(1)) |",
    "*[a](javascript:alert(1))*",
]


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_links_become_text(text, tmp_path):
    got = judge(text, tmp_path, tmp_path)
    assert [p.code for p in got.problems] == ["P0402"], got.problems
    assert _live_links(got.markdown) == []


SAFE = [
    ("[a](https://example.org/x?y=1)", "https://example.org/x?y=1"),
    ("[a](http://example.org)", "http://example.org"),
    ("[a](mailto:zhang@example.org)", "mailto:zhang@example.org"),
    ("[a](#一、基本情况)", "#%E4%B8%80%E3%80%81%E5%9F%BA%E6%9C%AC%E6%83%85%E5%86%B5"),
    ("<https://example.org>", "https://example.org"),
]


@pytest.mark.parametrize(("text", "href"), SAFE)
def test_safe_links_are_kept(text, href, tmp_path):
    got = judge(text, tmp_path, tmp_path)
    assert got.problems == []
    assert _live_links(got.markdown) == [href]


def test_at_words_and_pandoc_syntax_are_text(tmp_path):
    text = "联系 @zhang；^[脚注] ~下标~ ^上标^ $x$ [文字]{.cls} `代码` **粗体**"
    md = neutralise(text, tmp_path, tmp_path)
    assert "\\@zhang" in md and "\\^\\[脚注\\]" in md and "**粗体**" in md and "`代码`" in md


def test_structure_is_kept(tmp_path):
    text = "# 标题\n\n段落一\n第二行\n\n- 甲\n- 乙\n\n3. 丙\n4. 丁\n\n> 引文\n\n```\ncode ``` here\n```"
    md = neutralise(text, tmp_path, tmp_path)
    assert md.startswith(
        "# 标题\n\n段落一\n第二行\n\n-   甲\n-   乙\n\n3.  丙\n4.  丁\n\n> 引文\n\n````\ncode ``` here\n````"
    )


@given(st.text(alphabet=st.sampled_from(list("[]()<>!:&#;/\\ \n\tjavascript*_`>-1.x@")), max_size=80))
@settings(max_examples=300, deadline=None)
def test_no_unsafe_target_survives_any_text(text):
    here = Path("/nonexistent-project")
    md = neutralise(text, here, here)
    for target in _live_links(md):
        assert link_is_safe(target), (text, md, target)


# ---------------------------------------------------------------- pictures
def _image_case(tmp_path, files: dict[str, bytes], text: str):
    (tmp_path / "perfdsl.toml").write_text("")
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return judge(text, tmp_path, tmp_path)


def test_a_project_picture_is_embedded(tmp_path):
    got = _image_case(tmp_path, {"img/现场.png": _png(2, 2)}, "![现场](img/现场.png)")
    assert got.problems == [] and "](data:image/png;base64," in got.markdown


def test_a_picture_with_wrong_checksums_is_repaired(tmp_path):
    got = _image_case(tmp_path, {"a.png": _png(crc_ok=False)}, "![a](a.png)")
    assert got.problems == []
    data = base64.b64decode(got.markdown.split("base64,")[1].rstrip(")"))
    assert data == _png(crc_ok=True)


@pytest.mark.parametrize(
    ("files", "text", "why"),
    [
        ({}, "![a](missing.png)", "no such file"),
        ({"a.png": b"not a picture"}, "![a](a.png)", "not a png"),
        ({"a.txt": b"x"}, "![a](a.txt)", "only png"),
        ({"a.png": _png()[:40]}, "![a](a.png)", "damaged"),
        ({"a.png": _png_claiming(100_000, 100_000)}, "![a](a.png)", "too large"),
        ({}, "![a](https://example.org/a.png)", "only image files of the project"),
        ({}, "![a](data:image/png;base64,AAAA)", "only image files of the project"),
        ({}, "![a](/etc/hostname.png)", "outside"),
        ({}, "![a](../outside.png)", "outside"),
        ({}, "![a][r]\n\n[r]: file:///etc/passwd.png", "only image files of the project"),
    ],
)
def test_pictures_that_cannot_be_shown_are_located_errors(tmp_path, files, text, why):
    got = _image_case(tmp_path, files, text)
    assert [p.code for p in got.problems] == ["P0401"]
    assert why in got.problems[0].why_en
    assert "data:" not in got.markdown.replace("data\\:", "")


def test_a_picture_that_is_a_fifo_is_refused(tmp_path):
    import os

    (tmp_path / "perfdsl.toml").write_text("")
    os.mkfifo(tmp_path / "a.png")
    got = judge("![a](a.png)", tmp_path, tmp_path)
    assert "not a regular file" in got.problems[0].why_en


def test_a_png_that_inflates_past_its_header_is_refused():
    bomb = _png(1, 1)[:33]  # signature and IHDR of a 1×1 picture …
    body = zlib.compress(b"\x00" * 10_000_000)  # … with 10 MB of pixel data
    bomb += struct.pack(">I", len(body)) + b"IDAT" + body + b"\x00\x00\x00\x00" + _png()[-12:]
    assert repaired_png(bomb, 1) is None


def test_the_pdf_gets_pictures_as_files():
    png = _png()
    md = f"text\n\n![现场](data:image/png;base64,{base64.b64encode(png).decode()})\n\n\\]\\(data\\:image/png;base64,AAAA\\)"
    out, files = images_as_files(md)
    assert out.startswith("text\n\n![现场](image-1.png)") and files == {"image-1.png": png}


def test_the_checker_locates_the_line_of_a_bad_picture(tmp_path):
    (tmp_path / "perfdsl.toml").write_text("")
    text = STARTER + '\n正文 "主要内容" """\n第一段。\n\n![现场](nowhere.png)\n"""\n'
    (tmp_path / "x.perf").write_text(text, encoding="utf-8")
    loaded = load(str(tmp_path / "x.perf"))
    found = [d for d in loaded.diagnostics if d.code == "P0401"]
    assert len(found) == 1 and found[0].severity == "error"
    assert text.split("\n")[found[0].span.line - 1] == "![现场](nowhere.png)"


@given(
    st.lists(
        st.sampled_from([*"甲乙 \n1.)(，。%@a-*[\u3000\u00a0\t", "  \n", "\n\n", "    ", "\n \n"]), max_size=40
    ).map("".join)
)
@settings(max_examples=500, deadline=None)
def test_plain_text_written_without_the_tree_is_what_the_tree_gives(text):
    here = Path("/nonexistent-project")
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == judge(text, here, here).markdown, repr(text)


def test_most_narrative_takes_the_plain_path():
    assert plain_paragraphs("  第一段，资金 19.2万元（96%）。\n  第二行。\n\n  第二段。") is not None
