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
    import tempfile  # this module is loaded by runs that write nothing (a check answered from the cache)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        # mkstemp creates the file 0600: keep the target's mode, or what open() would give.
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
    import hashlib

    atomic_write_bytes(path, hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body, durable=False)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    # newline is kept as given (no platform translation): output must be the same everywhere
    atomic_write_bytes(path, text.encode(encoding))


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (POSIX); directories cannot be opened this way on Windows."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
