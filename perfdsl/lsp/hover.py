"""Hover: what a name stands for in figures.

On an indicator: its target, actual, completion rate with the formula, score and weight and how
the score was made. On a group (一级/二级): its subtotal and weight. On a tree keyword: the total
and grade. On a fund line (全年预算数, 到位资金, 全年执行数 …): 执行率 and 到位率 with formulas.
On other keywords and fields: what they mean.

Figures come from the latest analysis that produced an evaluation, so hover keeps working while
the text is being edited into something that does not parse."""

from __future__ import annotations

from lsprotocol import types

from ..core.numbers import fixed, trimmed
from ..core.schema import NARRATIVE_SECTIONS
from ..model.evaluation import TREE_TITLES, TreeKind
from ..score.scorecard import ScoreBasis
from ..score.scorer import FUND_LABELS
from .analysis import Analysis, with_figures
from .figures import find_node, number_text, percent_text, ratio_text, tree_score, weight_text
from .scan import Tok, cursor, walk
from .vocabulary import KEYWORD_DOCS, field_spec, is_value_word, keywords

_L = {
    "level": ("{n}级指标", "level {n}"),
    "group": ("{n}级指标（分组）", "level {n} group"),
    "target": ("年度指标值", "target"),
    "actual": ("实际完成值", "actual"),
    "completion": ("完成率", "completion"),
    "score": ("得分", "score"),
    "weight": ("分值", "weight"),
    "how": ("计分", "how"),
    "deviation": ("偏差率", "deviation"),
    "subtotal": ("小计", "subtotal"),
    "children": ("下级指标 {n} 个，满分 {full} 个", "{n} indicators, {full} at full marks"),
    "total": ("总分", "total"),
    "grade": ("等级", "grade"),
    "overall": ("总体完成率", "overall completion"),
    "quantified": ("指标量化率", "quantified rate"),
    "full_marks": ("满分指标", "indicators at full marks"),
    "stated": ("报告所列", "stated"),
    "score_rate": ("得分率", "score rate"),
    "stated_score": ("报告所列得分", "stated score"),
    "judged": ("评价组评定", "judged"),
    "no_score": ("尚无得分", "no score yet"),
    "stale": ("（以上为最近一次能解析时的结果）", "(figures from the last version that parsed)"),
    "execution": ("预算执行率", "execution rate"),
    "execution_framework": ("预算执行率（评价指标体系）", "execution rate (framework)"),
    "arrival": ("资金到位率", "arrival rate"),
    "breakdown": ("支出明细合计", "spending breakdown total"),
    "kind": ("类型", "kind"),
}
_KIND = {
    "quantitative": ("定量指标", "quantitative"),
    "qualitative": ("定性指标", "qualitative"),
    "formula": ("公式指标", "formula"),
    "judged": ("评判指标", "judged"),
    "group": ("分组", "group"),
}


def _l(key: str, lang: str, **kw) -> str:
    zh, en = _L[key]
    return (zh if lang == "zh" else en).format(**kw)


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _comma(lang: str) -> str:
    return "，" if lang == "zh" else ", "


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def md(text: str) -> str:
    """Escape Markdown punctuation in author text."""
    out = []
    for c in str(text):
        if c in "\\`*_[]<>#|~":
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def hover(
    text: str,
    position: types.Position,
    current: Analysis | None,
    good: Analysis | None,
    lang: str = "zh",
    encoding: str = "utf-16",
) -> types.Hover | None:
    """`text` is the document as it is now; `current` its latest analysis, `good` the latest one
    with an evaluation (possibly of an older text)."""
    at = cursor(text, position, encoding)
    if at is None:
        return None
    index, tok = at.index, at.tok
    if tok.kind in ("comment", "text", "lbrace", "rbrace"):
        return None
    ctx = walk(at.tokens, at.i)
    fig = with_figures(current, good)
    stale = fig is not None and fig is not current
    line = index.line_col(tok.start)[0]
    body = None
    kw = keywords()
    if ctx.in_tree:
        if ctx.expecting is None and tok.kind in ("word", "string") and tok.text not in kw.value_keywords:
            name = tok.value
            body = _node(fig, ctx.tree, ctx.node_path + (name,), line, lang)
        elif tok.kind == "cmp" or tok.text in kw.rule_of:
            body = _keyword(tok.text, lang)
        elif ctx.expecting is not None and ctx.expecting.text in kw.words("formula"):
            body = _formula(fig, tok.text, ctx.tree, lang)
    elif ctx.frame.kind == "top" and tok.kind == "word" and tok.text in kw.words("tree_kind"):
        kind = "self_evaluation" if tok.text in ("自评表", "self-evaluation") else "evaluation"
        body = _tree(fig, kind, tok.text, lang)
    elif tok.kind == "word" and tok.text in kw.words("include"):
        body = _keyword(tok.text, lang)
    else:
        is_head = tok.kind == "word" and not is_value_word(tok.text)
        head = tok if is_head else ctx.head
        if head is not None:
            body = _entry(fig, ctx.entry_path, head, tok, is_head, lang)
    if not body:
        return None
    if stale and body and fig is not None:
        body += "\n\n" + _l("stale", lang)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=body), range=index.range(tok.start, tok.end)
    )


# ---------------------------------------------------------------- indicator trees
def _path_text(kind: str | None, path: tuple[str, ...]) -> str:
    title = TREE_TITLES.get(TreeKind(kind), "") if kind else ""
    return " › ".join(md(p) for p in (title, *path) if p)


def _node(fig: Analysis | None, kind: str | None, path: tuple[str, ...], line: int, lang: str) -> str | None:
    if fig is None:
        return None
    ns = find_node(fig.scorecard, kind, path, line)
    if ns is None:
        return None
    n = ns.node
    places = fig.scorecard.ruleset.places
    parent = _path_text(kind, n.path[:-1])
    if n.is_group:
        head = f"**{md(n.name)}**　{_l('group', lang, n=_cn(n.level, lang))}" + (f" · {parent}" if parent else "")
        lines = [
            f"- {_l('subtotal', lang)}{_colon(lang)}**{number_text(ns.score, places)}** / {_l('weight', lang)} {weight_text(ns.weight)}"
        ]
        if ns.basis == ScoreBasis.OVERRIDE:
            lines.append(f"- {md(ns.formula)}")
        elif ns.formula:
            lines.append(f"- {_l('subtotal', lang)} = {md(ns.formula)}")
        if ns.score_rate is not None:
            lines.append(f"- {_l('score_rate', lang)}{_colon(lang)}{fixed(ns.score_rate, 2)}%")
        leaves = [c for c in ns.walk() if not c.children and c is not ns]
        if leaves:
            full = sum(1 for c in leaves if c.full_marks)
            lines.append(f"- {_l('children', lang, n=len(leaves), full=full)}")
        if n.stated_score is not None:
            lines.append(f"- {_l('stated_score', lang)}{_colon(lang)}{trimmed(n.stated_score)}")
        return head + "\n\n" + "\n".join(lines)
    kind_name = _KIND.get(n.kind, ("", ""))[0 if lang == "zh" else 1]
    head = f"**{md(n.name)}**　{_l('level', lang, n=_cn(n.level, lang))}{_paren(kind_name, lang)}" + (
        f" · {parent}" if parent else ""
    )
    lines = []
    if n.comparator and n.target is not None:
        lines.append(f"- {_l('target', lang)}{_colon(lang)}{md(n.comparator_text or n.comparator)} {md(n.target.text)}")
    elif n.qualitative_target is not None:
        lines.append(f"- {_l('target', lang)}{_colon(lang)}定性 “{md(n.qualitative_target)}”")
    if n.actual is not None:
        lines.append(f"- {_l('actual', lang)}{_colon(lang)}{md(n.actual.text)}")
    elif n.actual_text is not None:
        lines.append(f"- {_l('actual', lang)}{_colon(lang)}“{md(n.actual_text)}”")
    if ns.completion is not None and ns.completion.percent is not None:
        lines.append(f"- {_l('completion', lang)}{_colon(lang)}**{ns.completion.text()}**　{md(ns.completion.formula)}")
    elif ns.completion is not None and ns.completion.formula:
        lines.append(f"- {_l('completion', lang)}{_colon(lang)}—　{md(ns.completion.formula)}")
    score = f"**{number_text(ns.score, places)}**" if ns.score is not None else _l("no_score", lang)
    lines.append(f"- {_l('score', lang)}{_colon(lang)}{score} / {_l('weight', lang)} {weight_text(ns.weight)}")
    if ns.formula:
        lines.append(f"- {_l('how', lang)}{_colon(lang)}{md(ns.formula)}")
    if ns.deviation is not None:
        lines.append(f"- {_l('deviation', lang)}{_colon(lang)}{fixed(ns.deviation, places)}%")
    stated = []
    if n.stated_completion is not None:
        stated.append(f"{_l('completion', lang)} {n.stated_completion.text}")
    if n.stated_score is not None:
        stated.append(f"{_l('score', lang)} {trimmed(n.stated_score)}")
    if n.stated_deviation is not None:
        stated.append(f"{_l('deviation', lang)} {n.stated_deviation.text}")
    if stated:
        lines.append(f"- {_l('stated', lang)}{_colon(lang)}{_comma(lang).join(md(s) for s in stated)}")
    return head + "\n\n" + "\n".join(lines)


def _cn(level: int, lang: str) -> str:
    return ("一", "二", "三", "四", "五")[level - 1] if lang == "zh" and 1 <= level <= 5 else str(level)


def _tree(fig: Analysis | None, kind: str, word: str, lang: str) -> str | None:
    doc = _keyword(word, lang)
    if fig is None:
        return doc
    ts = tree_score(fig.scorecard, kind)
    if ts is None:
        return doc
    places = fig.scorecard.ruleset.places
    lines = [
        f"- {_l('total', lang)}{_colon(lang)}**{fixed(ts.total, places)}** / {trimmed(ts.weight_total)} · {_l('grade', lang)} **{md(ts.grade)}**"
    ]
    if ts.overall_completion is not None:
        lines.append(
            f"- {_l('overall', lang)}{_colon(lang)}{ts.overall_completion.text()}（{md(ts.overall_completion.formula)}）"
        )
    if ts.quantified is not None:
        lines.append(f"- {_l('quantified', lang)}{_colon(lang)}{ts.quantified.text()}（{md(ts.quantified.formula)}）")
    if ts.indicator_count:
        lines.append(f"- {_l('full_marks', lang)}{_colon(lang)}{ts.full_marks_count}/{ts.indicator_count}")
    for n in ts.nodes:
        lines.append(f"  - {md(n.name)}{_colon(lang)}{number_text(n.score, places)} / {weight_text(n.weight)}")
    return f"**{md(ts.tree.title)}**（{md(fig.scorecard.ruleset.title)}）\n\n" + "\n".join(lines)


def _formula(fig: Analysis | None, name: str, kind: str | None, lang: str) -> str | None:
    if fig is None:
        return None
    rules = fig.scorecard.ruleset
    ratio = rules.execution_rate if (kind == "self_evaluation" and name == "预算执行率") else rules.formulas.get(name)
    if ratio is None:
        return None
    funds = fig.evaluation.funds
    percent, formula = ratio_text(funds, ratio, rules.places) if funds else (None, "")
    return f"**{md(name)}**（{md(rules.title)}）\n\n- {md(formula) or str(ratio)}"


def _keyword(word: str, lang: str) -> str | None:
    kw = keywords()
    rule = kw.rule_of.get(word)
    if rule is None:
        return None
    doc = KEYWORD_DOCS.get(rule)
    spellings = " / ".join(kw.by_rule.get(rule, [word]))
    return f"**{md(word)}**　{md(doc[0 if lang == 'zh' else 1]) if doc else ''}\n\n{md(spellings)}"


# ---------------------------------------------------------------- plain blocks
_FUND_KEYS = {"initial_budget", "budget", "received", "spent", "stated_execution_rate", "stated_arrival_rate"}


def _entry(fig: Analysis | None, path: list[str], head: Tok, tok: Tok, is_head: bool, lang: str) -> str | None:
    spec = field_spec(path, head.text)
    if spec is None:
        return None
    if path == ["资金"] and spec.key in _FUND_KEYS and fig is not None and fig.evaluation and fig.evaluation.funds:
        return _funds(fig, lang)
    if path == ["资金", "来源"] and fig is not None and fig.evaluation and fig.evaluation.funds:
        return _funds(fig, lang, source_line=True)
    if spec.key == "ruleset" and not is_head and tok.kind == "string":
        return _ruleset(tok.value, lang)
    if spec.key == "narrative" and not is_head and tok.kind == "string":
        where = dict(NARRATIVE_SECTIONS).get(tok.value)
        if where:
            return f"**{md(tok.value)}**{_colon(lang)}{md(where)}"
        return None
    if not is_head:
        return None
    names = " / ".join(spec.names)
    doc = f"　{md(spec.doc)}" if spec.doc else ""
    return f"**{md(spec.name)}**{doc}\n\n{md(names)}"


def _funds(fig: Analysis, lang: str, source_line: bool = False) -> str:
    ev, card = fig.evaluation, fig.scorecard
    funds, rules = ev.funds, card.ruleset
    places = rules.places
    amounts = []
    for key in ("initial_budget", "budget", "received", "spent"):
        q = getattr(funds, key)
        if q is not None:
            amounts.append(f"{FUND_LABELS[key]} {q.text}")
    lines = []
    if amounts:
        lines.append("- " + " · ".join(md(a) for a in amounts))
    ex = card.funds.execution_rate
    lines.append(
        f"- {_l('execution', lang)}{_colon(lang)}**{percent_text(ex.percent if ex else None, places)}**"
        + (f"　{md(ratio_text(funds, rules.execution_rate, places)[1])}" if ex else "")
    )
    framework = rules.formulas.get("预算执行率")
    if framework is not None and framework != rules.execution_rate:
        percent, formula = ratio_text(funds, framework, places)
        lines.append(
            f"- {_l('execution_framework', lang)}{_colon(lang)}**{percent_text(percent, places)}**　{md(formula)}"
        )
    arrival = rules.formulas.get("资金到位率")
    if arrival is not None:
        percent, formula = ratio_text(funds, arrival, places)
        lines.append(f"- {_l('arrival', lang)}{_colon(lang)}**{percent_text(percent, places)}**　{md(formula)}")
    if card.funds.breakdown_total is not None:
        lines.append(f"- {_l('breakdown', lang)}{_colon(lang)}{trimmed(card.funds.breakdown_total)}万元")
    if funds.stated_execution_rate is not None or funds.stated_arrival_rate is not None:
        stated = [
            f"{_l('execution', lang)} {funds.stated_execution_rate.text}" if funds.stated_execution_rate else "",
            f"{_l('arrival', lang)} {funds.stated_arrival_rate.text}" if funds.stated_arrival_rate else "",
        ]
        lines.append(f"- {_l('stated', lang)}{_colon(lang)}{_comma(lang).join(md(s) for s in stated if s)}")
    if source_line:
        for s in funds.sources:
            figures = " · ".join(
                f"{FUND_LABELS[key]} {getattr(s, key).text}"
                for key in ("budget", "received", "spent")
                if getattr(s, key) is not None
            )
            lines.append(f"  - {md(s.name)}{_colon(lang)}{md(figures)}")
    return f"**资金**（{md(rules.title)}）\n\n" + "\n".join(lines)


def _ruleset(name: str, lang: str) -> str | None:
    from ..rules.ruleset import RulesetError, load_ruleset

    try:
        r = load_ruleset(name)
    except (FileNotFoundError, RulesetError):
        return None
    lines = [
        f"- {md(r.description)}" if r.description else "",
        f"- 预算执行率（自评表） = {_ratio_words(r.execution_rate)}；"
        + "；".join(f"{md(k)} = {_ratio_words(v)}" for k, v in r.formulas.items()),
        "- " + "、".join(f"{md(g.grade)} ≥ {trimmed(g.min)}" for g in r.grades),
    ]
    return f"**{md(r.name)}**　{md(r.title)}\n\n" + "\n".join(x for x in lines if x)


def _ratio_words(ratio) -> str:
    return f"{FUND_LABELS[ratio.numerator]}/{FUND_LABELS[ratio.denominator]}"
