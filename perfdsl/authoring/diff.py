"""A semantic diff of two evaluations: what the author changed (indicators, targets, actuals,
weights, judged scores, funds, narrative) and how every derived figure moved (totals, 一级/二级
subtotals, rates, the grade), each with the changes that caused it where they can be named:

    总分 96.39 → 96.58 (+0.19)：发送短信 实际 61.99万条 → 80万条

Inputs are read from the two Evaluations, derived figures from the two ScoreCards (through
`scorecard_data`, the same strings `perfdsl score` prints); nothing is recomputed here.

`textconv(loaded)` is the canonical one-line-per-figure text of one file, for git's diff driver.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..core import schema
from ..core.numbers import plain, trimmed
from ..loader import Loaded
from ..model.evaluation import Evaluation, Node
from ..score.compare import YearOverYear, compare
from ..score.export import scorecard_data
from ..score.scorecard import ScoreBasis
from .diff_stages import FiledChange, filed_changes, is_long, stage_values

FORMAT_VERSION = 1
MAX_CAUSES_SHOWN = 4

# ---------------------------------------------------------------- what is compared


def _labels(block: schema.BlockSpec, *keys: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, block.label(key)) for key in keys)


PROJECT_FIELDS = (("name", schema.PROJECT_NAME_LABEL),) + _labels(
    schema.PROJECT,
    "year",
    "unit",
    "department",
    "implementer",
    "owner",
    "filed",
    "period",
    "ruleset",
    "baseline",
    "templates",
    "reference_docx",
)
FUND_FIELDS = _labels(schema.FUNDS, "initial_budget", "budget", "received", "spent")
FUND_STATED = _labels(schema.FUNDS, "stated_execution_rate", "stated_arrival_rate")
# Which fund figures each rate is made of (a change to one of them is the rate's cause).
RATE_INPUTS = {
    "execution_rate": ("budget", "received", "spent"),
    "arrival_rate": ("budget", "received"),
    "breakdown_total": ("expenses",),
}
RATES: tuple[tuple[str, str, bool | None], ...] = (
    ("execution_rate", "预算执行率", True),
    ("arrival_rate", "资金到位率", True),
    ("breakdown_total", "支出明细合计", False),
)
GOALS = _labels(schema.GOALS, "overall", "stage", "achieved")
SURVEY_FIELDS = _labels(schema.SURVEY, "respondents", "sample", "issued", "returned", "method", "result")

# An indicator's (or group's) attributes: key, label, feeds the score?, long text?
_FEEDS_SCORE = ("target", "actual", "weight", "score", "achievement", "formula")
_LONG_TEXT = ("basis", "reason", "remedy", "definition", "criteria")
NODE_INPUTS = (("target", schema.TARGET_LABEL, True, False),) + tuple(
    (key, schema.ATTRIBUTES.label(key), key in _FEEDS_SCORE, key in _LONG_TEXT)
    for key in (
        "actual",
        "weight",
        "score",
        "achievement",
        "formula",
        "category",
        "basis",
        "reason",
        "remedy",
        "definition",
        "criteria",
        "stated_completion",
        "stated_score",
        "stated_deviation",
    )
)
FEEDS_SCORE = {key for key, _, feeds, _ in NODE_INPUTS if feeds}
TREE_STATED = tuple((schema.TREE_ATTRIBUTE_FIELDS[f.key], f.name) for f in schema.TREE_ATTRIBUTES.fields)
# A tree's derived figures: key in tree_data, label, percent? (None: not a number), kind of cause
TREE_FIGURES: tuple[tuple[str, str, bool | None, str], ...] = (
    ("total", "总分", False, "score"),
    ("grade", "等级", None, "score"),
    ("overall_completion", "总体完成率", True, "completion"),
    ("quantified_rate", "指标量化率", True, "count"),
    ("indicator_count", "三级指标数", False, "count"),
    ("full_marks_count", "满分指标数", False, "full"),
    ("weight_total", "分值合计", False, "weight"),
)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, tuple):
        return " 至 ".join(str(v) for v in value if v)
    text = getattr(value, "text", None)  # a Quantity: as written
    return text if isinstance(text, str) else str(value)


def _target(n: Node) -> str | None:
    """A target as the diff shows it: a qualitative one marked as such (定性 保障)."""
    if n.qualitative_target is not None:
        return f"定性 {n.qualitative_target}"
    return n.target_text() or None


def node_inputs(n: Node) -> dict[str, str | None]:
    return {
        "target": _target(n),
        "actual": n.actual.text if n.actual is not None else n.actual_text,
        "weight": None if n.weight is None else trimmed(n.weight),
        "score": None if n.score is None else plain(n.score),
        "achievement": n.achievement,
        "formula": n.formula,
        "category": n.category or None,
        "basis": n.basis or None,
        "reason": n.reason or None,
        "remedy": n.remedy or None,
        "definition": n.definition or None,
        "criteria": n.criteria or None,
        "stated_completion": _text(n.stated_completion),
        "stated_score": _text(n.stated_score),
        "stated_deviation": _text(n.stated_deviation),
    }


# ---------------------------------------------------------------- one file, flattened


@dataclass
class NodeSnap:
    path: tuple[str, ...]
    level: int
    is_group: bool
    kind: str
    inputs: dict[str, str | None]
    score: str | None
    completion: str | None
    weight: str | None  # the weight that counts (a group's: the sum of its children)
    basis: ScoreBasis
    full: bool = False  # at full marks

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass
class TreeSnap:
    kind: str
    title: str
    figures: dict[str, str | int | None]
    stated: dict[str, str | None]
    nodes: dict[tuple[str, ...], NodeSnap]

    def leaves(self) -> dict[tuple[str, ...], NodeSnap]:
        return {p: n for p, n in self.nodes.items() if not n.is_group}

    def overridden_above(self, path: tuple[str, ...]) -> tuple[str, ...] | None:
        """The nearest group above `path` whose score is the evaluators' own (it replaces the sum
        of its indicators, so a change below it moves nothing above)."""
        for i in range(len(path) - 1, 0, -1):
            n = self.nodes.get(path[:i])
            if n is not None and n.basis == ScoreBasis.OVERRIDE:
                return path[:i]
        return None


@dataclass
class Snapshot:
    file: str
    label: str
    project: dict[str, str | None]
    funds: dict[str, str | None]
    rates: dict[str, str | None]
    trees: dict[str, TreeSnap]
    sections: dict[str, str]  # narrative and goals, by name
    other: dict[str, str | None]  # survey, work
    ruleset: str
    year: int | None
    evaluation: Evaluation | None = None
    loaded: Loaded | None = None


def snapshot(loaded: Loaded, label: str | None = None) -> Snapshot:
    ev, card = loaded.evaluation, loaded.scorecard
    assert ev is not None and card is not None, "a diff compares evaluations that loaded"
    data = scorecard_data(ev, card)
    p = ev.project
    project = {key: _text(getattr(p, key)) or None for key, _ in PROJECT_FIELDS} if p else {}
    funds: dict[str, str | None] = {}
    f = ev.funds
    if f is not None:
        for key, _ in FUND_FIELDS:
            funds[key] = _text(getattr(f, key))
        for s in f.sources:
            for key, _ in FUND_FIELDS:
                funds[f"source:{s.name}:{key}"] = _text(getattr(s, key))
        for e in f.expenses:
            funds[f"expense:{e.name}"] = _text(e.amount)
        for key, _ in FUND_STATED:
            funds[key] = _text(getattr(f, key))
    rates = {key: data["funds"].get(key) for key, _, _ in RATES}
    trees = {}
    for ts in card.trees():
        td = next(
            t
            for k, t in (("self_evaluation", data["self_evaluation"]), ("evaluation", data["evaluation"]))
            if k == ts.kind
        )
        nodes = {}
        items = {tuple(i["path"]): i for i in td["items"]}
        for ns in ts.walk():
            item = items.get(tuple(ns.path), {})
            nodes[tuple(ns.path)] = NodeSnap(
                path=tuple(ns.path),
                level=ns.node.level,
                is_group=ns.node.is_group or bool(ns.children),
                kind=ns.node.kind,
                inputs=node_inputs(ns.node),
                score=item.get("score"),
                completion=item.get("completion"),
                weight=item.get("weight"),
                basis=ns.basis,
                full=ns.full_marks,
            )
        tree = ts.tree
        trees[ts.kind] = TreeSnap(
            kind=ts.kind,
            title=ts.tree.title,
            figures={key: td.get(key) for key, *_ in TREE_FIGURES},
            stated={key: _text(getattr(tree, key)) for key, _ in TREE_STATED},
            nodes=nodes,
        )
    sections: dict[str, str] = {}
    if ev.goals is not None:
        for key, label_ in GOALS:
            text = getattr(ev.goals, key)
            if text:
                sections[f"绩效目标·{label_}"] = text
    for n in ev.narrative:
        sections.setdefault(n.name, ev.section(n.name))
    other: dict[str, str | None] = {}
    if ev.survey is not None:
        for key, label_ in SURVEY_FIELDS:
            other[f"满意度调查·{label_}"] = _text(getattr(ev.survey, key)) or None
    if ev.work is not None:
        w = ev.work
        other["评价工作·成员"] = "、".join(f"{m.name}（{m.role}）" for m in w.members) or None
        for ph in w.phases:
            dates = " 至 ".join(d for d in (ph.start, ph.end) if d)
            other[f"评价工作·阶段「{ph.name}」"] = dates or None
            if ph.description:
                sections[f"评价工作·阶段「{ph.name}」"] = ph.description
        other["评价工作·评价方法"] = w.method or None
        other["评价工作·评价标准"] = w.standard or None
        other["评价工作·评价依据"] = "；".join(w.basis_documents) or None
    return Snapshot(
        file=loaded.path,
        label=label or loaded.path,
        project=project,
        funds=funds,
        rates=rates,
        trees=trees,
        sections=sections,
        other=other,
        ruleset=card.ruleset.name,
        year=p.year if p else None,
        evaluation=ev,
        loaded=loaded,
    )


def fund_label(key: str) -> str:
    if key.startswith("source:"):
        _, name, sub = key.split(":", 2)
        return f"来源「{name}」{dict(FUND_FIELDS)[sub]}"
    if key.startswith("expense:"):
        return f"支出「{key.split(':', 1)[1]}」"
    return dict(FUND_FIELDS + FUND_STATED)[key]


# ---------------------------------------------------------------- the diff


@dataclass
class InputChange:
    """Something the author wrote differently."""

    key: str
    label: str
    old: str | None
    new: str | None
    long_text: bool = False

    def text(self) -> str:
        if self.long_text:
            if self.old is None:
                return f"{self.label} 新增"
            if self.new is None:
                return f"{self.label} 删除"
            return f"{self.label} 改动"
        return f"{self.label} {self.old if self.old is not None else '（无）'} → {self.new if self.new is not None else '（无）'}"

    def to_data(self) -> dict:
        return {"key": self.key, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class FigureMove:
    """A derived figure that moved, and why."""

    key: str
    label: str
    old: str | None
    new: str | None
    change: str | None = None
    unit: str = ""
    causes: list[str] = field(default_factory=list)

    def text(self, percent: bool = False) -> str:
        old = "—" if self.old is None else self.old
        new = "—" if self.new is None else self.new
        out = f"{self.label} {old} → {new}"
        if self.change is not None:
            out += f" ({self.change}{self.unit})"
        if self.causes:
            shown = self.causes[:MAX_CAUSES_SHOWN]
            rest = len(self.causes) - len(shown)
            out += "：" + "；".join(shown) + (f"；……（共 {len(self.causes)} 项）" if rest else "")
        return out

    def to_data(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "change": self.change,
            "unit": self.unit,
            "causes": list(self.causes),
        }


@dataclass
class NodeDiff:
    path: tuple[str, ...]
    level: int
    is_group: bool
    status: str  # added | removed | changed
    inputs: list[InputChange] = field(default_factory=list)
    derived: list[FigureMove] = field(default_factory=list)
    summary: str = ""  # an added or removed indicator, as written

    def to_data(self) -> dict:
        return {
            "path": list(self.path),
            "level": self.level,
            "group": self.is_group,
            "status": self.status,
            "summary": self.summary or None,
            "inputs": [c.to_data() for c in self.inputs],
            "derived": [m.to_data() for m in self.derived],
        }


@dataclass
class TreeDiff:
    kind: str
    title: str
    status: str  # changed | added | removed | same
    figures: list[FigureMove] = field(default_factory=list)
    subtotals: list[FigureMove] = field(default_factory=list)
    nodes: list[NodeDiff] = field(default_factory=list)
    stated: list[InputChange] = field(default_factory=list)
    summary: str = ""

    def to_data(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "summary": self.summary or None,
            "figures": [m.to_data() for m in self.figures],
            "subtotals": [m.to_data() for m in self.subtotals],
            "indicators": [n.to_data() for n in self.nodes],
            "stated": [c.to_data() for c in self.stated],
        }


@dataclass
class SectionDiff:
    name: str
    status: str  # added | removed | changed
    paragraphs: list[dict] = field(default_factory=list)  # {"op": added|removed|changed, "old", "new"}

    def to_data(self) -> dict:
        return {"section": self.name, "status": self.status, "paragraphs": self.paragraphs}


@dataclass
class FileDiff:
    old_label: str
    new_label: str
    status: str  # changed | same | added | removed
    project: list[InputChange] = field(default_factory=list)
    funds: list[InputChange] = field(default_factory=list)
    rates: list[FigureMove] = field(default_factory=list)
    trees: list[TreeDiff] = field(default_factory=list)
    sections: list[SectionDiff] = field(default_factory=list)
    other: list[InputChange] = field(default_factory=list)
    stages: list[InputChange] = field(default_factory=list)  # 申报, 监控 N月, 调整 (diff_stages.py)
    filed: list[FiledChange] = field(default_factory=list)  # filed values changed in place after filing
    year_over_year: YearOverYear | None = None
    notes: list[str] = field(default_factory=list)
    name: str = ""
    old_year: int | None = None
    new_year: int | None = None
    summary: str = ""  # an added or removed file: its totals

    @property
    def changed(self) -> bool:
        return self.status != "same"

    def to_data(self) -> dict:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "status": self.status,
            "project_name": self.name or None,
            "old_year": self.old_year,
            "new_year": self.new_year,
            "summary": self.summary or None,
            "project": [c.to_data() for c in self.project],
            "funds": [c.to_data() for c in self.funds],
            "rates": [m.to_data() for m in self.rates],
            "trees": [t.to_data() for t in self.trees],
            "sections": [s.to_data() for s in self.sections],
            "other": [c.to_data() for c in self.other],
            **({"stages": [c.to_data() for c in self.stages]} if self.stages else {}),
            **({"filed_changed": [c.to_data() for c in self.filed]} if self.filed else {}),
            "year_over_year": self.year_over_year.to_data() if self.year_over_year is not None else None,
            "notes": list(self.notes),
        }


def _dec(text) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(str(text).rstrip("%"))
    except InvalidOperation:
        return None


def _signed(value: Decimal, like: str) -> str:
    places = len(like.split(".", 1)[1]) if "." in like else 0
    q = value.quantize(Decimal(1).scaleb(-places))
    text = plain(q)
    if q == 0:
        return "±" + text.lstrip("-")
    return text if text.startswith("-") else "+" + text


def move(key: str, label: str, old, new, percent: bool | None = False, causes=None) -> FigureMove | None:
    """The move of a derived figure, or None when it did not move."""
    o = None if old is None else str(old)
    n = None if new is None else str(new)
    if o == n:
        return None
    m = FigureMove(
        key,
        label,
        None if o is None else o + ("%" if percent else ""),
        None if n is None else n + ("%" if percent else ""),
        causes=list(causes or []),
    )
    a, b = _dec(o), _dec(n)
    if percent is not None and a is not None and b is not None:
        m.change = _signed(b - a, n or "")
        m.unit = "个百分点" if percent else ""
    return m


def _input_changes(old: dict, new: dict, specs) -> list[InputChange]:
    out = []
    for key, label, *rest in specs:
        long_text = bool(rest[1]) if len(rest) > 1 else False
        if old.get(key) != new.get(key):
            out.append(InputChange(key, label, old.get(key), new.get(key), long_text))
    return out


def _describe(n: NodeSnap) -> str:
    """An indicator as written, briefly: `≥ 285万条 实际 61.99万条 分值 3`."""
    parts = []
    i = n.inputs
    if i["target"]:
        parts.append(i["target"])
    if i["actual"]:
        parts.append(f"实际 {i['actual']}")
    if i["weight"]:
        parts.append(f"分值 {i['weight']}")
    if i["score"]:
        parts.append(f"得分 {i['score']}")
    if i["formula"]:
        parts.append(f"公式 {i['formula']}")
    if n.score is not None and not n.is_group:
        parts.append(f"→ 得分 {n.score}")
    return " ".join(parts)


_WIDE_BREAK = re.compile(
    r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])\s*\n\s*(?=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])"
)


def _paragraphs(text: str) -> list[str]:
    """A text's paragraphs, each on one line: a line break between two Chinese characters is no
    space (as in the report), any other run of spaces and breaks is one space."""
    out = []
    for p in re.split(r"\n[ \t]*\n", text or ""):
        if p.strip():
            out.append(re.sub(r"\s+", " ", _WIDE_BREAK.sub("", p.strip())))
    return out


def _section_diff(name: str, old: str | None, new: str | None) -> SectionDiff | None:
    if old == new:
        return None
    if old is None:
        return SectionDiff(name, "added", [{"op": "added", "old": None, "new": p} for p in _paragraphs(new or "")])
    if new is None:
        return SectionDiff(name, "removed", [{"op": "removed", "old": p, "new": None} for p in _paragraphs(old)])
    a, b = _paragraphs(old), _paragraphs(new)
    if a == b:
        return None  # only the layout (line breaks, indentation) changed
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace":
            for k in range(max(i2 - i1, j2 - j1)):
                o = a[i1 + k] if i1 + k < i2 else None
                n = b[j1 + k] if j1 + k < j2 else None
                ops.append({"op": "changed" if o and n else ("removed" if o else "added"), "old": o, "new": n})
        elif tag == "delete":
            ops.extend({"op": "removed", "old": p, "new": None} for p in a[i1:i2])
        elif tag == "insert":
            ops.extend({"op": "added", "old": None, "new": p} for p in b[j1:j2])
    return SectionDiff(name, "changed", ops)


class _Causes:
    """Names the changes behind a moved figure."""

    def __init__(self, old: Snapshot, new: Snapshot, funds: list[InputChange]):
        self.old, self.new = old, new
        self.fund_causes = {c.key: c.text() for c in funds}
        self.ruleset = f"评价规则 {old.ruleset} → {new.ruleset}" if old.ruleset != new.ruleset else None

    def funds_for(self, keys) -> list[str]:
        out = []
        for key, text in self.fund_causes.items():
            if key in keys or ("expenses" in keys and key.startswith("expense:")):
                out.append(text)
        return out

    def leaf(self, kind: str, path, what: str = "score") -> list[str]:
        """Why one indicator's score (completion, full marks) differs; [] when it does not."""
        ot, nt = self.old.trees.get(kind), self.new.trees.get(kind)
        o = ot.nodes.get(path) if ot else None
        n = nt.nodes.get(path) if nt else None
        name = path[-1]
        if o is None and n is None:
            return []
        if o is None:
            assert n is not None
            return [f"新增 {name}"] if what != "full" or n.full else []
        if n is None:
            return [f"删除 {name}"] if what != "full" or o.full else []
        if getattr(o, what) == getattr(n, what):
            return []
        causes = [f"{name} {c.text()}" for c in _input_changes(o.inputs, n.inputs, NODE_INPUTS) if c.key in FEEDS_SCORE]
        if not causes and n.kind == "formula":
            causes = self.funds_for(RATE_INPUTS["execution_rate"])
        if not causes and self.ruleset:
            causes = [self.ruleset]
        return causes

    def under(self, kind: str, prefix: tuple[str, ...], what: str = "score") -> list[str]:
        """The causes behind the moves of the indicators under `prefix` (() for the whole tree)
        that count towards it."""
        ot, nt = self.old.trees.get(kind), self.new.trees.get(kind)
        causes: list[str] = []
        if what == "score" and ot is not None and nt is not None:
            # An evaluators' own subtotal (得分 on a group) at or below `prefix` that changed.
            for p, n in nt.nodes.items():
                o = ot.nodes.get(p)
                if (
                    n.is_group
                    and o is not None
                    and p[: len(prefix)] == prefix
                    and o.inputs["score"] != n.inputs["score"]
                ):
                    causes.append(
                        f"{n.name} 评定得分 {o.inputs['score'] or '（无）'} → {n.inputs['score'] or '（无）'}"
                    )
        paths = []
        for t in (nt, ot):
            for p in t.leaves() if t is not None else ():
                if p[: len(prefix)] == prefix and p not in paths:
                    paths.append(p)
        for p in paths:
            if what == "score":
                # A change below an evaluators' subtotal moves nothing above that subtotal.
                covers = [t.overridden_above(p) for t in (ot, nt) if t is not None and p in t.nodes]
                if covers and all(g is not None and len(g) >= len(prefix) for g in covers):
                    continue
            for c in self.leaf(kind, p, what):
                if c not in causes:
                    causes.append(c)
        return causes


def diff(
    old_loaded: Loaded,
    new_loaded: Loaded,
    old_label: str | None = None,
    new_label: str | None = None,
    *,
    year_over_year: bool = True,
) -> FileDiff:
    """The semantic diff of two loaded evaluations (both must have an evaluation and a scorecard)."""
    old, new = snapshot(old_loaded, old_label), snapshot(new_loaded, new_label)
    d = FileDiff(
        old.label,
        new.label,
        "same",
        name=new.project.get("name") or old.project.get("name") or "",
        old_year=old.year,
        new_year=new.year,
    )
    d.project = _input_changes(old.project, new.project, PROJECT_FIELDS)
    fund_keys = list(dict.fromkeys(list(old.funds) + list(new.funds)))
    d.funds = [
        InputChange(k, fund_label(k), old.funds.get(k), new.funds.get(k))
        for k in fund_keys
        if old.funds.get(k) != new.funds.get(k)
    ]
    causes = _Causes(old, new, d.funds)
    for key, label, percent in RATES:
        m = move(
            key,
            label,
            old.rates.get(key),
            new.rates.get(key),
            percent if key != "breakdown_total" else None,
            causes.funds_for(RATE_INPUTS[key]) or ([causes.ruleset] if causes.ruleset else []),
        )
        if key == "breakdown_total" and m is not None:
            m.old, m.new = old.rates.get(key), new.rates.get(key)
            a, b = _dec((m.old or "").removesuffix("万元")), _dec((m.new or "").removesuffix("万元"))
            if a is not None and b is not None:
                m.change, m.unit = _signed(b - a, (m.new or "").removesuffix("万元")), "万元"
        if m is not None:
            d.rates.append(m)

    for kind in ("self_evaluation", "evaluation"):
        ot, nt = old.trees.get(kind), new.trees.get(kind)
        if ot is None and nt is None:
            continue
        if ot is None or nt is None:
            t = nt or ot
            assert t is not None
            td = TreeDiff(
                kind,
                t.title,
                "added" if ot is None else "removed",
                summary=f"总分 {t.figures['total']}，等级 {t.figures['grade']}，三级指标 {t.figures['indicator_count']} 个",
            )
            d.trees.append(td)
            continue
        d.trees.append(_tree_diff(kind, ot, nt, causes))

    section_names = list(dict.fromkeys(list(old.sections) + list(new.sections)))
    for name in section_names:
        s = _section_diff(name, old.sections.get(name), new.sections.get(name))
        if s is not None:
            d.sections.append(s)
    other_keys = list(dict.fromkeys(list(old.other) + list(new.other)))
    d.other = [
        InputChange(k, k, old.other.get(k), new.other.get(k))
        for k in other_keys
        if old.other.get(k) != new.other.get(k)
    ]

    old_stages, new_stages = stage_values(old_loaded), stage_values(new_loaded)
    d.stages = [
        InputChange(k, k, old_stages.get(k), new_stages.get(k), is_long(k))
        for k in dict.fromkeys(list(old_stages) + list(new_stages))
        if old_stages.get(k) != new_stages.get(k)
    ]
    d.filed = filed_changes(old_loaded, new_loaded)
    if d.project or d.funds or d.rates or d.sections or d.other or d.stages or any(t.status != "same" for t in d.trees):
        d.status = "changed"
    if year_over_year and old.year is not None and new.year is not None and old.year != new.year:
        later, earlier, label = (
            (new_loaded, old_loaded, old.label) if old.year < new.year else (old_loaded, new_loaded, new.label)
        )
        assert later.evaluation and later.scorecard and earlier.evaluation and earlier.scorecard
        d.year_over_year = compare(later.evaluation, later.scorecard, earlier.evaluation, earlier.scorecard, label)
    return d


def _tree_diff(kind: str, ot: TreeSnap, nt: TreeSnap, causes: _Causes) -> TreeDiff:
    td = TreeDiff(kind, nt.title, "same")
    # Indicators and groups: in the new tree's order, then the removed ones.
    paths = list(nt.nodes) + [p for p in ot.nodes if p not in nt.nodes]
    for p in paths:
        o, n = ot.nodes.get(p), nt.nodes.get(p)
        if o is None or n is None:
            x = n or o
            assert x is not None
            nd = NodeDiff(p, x.level, x.is_group, "added" if o is None else "removed", summary=_describe(x))
            td.nodes.append(nd)
            continue
        inputs = _input_changes(o.inputs, n.inputs, NODE_INPUTS)
        derived = []
        if not n.is_group:
            for key, label, is_rate in (("completion", "完成率", True), ("score", "得分", False)):
                m = move(key, label, getattr(o, key), getattr(n, key), is_rate)
                if m is not None:
                    derived.append(m)
        if inputs or derived:
            td.nodes.append(NodeDiff(p, n.level, n.is_group, "changed", inputs, derived))
    # Subtotals: every group whose score moved (一级, then its 二级), with the causes below it.
    for p in paths:
        o, n = ot.nodes.get(p), nt.nodes.get(p)
        x = n or o
        assert x is not None  # p is a path of one tree or the other
        if not x.is_group:
            continue
        level = "一级" if len(p) == 1 else "二级"
        m = move(
            f"subtotal:{'/'.join(p)}",
            f"{level} {'/'.join(p)}",
            o.score if o else None,
            n.score if n else None,
            False,
            causes.under(kind, p),
        )
        if m is not None:
            td.subtotals.append(m)
    for key, label, percent, what in TREE_FIGURES:
        if what in ("completion", "full"):
            why = causes.under(kind, (), what)
        elif what == "count":
            why = [c for c in causes.under(kind, (), "score") if c.startswith(("新增", "删除"))] or [
                f"{nd.path[-1]} {c.text()}" for nd in td.nodes for c in nd.inputs if c.key in ("target", "formula")
            ]
        elif what == "weight":
            why = [f"{nd.path[-1]} {c.text()}" for nd in td.nodes for c in nd.inputs if c.key == "weight"] or [
                f"{'新增' if nd.status == 'added' else '删除'} {nd.path[-1]}"
                for nd in td.nodes
                if nd.status != "changed" and not nd.is_group
            ]
        else:
            why = causes.under(kind, (), "score")
        m = move(key, label, ot.figures.get(key), nt.figures.get(key), percent, why)
        if m is not None:
            td.figures.append(m)
    td.stated = _input_changes(ot.stated, nt.stated, TREE_STATED)
    if td.figures or td.subtotals or td.nodes or td.stated:
        td.status = "changed"
    return td


def added_or_removed(loaded: Loaded, label: str, added: bool) -> FileDiff:
    """A file that exists on one side only."""
    s = snapshot(loaded, label)
    d = FileDiff(
        "/dev/null" if added else label,
        label if added else "/dev/null",
        "added" if added else "removed",
        name=s.project.get("name") or "",
        old_year=None if added else s.year,
        new_year=s.year if added else None,
    )
    parts = [f"{t.title}总分 {t.figures['total']}，等级 {t.figures['grade']}" for t in s.trees.values()]
    d.summary = "；".join(parts)
    return d


# ---------------------------------------------------------------- as text


def format_text(d: FileDiff) -> str:
    out = [f"{d.old_label} → {d.new_label}" + (f"  「{d.name}」" if d.name else "")]
    if d.status == "added":
        out.append(f"  新增文件{('：' + d.summary) if d.summary else ''}")
        return "\n".join(out) + "\n"
    if d.status == "removed":
        out.append(f"  删除文件{('（原' + d.summary + '）') if d.summary else ''}")
        return "\n".join(out) + "\n"
    if d.old_year is not None and d.new_year is not None and d.old_year != d.new_year:
        out.append(f"  跨年度比较：{d.old_year}年度 → {d.new_year}年度（指标按路径对应）")
    if not d.changed:
        out.append("  没有变化：各项数字、指标与正文均相同")
        return "\n".join(out) + "\n"
    for t in d.trees:
        if t.status == "same":
            continue
        if t.status in ("added", "removed"):
            out.append(f"{t.title}：{'新增' if t.status == 'added' else '删除'}（{t.summary}）")
            continue
        out.append(f"{t.title}")
        for m in t.figures:
            out.append("  " + m.text())
        for m in t.subtotals:
            out.append("  " + m.text())
        for c in t.stated:
            out.append("  " + c.text())
        if t.nodes:
            out.append("  指标：")
            for nd in t.nodes:
                where = "/".join(nd.path)
                if nd.status == "added":
                    out.append(f"    + {where}" + (f"：{nd.summary}" if nd.summary else ""))
                elif nd.status == "removed":
                    out.append(f"    - {where}" + (f"（原 {nd.summary}）" if nd.summary else ""))
                else:
                    parts = [c.text() for c in nd.inputs] + [m.text() for m in nd.derived]
                    out.append(f"    ~ {where}：" + "；".join(parts))
    if d.funds or d.rates:
        out.append("资金")
        for c in d.funds:
            out.append("  " + c.text())
        for m in d.rates:
            out.append("  " + m.text())
    if d.project:
        out.append("项目")
        for c in d.project:
            out.append("  " + c.text())
    if d.sections:
        out.append("正文")
        for s in d.sections:
            if s.status == "added":
                out.append(f"  + {s.name}：新增（{len(s.paragraphs)} 段）")
            elif s.status == "removed":
                out.append(f"  - {s.name}：删除（原 {len(s.paragraphs)} 段）")
            else:
                counts = {op: sum(1 for p in s.paragraphs if p["op"] == op) for op in ("changed", "added", "removed")}
                words = [
                    f"{w} {counts[op]} 段"
                    for op, w in (("changed", "改"), ("added", "增"), ("removed", "删"))
                    if counts[op]
                ]
                out.append(f"  ~ {s.name}：{'，'.join(words)}")
                for p in s.paragraphs[:6]:
                    if p["old"] is not None:
                        out.append(f"      - {_short(p['old'])}")
                    if p["new"] is not None:
                        out.append(f"      + {_short(p['new'])}")
                if len(s.paragraphs) > 6:
                    out.append(f"      …（另 {len(s.paragraphs) - 6} 段）")
    if d.filed:
        out.append("申报后改动的申报值（应写「调整」并附「批复」）")
        for f in d.filed:
            out.append("  ! " + f.text())
    if d.stages:
        out.append("申报·监控·调整")
        for c in d.stages:
            out.append("  " + c.text())
    if d.other:
        out.append("其他")
        for c in d.other:
            out.append("  " + c.text())
    if d.year_over_year is not None:
        out.extend(d.year_over_year.text_lines())
    for n in d.notes:
        out.append(n)
    return "\n".join(out) + "\n"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width] + "…"


# ---------------------------------------------------------------- textconv


def without_includes(text: str, path: str) -> tuple[str, list[str]]:
    """The text with its `引用` lines blanked (line numbers kept), and the paths they named.

    git hands the diff driver an old version as a temporary file, away from the files it
    includes; reading the includes of one side and not the other would show differences that
    are not there. So the driver reads each version on its own and lists its includes by name."""
    from ..syntax import ast
    from ..syntax.parser import parse

    tree, _ = parse(text, path)
    if tree is None:
        return text, []
    lines = text.split("\n")
    named = []
    for item in tree.items:
        if isinstance(item, ast.Include):
            named.append(item.path.value)
            sp = item.span
            for ln in range(sp.line, sp.end_line + 1):
                line = lines[ln - 1]
                start = sp.column - 1 if ln == sp.line else 0
                end = sp.end_column - 1 if ln == sp.end_line else len(line)
                lines[ln - 1] = line[:start] + " " * (end - start) + line[end:]
    return "\n".join(lines), named


def textconv(loaded: Loaded, includes: list[str] | None = None) -> str:
    """One line per figure: what git diffs instead of the source (a reordered or reformatted file
    shows no difference; a changed actual shows as that actual, its completion, score and every
    total it moves)."""
    s = snapshot(loaded)
    out = [f"引用 = {p}" for p in includes or ()]
    for key, label in PROJECT_FIELDS:
        if s.project.get(key):
            out.append(f"项目.{label} = {s.project[key]}")
    for key, value in s.funds.items():
        if value is not None:
            out.append(f"资金.{fund_label(key)} = {value}")
    for key, label, percent in RATES:
        value = s.rates.get(key)
        if value is not None:
            out.append(f"资金.{label} = {value}{'%' if percent else ''}")
    for kind in ("self_evaluation", "evaluation"):
        t = s.trees.get(kind)
        if t is None:
            continue
        for key, label, percent, _ in TREE_FIGURES:
            figure = t.figures.get(key)
            if figure is not None:
                out.append(f"{t.title}.{label} = {figure}{'%' if percent else ''}")
        for key, label in TREE_STATED:
            if t.stated.get(key) is not None:
                out.append(f"{t.title}.{label} = {t.stated[key]}")
        for p, n in t.nodes.items():
            where = f"{t.title}/{'/'.join(p)}"
            # What feeds the score, then what it gives, then the words around it.
            for key, label, feeds, _ in NODE_INPUTS:
                if feeds and (value := n.inputs.get(key)) is not None:
                    out.append(f"{where}.{label} = {_one_line(value)}")
            if n.is_group:
                out.append(f"{where}.小计 = {n.score if n.score is not None else '—'}")
            else:
                if n.completion is not None:
                    out.append(f"{where}.完成率 = {n.completion}%")
                out.append(f"{where}.算得得分 = {n.score if n.score is not None else '—'}")
            for key, label, feeds, _ in NODE_INPUTS:
                if not feeds and (value := n.inputs.get(key)) is not None:
                    out.append(f"{where}.{label} = {_one_line(value)}")
    for name, text in s.sections.items():
        for i, para in enumerate(_paragraphs(text), 1):
            out.append(f"正文/{name}.¶{i} = {para}")
    for key, value in s.other.items():
        if value is not None:
            out.append(f"{key} = {value}")
    for key, value in stage_values(loaded).items():
        out.append(f"{key} = {_one_line(value)}")
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
