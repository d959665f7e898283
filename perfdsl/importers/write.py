"""An imported evaluation written as .perf text: every printed figure where the language keeps
it (a score the data compute becomes 陈述得分, a judged score 得分 with the cell it came from as
its 依据, the printed total 陈述总分 and grade 陈述等级), rows the project does not have and
summaries as comments, and every cell that could not be placed listed at the end."""

from __future__ import annotations

import re
from decimal import Decimal

from .. import project
from ..core.comparators import SYMBOL
from ..core.numbers import plain
from ..resources import grammar_path
from .draft import Draft, FundsDraft, Row, TreeDraft
from .values import Amount

_NAME = re.compile(r"[^\W\d][\w（）()《》【】「」〔〕、，·・\-\/.%‰+×—~～]*")
_QUANTITY_UNIT = re.compile(r"[^\s\"#{}<>=≥≤＝0-9.,，;；:：\-+][^\s\"#{}<>=≥≤＝0-9,，;；:：\-+]*")


def _keywords() -> frozenset[str]:
    """The grammar's keywords: a name spelt like one is quoted."""
    data, _ = project.read_bytes(grammar_path())
    return frozenset(re.findall(r'"([^"\s]+)"', (data or b"").decode("utf-8")))


_KEYWORDS = _keywords()
_GROUP_NOTE = re.compile(r"[（(]\s*评定\s*([\d.]+)\s*分\s*[）)]")
_GROUP_WEIGHT = re.compile(r"[（(]\s*([\d.]+)\s*分?\s*[）)]$")
FORMULA_NAMES = ("预算执行率", "资金到位率")
_FUNDS_LABELS = (
    ("initial_budget", "年初预算数"),
    ("budget", "全年预算数"),
    ("received", "到位资金"),
    ("spent", "全年执行数"),
)


def string(text: str) -> str:
    text = text.strip()
    if "\n" in text and '"""' not in text:
        body = "\n".join("    " + line.strip() for line in text.split("\n") if line.strip())
        return f'"""\n{body}\n    """'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def name(text: str) -> str:
    return text if _NAME.fullmatch(text) and text not in _KEYWORDS else string(text)


def number(value: Decimal) -> str:
    return plain(value)


def quantity(a: Amount) -> str | None:
    """A number with its unit as the language writes it, or None if the unit cannot be written."""
    if a.unit and not _QUANTITY_UNIT.fullmatch(a.unit):
        return None
    return f"{plain(a.number)}{a.unit}"


def group_name(text: str) -> tuple[str, Decimal | None]:
    """产出指标 → 产出; 成本（评定9.00分） → 成本 with its judged score; 产出(50) → 产出."""
    judged = None
    m = _GROUP_NOTE.search(text)
    if m:
        judged = Decimal(m.group(1))
        text = text[: m.start()] + text[m.end() :]
    text = _GROUP_WEIGHT.sub("", text)
    if text.endswith("指标") and len(text) > 2:
        text = text[:-2]
    return text, judged


class Writer:
    def __init__(self, draft: Draft, ruleset: str | None):
        self.draft, self.ruleset = draft, ruleset
        self.lines: list[str] = []
        self.merged_groups: dict[int, tuple[str, str]] = {}  # line → (group, basis) for groups scored as a whole

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("  " * depth + text)

    # ------------------------------------------------------------ the file
    def text(self, overrides: frozenset[int] = frozenset()) -> str:
        self.lines, self.overrides = [], overrides
        d = self.draft
        self.emit(
            0,
            f"# 由 perfdsl import 从 {d.source}（{'、'.join(d.where)}）导入：表中所列得分、总分、等级记为「陈述…」，供 perfdsl check 核对。",
        )
        self.project()
        if d.funds is not None and d.funds.totals:
            self.funds(d.funds)
        self.goals()
        for kind in ("自评表", "评价指标体系"):
            if kind in d.trees and (d.trees[kind].rows or d.trees[kind].stated_total is not None):
                self.tree(d.trees[kind])
        for key, title in (("conclusion", "自评结论"), ("problems", "存在的问题及原因"), ("remedies", "有关建议")):
            if key in d.texts:
                self.emit(0, f"正文 {string(title)} {string(d.texts[key])}")
        for note in d.notes:
            self.emit(0, "# " + note.replace("\n", " "))
        if d.unplaced:
            self.emit(0, "# 以下单元格未能放入本文件（请核对后补入或删除）：")
            for ref, text in d.unplaced:
                self.emit(0, f"# {ref}：{text}".replace("\n", " "))
        return "\n".join(self.lines) + "\n"

    def project(self) -> None:
        d, f = self.draft, self.draft.fields
        self.emit(0, f"项目 {string(d.project)} {{")
        if d.year:
            self.emit(1, f"年度 {d.year}" + (f"  # 年度取自{d.year_from}" if d.year_from else ""))
        for key, label in (
            ("unit", "实施单位"),
            ("department", "主管部门"),
            ("owner", "项目负责人"),
            ("code", "项目代码"),
        ):
            if f.get(key):
                self.emit(1, f"{label} {string(f[key])}")
        period = _period(f.get("period", ""))
        if period:
            self.emit(1, f"实施周期 {period}")
        elif f.get("period"):
            self.emit(1, f"# 实施周期：{f['period']}")
        filed = _date(f.get("filed", ""))
        if filed:
            self.emit(1, f"填报时间 {filed}")
        elif f.get("filed"):
            self.emit(1, f"# 填报日期：{f['filed']}")
        for key, label in (("filing_unit", "填报单位"), ("filer", "填报人"), ("phone", "联系电话")):
            if f.get(key):
                self.emit(1, f"{label} {string(f[key])}")
        if self.ruleset:
            self.emit(1, f"评价规则 {string(self.ruleset)}")
        self.emit(0, "}")

    def funds(self, funds: FundsDraft) -> None:
        unit = funds.unit
        self.emit(0, "资金 {")
        for key, label in _FUNDS_LABELS:
            if key in funds.totals:
                self.emit(1, f"{label} {number(funds.totals[key])}{unit}")
        for source_name, figures in funds.sources:
            inner = " ".join(f"{label} {number(figures[k])}{unit}" for k, label in _FUNDS_LABELS if k in figures)
            if inner:
                self.emit(1, f"来源 {string(source_name)} {{ {inner} }}")
            else:
                self.emit(1, f"# 来源 {source_name}：表中无金额")
        if funds.execution_rate is not None:
            self.emit(1, f"陈述执行率 {plain(funds.execution_rate.number)}%")
        if funds.arrival_rate is not None:
            self.emit(1, f"陈述到位率 {plain(funds.arrival_rate.number)}%")
        self.emit(0, "}")

    def goals(self) -> None:
        t = self.draft.texts
        if "overall" not in t and "achieved" not in t:
            return
        self.emit(0, "绩效目标 {")
        for key, label in (("overall", "总体目标"), ("achieved", "实际完成情况")):
            if key in t:
                self.emit(1, f'{label} """')
                for line in t[key].split("\n"):
                    if line.strip():
                        self.emit(2, line.strip())
                self.emit(2, '"""')
        self.emit(0, "}")

    # ------------------------------------------------------------ a tree
    def tree(self, tree: TreeDraft) -> None:
        weight_word = "分值" if tree.kind == "自评表" else "权重"
        self.weight_word = weight_word
        self.emit(0, f"{tree.kind} {{")
        funds = self.draft.funds
        if tree.kind == "自评表" and funds is not None and funds.weight is not None:
            parts = [f"预算执行率 {weight_word} {number(funds.weight)}"]
            if funds.score is not None:
                parts.append(f"陈述得分 {number(funds.score)}")
            self.emit(1, " ".join(parts))
            if funds.reason:
                self.emit(3, f"偏差原因 {string(funds.reason)}")
        groups: dict[str, dict[str, list[Row]]] = {}
        for row in tree.rows:
            groups.setdefault(row.level1, {}).setdefault(row.level2, []).append(row)
        for level1, seconds in groups.items():
            label, judged = group_name(level1) if level1 else ("", None)
            depth = 1
            if label:
                head = name(label)
                if label in tree.group_scores or level1 in tree.group_scores:
                    head += f" 陈述得分 {number(tree.group_scores.get(label, tree.group_scores.get(level1)))}"  # type: ignore[arg-type]
                self.emit(1, head + " {")
                depth = 2
            for level2, rows in seconds.items():
                self.second(level2, rows, depth)
            if label:
                self.emit(1, "}")
        if tree.stated_total is not None:
            self.emit(1, f"陈述总分 {number(tree.stated_total)}")
        if tree.stated_grade:
            self.emit(1, f"陈述等级 {string(tree.stated_grade)}")
        self.emit(0, "}")

    def second(self, level2: str, rows: list[Row], depth: int) -> None:
        runs = _weight_runs(rows)
        label, judged = group_name(level2) if level2 else ("", None)
        whole = len(runs) == 1 and len(rows) > 1 and rows[0].weight_ref
        if not label or all(r.not_applicable for r in rows):
            for run in runs:  # rows of the 一级 itself, or a 二级 the project does not have (a comment)
                self.run(run, depth)
            return
        head = name(label)
        basis = ""
        if whole and not any(_computable(r) for r in rows):
            # scored as a whole, and its rows have nothing to compute with: the group is the
            # indicator the evaluators judged, its rows named in the basis
            first = rows[0]
            parts = [head]
            if first.weight is not None:
                parts.append(f"{self.weight_word} {number(first.weight)}")
            names = "、".join(r.name for r in rows)
            why = next((r.basis for r in rows if r.basis), "") or "表中对本组评定得分，未说明理由"
            if first.score is not None:
                parts.append(f"得分 {number(first.score)}")
            self.emit(depth, " ".join(parts))
            self.emit(depth + 1, f"依据 {string(f'{why}（{first.score_ref or first.ref}；本组三级指标：{names}）')}")
            return
        if whole:
            first = rows[0]
            head += f" {self.weight_word} {number(first.weight)}" if first.weight is not None else ""
            basis = next((r.basis for r in rows if r.basis), "")
            if first.score is not None:
                line = len(self.lines)
                if judged is not None or line in self.overrides:
                    score = judged if judged is not None else first.score
                    why = basis or f"{first.score_ref}：表中对本组评定得分，未说明理由。"
                    head += f" 得分 {number(score)} 依据 {string(why + f'（{first.score_ref}）' if basis else why)}"
                else:
                    head += f" 陈述得分 {number(first.score)}"
                    self.merged_groups[line] = (label, basis)
        elif judged is not None:
            head += f" 得分 {number(judged)} 依据 {string(f'{level2}：表中注明评定分数')}"
        self.emit(depth, head + " {")
        for run in runs:
            self.run(run, depth + 1, shared=bool(whole))
        self.emit(depth, "}")

    def run(self, rows: list[Row], depth: int, shared: bool = False) -> None:
        """Rows whose weight (and score) cell is one merge share its weight equally."""
        share = None
        if len(rows) > 1 and rows[0].weight is not None and rows[0].weight_ref:
            share = _shares(rows[0].weight, len(rows))
        for i, row in enumerate(rows):
            if row.not_applicable:
                self.emit(
                    depth,
                    f"# {row.level2 or row.level1}：本项目无该指标（{row.ref}）{('：' + row.basis) if row.basis else ''}",
                )
                continue
            weight = share[i] if share else row.weight
            self.leaf(row, depth, weight, own_score=not (share or shared))

    def leaf(self, row: Row, depth: int, weight: Decimal | None, own_score: bool) -> None:
        parts = [name(row.name)]
        t = row.target
        computable = False
        if t is not None and t.comparator is not None and t.value is not None and quantity(t.value):
            parts.append(f"{SYMBOL[t.comparator]} {quantity(t.value)}")
            computable = isinstance(row.actual, Amount) and quantity(row.actual) is not None
        elif t is not None:
            parts.append(f"定性 {string(t.text)}")
        if isinstance(row.actual, Amount) and quantity(row.actual):
            parts.append(f"实际 {quantity(row.actual)}")
        elif row.actual is not None:
            parts.append(f"实际 {string(str(row.actual) if not isinstance(row.actual, Amount) else row.actual.text)}")
        if weight is not None:
            parts.append(f"{self.weight_word} {number(weight)}")
        formula = t is None and row.name in FORMULA_NAMES and self._funds_known()
        notes = []
        if own_score and row.score is not None:
            if computable or formula:
                parts.append(f"陈述得分 {number(row.score)}")
            else:
                parts.append(f"得分 {number(row.score)}")
                why = (
                    f"{row.basis}（{row.score_ref}）"
                    if row.basis
                    else f"{row.score_ref}：表中只列得分，未说明评分理由。"
                )
                if row.completion is not None:
                    why += f"表中所列完成率 {plain(row.completion.number)}%。"
                notes.append(f"依据 {string(why)}")
        completion = row.completion
        if formula and completion is None and isinstance(row.actual, Amount) and row.actual.unit == "%":
            completion = row.actual
            parts = [p for p in parts if not p.startswith("实际 ")]
        if completion is not None and (computable or formula):
            parts.append(f"陈述完成率 {plain(completion.number)}%")
        self.emit(depth, " ".join(parts))
        if row.reason:
            self.emit(depth + 1, f"偏差原因 {string(row.reason)}")
        for note in notes:
            self.emit(depth + 1, note)
        if row.definition:
            self.emit(depth + 1, f"指标解释 {string(row.definition)}")
        if row.criteria:
            self.emit(depth + 1, f"评价要点 {string(row.criteria)}")

    def _funds_known(self) -> bool:
        f = self.draft.funds
        return f is not None and "budget" in f.totals and "spent" in f.totals


def _computable(row: Row) -> bool:
    t = row.target
    return (
        t is not None
        and t.comparator is not None
        and t.value is not None
        and isinstance(row.actual, Amount)
        and quantity(t.value) is not None
        and quantity(row.actual) is not None
    )


def _weight_runs(rows: list[Row]) -> list[list[Row]]:
    runs: list[list[Row]] = []
    for row in rows:
        if runs and row.weight_ref and runs[-1][-1].weight_ref == row.weight_ref and not row.not_applicable:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _shares(weight: Decimal, n: int) -> list[Decimal]:
    """A merged weight shared equally, to two places, the last share taking what rounding left."""
    each = (weight / n).quantize(Decimal("0.01"))
    if each * n == weight:
        return [each.normalize() if each == each.to_integral_value() else each] * n
    return [each] * (n - 1) + [weight - each * (n - 1)]


def _date(text: str) -> str:
    m = re.search(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", text)
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


def _period(text: str) -> str:
    found = re.findall(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*月?(?:\s*(\d{1,2})\s*日)?", text)
    if len(found) != 2:
        return ""
    ends = [f"{y}-{int(m):02d}" + (f"-{int(d):02d}" if d else "") for y, m, d in found]
    return f"{ends[0]} 至 {ends[1]}"
