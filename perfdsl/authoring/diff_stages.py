"""The stages of the year in a diff: what changed in the 申报, at each monitoring point and in the
adjustments, and — the point of keeping the year in one file under git — every filed value
changed in place after the filing.

A file records its targets once, as filed. When the older of two versions already has a 申报,
a target or weight of the tree as filed that differs in the newer version was changed after
filing without a 调整: `perfdsl diff` names it (the checker cannot: within one version the
filed value is the only one there is). Both versions are flattened to one line per stage value
(`stage_values`), which also goes into the git diff driver's text (`textconv`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.numbers import fixed, trimmed
from ..loader import Loaded
from ..model.evaluation import IndicatorTree, Node
from ..model.lifecycle import Lifecycle

LONG = ("中期目标", "年度总体目标", "完成情况", "纠偏措施", "备注", "批复", "偏差原因")


@dataclass
class FiledChange:
    """A value of the tree as filed that a later version writes differently."""

    path: tuple[str, ...]
    what: str  # 指标值, 分值, or the indicator itself (申报的指标)
    old: str | None
    new: str | None

    def text(self) -> str:
        where = "/".join(self.path)
        if self.old is None:
            return f"{where}：申报后新加入申报指标（{self.new}），没有「调整 新增」"
        if self.new is None:
            return f"{where}：申报的指标被删除（原 {self.old}），没有「调整 取消」"
        return f"{where}：申报的{self.what} {self.old} → {self.new}，改的是申报值本身，没有「调整」和「批复」"

    def to_data(self) -> dict:
        return {"path": list(self.path), "what": self.what, "old": self.old, "new": self.new}


def _target(n: Node) -> str | None:
    if n.qualitative_target is not None:
        return f"定性 {n.qualitative_target}"
    if n.comparator and n.target is not None:
        return f"{n.comparator_text}{n.target.text}"
    return None


def _filed_leaves(tree: IndicatorTree | None) -> dict[tuple[str, ...], Node]:
    return {n.path: n for n in tree.leaves()} if tree is not None else {}


def stage_values(loaded: Loaded) -> dict[str, str]:
    """Every stage value of one version, one line each, keyed by where it is."""
    ev, card = loaded.evaluation, loaded.scorecard
    lc: Lifecycle | None = ev.lifecycle if ev is not None else None
    out: dict[str, str] = {}
    if lc is None:
        return out
    f = lc.filing
    if f is not None:
        for key, label in (("filed", "填报日期"), ("budget", "年度资金总额"), ("midterm_budget", "中期资金总额")):
            value = getattr(f, key)
            if value:
                out[f"申报.{label}"] = value if isinstance(value, str) else value.text
        for s in f.sources:
            out[f"申报.来源「{s.name}」"] = s.amount.text
        for key, label in (("midterm", "中期目标"), ("overall", "年度总体目标")):
            if getattr(f, key):
                out[f"申报.{label}"] = getattr(f, key)
        for path, n in _filed_leaves(f.tree).items():
            where = "申报/" + "/".join(path)
            target = _target(n)
            if target:
                out[f"{where}.指标值"] = target
            if n.weight is not None:
                out[f"{where}.分值"] = trimmed(n.weight)
    scores = {m.month: m for m in card.monitoring} if card is not None else {}
    for point in lc.monitoring:
        head = f"监控{point.month}月"
        for key, label in (
            ("filed", "填报日期"),
            ("budget", "预算数"),
            ("spent", "执行数"),
            ("forecast", "全年预计执行数"),
        ):
            value = getattr(point, key)
            if value:
                out[f"{head}.{label}"] = value if isinstance(value, str) else value.text
        ms = scores.get(point.month)
        if ms is not None and ms.execution_rate is not None and ms.execution_rate.percent is not None:
            out[f"{head}.执行率"] = f"{fixed(ms.execution_rate.percent, 2)}%"
        for src in point.sources:
            for key, label in (("budget", "预算数"), ("spent", "执行数"), ("forecast", "全年预计执行数")):
                if getattr(src, key) is not None:
                    out[f"{head}.来源「{src.name}」.{label}"] = getattr(src, key).text
        if point.progress_text:
            out[f"{head}.完成情况"] = point.progress_text
        for path, p in point.items.items():
            where = f"{head}/" + "/".join(path)
            for key, label in (("to_date", "已完成"), ("forecast", "预计完成")):
                q = getattr(p, key)
                text = q.text if q is not None else getattr(p, f"{key}_text")
                if text:
                    out[f"{where}.{label}"] = text
            if p.possibility:
                out[f"{where}.可能性"] = p.possibility
            for c in p.causes:
                out[f"{where}.偏差原因·{c.column}"] = c.text
            if p.correction:
                out[f"{where}.纠偏措施"] = p.correction
            if p.note:
                out[f"{where}.备注"] = p.note
    for path, a in lc.adjustments.items():
        where = "调整/" + "/".join(path)
        if a.action:
            out[f"{where}.{a.action}"] = a.action
        if a.qualitative_target is not None:
            out[f"{where}.指标值"] = f"定性 {a.qualitative_target}"
        elif a.comparator is not None and a.target is not None:
            out[f"{where}.指标值"] = f"{a.comparator_text}{a.target.text}"
        if a.weight is not None:
            out[f"{where}.分值"] = trimmed(a.weight)
        if a.approval:
            out[f"{where}.批复"] = a.approval
    return out


def is_long(key: str) -> bool:
    return any(key.endswith(word) or f".{word}" in key for word in LONG)


def filed_changes(old: Loaded, new: Loaded) -> list[FiledChange]:
    """The filed values the newer version changed in place (only once the older one was filed)."""
    old_lc = old.evaluation.lifecycle if old.evaluation is not None else None
    new_lc = new.evaluation.lifecycle if new.evaluation is not None else None
    if old_lc is None or old_lc.filing is None or new_lc is None or new_lc.filing is None:
        return []
    before, after = _filed_leaves(old_lc.filing.tree), _filed_leaves(new_lc.filing.tree)
    out: list[FiledChange] = []
    for path, n in after.items():
        was = before.get(path)
        if was is None:
            out.append(FiledChange(path, "指标", None, _target(n) or "—"))
            continue
        if _target(was) != _target(n):
            out.append(FiledChange(path, "指标值", _target(was), _target(n)))
        if was.weight != n.weight:
            out.append(
                FiledChange(
                    path,
                    "分值",
                    trimmed(was.weight) if was.weight is not None else "—",
                    trimmed(n.weight) if n.weight is not None else "—",
                )
            )
    out.extend(FiledChange(path, "指标", _target(n) or "—", None) for path, n in before.items() if path not in after)
    return out
