"""Completion, driven by what the parser accepts at the cursor.

The text up to the cursor (less the word being typed) is fed to Lark's interactive LALR parser;
the terminals it would accept next decide the kinds of item: keywords (Chinese first, English
aliases after), comparators, names (fields of the block, the framework's standard 二级/三级
names, names defined in the file), strings (rulesets, report sections, included files) and, for
a number, units. Where the text before the cursor does not parse, the current line is parsed in a
frame rebuilt from the tolerant scan, and failing that the scan alone decides."""

from __future__ import annotations

import os
from collections import Counter
from copy import copy

from lark import Token
from lark.exceptions import LarkError
from lsprotocol import types

from ..core import schema
from ..rules.ruleset import available_rulesets, load_ruleset
from ..syntax.lark_parser import raw_parser
from .analysis import Analysis, normalize, with_figures
from .positions import LineIndex
from .scan import Context, Tok, tokenize, walk
from .vocabulary import (
    ATTR_RULES,
    COST_CATEGORIES,
    KEYWORD_DOCS,
    METHODS,
    PROGRESS_RULES,
    SOURCE_NAMES,
    STAGE_RULES,
    STANDARDS,
    TOP_DOCS,
    TREE_ATTR_RULES,
    UNITS_COMMON,
    UNITS_COUNT,
    UNITS_MONEY,
    UNITS_PERCENT,
    block_spec,
    is_chinese,
    keywords,
    split_quantity,
    standard_names,
)

# The order attributes are offered in: the order `perfdsl fmt` writes them (the schema's), then a
# monitoring point's own.
ATTR_ORDER = ATTR_RULES + PROGRESS_RULES
# Stage attributes that may be written more than once beside an indicator (a monitoring point
# a month, its causes; 调整 of a target and of a weight).
_REPEATABLE = frozenset(STAGE_RULES) - {"approval"}
_PERCENT_ATTRS = schema.attributes_taking("percent")
_NUMBER_ATTRS = schema.attributes_taking("number")
_TEXT_ATTRS = schema.attributes_taking("text") | {f.key for f in schema.PROGRESS.fields if f.values[0] == "text"}
BANDS = ("达成", "部分达成", "未达成")

K = types.CompletionItemKind


class _Items:
    def __init__(self, rng: types.Range, lang: str):
        self.rng, self.lang = rng, lang
        self.items: list[types.CompletionItem] = []
        self.seen: set[str] = set()

    def add(
        self,
        label: str,
        kind,
        rank: str,
        detail: str | None = None,
        *,
        insert: str | None = None,
        rng: types.Range | None = None,
        doc: str | None = None,
        filter_text: str | None = None,
        snippet: bool = False,
    ):
        if label in self.seen:
            return
        self.seen.add(label)
        self.items.append(
            types.CompletionItem(
                label=label,
                kind=kind,
                detail=detail,
                documentation=doc,
                sort_text=f"{rank}{len(self.items):04d}",
                filter_text=filter_text,
                text_edit=types.TextEdit(range=rng or self.rng, new_text=insert if insert is not None else label),
                insert_text_format=types.InsertTextFormat.Snippet if snippet else None,
            )
        )


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


# ---------------------------------------------------------------- the parser at the cursor
def _accepts(ip) -> set[str]:
    """Lark's InteractiveParser.accepts(), for every terminal: Lark's own skips terminals whose
    name is not upper case, which leaves out every Chinese keyword (实际, 分值 …)."""
    terminals = keywords().terminals
    conf = copy(ip.parser_state.parse_conf)
    conf.callbacks = {}
    out = set()
    for t in ip.choices():
        if t not in terminals:
            continue
        cursor = ip.copy(deepcopy_values=False)
        cursor.parser_state.parse_conf = conf
        try:
            cursor.feed_token(Token(t, ""))
        except LarkError:
            continue
        out.add(t)
    return out


def parser_state(text: str, end: int, ctx: Context, line_start: int):
    """An interactive parser fed with the text before `end`, or None. Tried on the whole prefix,
    then on the current line placed in a skeleton of the open blocks."""
    lark = raw_parser()
    for fragment in (text[:end], _skeleton(ctx) + text[line_start:end]):
        try:
            ip = lark.parse_interactive(fragment)
            ip.exhaust_lexer()
            return ip
        except LarkError:
            continue
        except Exception:  # never let completion fail on an odd fragment
            continue
    return None


def _skeleton(ctx: Context) -> str:
    out = []
    for f in ctx.frames[1:]:
        if f.kind == "tree":
            out.append(("自评表" if f.tree == "self_evaluation" else "评价指标体系") + " {\n")
        elif f.kind == "node":
            out.append('"n" {\n')
        else:
            out.append((f.name if f.name and not f.name[0].isdigit() else "x") + " {\n")
    return "".join(out)


# ---------------------------------------------------------------- entry point
def complete(
    text: str,
    position: types.Position,
    current: Analysis | None,
    good: Analysis | None,
    *,
    path: str = "",
    lang: str = "zh",
    encoding: str = "utf-16",
    snippets: bool = False,
) -> types.CompletionList:
    text = normalize(text)
    index = LineIndex(text, encoding)
    offset = index.offset(position)
    toks = tokenize(text, offset)
    last = toks[-1] if toks else None
    empty = types.CompletionList(is_incomplete=False, items=[])
    if last is not None and last.end == offset:
        if last.kind == "comment" or (last.kind == "text" and not last.closed):
            return empty
        if last.kind == "string" and not last.closed:
            ctx = walk(toks, len(toks) - 1)
            items = _Items(index.range(last.start + 1, offset), lang)
            _string_values(items, ctx, path, current or good, quoted=False)
            return types.CompletionList(is_incomplete=False, items=items.items)
    word = last if last is not None and last.kind == "word" and last.end == offset else None
    ctx = walk(toks, len(toks) - 1 if word else None)
    start = word.start if word else offset
    line_start = text.rfind("\n", 0, start) + 1
    ip = parser_state(text, start, ctx, line_start)
    accepts = _accepts(ip) if ip is not None else None
    items = _Items(index.range(start, offset), lang)
    fig = with_figures(current, good)
    ruleset = fig.ruleset() if fig is not None else None
    same_line = ctx.prev is not None and text.rfind("\n", ctx.prev.end, start) < 0

    number = split_quantity(word.text) if word is not None else None
    if number is not None and number[1][:1] in ("-", "年"):
        return empty  # a date being typed
    if number is not None:
        assert word is not None
        if accepts is None or "QUANTITY" in accepts:
            number_end = word.start + len(number[0])
            unit_range = index.range(number_end, offset)
            for unit, detail in _units(ctx, text, toks[:-1], lang):
                items.add(unit, K.Unit, "0", detail, rng=unit_range)
        if ip is not None and accepts is not None and "QUANTITY" in accepts:
            after = ip.copy()
            try:
                after.feed_token(Token("QUANTITY", word.text))
                following = _accepts(after)
            except LarkError:
                following = set()
            nothing = index.range(offset, offset)
            _keywords(items, following, ctx, lang, prefix=" ", rng=nothing, rank_shift=True)
        return types.CompletionList(is_incomplete=False, items=items.items)

    if accepts is None:
        accepts = _guess(ctx)
    _keywords(items, accepts, ctx, lang)
    if "NAME" in accepts:
        _names(items, ctx, text, ruleset, same_line, lang)
    if "STRING" in accepts:
        _string_values(items, ctx, path, fig, quoted=True)
    if "TEXT" in accepts and _wants_text(ctx):
        if snippets:
            items.add('"""…"""', K.Snippet, "2", _t(lang, "文本块", "text block"), insert='"""\n$0\n"""', snippet=True)
        else:
            items.add('"""…"""', K.Snippet, "2", _t(lang, "文本块", "text block"), insert='"""\n\n"""')
    return types.CompletionList(is_incomplete=False, items=items.items)


def _guess(ctx: Context) -> set[str]:
    """What the scan alone suggests may follow, when the parser cannot say."""
    kw = keywords()
    names = {v: k for k, v in kw.terminal_text.items()}
    if ctx.in_tree:
        if ctx.expecting is not None:
            rule = kw.rule_of.get(ctx.expecting.text, "comparator")
            if rule in ("formula", "achievement"):
                return {"NAME"}
            return {"QUANTITY", "STRING", "TEXT"}
        words = kw.words("comparator", "qualitative", *ATTR_RULES, *STAGE_RULES) if ctx.head is not None else []
        if ctx.frame.kind == "tree":
            words = words + kw.words(*TREE_ATTR_RULES)
        return {names[w] for w in words} | {"NAME", "STRING"}
    if ctx.frame.kind == "top":
        return {names[w] for w in kw.words("include", "tree_kind")} | {"NAME"}
    return {"NAME", "STRING", "QUANTITY"}


# ---------------------------------------------------------------- keywords
_RULE_RANK = {"comparator": "1", "qualitative": "1", "tree_kind": "2", "include": "3", "date_range": "1"}
_CMP_ORDER = [
    "≥",
    "≤",
    "=",
    ">",
    "<",
    "大于等于",
    "小于等于",
    "等于",
    "大于",
    "小于",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "不多于",
    "高于",
    "低于",
    ">=",
    "<=",
    "＝",
]


def _keywords(
    items: _Items,
    accepts: set[str],
    ctx: Context,
    lang: str,
    *,
    prefix: str = "",
    rng: types.Range | None = None,
    rank_shift: bool = False,
):
    kw = keywords()
    given = _given_attrs(ctx)
    words = [kw.terminal_text[t] for t in accepts if t in kw.terminal_text and t not in ("LBRACE", "RBRACE")]
    order = {w: i for i, w in enumerate(_CMP_ORDER)}
    attr_order = {r: i for i, r in enumerate(ATTR_ORDER + TREE_ATTR_RULES)}

    def key(w):
        rule = kw.rule_of.get(w, "")
        spellings = kw.by_rule.get(rule, [w])
        return (attr_order.get(rule, -1), order.get(w, 99), 0 if is_chinese(w) else 1, spellings.index(w))

    for w in sorted(words, key=key):
        rule = kw.rule_of.get(w, "")
        if rule in given:
            continue
        doc = KEYWORD_DOCS.get(rule)
        detail = doc[0 if lang == "zh" else 1] if doc else None
        if rule == "comparator":
            kind, rank = K.Operator, "1"
        else:
            kind, rank = K.Keyword, _RULE_RANK.get(rule, "2")
        if not is_chinese(w) and rule != "comparator":
            rank = "4"
        if rank_shift:
            rank = str(int(rank) + 1)
        items.add(w, kind, rank, detail, insert=prefix + w, rng=rng, filter_text=w if prefix else None)


def _given_attrs(ctx: Context) -> set[str]:
    """The attributes the current node already has (each may be given once)."""
    if not ctx.in_tree or ctx.head is None:
        return set()
    kw = keywords()
    if ctx.expecting is not None and kw.rule_of.get(ctx.expecting.text) == "adjust":
        return set()  # 调整 分值 2: the weight is offered again, as what it is changed to
    return {
        kw.rule_of[t.text]
        for t in ctx.since_head
        if t.kind == "word" and kw.rule_of.get(t.text) in ATTR_ORDER and kw.rule_of[t.text] not in _REPEATABLE
    }


# ---------------------------------------------------------------- names
def _names(items: _Items, ctx: Context, text: str, ruleset, same_line: bool, lang: str):
    kw = keywords()
    if ctx.in_tree:
        if ctx.expecting is not None:
            rule = kw.rule_of.get(ctx.expecting.text)
            if rule == "formula":
                formulas = list(ruleset.formulas) if ruleset is not None else ["资金到位率", "预算执行率"]
                for f in dict.fromkeys(formulas + ["预算执行率"]):
                    detail = str(ruleset.formulas[f]) if ruleset is not None and f in ruleset.formulas else None
                    items.add(f, K.Function, "0", detail)
            elif rule == "achievement":
                bands = [b.name for b in ruleset.qualitative_bands] if ruleset is not None else list(BANDS)
                for b in bands:
                    items.add(b, K.EnumMember, "0")
            elif rule == "possibility":
                words = ruleset.possibilities if ruleset is not None else ("确定能", "有可能", "完全不可能")
                for w in words:
                    items.add(w, K.EnumMember, "0", _t(lang, "完成目标可能性", "possibility"))
            elif rule == "adjust":
                for w, zh, en in (("取消", "申报的指标经批准取消", "cancelled"), ("新增", "申报后经批准新增", "added")):
                    items.add(w, K.EnumMember, "1", _t(lang, zh, en))
            return
        rank_of = (lambda r: str(int(r) + 5)) if same_line else (lambda r: r)
        parent = ctx.node_path
        tree = ctx.tree or "evaluation"
        defined: list = []
        walk(tokenize(text), names=defined)
        siblings = set(ctx.frame.names) | {name for t, p, name, _ in defined if (t, p) == (tree, parent)}
        std = _t(lang, "标准指标名称", "standard indicator name")
        for name in standard_names(tree, parent, ruleset):
            if name not in siblings:
                items.add(name, K.Class if len(parent) < 2 else K.Field, rank_of("0"), std)
        level = len(parent) + 1
        here = _t(lang, "本文件中的名称", "defined in this file")
        for other_tree, other_parent, name, _tok in defined:
            if other_parent == parent and other_tree != tree and name not in siblings:
                items.add(name, K.Reference, rank_of("1"), here)
        for other_tree, other_parent, name, _tok in defined:
            if len(other_parent) + 1 == level and name not in siblings and (other_tree, other_parent) != (tree, parent):
                items.add(name, K.Reference, rank_of("3"), here)
        return
    spec = block_spec(ctx.entry_path)
    if spec is None:
        return
    present = set(ctx.frame.names)
    rank_shift = same_line and ctx.head is not None and ctx.prev is ctx.head
    for f in spec.fields:
        if not f.repeat and any(n in present for n in f.names):
            continue
        for i, n in enumerate(f.names):
            rank = "1" if i == 0 else "4"
            if rank_shift:
                rank = str(int(rank) + 5)
            detail = TOP_DOCS.get(f.key, ("", ""))[0 if lang == "zh" else 1] if spec is schema.TOP else ""
            detail = detail or f.doc or _value_text(f, lang)
            items.add(n, K.Module if f.block is not None else K.Field, rank, detail)


def _value_text(f: schema.FieldSpec, lang: str) -> str:
    return " ".join(schema.VALUE_KIND_TEXT.get(v.rstrip("?"), (v, v))[0 if lang == "zh" else 1] for v in f.values)


# ---------------------------------------------------------------- strings
def _string_values(items: _Items, ctx: Context, path: str, fig: Analysis | None, quoted: bool):
    def add(value: str, kind, detail=None):
        items.add(f'"{value}"' if quoted else value, kind, "0", detail, filter_text=None)

    kw = keywords()
    if ctx.expecting is not None and ctx.expecting.text in kw.words("include"):
        for name in _perf_files(path):
            add(name, K.File)
        return
    if ctx.in_tree:
        if ctx.expecting is not None and kw.rule_of.get(ctx.expecting.text) == "category":
            for c in COST_CATEGORIES:
                add(c, K.EnumMember)
        return
    if ctx.head is None or ctx.prev is not ctx.head:
        return
    spec = block_spec(ctx.entry_path)
    f = spec.find(ctx.head.text) if spec else None
    if f is None:
        return
    if f.key == "ruleset":
        for name in available_rulesets():
            try:
                title = load_ruleset(name).title
            except Exception:
                title = None
            add(name, K.EnumMember, title)
    elif f.key == "narrative":
        for name, where in schema.NARRATIVE_SECTIONS:
            add(name, K.EnumMember, where)
    elif f.key == "source":
        for name in SOURCE_NAMES:
            add(name, K.EnumMember)
    elif f.key == "standard":
        for name in STANDARDS:
            add(name, K.EnumMember)
    elif f.key == "method" and ctx.entry_path == ["评价工作"]:
        add("、".join(METHODS[:2]), K.EnumMember)
        for name in METHODS:
            add(name, K.EnumMember)
    elif f.key == "baseline":
        for name in _perf_files(path):
            add(name, K.File)


def _perf_files(path: str, limit: int = 200) -> list[str]:
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    me = os.path.abspath(path) if path else None
    out = []
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "build"))
        if root.count(os.sep) - base.count(os.sep) >= 3:
            dirs[:] = []
        for f in sorted(files):
            full = os.path.join(root, f)
            if f.endswith(".perf") and full != me:
                out.append(os.path.relpath(full, base).replace(os.sep, "/"))
                if len(out) >= limit:
                    return out
    return out


def _wants_text(ctx: Context) -> bool:
    kw = keywords()
    if ctx.in_tree:
        return ctx.expecting is not None and kw.rule_of.get(ctx.expecting.text) in _TEXT_ATTRS
    if ctx.head is None:
        return False
    spec = block_spec(ctx.entry_path)
    f = spec.find(ctx.head.text) if spec else None
    return f is not None and any(v.rstrip("?") == "text" for v in f.values)


# ---------------------------------------------------------------- units
def _units(ctx: Context, text: str, toks: list[Tok], lang: str) -> list[tuple[str, str | None]]:
    """Units for the number being typed, best first."""
    kw = keywords()
    used = _units_in(toks)
    if ctx.in_tree:
        rule = kw.rule_of.get(ctx.expecting.text) if ctx.expecting is not None else None
        if ctx.expecting is not None and ctx.expecting.kind == "cmp":
            rule = "comparator"
        if rule in _NUMBER_ATTRS:
            return []
        if rule in _PERCENT_ATTRS:
            return [("%", None)]
        if rule == "monitor":
            return [("月", _t(lang, "监控截至的月份，如 6月", "the month, e.g. 6月"))]
        out: list[tuple[str, str | None]] = []
        if rule in ("actual", "to_date", "forecast"):
            target = _target_unit(ctx)
            if target:
                out.append((target, _t(lang, "与目标值同单位", "the target's unit")))
        here = _t(lang, "本文件中用过", "used in this file")
        out += [(u, here) for u, _ in used.most_common(12)]
        out += [(u, None) for u in UNITS_COMMON]
        return out
    spec = block_spec(ctx.entry_path)
    f = spec.find(ctx.head.text) if spec is not None and ctx.head is not None else None
    kinds = [v.rstrip("?") for v in f.values] if f is not None else []
    if "money" in kinds:
        return [(u, None) for u in UNITS_MONEY]
    if "percent" in kinds:
        return [(u, None) for u in UNITS_PERCENT]
    if kinds and "quantity" not in kinds:
        return []  # a plain number, a date, a text
    return (
        [(u, None) for u in UNITS_COUNT]
        + [(u, None) for u, _ in used.most_common(8)]
        + [(u, None) for u in UNITS_COMMON]
    )


def _units_in(toks: list[Tok]) -> Counter:
    c: Counter = Counter()
    for t in toks:
        if t.kind == "word":
            q = split_quantity(t.text)
            if q and q[1] and q[1][0] not in "-年月日0123456789":
                c[q[1]] += 1
    return c


def _target_unit(ctx: Context) -> str | None:
    toks = ctx.since_head
    for a, b in zip(toks, toks[1:]):
        if (a.kind == "cmp" or a.text in keywords().comparators) and b.kind == "word":
            q = split_quantity(b.text)
            if q and q[1]:
                return q[1]
    return None
