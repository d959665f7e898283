"""Formatting: the canonical layout of perfdsl.syntax.format, sent as the smallest set of line
edits that turns the document into it (so that the editor keeps the cursor and folds where the
text did not change). A document that does not parse is left alone."""

from __future__ import annotations

import difflib
import importlib

from lsprotocol import types

from .analysis import normalize
from .positions import LineIndex


def canonical(text: str, path: str) -> str | None:
    """The canonical text, or None when there is no formatter or the text does not parse."""
    try:
        module = importlib.import_module("perfdsl.syntax.format")
    except ModuleNotFoundError as e:
        if e.name in ("perfdsl.syntax.format",):
            return None
        raise
    format_text = getattr(module, "format_text", None)
    if format_text is None:
        return None
    try:
        result = format_text(normalize(text), path)
    except module.InternalFormatError:  # the formatter refused to risk the text (or it nests too deep)
        return None
    formatted = result[0] if isinstance(result, tuple) else result
    if not isinstance(formatted, str):
        return None
    if "\r\n" in text:  # keep the document's line breaks
        formatted = formatted.replace("\n", "\r\n")
    return formatted


def edits(old: str, new: str, encoding: str = "utf-16") -> list[types.TextEdit]:
    """Line edits turning `old` into `new`."""
    if old == new:
        return []
    index = LineIndex(old, encoding)
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.append(types.TextEdit(range=index.range(offsets[i1], offsets[i2]), new_text="".join(b[j1:j2])))
    return out


def format_document(text: str, path: str, encoding: str = "utf-16") -> list[types.TextEdit]:
    new = canonical(text, path)
    if new is None:
        return []
    return edits(text, new, encoding)
