"""Diagnostics are values: every stage returns its result together with a list of them.

A Diagnostic carries a stable code, where it is, and the arguments of its message. The text
comes from the catalogue in messages.py (the checker's codes, P/U/F/I/S/A and the lint set-up's
R9xx) or, for a reviewer's rule, travels with the diagnostic itself (`text`): nothing has to be
imported or registered for a diagnostic to be printed, in this process or in another one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple

from .core.text import char_width, display_width
from .messages import CATALOGUE, Message


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Span(NamedTuple):
    """A stretch of a source file; lines and columns are 1-based and count characters.
    (A NamedTuple: the parser makes one for every token, and tuples are cheap.)"""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int) -> Span:
        return cls(file, line, column, line, column + 1)


# Span((file, line, column, end_line, end_column)) made by tuple.__new__ itself, without the
# NamedTuple's Python-level __new__: the parser makes one for nearly every node it builds.
span_from_tuple = partial(tuple.__new__, Span)


@dataclass(frozen=True)
class Diagnostic:
    """A problem found, as a value: its code, where it is, the figures its message names."""

    code: str
    span: Span | None
    args: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = None  # type: ignore[assignment]  # None: the default of the code's message
    text: Message | None = field(default=None, compare=False, repr=False)  # None: the catalogue's

    def __post_init__(self) -> None:
        entry = self.text or CATALOGUE.get(self.code)
        if entry is None:
            raise KeyError(f"unknown diagnostic code {self.code}")
        if self.severity is None:
            object.__setattr__(self, "severity", Severity(entry.severity))

    @property
    def entry(self) -> Message:
        return self.text or CATALOGUE[self.code]

    def message(self, lang: str = "zh") -> str:
        return self.entry.text(lang).format_map(_Args(self.args))

    def hint(self, lang: str = "zh") -> str | None:
        template = self.entry.hint_text(lang)
        return template.format_map(_Args(self.args)) if template else None

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (s.file, s.line, s.column, self.code) if s else ("", 0, 0, self.code)


class _Args(dict):
    """format_map helper: a missing argument shows as its name instead of raising."""

    def __init__(self, args: Mapping[str, Any]):
        super().__init__(args)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in failing for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.code, d.span, tuple(sorted((k, str(v)) for k, v in d.args.items()))): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: d.sort_key)


SEVERITY_WORDS = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}


def severity_word(severity: Severity | str, lang: str = "zh") -> str:
    """错误/警告/提示 (error/warning/info): how messages and docs name a severity."""
    return SEVERITY_WORDS.get(lang, SEVERITY_WORDS["en"])[Severity(severity)]


def format_text(d: Diagnostic, source_lines: Mapping[str, list[str]] | None = None, lang: str = "zh") -> str:
    """`file:line:col: error[P0101]: message`, the source line with carets, and the hint."""
    where = f"{d.span.file}:{d.span.line}:{d.span.column}: " if d.span else ""
    word = severity_word(d.severity, lang)
    out = [f"{where}{word}[{d.code}]: {d.message(lang)}"]
    span = d.span
    lines = (source_lines or {}).get(span.file) if span else None
    if span and lines and 1 <= span.line <= len(lines):
        text = lines[span.line - 1].rstrip("\n")
        gutter = f"{span.line:>5} | "
        out.append(gutter + text)
        start = span.column - 1
        end = span.end_column - 1 if span.end_line == span.line else len(text)
        end = max(end, start + 1)
        out.append(" " * (len(gutter) - 2) + "| " + _pad(text[:start]) + "^" * max(1, display_width(text[start:end])))
    hint = d.hint(lang)
    if hint:
        out.append(("  帮助: " if lang == "zh" else "  help: ") + hint)
    return "\n".join(out)


def _pad(prefix: str) -> str:
    """Spaces as wide as `prefix` on screen (tabs kept, so the carets line up)."""
    if "\t" not in prefix:
        return " " * (len(prefix) if prefix.isascii() else display_width(prefix))
    return "".join("\t" if c == "\t" else " " * char_width(c) for c in prefix)


def format_all(diagnostics: Iterable[Diagnostic], texts: Mapping[str, str], lang: str = "zh") -> Iterator[str]:
    """Each diagnostic as `format_text` writes it, with its source line taken from `texts`
    (file → text, as Loaded.texts holds them): the one way perfdsl prints diagnostics as text."""
    lines: dict[str, list[str]] = {}
    for d in diagnostics:
        if d.span is not None and d.span.file in texts and d.span.file not in lines:
            lines[d.span.file] = source_lines(texts[d.span.file])
        yield format_text(d, lines, lang)


def source_lines(text: str) -> list[str]:
    """A file's lines as the parser numbers them: ended by a newline only. (str.splitlines also
    ends a line at a form feed, U+2028 and other separators a text pasted from Word may hold,
    and would show a later diagnostic the wrong line.)"""
    return text.split("\n")


FORMAT_VERSION = 1


def to_json(diagnostics: Iterable[Diagnostic], lang: str = "zh") -> str:
    return json_document(json_items(diagnostics, lang))


def json_document(items: Iterable[str]) -> str:
    """`{"format_version": 1, "diagnostics": [...]}` as json.dumps(indent=2) writes it, from the
    items each already dumped (json_items): a folder's diagnostics are written as they come."""
    body = ",\n".join("    " + item.replace("\n", "\n    ") for item in items)
    inner = f"[\n{body}\n  ]" if body else "[]"
    return f'{{\n  "format_version": {FORMAT_VERSION},\n  "diagnostics": {inner}\n}}'


def json_items(diagnostics: Iterable[Diagnostic], lang: str = "zh") -> Iterator[str]:
    for d in diagnostics:
        s = d.span
        yield json.dumps(
            {
                "code": d.code,
                "severity": d.severity.value,
                "file": s.file if s else None,
                "line": s.line if s else None,
                "column": s.column if s else None,
                "end_line": s.end_line if s else None,
                "end_column": s.end_column if s else None,
                "message": d.message(lang),
                "hint": d.hint(lang),
            },
            ensure_ascii=False,
            indent=2,
        )
