"""perfdsl diagnostics → LSP diagnostics, with their quick fixes attached as data.

A diagnostic located in an included file is shown on the 引用 line that brings the file in,
with a link to the place itself."""

from __future__ import annotations

import os

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity, Span
from .analysis import Analysis, path_to_uri
from .fixes import fixes_for
from .positions import LineIndex
from .scan import tokenize

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
SOURCE = "perfdsl"


def message_of(d: Diagnostic, lang: str) -> str:
    text = d.message(lang)
    hint = d.hint(lang)
    if hint:
        text += ("\n帮助：" if lang == "zh" else "\nhelp: ") + hint
    return text


def to_lsp(analysis: Analysis, lang: str = "zh") -> list[types.Diagnostic]:
    out = []
    index = analysis.index
    includes = None
    for d in analysis.loaded.diagnostics:
        if analysis.is_here(d.span):
            rng = index.span_range(d.span) if d.span else types.Range(types.Position(0, 0), types.Position(0, 0))
            fixes = fixes_for(d, analysis.text, index, lang)
            data = (
                {
                    "fixes": [
                        {
                            "title": f.title,
                            "preferred": f.preferred,
                            "edits": [[_pos(index, a), _pos(index, b), new] for a, b, new in f.edits],
                        }
                        for f in fixes
                    ]
                }
                if fixes
                else None
            )
            out.append(
                types.Diagnostic(
                    range=rng,
                    message=message_of(d, lang),
                    severity=SEVERITY[d.severity],
                    code=d.code,
                    source=SOURCE,
                    data=data,
                )
            )
            continue
        span = d.span
        assert span is not None  # a diagnostic without a place is shown here
        if includes is None:
            includes = include_ranges(analysis)
        rng, related = _elsewhere(analysis, d, span, includes, lang)
        shown = os.path.relpath(os.path.abspath(span.file), os.path.dirname(os.path.abspath(analysis.path)))
        where = f"{shown}:{span.line}:{span.column}"
        prefix = f"引用的文件 {where}：" if lang == "zh" else f"in the included file {where}: "
        out.append(
            types.Diagnostic(
                range=rng,
                message=prefix + message_of(d, lang),
                severity=SEVERITY[d.severity],
                code=d.code,
                source=SOURCE,
                related_information=related,
            )
        )
    if analysis.error:
        out.append(
            types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
                message=("检查时出现内部错误：" if lang == "zh" else "internal error while checking: ")
                + analysis.error,
            )
        )
    return out


def _pos(index: LineIndex, offset: int) -> list[int]:
    p = index.position(offset)
    return [p.line, p.character]


def include_ranges(analysis: Analysis) -> list[tuple[str, types.Range]]:
    """Each include of the document: the absolute path it names and the range of its string."""
    toks = tokenize(analysis.text)
    base = os.path.dirname(os.path.abspath(analysis.path))
    out = []
    for a, b in zip(toks, toks[1:]):
        if a.kind == "word" and a.text in ("引用", "include") and b.kind == "string":
            out.append((os.path.normpath(os.path.join(base, b.value)), analysis.index.range(b.start, b.end)))
    return out


def _elsewhere(analysis: Analysis, d: Diagnostic, span: Span, includes, lang: str):
    target = os.path.abspath(span.file)
    rng = next((r for p, r in includes if p == target), None)
    if rng is None:
        rng = includes[0][1] if includes else types.Range(types.Position(0, 0), types.Position(0, 0))
    related = None
    source = analysis.loaded.texts.get(span.file)
    if source is not None:
        other = LineIndex(source.replace("\r\n", "\n"), analysis.encoding)
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=path_to_uri(target), range=other.span_range(span)),
                message=d.message(lang),
            )
        ]
    return rng, related
