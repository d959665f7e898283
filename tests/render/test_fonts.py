"""Finding Chinese fonts without fontconfig."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from perfdsl.render import fonts
from perfdsl.render.errors import RenderError

CHINESE = fonts._PROBE


def os2_table(cjk_bit: bool = True, gb2312: bool = False) -> bytes:
    t = bytearray(86)
    struct.pack_into(">H", t, 0, 1)  # version 1: has code page ranges
    struct.pack_into(">I", t, 46, (1 << 27) if cjk_bit else 0)
    struct.pack_into(">I", t, 78, (1 << 18) if gb2312 else 0)
    return bytes(t)


def cmap12(chars: str) -> bytes:
    groups = b"".join(struct.pack(">III", ord(c), ord(c), i + 1) for i, c in enumerate(chars))
    sub = struct.pack(">HHIII", 12, 0, 16 + len(groups), 0, len(chars)) + groups
    return struct.pack(">HH", 0, 1) + struct.pack(">HHI", 3, 10, 12) + sub


def cmap4(chars: str, range_offsets: bool = False) -> bytes:
    codes = sorted(ord(c) for c in chars) + [0xFFFF]
    seg = len(codes)
    ends = starts = codes
    if range_offsets:  # glyph ids looked up in glyphIdArray (one entry per segment)
        deltas = [0] * seg
        # &idRangeOffset[i] + offset = &glyphIdArray[i], the array following idRangeOffset
        offsets = [2 * seg] * (seg - 1) + [0]
        glyphs = [5] * seg
    else:
        deltas = [(1 - c) & 0xFFFF for c in codes]
        offsets = [0] * seg
        glyphs = []
    body = (
        struct.pack(f">{seg}H", *ends)
        + b"\0\0"
        + struct.pack(f">{seg}H", *starts)
        + struct.pack(f">{seg}H", *deltas)
        + struct.pack(f">{seg}H", *offsets)
        + struct.pack(f">{len(glyphs)}H", *glyphs)
    )
    sub = struct.pack(">HHHHHHH", 4, 14 + len(body), 0, 2 * seg, 0, 0, 0) + body
    return struct.pack(">HH", 0, 1) + struct.pack(">HHI", 3, 1, 12) + sub


def sfnt(tables: dict[bytes, bytes], base: int = 0) -> bytes:
    """A minimal font: table directory plus the given tables, placed at ``base``."""
    head = struct.pack(">IHHHH", 0x00010000, len(tables), 0, 0, 0)
    offset = base + 12 + 16 * len(tables)
    records, data = b"", b""
    for tag, body in tables.items():
        records += struct.pack(">4sIII", tag, 0, offset + len(data), len(body))
        data += body + b"\0" * (-len(body) % 4)
    return head + records + data


def ttc(face: bytes) -> bytes:
    header = b"ttcf" + struct.pack(">HHII", 1, 0, 1, 16)
    return header + face


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_chinese_font_is_recognised(tmp_path):
    f = write(tmp_path, "a.ttf", sfnt({b"OS/2": os2_table(), b"cmap": cmap12(CHINESE)}))
    assert fonts.is_cjk_font(f)


@pytest.mark.parametrize("range_offsets", [False, True])
def test_format4_cmap(tmp_path, range_offsets):
    f = write(
        tmp_path,
        "b.otf",
        sfnt({b"OS/2": os2_table(gb2312=True, cjk_bit=False), b"cmap": cmap4(CHINESE, range_offsets)}),
    )
    assert fonts.is_cjk_font(f)
    partial = write(tmp_path, "c.otf", sfnt({b"OS/2": os2_table(), b"cmap": cmap4(CHINESE[:3], range_offsets)}))
    assert not fonts.is_cjk_font(partial)


def test_collection_uses_first_face(tmp_path):
    face = sfnt({b"OS/2": os2_table(), b"cmap": cmap12(CHINESE)}, base=16)
    assert fonts.is_cjk_font(write(tmp_path, "d.ttc", ttc(face)))


def test_claimed_but_missing_glyphs_is_not_chinese(tmp_path):
    # Some Latin fonts (DejaVu Math TeX Gyre) set the CJK range bit without having the glyphs.
    f = write(tmp_path, "e.ttf", sfnt({b"OS/2": os2_table(), b"cmap": cmap12("abc")}))
    assert not fonts.is_cjk_font(f)


def test_latin_and_broken_files_are_not_chinese(tmp_path):
    assert not fonts.is_cjk_font(
        write(tmp_path, "f.ttf", sfnt({b"OS/2": os2_table(cjk_bit=False), b"cmap": cmap12(CHINESE)}))
    )
    assert not fonts.is_cjk_font(write(tmp_path, "g.ttf", b"not a font at all"))
    assert not fonts.is_cjk_font(write(tmp_path, "h.ttf", sfnt({b"OS/2": os2_table()})[:30]))


def test_dirs_of_found_fonts(tmp_path):
    sub = tmp_path / "fonts" / "noto"
    sub.mkdir(parents=True)
    write(sub, "x.ttc", ttc(sfnt({b"OS/2": os2_table(), b"cmap": cmap12(CHINESE)}, base=16)))
    write(tmp_path / "fonts", "latin.ttf", sfnt({b"OS/2": os2_table(cjk_bit=False), b"cmap": cmap12("a")}))
    assert fonts.cjk_font_dirs([tmp_path / "fonts"]) == [sub]


def test_missing_fonts_name_what_to_install(tmp_path):
    with pytest.raises(RenderError) as info:
        fonts.cjk_font_dirs([tmp_path])
    err = info.value
    assert "No Chinese font" in str(err)
    assert "apt-get install fonts-noto-cjk" in err.hint
    assert "SimSun" in err.hint and "Songti SC" in err.hint
    assert fonts.FONT_PATH_ENV in err.hint


def test_environment_directory_comes_first(tmp_path, monkeypatch):
    write(tmp_path, "mine.ttf", sfnt({b"OS/2": os2_table(), b"cmap": cmap12(CHINESE)}))
    monkeypatch.setenv(fonts.FONT_PATH_ENV, str(tmp_path))
    assert fonts.font_search_dirs()[0] == tmp_path
    assert fonts.cjk_font_dirs()[0] == tmp_path


def test_this_machine_has_a_chinese_font(cjk_font_dirs):
    assert cjk_font_dirs and all(d.is_dir() for d in cjk_font_dirs)
