"""Find Chinese fonts for the PDF, without fontconfig.

typst is given font directories explicitly (system font discovery is off, so the same fonts
are used whatever the machine's font configuration says).  A font counts as Chinese when its
OS/2 table declares the CJK Unified Ideographs range or the GB 2312 / Big5 code pages (a few
hundred bytes read per file), and its character map has glyphs for common Chinese characters
(checked only for fonts that pass the first test, as some Latin fonts set those bits too).
"""

from __future__ import annotations

import bisect
import functools
import os
import struct
import sys
from pathlib import Path

from perfdsl.render.errors import RenderError

__all__ = ["FONT_PATH_ENV", "font_search_dirs", "cjk_font_files", "cjk_font_dirs"]

# Extra font directories, separated by os.pathsep, searched before the standard ones.
FONT_PATH_ENV = "PERFDSL_FONT_PATH"

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

INSTALL_HINT = (
    "Install a Chinese font, then run again:\n"
    "  Debian/Ubuntu: sudo apt-get install fonts-noto-cjk\n"
    "  Fedora: sudo dnf install google-noto-serif-cjk-fonts google-noto-sans-cjk-fonts\n"
    "  Windows: SimSun, SimHei, FangSong and KaiTi ship with Windows (C:\\Windows\\Fonts)\n"
    "  macOS: Songti SC, STSong, Heiti SC and Kaiti SC ship with macOS\n"
    f"or set {FONT_PATH_ENV} to a folder holding .ttf/.otf/.ttc Chinese fonts."
)


def font_search_dirs() -> list[Path]:
    """Directories searched, in order: $PERFDSL_FONT_PATH, then the usual system and user
    font directories of Linux, Windows and macOS (those that exist)."""
    extra = [Path(p) for p in os.environ.get(FONT_PATH_ENV, "").split(os.pathsep) if p]
    home = Path.home()
    standard = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local/share/fonts",
        Path("/System/Library/Fonts"),
        Path("/Library/Fonts"),
        home / "Library/Fonts",
    ]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        standard.append(windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only"
            standard.append(Path(local) / "Microsoft/Windows/Fonts")
    else:
        standard.append(Path(r"C:\Windows\Fonts"))  # harmless elsewhere: it does not exist
    seen, out = set(), []
    for d in extra + standard:
        if d.is_dir() and d.resolve() not in seen:
            seen.add(d.resolve())
            out.append(d)
    return out


def _first_face_offset(f) -> int | None:
    """Offset of the (first) font's table directory; collections point to their faces."""
    head = f.read(16)
    if len(head) < 16:
        return None
    if head[:4] == b"ttcf":  # tag, version, numFonts, then the offset of each face
        return struct.unpack(">I", head[12:16])[0]
    if head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return 0
    return None


def _tables(f, base: int) -> dict[bytes, tuple[int, int]]:
    f.seek(base + 4)
    (num_tables,) = struct.unpack(">H", f.read(2))
    f.seek(base + 12)
    directory = f.read(16 * num_tables)
    out = {}
    for i in range(num_tables):
        tag, _, offset, length = struct.unpack(">4sIII", directory[16 * i : 16 * i + 16])
        out[tag] = (offset, length)
    return out


def _declares_chinese(os2: bytes) -> bool:
    """OS/2 coverage bits: a cheap first filter (some Latin fonts set them too)."""
    if len(os2) < 58:
        return False
    if struct.unpack(">I", os2[46:50])[0] & (1 << 27):  # bit 59: CJK Unified Ideographs
        return True
    # version >= 1 has code page bits: 18 GB 2312, 20 Big5
    return len(os2) >= 82 and bool(struct.unpack(">I", os2[78:82])[0] & ((1 << 18) | (1 << 20)))


def _cmap_has(cmap: bytes, chars: str) -> bool:
    """Whether the Unicode cmap (format 4 or 12) maps every character to a glyph."""
    (n,) = struct.unpack(">H", cmap[2:4])
    subtables: dict[int, int] = {}
    for i in range(n):
        pid, eid, off = struct.unpack(">HHI", cmap[4 + 8 * i : 12 + 8 * i])
        fmt = struct.unpack(">H", cmap[off : off + 2])[0]
        if (pid, eid) in ((3, 10), (3, 1), (0, 3), (0, 4), (0, 6)) and fmt in (4, 12):
            subtables.setdefault(fmt, off)
    if 12 in subtables:
        off = subtables[12]
        (groups,) = struct.unpack(">I", cmap[off + 12 : off + 16])
        flat = struct.unpack(f">{3 * groups}I", cmap[off + 16 : off + 16 + 12 * groups])  # start, end, glyph …
        starts, ends = flat[0::3], flat[1::3]
        if list(starts) != sorted(starts):  # the format wants them sorted; a font that does not is read all the same
            starts, ends = zip(*sorted(zip(starts, ends)))
        # a binary search a character: a CJK font has tens of thousands of groups
        return all((i := bisect.bisect_right(starts, ord(c)) - 1) >= 0 and ord(c) <= ends[i] for c in chars)
    if 4 in subtables:
        off = subtables[4]
        seg = struct.unpack(">H", cmap[off + 6 : off + 8])[0] // 2
        ends = struct.unpack(f">{seg}H", cmap[off + 14 : off + 14 + 2 * seg])
        starts_at = off + 16 + 2 * seg
        starts = struct.unpack(f">{seg}H", cmap[starts_at : starts_at + 2 * seg])
        deltas = struct.unpack(f">{seg}H", cmap[starts_at + 2 * seg : starts_at + 4 * seg])
        ro_at = starts_at + 4 * seg
        range_offsets = struct.unpack(f">{seg}H", cmap[ro_at : ro_at + 2 * seg])
        for c in map(ord, chars):
            i = bisect.bisect_left(ends, c)  # the first segment ending at or after c (ends are sorted)
            if i == len(ends) or starts[i] > c:
                return False
            if range_offsets[i]:
                at = ro_at + 2 * i + range_offsets[i] + 2 * (c - starts[i])
                glyph = struct.unpack(">H", cmap[at : at + 2])[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            else:
                glyph = (c + deltas[i]) & 0xFFFF
            if not glyph:
                return False
        return True
    return False


# Characters every report uses: a font without them is no use for the body text.
_PROBE = "项目支出绩效评价报告一"


def is_cjk_font(path: Path) -> bool:
    """True when the (first face of the) font has glyphs for common Chinese characters."""
    try:
        with open(path, "rb") as f:
            base = _first_face_offset(f)
            if base is None:
                return False
            tables = _tables(f, base)
            if b"OS/2" not in tables or b"cmap" not in tables:
                return False
            offset, length = tables[b"OS/2"]
            f.seek(offset)
            if not _declares_chinese(f.read(min(length, 86))):
                return False
            offset, length = tables[b"cmap"]
            f.seek(offset)
            return _cmap_has(f.read(length), _PROBE)
    except (OSError, struct.error, ValueError, IndexError):
        return False


@functools.lru_cache(maxsize=8)
def _scan(dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    found = []
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for name in sorted(files):
                if name.lower().endswith(FONT_SUFFIXES) and is_cjk_font(Path(root, name)):
                    found.append(Path(root, name))
    return tuple(found)


def cjk_font_files(search_dirs: list[Path] | None = None) -> list[Path]:
    """Every Chinese font file under ``search_dirs`` (default: font_search_dirs())."""
    dirs = font_search_dirs() if search_dirs is None else search_dirs
    return list(_scan(tuple(Path(d) for d in dirs)))


def cjk_font_dirs(search_dirs: list[Path] | None = None) -> list[Path]:
    """Directories holding Chinese fonts, to give typst as font paths.

    Raises RenderError, naming what to install, when there is none.
    """
    dirs = font_search_dirs() if search_dirs is None else list(search_dirs)
    out: list[Path] = []
    for f in cjk_font_files(dirs):
        if f.parent not in out:
            out.append(f.parent)
    if not out:
        where = ", ".join(str(d) for d in dirs) or "(no font directory exists)"
        raise RenderError(f"No Chinese font found for the PDF (searched: {where}).", INSTALL_HINT)
    return out
