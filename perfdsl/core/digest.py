"""The one digest perfdsl keys and seals its caches with: SHA-256, as hex.

hashlib loads OpenSSL on import (about 2 ms of every start, more than the digests a check makes
cost); CPython's own SHA-256, the module hashlib falls back to, is loaded in a tenth of that and
gives the same digest. Its name changed in 3.12 (`_sha2`); hashlib itself when neither is there."""

from __future__ import annotations

try:
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]  # Python ≥ 3.12
except ImportError:
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]  # Python 3.11
    except ImportError:  # an interpreter without them
        from hashlib import sha256 as _sha256


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of `data`, in hex."""
    return _sha256(data).hexdigest()
