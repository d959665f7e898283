"""The project, and the one door through which perfdsl reads files.

A project is the folder that holds `perfdsl.toml` (or, failing that, the root of a git
repository); a file outside any project is its own folder's project. Everything a `.perf` file
names — includes, last year's file, ruleset files, template folders, reference documents, images —
must lie inside it, and every read goes through this module, which

- resolves the real path (symbolic links followed) and refuses what then lies outside the root;
- opens without blocking and refuses what is not a regular file (a FIFO, a device, a socket,
  `/proc`), judged on the opened file itself so that nothing can be swapped in between;
- reads no more than the size limit (a file that reports size 0, as `/proc` files do, is still
  cut off at the limit);

and answers with the text or bytes, or with the reason as a value (`Refusal`) that the caller
turns into a located diagnostic. The limits are the project's: `[limits]` in its perfdsl.toml
(read through this door too, with a fixed cap of its own) may raise or lower them:

    [limits]
    source = "4 MiB"         # one .perf file
    asset = "20 MiB"         # one picture, reference document or ruleset file, as stored
    inflated = "100 MiB"     # a reference document (DOCX) once unzipped
    include_depth = 32       # 引用 inside 引用 …
    includes = 1000          # files one evaluation may include in all
 Directory walks (`perf_files`) stay inside the folder walked:
links that lead out of it and special files are skipped with a warning.

New code that opens a file the user did not name on the command line comes through here."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import tomllib
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # made only when a file is refused: the cache's answers need neither
    from .diagnostics import Diagnostic, Span


PROJECT_MARKERS = ("perfdsl.toml", ".git")
MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a .perf file; the largest real report is about 60 KB
MAX_ASSET_BYTES = 20 * 1024 * 1024  # an image, a reference document, a ruleset or template file
MAX_INFLATED_BYTES = 100 * 1024 * 1024  # a DOCX once unzipped (reference.docx is about 30 KB)
MAX_CONFIG_BYTES = 1024 * 1024  # perfdsl.toml itself
SKIPPED_FOLDERS = (".perfdsl-cache", "node_modules", "__pycache__")
CONFIG_NAME = "perfdsl.toml"


class Reason(StrEnum):
    """Why a file cannot be had."""

    MISSING = "missing"
    OUTSIDE = "outside"  # outside the project root once links are resolved
    SPECIAL = "special"  # not a regular file: FIFO, device, socket, folder
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"  # permissions, I/O error
    NOT_DOCX = "not_docx"  # a reference document that is not a Word document (or inflates past the limit)


@dataclass(frozen=True)
class Refusal:
    """Why a file was not read (outside the project, a link, not a regular file, too large, unreadable)."""

    reason: Reason
    detail: str = ""  # the system's own words, for UNREADABLE
    size: int | None = None  # for TOO_LARGE: the size seen (None: unknown, more than the limit)
    limit: int = 0


# ---------------------------------------------------------------- the project root


def project_root(path: str | os.PathLike[str]) -> Path:
    """The folder files named by `path` are confined to: the nearest one up with perfdsl.toml or
    .git, else the file's own folder (the folder the file really is in, its links resolved)."""
    path = os.path.abspath(path)
    if os.path.islink(path):
        return _root_of(Path(path).resolve().parent)
    return _root_of(_real_folder(os.path.dirname(path)))


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> Path:
    """A folder's real path (its links resolved): the same for every file of a folder checked."""
    return Path(folder).resolve()


def folder_project_root(folder: str | os.PathLike[str]) -> Path:
    """The project a folder belongs to (the folder's links resolved, not a file's)."""
    return _root_of(Path(folder).resolve())


@lru_cache(maxsize=256)
def _root_of(start: Path) -> Path:
    for folder in (start, *start.parents):
        if any((folder / m).exists() for m in PROJECT_MARKERS):
            return folder
    return start


def inside(path: Path, root: Path) -> bool:
    """Whether the resolved `path` lies in `root` (itself resolved)."""
    return path == root or root in path.parents


def locate(rel: str, relative_to: str | os.PathLike[str], root: Path) -> tuple[Path | None, Refusal | None]:
    """The real path of `rel`, named in the file `relative_to`, if it lies inside `root`."""
    try:
        target = (Path(relative_to).resolve().parent / rel).resolve()
    except (OSError, RuntimeError, ValueError) as e:  # a link loop, a NUL in the name
        return None, Refusal(Reason.UNREADABLE, str(e))
    if not inside(target, root):
        return None, Refusal(Reason.OUTSIDE)
    if not target.exists():
        return None, Refusal(Reason.MISSING)
    return target, None


def glob_files(pattern: str, relative_to: str | os.PathLike[str], root: Path, suffix: str) -> list[Path]:
    """The regular files a path or glob names, from the folder of `relative_to`, each resolved and
    inside `root` (a link out of the project is left out), with the suffix asked for; sorted."""
    base = Path(relative_to).resolve().parent
    if not any(c in pattern for c in "*?["):
        target, refusal = locate(pattern, relative_to, root)
        return [target] if refusal is None and target is not None and target.is_file() else []
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts and "**" in pattern:
        return []
    out = []
    try:
        for path in sorted(base.glob(pattern)):
            real = path.resolve()
            if real.suffix == suffix and inside(real, root) and real.is_file() and stat.S_ISREG(real.stat().st_mode):
                out.append(real)
    except (OSError, ValueError, RuntimeError):
        return out
    return out


# ---------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """The project's size limits: of a source, an asset, an archive inflated, and of includes."""

    source: int = MAX_SOURCE_BYTES
    asset: int = MAX_ASSET_BYTES
    inflated: int = MAX_INFLATED_BYTES
    include_depth: int = 32
    includes: int = 1000


_DEFAULT_LIMITS = Limits()  # frozen: one for every file of a project without perfdsl.toml

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*", re.I)
_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}


def parse_size(value: object) -> int | None:
    """A size in bytes from perfdsl.toml: a whole number of bytes, or text like "8 MiB"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and (m := _SIZE.fullmatch(value)):
        size = int(float(m.group(1)) * _UNITS[(m.group(2) or "b").lower()])
        return size if size > 0 else None
    return None


def config_stamp(root: str | os.PathLike[str]) -> tuple[Path, tuple[int, int, int]] | None:
    """The project's perfdsl.toml and its (time, size, inode), or None when it has none: what is
    read from the file is kept under this stamp, and read again only when the file changes."""
    config = os.path.join(root, CONFIG_NAME)  # a string: this runs for every file checked
    try:
        st = os.stat(config)
    except OSError:
        return None
    return Path(config), (st.st_mtime_ns, st.st_size, st.st_ino)


def limits(root: Path) -> tuple[Limits, list[str]]:
    """The project's limits (its perfdsl.toml's [limits] over the defaults) and the problems
    found in that table, as text."""
    stamp = config_stamp(root)
    return _limits(*stamp) if stamp is not None else (_DEFAULT_LIMITS, [])


@lru_cache(maxsize=64)
def _limits(config: Path, stamp: tuple) -> tuple[Limits, list[str]]:
    data, refusal = read_bytes(config, MAX_CONFIG_BYTES)
    if refusal is not None or data is None:
        return Limits(), []
    try:
        table = tomllib.loads(data.decode("utf-8")).get("limits", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return Limits(), []  # the file's own reader (lint/config.py) reports a malformed file
    if not isinstance(table, dict):
        return Limits(), ["[limits] must be a table"]
    out, problems = Limits(), []
    known = {f.name for f in fields(Limits)}
    for key, value in table.items():
        size = parse_size(value)
        if key not in known:
            problems.append(f"limits.{key}: unknown limit (known: {', '.join(sorted(known))})")
        elif size is None:
            problems.append(f"limits.{key}: want a positive size such as 8 MiB, got {value!r}")
        else:
            out = replace(out, **{key: size})
    return out, problems


# ---------------------------------------------------------------- reading


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_ASSET_BYTES) -> tuple[bytes | None, Refusal | None]:
    """The file's bytes, read from a regular file and no more than `limit` of them."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, Refusal(Reason.MISSING)
    except OSError as e:
        if e.errno in (errno.ENXIO, errno.EISDIR):  # a socket, a folder
            return None, Refusal(Reason.SPECIAL)
        return None, Refusal(Reason.UNREADABLE, e.strerror or str(e))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Refusal(Reason.SPECIAL)
        if info.st_size > limit:
            return None, Refusal(Reason.TOO_LARGE, size=info.st_size, limit=limit)
        chunks, total = [], 0
        # The whole file and a byte more in one read (a buffer of its size, not a large one the
        # allocator maps and unmaps for every small file), then in chunks if it grew.
        wanted = min(info.st_size + 1, limit + 1)
        while True:
            chunk = os.read(fd, wanted)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # a file that grew, or one that reports no size
                return None, Refusal(Reason.TOO_LARGE, limit=limit)
            if len(chunk) < wanted and total >= info.st_size:
                break  # a short read of a regular file, at least as long as it was: its end
            wanted = min(1 << 20, limit + 1 - total)
        return b"".join(chunks), None
    except OSError as e:
        return None, Refusal(Reason.UNREADABLE, e.strerror or str(e))
    finally:
        os.close(fd)


def user_cache_folder() -> str:
    """The user's folder for what perfdsl derives from its own files and keeps between runs
    (Lark's analysed grammar, the parse loop's tables, the templates compiled): ~/.cache/perfdsl,
    else a folder of the user's own in the temporary folder — never one another user could have
    filled (Lark's cache is a pickle, a compiled template code)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "perfdsl")
    if _own_folder(folder):
        return folder
    import tempfile  # seldom needed: loaded only then

    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = os.path.join(tempfile.gettempdir(), f"perfdsl-{uid}")
    return folder if _own_folder(folder) else ""


def _own_folder(folder: str) -> bool:
    """Whether `folder` exists (made now if not) as the user's own, writable by no one else."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return False
    return stat.S_ISDIR(info.st_mode) and os.access(folder, os.W_OK)  # lstat: a link is not a folder


def read_sealed(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """The body of a file written by atomic.atomic_write_sealed, if it is whole: its digest is
    checked on the bytes as read, before anyone parses them. None for a file missing, refused,
    damaged, cut short or foreign."""
    from .core.digest import sha256_hex

    data, _ = read_bytes(path, limit)
    if data is None:
        return None
    digest, _, body = data.partition(b"\n")
    return body if digest == sha256_hex(body).encode("ascii") else None


def locate_folder(rel: str, relative_to: str | os.PathLike[str], root: Path) -> tuple[Path | None, Refusal | None]:
    """The real path of the folder `rel` (a template folder), if it is a folder inside `root`."""
    target, refusal = locate(rel, relative_to, root)
    if refusal is None and target is not None and not target.is_dir():
        return None, Refusal(Reason.SPECIAL)
    return target, refusal


def read_docx(path: str | os.PathLike[str], limit: Limits | None = None) -> tuple[bytes | None, Refusal | None]:
    """A Word document (a reference document for styles): see `read_ooxml`."""
    return read_ooxml(path, "word/document.xml", limit)


def read_ooxml(
    path: str | os.PathLike[str], member: str, limit: Limits | None = None
) -> tuple[bytes | None, Refusal | None]:
    """An Office Open XML file (a Word document, a workbook): a regular file within the size
    limit, a ZIP archive holding `member`, whose parts inflate — really, not as their headers
    claim — to no more than the inflated limit in all (a zip bomb is refused, not unpacked)."""
    import zipfile

    limit = limit or Limits()
    data, refusal = read_bytes(path, limit.asset)
    if refusal is not None or data is None:
        return None, refusal
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            if member not in names or len(names) > 10_000:
                return None, Refusal(Reason.NOT_DOCX, f"no {member}")
            left = limit.inflated
            for info in z.infolist():
                with z.open(info) as part:
                    while chunk := part.read(min(1 << 20, left + 1)):
                        left -= len(chunk)
                        if left < 0:
                            return None, Refusal(Reason.NOT_DOCX, "inflated", limit=limit.inflated)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        return None, Refusal(Reason.NOT_DOCX, str(e))
    return data, None


# The control characters a .perf file may not hold (with U+FFFD and the surrogates that stand for
# bytes that are not UTF-8, the binary content syntax.parser refuses): the C0 controls but tab,
# line feed, form feed and carriage return, and DEL. In UTF-8 each is its own byte, and no byte of
# another character is below 0x80.
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F]))
_CONTROL_BYTES = CONTROL_CHARACTERS.encode("ascii")


def normalise_line_ends(text: str) -> str:
    """A text as perfdsl reads a file: no byte-order mark, and CRLF and a lone CR both end a line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_source(data: bytes) -> tuple[str, bool]:
    """A .perf file's text — UTF-8 (invalid bytes kept as surrogates, so that the parser can point
    at them), without a byte-order mark, with \\n line ends — and whether it is plain: valid UTF-8
    without the control characters and U+FFFD that the parser refuses as binary, found from the
    bytes in a third of the time the parser's search of the text takes (every file checked pays
    it), so that the parser need not search a plain text again (syntax.parser.parse)."""
    try:
        text = data.decode("utf-8")
        plain = len(data.translate(None, _CONTROL_BYTES)) == len(data) and "\ufffd" not in text
    except UnicodeDecodeError:
        text, plain = data.decode("utf-8", errors="surrogateescape"), False
    return normalise_line_ends(text), plain


def read_source(
    path: str, span: Span | None = None, limit: int = MAX_SOURCE_BYTES
) -> tuple[str | None, Diagnostic | None, bool]:
    """A .perf file's text and whether it is plain (decode_source), or the diagnostic saying why
    it cannot be had (at `span`, the place that named the file, or at the file itself)."""
    data, refusal = read_bytes(path, limit)
    if refusal is not None:
        from .diagnostics import Span

        return None, refusal_diagnostic(refusal, span or Span.point(path, 1, 1), path), False
    assert data is not None
    text, plain = decode_source(data)
    return text, None, plain


def refusal_diagnostic(refusal: Refusal, span: Span, path: str) -> Diagnostic:
    """The diagnostic of a refused source file."""
    from .diagnostics import Diagnostic

    if refusal.reason is Reason.TOO_LARGE:
        size = _mib(refusal.size) if refusal.size is not None else f"> {_mib(refusal.limit)}"
        return Diagnostic("P0004", span, {"size": size, "limit": _mib(refusal.limit)})
    if refusal.reason is Reason.SPECIAL:
        return Diagnostic("P0005", span, {"path": path})
    if refusal.reason is Reason.OUTSIDE:
        return Diagnostic("P0006", span, {"path": path})
    if refusal.reason is Reason.MISSING:
        return Diagnostic("P0001", span, {"reason": os.strerror(errno.ENOENT)})
    if refusal.reason is Reason.NOT_DOCX:
        if refusal.detail == "inflated":
            return Diagnostic(
                "P0008",
                span,
                {
                    "path": path,
                    "why": f"解压后超过 {_mib(refusal.limit)}",
                    "why_en": f"it inflates past {_mib(refusal.limit)}",
                },
            )
        return Diagnostic(
            "P0008",
            span,
            {"path": path, "why": "不是 Word 文档（.docx）", "why_en": "it is not a Word document (.docx)"},
        )
    return Diagnostic("P0001", span, {"reason": refusal.detail})


def _mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"


# ---------------------------------------------------------------- walking folders


def perf_files(arguments: list[str]) -> tuple[list[str], list[str], list[Diagnostic]]:
    """The .perf files named by the arguments (folders are walked), the arguments that name
    nothing, and a warning for each entry of a walk that was skipped (a link out of the folder,
    a FIFO or device named *.perf). Hidden folders and the cache are not walked."""
    files: list[str] = []
    missing: list[str] = []
    skipped: list[Diagnostic] = []
    for arg in arguments:
        if os.path.isdir(arg):
            found, warnings = _walk(arg)
            files.extend(found)
            skipped.extend(warnings)
        elif os.path.exists(arg):
            files.append(arg)
        else:
            missing.append(arg)
    return files, missing, skipped


def _walk(folder: str) -> tuple[list[str], list[Diagnostic]]:
    """*.perf files under `folder`, sorted by path, without following any link out of it."""
    root = Path(folder).resolve()
    found: list[str] = []
    warnings: list[Diagnostic] = []
    pending = [folder]
    while pending:  # iterative: a deep tree is not a deep stack
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
                continue
            path = entry.path
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
                continue
            if not entry.name.endswith(".perf"):
                continue
            if entry.is_symlink():
                try:
                    target = Path(path).resolve(strict=True)
                except (OSError, RuntimeError):
                    warnings.append(_skipped(path, "链接无效", "a broken link"))
                    continue
                if not inside(target, root):
                    warnings.append(_skipped(path, "链接指向所查目录之外", "a link out of the folder"))
                    continue
                if target.is_dir():
                    continue
                try:
                    regular = stat.S_ISREG(os.stat(path).st_mode)
                except OSError:
                    continue
            else:  # the kind the folder's listing gives (a call to the system only where it gives none)
                try:
                    regular = entry.is_file(follow_symlinks=False)
                except OSError:
                    continue
            if not regular:
                warnings.append(_skipped(path, "不是普通文件", "not a regular file"))
                continue
            found.append(path)
    # by folder, then name (the paths share the walk's own prefix, however it was written)
    found.sort(key=lambda p: p.split(os.sep))
    return found, warnings


def _skipped(path: str, why: str, why_en: str) -> Diagnostic:
    from .diagnostics import Diagnostic, Span

    return Diagnostic("P0007", Span.point(path, 1, 1), {"why": why, "why_en": why_en})
