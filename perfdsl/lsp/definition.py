"""Go to definition: an include's file, a ruleset's TOML, a baseline file, and for a formula
indicator (`公式 预算执行率`, or a leaf named after a formula) the 资金 line its rate is computed
from (全年执行数 for 预算执行率, 到位资金 for 资金到位率)."""

from __future__ import annotations

import os

from lsprotocol import types

from .analysis import Analysis, normalize, path_to_uri, with_figures
from .positions import LineIndex
from .scan import cursor, walk
from .vocabulary import block_spec, keywords

_ORIGIN = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))


def definition(
    text: str,
    position: types.Position,
    current: Analysis | None,
    good: Analysis | None,
    *,
    path: str,
    encoding: str = "utf-16",
) -> list[types.Location] | None:
    at = cursor(text, position, encoding)
    if at is None:
        return None
    toks, i, tok = at.tokens, at.i, at.tok
    ctx = walk(toks, i)
    kw = keywords()
    base = os.path.dirname(os.path.abspath(path))
    fig = with_figures(current, good)

    if tok.kind == "string" and ctx.expecting is not None and ctx.expecting.text in kw.words("include"):
        return _file(os.path.join(base, tok.value))
    if tok.kind == "word" and tok.text in kw.words("include") and i + 1 < len(toks) and toks[i + 1].kind == "string":
        return _file(os.path.join(base, toks[i + 1].value))
    if ctx.in_tree:
        formula = None
        if ctx.expecting is not None and kw.rule_of.get(ctx.expecting.text) == "formula" and tok.kind == "word":
            formula = tok.text
        elif ctx.expecting is None and tok.kind in ("word", "string") and tok.text not in kw.value_keywords:
            formula = tok.value
        if formula is None or fig is None:
            return None
        return _formula_source(fig, formula, ctx.tree)
    if tok.kind == "string" and ctx.head is not None and ctx.prev is ctx.head:
        spec = block_spec(ctx.entry_path)
        f = spec.find(ctx.head.text) if spec else None
        if f is not None and f.key == "ruleset":
            from ..rules.ruleset import RulesetError, load_ruleset

            try:
                return _file(load_ruleset(tok.value).source)
            except (FileNotFoundError, RulesetError):
                return None
        if f is not None and f.key == "baseline":
            return _file(os.path.join(base, tok.value))
    return None


def _file(target: str) -> list[types.Location] | None:
    target = os.path.normpath(target)
    if not os.path.isfile(target):
        return None
    return [types.Location(uri=path_to_uri(target), range=_ORIGIN)]


def _formula_source(fig: Analysis, name: str, tree: str | None) -> list[types.Location] | None:
    ev = fig.evaluation
    rules = ev.ruleset
    if tree == "self_evaluation" and name == "预算执行率":
        ratio = rules.execution_rate
    else:
        ratio = rules.formulas.get(name)
    if ratio is None or ev.funds is None:
        return None
    key = ratio.numerator
    span = ev.funds.spans.get(key)
    if span is None and key == "received":  # 到位资金 unstated: it is the budget
        span = ev.funds.spans.get("budget")
    if span is None:
        return None
    if fig.is_here(span):
        index, uri = fig.index, fig.uri
    else:
        source = fig.loaded.texts.get(span.file)
        if source is None:
            return None
        index, uri = LineIndex(normalize(source), fig.encoding), path_to_uri(span.file)
    return [types.Location(uri=uri, range=index.line_range(span.line - 1))]
