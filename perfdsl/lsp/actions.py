"""Code actions: the quick fixes attached to the diagnostics the editor shows at the cursor.

The fixes travel with each published diagnostic (its `data`), so they apply to the text the
diagnostic was made from; a client that does not send data back gets them recomputed from the
latest analysis."""

from __future__ import annotations

from lsprotocol import types

from .analysis import Analysis
from .diagnostics import SOURCE
from .fixes import FIXABLE, fixes_for


def code_actions(
    uri: str, params: types.CodeActionParams, current: Analysis | None, lang: str = "zh"
) -> list[types.CodeAction]:
    wanted = params.context.only
    if wanted and not any(k == types.CodeActionKind.QuickFix or str(k).startswith("quickfix") for k in wanted):
        return []
    out = []
    for diag in params.context.diagnostics:
        if diag.source not in (SOURCE, None) or diag.code not in FIXABLE:
            continue
        for title, preferred, edits in _fixes(diag, current, lang):
            out.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=preferred or None,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
    return out


def _fixes(diag: types.Diagnostic, current: Analysis | None, lang: str):
    data = diag.data if isinstance(diag.data, dict) else None
    if data and isinstance(data.get("fixes"), list):
        for f in data["fixes"]:
            try:
                edits = [
                    types.TextEdit(
                        range=types.Range(start=types.Position(a[0], a[1]), end=types.Position(b[0], b[1])),
                        new_text=new,
                    )
                    for a, b, new in f["edits"]
                ]
            except (KeyError, TypeError, ValueError, IndexError):
                continue
            yield f.get("title", ""), bool(f.get("preferred")), edits
        return
    if current is None:
        return
    index = current.index
    for d in current.loaded.diagnostics:
        if d.code != diag.code or d.span is None or not current.is_here(d.span):
            continue
        rng = index.span_range(d.span)
        if rng.start != diag.range.start:
            continue
        for f in fixes_for(d, current.text, index, lang):
            yield f.title, f.preferred, [types.TextEdit(range=index.range(a, b), new_text=new) for a, b, new in f.edits]
