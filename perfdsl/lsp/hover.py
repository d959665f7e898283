"""Hover: what a name stands for in figures.

On an indicator: its target, actual, completion rate with the formula, score and weight and how
the score was made. On a group (一级/二级): its subtotal and weight. On a tree keyword: the total
and grade. On a fund line (全年预算数, 到位资金, 全年执行数 …): 执行率 and 到位率 with formulas.
On a monitoring point (监控 6月, at the top or beside an indicator): money against time, or the
indicator's forecast against its target. On the 申报: what was filed and what has been adjusted
since. On other keywords and fields: what they mean.

Figures come from the latest analysis that produced an evaluation, so hover keeps working while
the text is being edited into something that does not parse."""

from __future__ import annotations

from lsprotocol import types

from ..core import schema
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
    "monitor": ("监控 {m}月", "month {m}"),
    "to_date": ("已完成", "to date"),
    "forecast": ("全年预计", "forecast"),
    "possibility": ("可能性", "possibility"),
    "correction": ("纠偏措施", "correction"),
    "filed": ("申报", "filed"),
    "adjusted": ("调整为", "adjusted to"),
    "approval": ("批复", "approval"),
    "no_approval": ("没有批复", "not approved"),
    "cancelled": ("已取消", "cancelled"),
    "added": ("申报后新增", "added after filing"),
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
            if body and kw.rule_of.get(tok.text) == "monitor" and ctx.head is not None and at.i + 1 < len(at.tokens):
                month = _month(at.tokens[at.i + 1].text)
                path = ctx.node_path + (ctx.head.value,)
                lines = _progress_lines(fig, path, month, lang) if month is not None else []
                if lines:
                    body += "\n\n" + "\n".join(lines)
        elif ctx.expecting is not None and ctx.expecting.text in kw.words("formula"):
            body = _formula(fig, tok.text, ctx.tree, lang)
    elif ctx.frame.kind == "top" and tok.kind == "word" and tok.text in kw.words("tree_kind"):
        kind = "evaluation" if tok.text in ("评价指标体系", "evaluation") else "self_evaluation"
        body = _tree(fig, kind, tok.text, lang)
    elif tok.kind == "word" and tok.text in kw.words("include"):
        body = _keyword(tok.text, lang)
    else:
        is_head = tok.kind == "word" and not is_value_word(tok.text)
        head = tok if is_head else ctx.head
        if head is not None:
            body = _entry(fig, ctx.entry_path, head, tok, is_head, lang)
            stage = _stage_block(fig, ctx, at.tokens, head, lang)
            if stage:
                body = (body + "\n\n" if body else "") + stage
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
    lines += _stage_lines(fig, n.path, lang)
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


# ---------------------------------------------------------------- stages of the year
def _month(text: str) -> int | None:
    """`6月` → 6."""
    digits = text.removesuffix("月")
    return int(digits) if digits.isdigit() else None


def _progress_lines(fig: Analysis | None, path: tuple[str, ...], month: int | None, lang: str) -> list[str]:
    """An indicator's values at one monitoring point (every point when `month` is None)."""
    if fig is None:
        return []
    out = []
    for ms in fig.scorecard.monitoring:
        if month is not None and ms.month != month:
            continue
        item = next((i for i in ms.items if i.path == path), None)
        if item is None:
            continue
        p = item.progress
        parts = []
        done = p.to_date.text if p.to_date is not None else p.to_date_text
        if done:
            parts.append(f"{_l('to_date', lang)} {md(done)}")
        ahead = p.forecast.text if p.forecast is not None else p.forecast_text
        if ahead:
            rate = item.forecast_completion
            parts.append(f"{_l('forecast', lang)} {md(ahead)}" + (f"（{rate.text()}）" if rate is not None else ""))
        if p.possibility:
            parts.append(f"{_l('possibility', lang)} **{md(p.possibility)}**")
        causes = "；".join(f"{md(c.column)}：{md(c.text)}" for c in p.causes)
        line = f"- {_l('monitor', lang, m=ms.month)}{_colon(lang)}{_comma(lang).join(parts)}"
        if causes:
            line += f"\n  - {causes}"
        if p.correction:
            line += f"\n  - {_l('correction', lang)}{_colon(lang)}{md(p.correction)}"
        out.append(line)
    return out


def _stage_lines(fig: Analysis | None, path: tuple[str, ...], lang: str) -> list[str]:
    """Beside an indicator: what was filed and how it was adjusted, and its monitoring values."""
    if fig is None or fig.evaluation is None or fig.evaluation.lifecycle is None:
        return []
    lc = fig.evaluation.lifecycle
    out = []
    a = lc.adjustments.get(path)
    if a is not None and lc.filing is not None and lc.filing.tree is not None:
        filed = next((n for n in lc.filing.tree.leaves() if n.path == path), None)
        approval = f"{_l('approval', lang)} {md(a.approval)}" if a.approval else f"**{_l('no_approval', lang)}**"
        if a.action is not None:
            what = _l("cancelled" if a.action == "取消" else "added", lang)
        else:
            now = []
            if a.comparator is not None and a.target is not None:
                now.append(f"{md(a.comparator_text or a.comparator)}{md(a.target.text)}")
            elif a.qualitative_target is not None:
                now.append(f"定性 “{md(a.qualitative_target)}”")
            if a.weight is not None:
                now.append(f"{_l('weight', lang)} {trimmed(a.weight)}")
            was = []
            if filed is not None and filed.comparator and filed.target is not None:
                was.append(f"{md(filed.comparator_text or filed.comparator)}{md(filed.target.text)}")
            if filed is not None and filed.weight is not None and a.weight is not None:
                was.append(f"{_l('weight', lang)} {trimmed(filed.weight)}")
            what = f"{_l('filed', lang)} {' '.join(was) or '—'} → {_l('adjusted', lang)} {' '.join(now)}"
        out.append(f"- {what}（{approval}）")
    return out + _progress_lines(fig, path, None, lang)


def _stage_block(fig: Analysis | None, ctx, tokens: list[Tok], head: Tok, lang: str) -> str | None:
    """The figures of a 监控 N月 block (money against time) or of the 申报 (what was filed)."""
    if fig is None or fig.evaluation is None or fig.evaluation.lifecycle is None:
        return None
    path = ctx.entry_path
    top = path[0] if path else head.text
    if top in schema.TOP.field("monitoring").names:
        start = ctx.frames[1].head_start if path else head.start
        i = next((k for k, t in enumerate(tokens) if t.start == start), None)
        month = _month(tokens[i + 1].text) if i is not None and i + 1 < len(tokens) else None
        ms = next((m for m in fig.scorecard.monitoring if m.month == month), None)
        if ms is None:
            return None
        lines = [f"- {md(r.formula)}" for r in (ms.execution_rate, ms.time_progress, ms.forecast_rate) if r is not None]
        if ms.lag is not None:
            limit = trimmed(fig.scorecard.ruleset.monitoring_lag)
            behind = ms.lag > 0
            word = ("落后时间进度", "behind time by") if behind else ("领先时间进度", "ahead of time by")
            lines.append(
                f"- {word[0 if lang == 'zh' else 1]} **{fixed(abs(ms.lag), 2)}** 个百分点（允许落后 {limit}）"
                if lang == "zh"
                else f"- {word[1]} **{fixed(abs(ms.lag), 2)}** points (allowed {limit})"
            )
        forecast_misses = [i for i in ms.items if i.forecast_met is False]
        if forecast_misses:
            names = "、".join(md(i.node.name) for i in forecast_misses)
            lines.append(f"- 预计达不到目标：{names}" if lang == "zh" else f"- forecast to miss: {names}")
        return f"**{_l('monitor', lang, m=ms.month)}**\n\n" + "\n".join(lines)
    if top in schema.TOP.field("filing").names:
        lc = fig.evaluation.lifecycle
        f = lc.filing
        if f is None:
            return None
        count = len(list(f.tree.leaves())) if f.tree is not None else 0
        approved = sum(1 for a in lc.adjustments.values() if a.approval)
        lines = [
            f"- 年度资金总额 {md(f.budget.text) if f.budget else '—'}"
            + "".join(f" · {md(s.name)} {md(s.amount.text)}" for s in f.sources),
            f"- 申报的三级指标 {count} 个；申报后调整 {len(lc.adjustments)} 项，已批复 {approved} 项",
        ]
        return f"**{_l('filed', lang)}**" + (f"　{md(f.filed)}" if f.filed else "") + "\n\n" + "\n".join(lines)
    return None
