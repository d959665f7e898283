"""Checks across the stages of the year (申报 → 监控 N月 → 自评): the 双监控 of the latest
monitoring point, and at the self-evaluation every difference from what was filed.

- Money against time: the execution rate trailing the time elapsed (N/12) by more than the
  ruleset's `monitoring.lag` percentage points (L0201).
- Each indicator at the latest monitoring point: a forecast short of the target with no
  纠偏措施 (L0202), or said to be 确定能 (L0203); no values at all (L0208) or no possibility
  (L0209). Figures in another unit than the target (L0207) are mistakes at any point.
- What was filed against what is evaluated: a target (its value, unit or comparator) or a weight
  changed, an indicator cancelled or added — reported with both values and where each was
  written: an error without a 批复 (L0204), information with one (L0205). A filed indicator the
  self-evaluation leaves without an actual value or a score (L0206); the 年初预算数 or the 总体目标
  restated differently from the filing (L0210).

Earlier monitoring points are history: only the latest is held to account (a June lag cannot be
made good in March). A file without stages has nothing to check here."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..core.numbers import fixed, trimmed
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation, IndicatorTree, Node, NodeKind, filed_tree
from ..model.lifecycle import ADD, CANCEL, Adjustment, Lifecycle, MonitoringPoint
from ..score.monitor import MonitorScore
from ..score.scorecard import ScoreCard


def check(ev: Evaluation, card: ScoreCard) -> list[Diagnostic]:
    lc = ev.lifecycle
    if lc is None:
        return []
    out: list[Diagnostic] = []
    for point in lc.monitoring:
        out.extend(_units(ev, point))
    if card.monitor is not None:
        out.extend(_latest(ev, card.monitor))
    if lc.filing is not None:
        out.extend(_changes(ev, lc))
        if lc.evaluated:
            out.extend(_unevaluated(ev, lc))
            out.extend(_restated(ev, lc))
    return out


# ---------------------------------------------------------------- places and values in words
def place(span: Span | None, here: Span | None) -> tuple[str, str]:
    """Where something was written, as a message says it: 第12行 (or 其他文件 第12行)."""
    if span is None:
        return "", ""
    if here is not None and span.file == here.file:
        return f"第{span.line}行", f"line {span.line}"
    name = os.path.basename(span.file)
    return f"{name} 第{span.line}行", f"{name} line {span.line}"


def target_text(n: Node) -> str:
    if n.qualitative_target is not None:
        return f"定性“{n.qualitative_target}”"
    if n.comparator is not None and n.target is not None:
        return f"{n.comparator_text}{n.target.text}"
    return "—"


# ---------------------------------------------------------------- monitoring
def _units(ev: Evaluation, point: MonitoringPoint) -> Iterator[Diagnostic]:
    tree = ev.self_evaluation
    if tree is None:
        return
    for node in tree.leaves():
        p = point.items.get(node.path)
        if p is None or node.target is None:
            continue
        for key, what, what_en in (
            ("to_date", "已完成值", "the value to date"),
            ("forecast", "预计完成值", "the forecast"),
        ):
            q = getattr(p, key)
            if q is not None and not node.target.compatible(q):
                yield Diagnostic(
                    "L0207",
                    p.at(key),
                    {
                        "indicator": node.name,
                        "what": what,
                        "what_en": what_en,
                        "value": q.text,
                        "target": node.target.text,
                    },
                )


def _latest(ev: Evaluation, ms: MonitorScore) -> Iterator[Diagnostic]:
    rules = ev.ruleset
    point, month = ms.point, ms.month
    rate, time = ms.execution_rate, ms.time_progress.percent
    if (
        ms.lag is not None
        and rate is not None
        and rate.percent is not None
        and time is not None
        and ms.lag > rules.monitoring_lag
    ):
        yield Diagnostic(
            "L0201",
            point.at("spent"),
            {
                "month": month,
                "rate": f"{fixed(rate.percent, rules.places)}%",
                "time": f"{fixed(time, rules.places)}%",
                "lag": fixed(ms.lag, rules.places),
                "limit": trimmed(rules.monitoring_lag),
            },
        )
    certain = rules.possibilities[0]
    for item in ms.items:
        p, n = item.progress, item.node
        if item.forecast_met is False:
            args = {
                "indicator": n.name,
                "month": month,
                "forecast": p.forecast.text if p.forecast is not None else "",
                "target": target_text(n),
            }
            if not p.correction.strip():
                yield Diagnostic("L0202", p.at("forecast"), args)
            if p.possibility == certain:
                yield Diagnostic(
                    "L0203", p.at("possibility"), {**args, "possibility": certain, "instead": rules.possibilities[1]}
                )
        if p.possibility is None and "possibility" not in p.spans:
            yield Diagnostic(
                "L0209", p.span, {"indicator": n.name, "month": month, "available": "、".join(rules.possibilities)}
            )
    tree = ev.self_evaluation
    if tree is not None:
        for node in tree.leaves():
            if node.kind is not NodeKind.FORMULA and node.path not in point.items:
                yield Diagnostic("L0208", node.at("name"), {"indicator": node.name, "month": month})


# ---------------------------------------------------------------- what was filed, what is evaluated
def _find(tree: IndicatorTree | None, path: tuple[str, ...]) -> Node | None:
    if tree is None:
        return None
    return next((n for n in tree.walk() if n.path == path), None)


def _changes(ev: Evaluation, lc: Lifecycle) -> Iterator[Diagnostic]:
    filed, current = filed_tree(ev), ev.self_evaluation
    for path, adjustment in lc.adjustments.items():
        before, after = _find(filed, path), _find(current, path)
        zh, en = _described(adjustment, before, after)
        if not zh:
            continue
        args = {"indicator": path[-1], "changes": "；".join(zh), "changes_en": "; ".join(en)}
        if adjustment.approval.strip():
            yield Diagnostic("L0205", adjustment.span, {**args, "approval": adjustment.approval.strip()})
        else:
            yield Diagnostic("L0204", adjustment.span, args)


def _described(a: Adjustment, before: Node | None, after: Node | None) -> tuple[list[str], list[str]]:
    """Each change in words, with the value filed and the value now and where each was written."""
    zh: list[str] = []
    en: list[str] = []
    here = a.span
    if a.action == CANCEL and before is not None:
        at, at_en = place(before.at("name"), here)
        zh.append(f"取消（申报于{at}：{target_text(before)}）")
        en.append(f"cancelled (filed at {at_en}: {target_text(before)})")
        return zh, en
    if a.action == ADD and after is not None:
        at, at_en = place(after.at("name"), here)
        zh.append(f"新增（{at}：{target_text(after)}，申报时没有）")
        en.append(f"added ({at_en}: {target_text(after)}; not filed)")
        return zh, en
    if before is None or after is None:
        return zh, en
    if a.changes_target:
        aspects = _target_aspects(before, after)
        if aspects:
            was, was_en = place(before.at("target"), here)
            now, now_en = place(after.at("target"), here)
            zh.append(
                f"年度指标值 {target_text(before)}（{was}）→ {target_text(after)}（{now}），改了{'、'.join(aspects)}"
            )
            en.append(
                f"target {target_text(before)} ({was_en}) → {target_text(after)} ({now_en}); "
                + ", ".join(_ASPECT_EN[x] for x in aspects)
                + " changed"
            )
    if a.weight is not None and after.weight is not None and before.weight != after.weight:
        was, was_en = place(before.at("weight"), here)
        now, now_en = place(after.at("weight"), here)
        old = trimmed(before.weight) if before.weight is not None else "—"
        zh.append(f"分值 {old}（{was}）→ {trimmed(after.weight)}（{now}）")
        en.append(f"weight {old} ({was_en}) → {trimmed(after.weight)} ({now_en})")
    return zh, en


_ASPECT_EN = {"比较符": "comparator", "单位": "unit", "数值": "value", "定性目标": "qualitative target"}


def _target_aspects(before: Node, after: Node) -> list[str]:
    """Which parts of the target differ: 比较符, 单位, 数值 (or a qualitative target)."""
    if before.qualitative_target is not None or after.qualitative_target is not None:
        return [] if before.qualitative_target == after.qualitative_target else ["定性目标"]
    if before.target is None or after.target is None:
        return []
    out = []
    if before.comparator != after.comparator:
        out.append("比较符")
    if before.target.unit.text != after.target.unit.text:
        out.append("单位")
    same_value = before.target.compatible(after.target) and before.target.base_value == after.target.base_value
    if not same_value:
        out.append("数值")
    return out


def _unevaluated(ev: Evaluation, lc: Lifecycle) -> Iterator[Diagnostic]:
    """A filed indicator the self-evaluation leaves without its actual value or score."""
    tree = ev.self_evaluation
    if tree is None:
        return
    for node in tree.leaves():
        added = lc.adjustments.get(node.path)
        kind = node.kind
        if kind is NodeKind.QUANTITATIVE and node.actual is None and node.actual_text is None:
            missing = ("实际完成值", "actual value", "I0102")
        elif kind is NodeKind.QUALITATIVE and node.score is None:
            missing = ("得分", "score", "I0107")
        else:
            continue
        if added is not None and added.action == ADD:  # not filed: the plain message
            yield Diagnostic(missing[2], node.at("name"), {"indicator": node.name})
            continue
        at, at_en = place(node.at("target"), node.at("name"))
        yield Diagnostic(
            "L0206",
            node.at("name"),
            {
                "indicator": node.name,
                "filed": target_text(node),
                "filed_at": at,
                "filed_at_en": at_en,
                "missing": missing[0],
                "missing_en": missing[1],
            },
        )


def _restated(ev: Evaluation, lc: Lifecycle) -> Iterator[Diagnostic]:
    """The self-evaluation's 年初预算数 and 总体目标, where it restates them, against the filing's."""
    filing = lc.filing
    assert filing is not None
    funds = ev.funds
    budget_at = filing.spans.get("budget")
    if (
        funds is not None
        and funds.initial_budget is not None
        and filing.budget is not None
        and funds.spans.get("initial_budget") != budget_at
        and funds.initial_budget.base_value != filing.budget.base_value
    ):
        here = funds.spans.get("initial_budget")
        at, at_en = place(budget_at, here)
        yield Diagnostic(
            "L0210",
            here,
            {
                "what": "年初预算数",
                "what_en": "年初预算数",
                "filed": filing.budget.text,
                "filed_at": f"年度资金总额，{at}",
                "filed_at_en": f"年度资金总额, {at_en}",
                "now": funds.initial_budget.text,
            },
        )
    goals = ev.goals
    overall_at = filing.spans.get("overall")
    restated = goals is not None and goals.overall and goals.spans.get("overall") != overall_at
    if goals is not None and restated and filing.overall and _words(goals.overall) != _words(filing.overall):
        here = goals.spans.get("overall")
        at, at_en = place(overall_at, here)
        yield Diagnostic(
            "L0210",
            here,
            {
                "what": "总体目标",
                "what_en": "the overall goal",
                "filed": _short(filing.overall),
                "filed_at": f"年度总体目标，{at}",
                "filed_at_en": f"年度总体目标, {at_en}",
                "now": _short(goals.overall),
            },
        )


def _words(text: str) -> str:
    return "".join(text.split())


def _short(text: str, limit: int = 24) -> str:
    flat = _words(text)
    return f"“{flat[:limit]}{'…' if len(flat) > limit else ''}”"
