"""Write files so that a reader never sees a half-written one.

The data goes to a temporary file in the target's directory (same file system, so the rename
is atomic), is flushed to disk, and only then replaces the target with ``os.replace``.  If
anything fails the temporary file is removed and the old target, if any, is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_sealed", "atomic_write_text"]

# Reading the umask means setting it; done once at import, not per write, because changing it
# while other threads create files would race.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, durable: bool = True) -> None:
    """`durable=False` (a cache entry, which can always be made again): no fsync, still atomic."""
    path = Path(path)
    directory = path.parent
    fd, tmp = _new_file_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        # the new file is 0600: keep the target's mode, or what open() would give.
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(directory)


def atomic_write_sealed(path: str | os.PathLike[str], body: bytes) -> None:
    """Write `body` behind its digest (sha256, hex) and a line end, for project.read_sealed to
    read back only if whole: a cache entry, which can always be made again (no fsync)."""
    from .core.digest import sha256_hex

    atomic_write_bytes(path, sha256_hex(body).encode("ascii") + b"\n" + body, durable=False)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    # newline is kept as given (no platform translation): output must be the same everywhere
    atomic_write_bytes(path, text.encode(encoding))


def _new_file_beside(path: Path) -> tuple[int, str]:
    """A new file of the user's alone (0600) in `path`'s folder, opened for writing: what
    tempfile.mkstemp does, without importing tempfile (with shutil and random: about 3 ms of the
    start of every process that writes a cache entry)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue  # a name taken (by chance, or planted): another
    raise FileExistsError(f"no free temporary name beside {path}")


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (POSIX); directories cannot be opened this way on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
