"""The one digest perfdsl keys and seals its caches with: SHA-256, as hex.

hashlib loads OpenSSL on import (about 2 ms of every start, more than a one-file check hashes);
CPython's own SHA-256, the module hashlib falls back to, is loaded in a tenth of that and gives
the same digest, but hashes about six times slower (3 ms a MiB). So a process starts on CPython's
and takes OpenSSL's once it has hashed a MiB — a folder's run, which hashes every file to find
its result in the cache. The built-in module's name changed in 3.12 (`_sha2`); hashlib itself
when neither is there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _builtin() -> Callable[[bytes], Any]:
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # Python ≥ 3.12
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
        except ImportError:  # an interpreter without them
            from hashlib import sha256
    return sha256


_sha256 = _builtin()
# Bytes still to hash with CPython's SHA-256 before OpenSSL's is worth its import (None: taken).
_builtin_budget: int | None = 1 << 20


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of `data`, in hex."""
    global _sha256, _builtin_budget
    if _builtin_budget is not None:
        _builtin_budget -= len(data)
        if _builtin_budget < 0:
            import hashlib

            _sha256, _builtin_budget = hashlib.sha256, None
    return _sha256(data).hexdigest()
