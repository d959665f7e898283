"""What perfdsl prints is inert: text from a file reaches a terminal only as visible characters.

A .perf file someone else wrote can hold any character in a name, a value, a comment or a file
name; printed as it is, an ESC sequence could retitle the reviewer's terminal, move the cursor
and overwrite what was said, a BEL ring, a backspace hide what precedes it, and a bidi override
(U+202E …) show a line in another order than it is. `visible` writes every such character as an
escape (`\\u001b`, `\\u202e`: readable on a terminal, and the same character again inside a
JSON string) and leaves the rest — Chinese, line breaks, tabs — alone.

`InertStream` applies it to everything written to a stream. The command line wraps standard
output and standard error for the whole run (a terminal may be reading either, now or when the
output is shown later); what must reach its reader byte for byte — `perfdsl fmt -` writing the
formatted file, the language server's messages — and perfdsl's own control output (the progress
bar's carriage return) go to the stream underneath, `raw(stream)`."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

# C0 controls but tab and line feed, DEL, C1 controls, and the characters that reorder text:
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F,
# U+061C), and the line and paragraph separators some terminals act on.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def visible(text: str) -> str:
    """`text` with every control or reordering character written as an escape."""
    return _UNSAFE.sub(_escape, text)


class InertStream:
    """A text stream whose writes are made visible first; everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def inert_standard_streams() -> Iterator[None]:
    """Standard output and standard error made inert, and put back after."""
    saved = sys.stdout, sys.stderr
    if sys.stderr is not None and not isinstance(sys.stderr, InertStream):
        sys.stderr = InertStream(sys.stderr)
    if sys.stdout is not None and not isinstance(sys.stdout, InertStream):
        sys.stdout = InertStream(sys.stdout)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def raw(stream: Any) -> Any:
    """The stream under an InertStream, for perfdsl's own control characters."""
    return stream._stream if isinstance(stream, InertStream) else stream
