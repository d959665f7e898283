"""The door through which perfdsl writes documents: where they go, and how a set is replaced.

Where. `output_folder` is the one placement rule: without `-o`, a `build/` folder beside the
file as it was named (a `.perf` that is a link to a file elsewhere still builds into its own
project); with `-o OUT`, OUT itself for a file named on the command line, and for a file found
by walking a folder DIR, OUT plus the file's folder relative to DIR — so `甲/2023.perf` and
`乙/2023.perf` land in `OUT/甲/` and `OUT/乙/` instead of overwriting each other.

Confined. Below its root (OUT, or the project's `build/`), an output folder is never reached
through a link that leads out of that root, and the default `build/` folder must itself lie in
the project; an existing file where a folder is needed is refused. Documents replace their old
versions by rename, which never follows a link at the target's name.

Atomic as a set. The documents of one input (DOCX, XLSX, HTML, …) are replaced together:

1. they are written and flushed into a fresh temporary folder `.perfdsl-set-*` beside them;
2. a journal naming them is written into that folder (written, flushed, then renamed into place:
   a journal is either whole or absent);
3. each document is renamed over its old version, then the temporary folder is removed.

A run that is killed before step 2 leaves a folder without a journal: the next run that writes
(or merely looks) there deletes it. A run killed during step 3 leaves a journal: the next run
finishes the renames first — so a reader finds the whole old set or, at the latest once
perfdsl has run again, the whole new one. An exclusive lock on the output folder (flock on the
folder itself, so no lock file is left behind) keeps two builds into one folder from recovering
each other's sets. A full disk or a read-only folder is an `OutputError` with the system's
reason; the old set is then untouched."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from .project import folder_project_root, inside

SET_PREFIX = ".perfdsl-set-"
JOURNAL = "journal.json"
DEFAULT_FOLDER = "build"

_UMASK = os.umask(0o022)  # read once: setting it while other threads create files would race
os.umask(_UMASK)


class OutputError(Exception):
    """Documents could not be written; `zh`/`en` say why, in the reader's language."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


# ---------------------------------------------------------------- where


def output_folder(source: str, out_dir: str | None, walked_from: str | None = None) -> Path:
    """Where the documents of `source` go. `out_dir`: the -o folder (None: `build/` beside the
    file); `walked_from`: the folder whose walk found the file (None: named directly)."""
    here = Path(os.path.abspath(source)).parent  # the link's folder, not its target's
    if out_dir is None:
        return here / DEFAULT_FOLDER
    out = Path(os.path.abspath(out_dir))
    if walked_from is None:
        return out
    rel = os.path.relpath(here, os.path.abspath(walked_from))
    if rel == os.curdir:
        return out
    if rel.startswith(os.pardir):  # cannot happen for a file the walk found; never escape OUT
        raise ValueError(f"{source} is not under {walked_from}")
    return out / rel


def confined_root(source: str, out_dir: str | None) -> Path:
    """The folder an output folder may not be led out of: OUT as the user named it, or the
    `build/` folder of the file's project."""
    if out_dir is not None:
        return Path(os.path.abspath(out_dir))
    return Path(os.path.abspath(source)).parent / DEFAULT_FOLDER


def prepare_folder(folder: Path, root: Path, project: Path | None = None) -> Path:
    """Create `folder` (under `root`) if needed and return its real path, refusing a link that
    leads out of `root` (and, for a project's own build folder, out of the project)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            f"{_first_file(folder)} 是文件，不是目录", f"{_first_file(folder)} is a file, not a folder"
        ) from None
    except OSError as e:
        raise _os_error(e, folder) from None
    real, real_root = folder.resolve(), root.resolve()
    if project is not None and not inside(real_root, project):
        raise OutputError(
            f"输出目录 {root} 是指向项目之外（{real_root}）的链接，拒绝写入",
            f"the output folder {root} is a link out of the project (to {real_root}); nothing written",
        )
    if not inside(real, real_root):
        raise OutputError(
            f"输出目录 {folder} 经链接指向 {root} 之外（{real}），拒绝写入",
            f"the output folder {folder} leads out of {root} through a link (to {real}); nothing written",
        )
    return real


def _first_file(folder: Path) -> Path:
    for p in (folder, *folder.parents):
        if p.exists() and not p.is_dir():
            return p
    return folder


# ---------------------------------------------------------------- replacing a set


def write_set(folder: Path, documents: Mapping[str, bytes]) -> list[Path]:
    """Replace the documents named in `documents` (name → bytes) inside the existing real
    folder `folder` as one set; their paths. Raises OutputError (nothing changed) when they
    cannot be written."""
    for name in documents:
        if not name or os.sep in name or name in (os.curdir, os.pardir) or name.startswith(SET_PREFIX):
            raise ValueError(f"not a document name: {name!r}")
    with _locked(folder) as fd:
        _recover(fd)
        staging = _stage(fd, folder, documents)
        try:
            _commit(fd, staging)
        except OSError as e:  # the journal stays: the next run finishes the set
            raise _os_error(e, folder) from None
        _discard(fd, staging)
    return [folder / name for name in documents]


def recover(folder: Path) -> None:
    """Finish or discard what a killed run left in `folder` (nothing when it does not exist or
    cannot be written)."""
    try:
        with _locked(folder) as fd:
            _recover(fd)
    except (OutputError, OSError):
        pass


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[int]:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as e:
        raise _os_error(e, folder) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _stage(fd: int, folder: Path, documents: Mapping[str, bytes]) -> str:
    """The documents and their journal, written and flushed into a new temporary folder."""
    staging = SET_PREFIX + os.urandom(6).hex()  # what secrets.token_hex does, without its imports
    try:
        os.mkdir(staging, 0o700, dir_fd=fd)
    except OSError as e:
        raise _os_error(e, folder) from None
    try:
        sfd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
        try:
            for name, data in documents.items():
                _write_new(sfd, name, data, 0o666 & ~_UMASK)
            _write_new(sfd, JOURNAL + ".part", json.dumps(list(documents), ensure_ascii=False).encode(), 0o600)
            os.rename(JOURNAL + ".part", JOURNAL, src_dir_fd=sfd, dst_dir_fd=sfd)
            os.fsync(sfd)
        finally:
            os.close(sfd)
    except OSError as e:
        _discard(fd, staging)
        raise _os_error(e, folder) from None
    return staging


def _write_new(dir_fd: int, name: str, data: bytes, mode: int) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _commit(fd: int, staging: str) -> None:
    """Move every document the journal names over its old version (those still staged)."""
    sfd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=fd)
    try:
        with os.fdopen(os.open(JOURNAL, os.O_RDONLY | os.O_CLOEXEC, dir_fd=sfd), "rb") as f:
            names = json.loads(f.read())
        for name in names:
            if not isinstance(name, str) or os.sep in name or name in ("", os.curdir, os.pardir):
                continue
            with contextlib.suppress(FileNotFoundError):  # moved already, by the run that was killed
                os.replace(name, name, src_dir_fd=sfd, dst_dir_fd=fd)
        os.fsync(fd)
    finally:
        os.close(sfd)


def _recover(fd: int) -> None:
    for entry in os.scandir(fd):
        if not entry.name.startswith(SET_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        with contextlib.suppress(OSError, ValueError, TypeError):  # no journal (killed while staging), or a damaged one
            _commit(fd, entry.name)
        _discard(fd, entry.name)


def _discard(fd: int, staging: str) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(staging, dir_fd=fd)


def _os_error(e: OSError, where: Path) -> OutputError:
    reason = e.strerror or str(e)
    if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return OutputError(
            f"{where}：磁盘已满，未写入任何文件（{reason}）", f"{where}: disk full; nothing written ({reason})"
        )
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"{where}：没有写入权限，未写入任何文件（{reason}）", f"{where}: not writable; nothing written ({reason})"
        )
    return OutputError(f"{where}：无法写入（{reason}）", f"{where}: cannot write ({reason})")


def project_of(source: str) -> Path:
    """The project a source file's default build folder must stay in: that of the folder the
    file is named in (a link to a file elsewhere does not take the build there)."""
    return folder_project_root(os.path.dirname(os.path.abspath(source)))
