"""What every rule reads, worked out once per evaluation: the indicators with their scores and
their place in the tree, and a few text helpers. Rules never re-parse or re-score."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache

from ..core.numbers import HUNDRED, fixed, trimmed
from ..diagnostics import Diagnostic, Span
from ..model.evaluation import Evaluation, IndicatorTree, Node
from ..score.scorecard import NodeScore, ScoreCard, TreeScore
from .rule import Finding

OUTPUT_GROUPS = frozenset({"产出", "产出指标"})
BENEFIT_GROUPS = frozenset({"效益", "效益指标"})
QUANTITY_GROUPS = frozenset({"数量", "数量指标", "产出数量"})
QUALITY_GROUPS = frozenset({"质量", "质量指标", "产出质量"})
TIME_GROUPS = frozenset({"时效", "时效指标", "产出时效"})
SUSTAIN_GROUPS = frozenset({"可持续影响", "可持续影响指标"})

_PUNCT = re.compile(r"[\s，。；、：:;,.!！?？“”\"'‘’（）()《》【】\[\]…—\-_/\\·]+")


@lru_cache(maxsize=256)
def word_re(words: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern for a list of words (longest first): `word_re(words).search(text)`
    finds the first of them in a text far faster than testing each word in turn."""
    alternatives = sorted((w for w in words if w), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))) if alternatives else re.compile(r"(?!)")


@lru_cache(maxsize=256)
def bare(text: str) -> str:
    """Text without whitespace and punctuation: what a reader counts as its content. (Kept for
    the texts of the file in hand — several rules ask for the same 依据 or 正文 — and only the
    latest: texts of earlier files are not held.)"""
    return _PUNCT.sub("", text or "")


@dataclass(slots=True)
class Item:
    """One indicator (三级 or a leaf higher up) with its score and its ancestors."""

    node: Node
    score: NodeScore
    tree: IndicatorTree
    tree_score: TreeScore
    ancestors: tuple[Node, ...]  # 一级 first
    kind: str = ""  # the node's kind, worked out once

    def __post_init__(self) -> None:
        self.kind = self.node.kind

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def parent(self) -> Node | None:
        return self.ancestors[-1] if self.ancestors else None

    @property
    def first(self) -> str:
        """The 一级 group's name ("" for a leaf at the top)."""
        return self.ancestors[0].name if self.ancestors else ""

    def under(self, names) -> bool:
        return any(a.name in names for a in self.ancestors)

    @property
    def ratio(self) -> Decimal | None:
        c = self.score.completion
        return c.ratio if c is not None else None

    def percent(self) -> str:
        r = self.ratio
        return "—" if r is None else f"{fixed(r * HUNDRED, 2)}%"

    def target_text(self) -> str:
        return self.node.target_text("symbol")

    def actual_text(self) -> str:
        n = self.node
        if n.actual is not None:
            return n.actual.text
        return n.actual_text or ""


class Context:
    def __init__(self, ev: Evaluation, card: ScoreCard, diagnostics: list[Diagnostic]):
        self.ev = ev
        self.card = card
        self.rules = ev.ruleset
        self.diagnostics = diagnostics
        self._lines: dict[str, list[str]] = {}  # a file's lines, for text_span
        self.trees: list[tuple[IndicatorTree, TreeScore]] = [(ts.tree, ts) for ts in card.trees()]
        self.items: list[Item] = []
        self.groups: list[Item] = []  # group nodes, as items (their score is the subtotal)
        for tree, ts in self.trees:
            for ns in ts.nodes:
                self._walk(ns, tree, ts, ())
        self.by_kind: dict[str, list[Item]] = {}
        for it in self.items:
            self.by_kind.setdefault(it.kind, []).append(it)

    def _walk(self, ns: NodeScore, tree, ts, ancestors) -> None:
        item = Item(ns.node, ns, tree, ts, ancestors)
        if ns.node.is_group:
            self.groups.append(item)
            for c in ns.children:
                self._walk(c, tree, ts, ancestors + (ns.node,))
        else:
            self.items.append(item)

    # ------------------------------------------------------------ selections
    def leaves(self, *kinds: str, tree: str | None = None) -> list[Item]:
        """The indicators of these kinds (all when none is named), in file order within a kind."""
        if not kinds:
            chosen = self.items
        elif len(kinds) == 1:
            chosen = self.by_kind.get(kinds[0], [])
        else:
            chosen = [it for it in self.items if it.kind in kinds]
        return chosen if tree is None else [it for it in chosen if it.tree.kind == tree]

    def is_cost(self, it: Item) -> bool:
        return it.parent is not None and it.parent.name in self.rules.cost_kinds

    def is_satisfaction(self, it: Item) -> bool:
        return (it.parent is not None and it.parent.name in self.rules.satisfaction_kinds) or "满意" in it.name

    @cached_property
    def primary(self) -> TreeScore | None:
        return self.card.primary

    @cached_property
    def codes_by_line(self) -> set[tuple[str, str, int]]:
        """(code, file, line) of what the checker has already said."""
        return {(d.code, d.span.file, d.span.line) for d in self.diagnostics if d.span}

    def checker_said(self, code: str, span: Span | None) -> bool:
        return span is not None and (code, span.file, span.line) in self.codes_by_line

    # ------------------------------------------------------------ findings
    @staticmethod
    def finding(span: Span | None, **args) -> Finding:
        return Finding(span, args)

    def text_span(self, span: Span | None, fragment: str) -> Span | None:
        """The line inside a text block (a narrative section, a goal) where `fragment` is written:
        findings about a sentence point at it, not at the block's first line."""
        if span is None or not fragment:
            return span
        lines = self._lines.get(span.file)
        if lines is None:  # split once a file, not once a finding
            lines = self._lines[span.file] = self.ev.texts.get(span.file, "").split("\n")
        probe = fragment[:12]
        for line_no in range(span.line, min(span.end_line, len(lines)) + 1):
            col = lines[line_no - 1].find(probe)
            if col >= 0:
                return Span(span.file, line_no, col + 1, line_no, col + 1 + len(probe))
        return span

    def narratives(self):
        for n in self.ev.narrative:
            yield n.name, n.text, n.span


def names(items, limit: int = 4) -> str:
    """「a」「b」「c」等 N 项 — a short list for a message."""
    items = list(items)
    shown = "".join(f"「{x}」" for x in items[:limit])
    return shown + (f"等 {len(items)} 项" if len(items) > limit else "")


def pct(value: Decimal) -> str:
    return f"{trimmed(value)}%"
