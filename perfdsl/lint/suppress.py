"""Inline suppressions: `# perfdsl: ignore[R010] 已在偏差说明中解释`.

A suppression names one or more rules (`ignore[R010, R013]`) and must give a reason after the
brackets. It silences those rules' findings on its own line (a comment at the end of a line) and
on the next line (a comment on a line of its own above the finding). A suppression without a
reason has no effect; one with a code that is not a rule, or that silences nothing, is reported
where it is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, Span
from ..messages import CATALOGUE
from .registry import by_code, suggest

_DIRECTIVE = re.compile(r"#\s*perfdsl\s*[:：]\s*(.*)$")
_IGNORE = re.compile(r"ignore\s*\[([^\]]*)\]\s*(.*)$")


@dataclass
class Suppression:
    """A comment that silences named rules on its line or the next, with its reason."""

    span: Span
    codes: list[tuple[str, Span]]  # each code and where it is written
    reason: str
    used: set = field(default_factory=set)

    def covers(self, d: Diagnostic) -> bool:
        s = d.span
        return (
            s is not None
            and s.file == self.span.file
            and s.line in (self.span.line, self.span.line + 1)
            and any(code == d.code for code, _ in self.codes)
        )


def read(comments) -> tuple[list[Suppression], list[Diagnostic]]:
    """The suppressions written in the comments, and the problems with them."""
    out: list[Suppression] = []
    problems: list[Diagnostic] = []
    known = by_code()
    for token in comments:
        text = token.text
        if "perfdsl" not in text:
            continue
        m = _DIRECTIVE.match(text)
        if not m:
            continue
        body = m.group(1).strip()
        start = token.span.column + m.start(1)
        ig = _IGNORE.match(body)
        if not ig:
            problems.append(Diagnostic("R900", token.span, {"text": body}))
            continue
        codes: list[tuple[str, Span]] = []
        inner_col = start + body.index("[") + 1
        offset = 0
        for part in ig.group(1).split(","):
            code = part.strip()
            col = inner_col + offset + (len(part) - len(part.lstrip()))
            offset += len(part) + 1
            if not code:
                continue
            span = Span(token.span.file, token.span.line, col, token.span.line, col + len(code))
            if code.upper() not in known:
                problems.append(Diagnostic("R902", span, {"code": code, "suggestion": _hint(code)}))
                continue
            codes.append((code.upper(), span))
        reason = ig.group(2).strip()
        if not codes:
            continue
        if len(reason.strip("#-—:：。. ")) < 2:
            problems.append(Diagnostic("R901", token.span, {"codes": ",".join(c for c, _ in codes)}))
            continue
        out.append(Suppression(token.span, codes, reason))
    return out, problems


def _hint(code: str) -> str:
    if code.upper() in CATALOGUE:
        return "检查器的诊断（P/U/F/I/S/A 类）和 R9xx 不能忽略，只能改正"
    return suggest(code.upper(), by_code()) or "perfdsl rules 列出全部规则"


def apply(
    findings: list[Diagnostic], suppressions: list[Suppression], enabled
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The findings left after suppression, and a diagnostic for each suppression code that
    silenced nothing (codes of rules that did not run are not reported)."""
    kept = []
    for d in findings:
        hit = next((s for s in suppressions if s.covers(d)), None)
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.code)
    unused = [
        Diagnostic("R903", span, {"code": code})
        for s in suppressions
        for code, span in s.codes
        if code not in s.used and enabled(code)
    ]
    return kept, unused
