"""The templates compiled once, not in every process: Jinja2's bytecode cache, kept in the user's
own cache folder (project.user_cache_folder) through the project's door, each entry behind its
digest like the parser's tables.

Compiling the report's templates is most of a one-file build's own work (about 60 ms). Jinja2
keys an entry by the template's name and file and rejects it when the source has changed, or the
Jinja2 or Python version; the file name adds what the code is compiled for besides (the
environment's options and perfdsl's version), so that differently configured environments never
share an entry. An entry is code: it is read only from a folder no one else can write to, and
one cut short, changed or foreign is compiled again."""

from __future__ import annotations

import contextlib
import os

import jinja2
from jinja2.bccache import Bucket

from ..atomic import atomic_write_sealed
from ..core.digest import sha256_hex
from ..project import read_sealed, user_cache_folder

_MAX_ENTRY_BYTES = 16 * 1024 * 1024


class SealedBytecodeCache(jinja2.BytecodeCache):
    def __init__(self, folder: str, configuration: str):
        self.folder = folder
        self.prefix = "template-" + sha256_hex(configuration.encode("utf-8"))[:16]

    def _path(self, bucket: Bucket) -> str:
        return os.path.join(self.folder, f"{self.prefix}-{bucket.key}")

    def load_bytecode(self, bucket: Bucket) -> None:
        body = read_sealed(self._path(bucket), _MAX_ENTRY_BYTES)
        if body is not None:
            bucket.bytecode_from_string(body)  # Jinja2 resets the bucket if it is stale

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk: compiled again next time
            atomic_write_sealed(self._path(bucket), bucket.bytecode_to_string())


def bytecode_cache(configuration: str) -> SealedBytecodeCache | None:
    """The cache for templates compiled for `configuration` (what besides the source shapes the
    code: the environment's class and options); None when the user has no cache folder."""
    from .. import __version__

    folder = user_cache_folder()
    if not folder:
        return None
    return SealedBytecodeCache(folder, f"{__version__}\n{jinja2.__version__}\n{configuration}")
