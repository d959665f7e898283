"""One analysis of one version of a document: what `load()` made of it, kept for the features
(hover, symbols, definitions) that read figures and places from it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..diagnostics import Span
from .positions import UTF16, LineIndex

if TYPE_CHECKING:
    from ..loader import Loaded


def with_figures(current: Analysis | None, good: Analysis | None) -> Analysis | None:
    """The analysis to take figures from: the current one when it has an evaluation, else the
    latest one that had (the text may be mid-edit and not parse)."""
    return current if current is not None and current.evaluation is not None else good


def normalize(text: str) -> str:
    """The text as the parser should see it: line breaks as \\n (lines and columns unchanged)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # keep every column where it was
    return text


def uri_to_path(uri: str) -> str:
    """A file system path for a document URI; untitled documents get a name in the working folder."""
    p = urlparse(uri)
    if p.scheme == "file":
        path = unquote(p.path)
        if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
            path = path[1:]
        if p.netloc and p.netloc != "localhost":
            path = f"//{p.netloc}{path}"
        return os.path.normpath(path)
    name = os.path.basename(unquote(p.path)) or "untitled"
    return os.path.join(os.getcwd(), name if name.endswith(".perf") else name + ".perf")


def path_to_uri(path: str) -> str:
    from pathlib import Path

    return Path(os.path.abspath(path)).as_uri()


@dataclass
class Analysis:
    uri: str
    path: str
    version: int | None
    text: str  # normalized
    loaded: Loaded
    encoding: str = UTF16
    error: str | None = None  # an internal failure of the checker

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.text, self.encoding)

    @property
    def evaluation(self):
        return self.loaded.evaluation

    @property
    def scorecard(self):
        return self.loaded.scorecard

    @cached_property
    def ast(self):
        """The syntax tree of this text (None when it does not parse)."""
        from ..syntax.parser import parse

        tree, _ = parse(self.text, self.path)
        return tree

    def is_here(self, span: Span | None) -> bool:
        """Whether a span lies in this document (not in a file it includes)."""
        if span is None:
            return True
        return span.file == self.path or os.path.abspath(span.file) == os.path.abspath(self.path)

    def ruleset(self):
        if self.evaluation is not None:
            return self.evaluation.ruleset
        from ..rules.ruleset import load_ruleset

        return load_ruleset()


def analyze(uri: str, text: str, version: int | None, *, encoding: str = UTF16) -> Analysis:
    """Load, score and check a document's text. Never raises: an internal failure becomes an
    Analysis with `error` set and no diagnostics of its own."""
    from ..loader import Loaded, load  # the checker: loaded by the first check, not before `initialize`

    path = uri_to_path(uri)
    normalized = normalize(text)
    try:
        loaded = load(path, normalized)
    except Exception as e:  # a bug in a later stage must not take the editor's server down
        return Analysis(uri, path, version, normalized, Loaded(path=path), encoding, error=f"{type(e).__name__}: {e}")
    return Analysis(uri, path, version, normalized, loaded, encoding)
