"""ScoreCard + Evaluation → the template context: display strings only.

Every figure a template prints is a string made here from the ScoreCard (templates compute
nothing). Strings are plain text, escaped for Markdown when a template prints them (see
render/report.py); narrative sections are `Markdown` — the author's, made safe — and print as
they are."""

from __future__ import annotations

from ..core.numbers import fixed, trimmed
from ..model.evaluation import Evaluation, Node
from ..score.scorecard import NodeScore, ScoreBasis, ScoreCard, TreeScore
from ..score.scorer import FUND_LABELS
from .tablecontent import MISSING, framework_columns, fund_rows


class Markdown(str):
    """Text that is already Markdown (narrative, tables): printed without escaping."""


CN_NUMBERS = "一二三四五六七八九十"


def cn(i: int) -> str:
    """1 → 一, 11 → 十一, 20 → 二十 (section numbers)."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def esc(text: str | None) -> str:
    """Plain text for the context (escaping happens when a template prints it)."""
    return text or ""


def pct(value) -> str:
    return "" if value is None else f"{fixed(value, 2)}%"


def num(value) -> str:
    return "" if value is None else fixed(value, 2)


def weight(value) -> str:
    return "" if value is None else trimmed(value)


def date_text(text: str | None) -> str:
    """2024-04-12 → 2024年04月12日 (dates as the reports print them); others as written."""
    if not text:
        return ""
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[0]}年{int(parts[1]):02d}月{int(parts[2]):02d}日"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{parts[0]}年{int(parts[1])}月"
    return text


def actual_text(n: Node) -> str:
    if n.actual is not None:
        return n.actual.text
    return n.actual_text or ""


def criteria_text(ns: NodeScore) -> str:
    """附件1's 评价要点: as written; where the framework gives none, what the score rests on — the
    target and the actual, or the formula with its figures (the same in the report and the XLSX)."""
    n = ns.node
    if n.criteria.strip():
        return n.criteria.strip()
    target, actual = n.target_text(), actual_text(n)
    if target or actual:
        return f"年度指标值：{target or MISSING}；实际完成值：{actual or MISSING}"
    if n.kind == "formula" and ns.formula:
        return ns.formula
    return ""


def _leaf(ns: NodeScore, card: ScoreCard) -> dict:
    n = ns.node
    completion = ns.completion
    return {
        "name": esc(n.name),
        "kind": n.kind,
        "weight": weight(ns.weight),
        "score": num(ns.score),
        "full_marks": ns.full_marks,
        "target": esc(n.target_text("words")),
        "target_symbols": esc(n.target_text()),
        "actual": esc(actual_text(n)),
        "completion": pct(completion.percent) if completion else "",
        "completion_formula": esc(completion.formula) if completion else "",
        "deviation": pct(ns.deviation) if ns.deviation is not None else "",
        "met": ns.met,
        "reason": esc(n.reason),
        "remedy": esc(n.remedy),
        "basis": n.basis,  # Markdown, sanitized by the caller
        "definition": esc(n.definition),
        "criteria": esc(n.criteria),
        "criteria_text": esc(criteria_text(ns)),
        "category": esc(n.category),
        "formula": n.formula or "",
        "score_formula": esc(ns.formula),
        "formula_numerator": FUND_LABELS.get(_ratio(card, ns, 0), ""),
        "formula_denominator": FUND_LABELS.get(_ratio(card, ns, 1), ""),
    }


def _ratio(card: ScoreCard, ns: NodeScore, i: int) -> str:
    ratio = card.ruleset.formulas.get(ns.node.formula or "")
    if ratio is None:
        return ""
    return (ratio.numerator, ratio.denominator)[i]


def _group(ns: NodeScore, card: ScoreCard, sanitize) -> dict:
    leaves = [c for c in ns.walk() if not c.children and c is not ns]
    return {
        "name": esc(ns.name),
        "heading": esc(ns.name if len(ns.name) > 2 else f"项目{ns.name}"),
        "weight": weight(ns.weight),
        "score": num(ns.score),
        "score_rate": pct(ns.score_rate),
        "overridden": ns.basis == ScoreBasis.OVERRIDE,
        "computed": num(ns.computed),
        "basis": sanitize(ns.node.basis),
        "second_count": sum(1 for c in ns.children if c.children),
        "indicator_count": len(leaves),
        "full_marks_count": sum(1 for c in leaves if c.full_marks),
        "children": [
            _group(c, card, sanitize) if c.children else _leaf_with_basis(c, card, sanitize) for c in ns.children
        ],
        "is_group": True,
    }


def _leaf_with_basis(ns: NodeScore, card: ScoreCard, sanitize) -> dict:
    d = _leaf(ns, card)
    d["basis"] = sanitize(d["basis"])
    d["is_group"] = False
    return d


def tree_context(ts: TreeScore | None, card: ScoreCard, sanitize) -> dict | None:
    if ts is None:
        return None
    third = ts.third_level()
    return {
        "title": ts.tree.title,
        "columns": framework_columns(ts),
        "total": num(ts.total),
        "grade": ts.grade,
        "weight_total": weight(ts.weight_total),
        "overall_completion": pct(ts.overall_completion.percent) if ts.overall_completion else "",
        "deviation": pct(ts.deviation) if ts.deviation is not None else "",
        # above 100 %: no deviation to report, but by how much the targets were passed
        "exceeded_by": num(-ts.deviation) if ts.deviation is not None and ts.deviation < 0 else "",
        "quantified_rate": pct(ts.quantified.percent) if ts.quantified else "",
        "quantitative_count": ts.quantitative_count,
        "targeted_count": ts.targeted_count,
        "indicator_count": ts.indicator_count,
        "full_marks_count": ts.full_marks_count,
        "deducted_count": len(third) - ts.full_marks_count,
        "groups": [_group(ns, card, sanitize) for ns in ts.nodes if ns.children],
        "rows": [_leaf_with_basis(ns, card, sanitize) for ns in ts.nodes if not ns.children],
    }


def _members_text(card: ScoreCard, esc) -> str:
    """A 部门整体 report's member projects, one paragraph each, after the roll-up's totals."""
    rollup = card.department
    if rollup is None or not rollup.rows:
        return ""
    data = rollup.data()
    lines = [
        f"本部门纳入整体评价的项目 {len(rollup.rows)} 个，全年预算数合计{data['budget']}，全年执行数合计{data['spent']}，"
        f"执行率{data['execution_rate'] or '—'}%；有自评表的项目 {rollup.scored} 个，"
        f"按预算加权的自评得分为{data['weighted_mean_score'] or '—'}分。"
    ]
    for row in rollup.rows:
        scores = "，".join(
            f"{label}{row[key]}"
            for key, label in (("self_evaluation", "自评得分"), ("evaluation", "评价得分"))
            if row[key]
        )
        lines.append(
            f"{esc(row['project'])}：全年预算数{row['budget']}，全年执行数{row['spent']}，"
            f"执行率{row['execution_rate'] or '—'}%" + (f"，{scores}" if scores else "") + "。"
        )
    return "\n\n".join(lines)


def build_context(ev: Evaluation, card: ScoreCard, sanitize) -> dict:
    """Everything the report templates print. `sanitize(markdown) -> markdown` makes author
    Markdown safe to embed (see render/sanitize.py)."""
    p = ev.project
    f = ev.funds
    funds = None
    if f is not None:
        rate = card.funds.execution_rate
        arrival = card.funds.arrival_rate
        funds = {
            "initial_budget": _written(f.initial_budget),
            "budget": _written(f.budget),
            "received": _written(f.amount("received")),
            "spent": _written(f.spent),
            "initial_budget_wan": _amount(f.initial_budget),
            "budget_wan": _amount(f.budget),
            "spent_wan": _amount(f.spent),
            "execution_rate": pct(rate.percent) if rate else "",
            "arrival_rate": pct(arrival.percent) if arrival else "",
            "sources": [
                {
                    "name": esc(s.name),
                    "initial_budget": _amount(s.initial_budget),
                    "budget": _amount(s.budget),
                    "spent": _amount(s.spent),
                }
                for s in f.sources
            ],
            "expenses": [{"name": esc(e.name), "amount": _written(e.amount)} for e in f.expenses],
        }
    form = fund_rows(f)
    fund_table = [{"label": label, "amounts": [form.text(a) for a in amounts]} for label, amounts in form.rows]
    goals = ev.goals
    work = ev.work
    survey = ev.survey
    primary = card.primary
    return {
        "project": {
            "name": esc(p.name) if p else "",
            "year": str(p.year) if p and p.year else "",
            "unit": esc(p.unit) if p else "",
            "department": esc(p.department) if p else "",
            "implementer": esc(p.implementer) if p else "",
            "owner": esc(p.owner) if p else "",
            "filed": date_text(p.filed) if p else "",
            "period": (
                f"{date_text(p.period[0])}至{date_text(p.period[1])}"
                if p and p.period and p.period[1]
                else date_text(p.period[0])
                if p and p.period
                else ""
            ),
        },
        "ruleset": {"name": card.ruleset.name, "title": esc(card.ruleset.title)},
        "department_members": _members_text(card, esc),
        "funds": funds,
        "fund_rows": fund_table,  # the 自评表's funds block, in 万元 at one precision (render/tablecontent.py)
        "goals": {
            "overall": sanitize(goals.overall),
            "stage": sanitize(goals.stage),
            "achieved": sanitize(goals.achieved),
        }
        if goals
        else None,
        "survey": {
            "respondents": esc(survey.respondents),
            "sample": survey.sample.text if survey.sample else "",
            "issued": survey.issued.text if survey.issued else "",
            "returned": survey.returned.text if survey.returned else "",
            "method": esc(survey.method),
        }
        if survey
        else None,
        "work": {
            "members": [{"name": esc(m.name), "role": esc(m.role), "duty": sanitize(m.duty)} for m in work.members],
            "phases": [
                {"name": esc(ph.name), "dates": _dates(ph.start, ph.end), "text": sanitize(ph.description)}
                for ph in work.phases
            ],
            "method": esc(work.method),
            "standard": esc(work.standard),
            "documents": [esc(d) for d in work.basis_documents],
        }
        if work
        else None,
        "narrative": _narrative(ev, sanitize),
        "self_evaluation": tree_context(card.self_evaluation, card, sanitize),
        "evaluation": tree_context(card.framework, card, sanitize),
        "primary": tree_context(primary, card, sanitize),
        "year_over_year": card.year_over_year.to_data() if card.year_over_year is not None else None,
        "indicator_tree": tree_context(card.framework or card.self_evaluation, card, sanitize),
    }


def _written(q) -> str:
    """An amount with its unit, as the author wrote it: 239万元, 4783元."""
    return q.text if q is not None else ""


def _amount(q) -> str:
    """An amount in a 万元 column: 239万元 → "239" as written; 4783元 → "0.4783"."""
    if q is None:
        return ""
    if q.unit.text == "万元":
        return q.text[: -len("万元")]
    return trimmed(q.base_value / 10000)


def _dates(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return f"{date_text(start)}至{date_text(end)}" if end else date_text(start)


def _narrative(ev: Evaluation, sanitize) -> dict:
    out: dict[str, str] = {}
    for n in ev.narrative:
        text = sanitize(n.text)
        out[n.name] = out[n.name] + "\n\n" + text if n.name in out else text
    return out
