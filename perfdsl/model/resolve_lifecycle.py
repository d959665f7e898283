"""The stages of the year, resolved: the 申报 and 监控 N月 blocks, and the values beside each
indicator (`监控 6月 …`, `调整 …`, `批复 …`) that the resolver set aside while it built the trees.

The indicator tree is written once, with its targets as filed. Where a `调整` changes what was
filed, the tree is read twice: as filed (the 申报表's, kept on the Filing) and as it stands (the
self-evaluation's, the Evaluation's own tree: a new target or weight in place, a cancelled
indicator left out, an added one in). A file without any of this has no Lifecycle and its trees
are the resolver's, untouched."""

from __future__ import annotations

from dataclasses import replace

from ..core import schema
from ..core.quantity import Quantity
from ..diagnostics import Span
from ..syntax import ast
from .evaluation import Evaluation, Goals, IndicatorTree, Node, TreeKind
from .lifecycle import (
    ACTIONS,
    ADD,
    CANCEL,
    Adjustment,
    Cause,
    Filing,
    FilingSource,
    Lifecycle,
    MonitoringPoint,
    MonitoringSource,
    Progress,
)


def resolve_lifecycle(ctx, fields: dict, ev: Evaluation, noted: list) -> Lifecycle:
    """The file's Lifecycle from its 申报 and 监控 blocks (`fields`, as the resolver read the top
    level) and the stage attributes `noted` beside its indicators ((tree, node, attrs) each): the
    resolver calls it for a file that has one of them. Sets the Evaluation's tree to the tree as
    it stands."""
    filing_item, points = fields.get("filing"), fields.get("monitoring", [])
    lc = Lifecycle(filing=_filing(ctx, filing_item), monitoring=_points(ctx, points))
    for tree, node, attrs in noted:
        if tree.kind is not TreeKind.SELF_EVALUATION or node.is_group:
            if tree.kind is not TreeKind.SELF_EVALUATION:
                where, where_en = "指标树「评价指标体系」", "the 评价指标体系 tree"
            else:
                where, where_en = f"分组「{node.name}」", f"the group '{node.name}'"
            ctx.add("L0105", attrs[0].keyword.span, field=attrs[0].keyword.text, where=where, where_en=where_en)
            continue
        _indicator(ctx, ev, lc, node, attrs)
    if lc.adjustments and lc.filing is None:
        first = next(iter(lc.adjustments.values()))
        ctx.add("L0106", first.span)
    tree = ev.self_evaluation
    if tree is not None and lc.filing is not None:
        lc.filing.tree, ev.self_evaluation = _views(tree, lc.adjustments)
    lc.evaluated = _evaluation_begun(ev)
    _inherit(ev, lc)
    return lc


# ---------------------------------------------------------------- 申报 and 监控 N月 blocks
def _filing(ctx, item) -> Filing | None:
    if item is None:
        return None
    _, entry = item
    fields = ctx.read_block(entry.children or (), schema.FILING)
    ctx.report_missing(fields, entry)
    filing = Filing(span=entry.span)
    for key in ("filed", "budget", "midterm_budget", "midterm", "overall"):
        if key in fields:
            values, e = fields[key]
            setattr(filing, key, values[0])
            filing.spans[key] = e.span
    for values, e in fields.get("source", []):
        filing.sources.append(FilingSource(values[0], values[1], e.span))
    return filing


def _points(ctx, items) -> list[MonitoringPoint]:
    seen: dict[int, MonitoringPoint] = {}
    first: dict[int, Span] = {}
    for values, entry in items:
        month = _month(ctx, values[0], entry.values[0].span)
        if month is None:
            continue
        if month in seen:
            ctx.add("L0103", entry.values[0].span, month=month, **ctx.first(first[month], entry.span))
            continue
        first[month] = entry.span
        fields = ctx.read_block(entry.children or (), schema.MONITORING)
        ctx.report_missing(fields, entry)
        point = MonitoringPoint(month=month, span=entry.span)
        point.spans["month"] = entry.values[0].span
        for key in ("filed", "budget", "spent", "forecast"):
            if key in fields:
                v, e = fields[key]
                setattr(point, key, v[0])
                point.spans[key] = e.span
        if "progress" in fields:
            point.progress_text = fields["progress"][0][0]
            point.spans["progress"] = fields["progress"][1].span
        for v, e in fields.get("source", []):
            sub = ctx.read_block(e.children or (), schema.MONITORING_SOURCE)
            source = MonitoringSource(v[0], span=e.span)
            for key in ("budget", "spent", "forecast"):
                if key in sub:
                    setattr(source, key, sub[key][0][0])
            point.sources.append(source)
        seen[month] = point
    return [seen[m] for m in sorted(seen)]


def _month(ctx, q: Quantity, span: Span) -> int | None:
    """`6月` → 6: a whole month of the year, written with its unit."""
    if q.unit.text != "月" or q.number != q.number.to_integral_value() or not 1 <= q.number <= 12:
        ctx.add("L0101", span, value=q.text)
        return None
    return int(q.number)


# ---------------------------------------------------------------- beside an indicator
def _indicator(ctx, ev: Evaluation, lc: Lifecycle, node: Node, attrs: list[ast.Attr]) -> None:
    months: dict[int, Span] = {}
    for a in attrs:
        if isinstance(a, ast.Clause):
            month = _month(ctx, a.value.value, a.value.span)
            if month is None:
                continue
            if month in months:
                ctx.add("L0103", a.value.span, month=month, **ctx.first(months[month], a.span))
                continue
            months[month] = a.span
            point = lc.point(month)
            if point is None:
                ctx.add("L0102", a.value.span, month=month, indicator=node.name)
                continue
            point.items[node.path] = _progress(ctx, ev, node, a, month)
        elif a.kind == "adjust":
            _adjust(ctx, lc, node, a)
        else:  # 批复
            adjustment = lc.adjustments.get(node.path)
            if adjustment is None:
                ctx.add("L0108", a.keyword.span, indicator=node.name)
            elif adjustment.approval:
                ctx.add(
                    "P0210", a.keyword.span, field=a.keyword.text, **ctx.first(adjustment.spans["approval"], a.span)
                )
            else:
                adjustment.approval = a.value.value
                adjustment.spans["approval"] = a.span


def _progress(ctx, ev: Evaluation, node: Node, clause: ast.Clause, month: int) -> Progress:
    p = Progress(month=month, path=node.path, span=clause.span)
    given: dict[str, Span] = {}
    for part in clause.parts:
        kind = part.kind
        if kind != "cause" and kind in given:
            ctx.add("P0210", part.keyword.span, field=part.keyword.text, **ctx.first(given[kind], part.span))
            continue
        given[kind] = part.span
        p.spans[kind] = part.span
        value = part.value
        if kind in ("to_date", "forecast"):
            if value.kind == "QUANTITY":
                setattr(p, kind, value.value)
            else:
                setattr(p, f"{kind}_text", value.value)
        elif kind == "possibility":
            allowed = ev.ruleset.possibilities
            if value.text not in allowed:
                import difflib  # only for a word that is not one of those allowed

                close = difflib.get_close_matches(value.text, list(allowed), n=1, cutoff=0.3)
                ctx.add(
                    "L0104",
                    value.span,
                    value=value.text,
                    available="、".join(allowed),
                    suggestion=f"是否想写：「{close[0]}」" if close else "可用：" + "、".join(allowed),
                )
                continue
            p.possibility = value.text
        elif kind == "cause":
            p.causes.append(Cause(schema.CAUSE_OF_KEYWORD[part.keyword.text], value.value, part.span))
        else:  # correction, note
            setattr(p, kind, value.value)
    return p


def _adjust(ctx, lc: Lifecycle, node: Node, a: ast.Attr) -> None:
    adjustment = lc.adjustments.setdefault(node.path, Adjustment(node.path))
    value = a.value
    if isinstance(value, ast.Target):
        key = "target"
    elif isinstance(value, ast.Attr):
        key = "weight"
    else:
        key = "action"
    if key in adjustment.spans:
        ctx.add("P0210", a.keyword.span, field=a.keyword.text, **ctx.first(adjustment.spans[key], a.span))
        return
    if isinstance(value, ast.Target):
        if value.qualitative:
            adjustment.qualitative_target = value.value.value
        else:
            adjustment.comparator = ast.canonical_comparator(value.comparator.text)
            adjustment.comparator_text = value.comparator.text
            adjustment.target = value.value.value
    elif isinstance(value, ast.Attr):
        q = value.value.value
        if q.unit.text and q.unit.text != "分":
            ctx.add("U0102", value.value.span, field=value.keyword.text, unit=q.unit.text)
            return
        adjustment.weight = q.number
    else:
        action = ACTIONS.get(value.text)
        if action is None:
            ctx.add("L0107", value.span, value=value.text)
            return
        adjustment.action = action
    adjustment.spans[key] = a.span


# ---------------------------------------------------------------- the tree as filed, as it stands
def _views(tree: IndicatorTree, adjustments: dict) -> tuple[IndicatorTree, IndicatorTree]:
    """(the tree as filed, the tree as it stands). Without a 调整 they are one and the same."""
    if not adjustments:
        return tree, tree
    filed = replace(tree, nodes=_filed(tree.nodes, adjustments))
    current = replace(tree, nodes=_current(tree.nodes, adjustments))
    return filed, current


def _filed(nodes: list[Node], adjustments: dict) -> list[Node]:
    out = []
    for n in nodes:
        a = adjustments.get(n.path)
        if a is not None and a.action == ADD:
            continue
        out.append(replace(n, children=_filed(n.children, adjustments)) if n.children else n)
    return out


def _current(nodes: list[Node], adjustments: dict) -> list[Node]:
    out = []
    for n in nodes:
        a = adjustments.get(n.path)
        if a is not None and a.action == CANCEL:
            continue
        if a is None and not n.children:
            out.append(n)
            continue
        c = replace(n, children=_current(n.children, adjustments), spans=dict(n.spans))
        if a is not None:
            if a.qualitative_target is not None:
                c.comparator = c.comparator_text = c.target = None
                c.qualitative_target = a.qualitative_target
                c.spans["target"] = a.spans["target"]
            elif a.comparator is not None:
                c.comparator, c.comparator_text, c.target = a.comparator, a.comparator_text, a.target
                c.qualitative_target = None
                c.spans["target"] = a.spans["target"]
            if a.weight is not None:
                c.weight = a.weight
                c.spans["weight"] = a.spans["weight"]
        out.append(c)
    return out


def _evaluation_begun(ev: Evaluation) -> bool:
    if ev.funds is not None:
        return True
    if ev.goals is not None and ev.goals.achieved:
        return True
    tree = ev.self_evaluation
    return tree is not None and any("actual" in n.spans or "score" in n.spans for n in tree.walk())


def _inherit(ev: Evaluation, lc: Lifecycle) -> None:
    """What the self-evaluation takes from the filing unless it restates it: the 年度总体目标 (its
    预期目标) and the 年度资金总额 (its 年初预算数)."""
    filing = lc.filing
    if filing is None:
        return
    if filing.overall and (ev.goals is None or not ev.goals.overall):
        if ev.goals is None:
            ev.goals = Goals()
        ev.goals.overall = filing.overall
        ev.goals.spans["overall"] = filing.spans["overall"]
    if ev.funds is not None and ev.funds.initial_budget is None and filing.budget is not None:
        ev.funds.initial_budget = filing.budget
        ev.funds.spans["initial_budget"] = filing.spans["budget"]
