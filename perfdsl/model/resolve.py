"""Syntax tree → Evaluation: names checked against the schema, values converted to Decimal
quantities, indicator trees built with their levels. Problems are collected, never raised."""

from __future__ import annotations

from ..core import schema
from ..core.quantity import Quantity
from ..diagnostics import Diagnostic, Span
from ..project import Reason, project_root, refusal_diagnostic
from ..rules.ruleset import (
    DEFAULT_RULESET,
    Ruleset,
    RulesetError,
    RulesetRefused,
    available_rulesets,
    is_ruleset_file,
    is_ruleset_name,
    load_ruleset,
    load_ruleset_file,
)
from ..syntax import ast, slips
from .evaluation import (
    DepartmentScope,
    Evaluation,
    Expense,
    Funds,
    Goals,
    IndicatorTree,
    Member,
    Narrative,
    Node,
    Phase,
    Project,
    Source,
    Survey,
    TreeKind,
    Work,
)

# Keywords that introduce indicator attributes (for spotting "实际61.99万条" written without a space).
ATTR_KEYWORDS = (
    "实际完成值",
    "实际",
    "分值",
    "权重",
    "得分",
    "依据",
    "偏差原因",
    "改进措施",
    "公式",
    "达成度",
    "陈述完成率",
    "陈述得分",
    "陈述偏差率",
)
MAX_LEVELS = 3
# An indicator's attributes of the stages of the year (监控, 调整, 批复): set aside while the trees
# are built, for resolve_lifecycle.py to read with the file's 申报 and 监控 blocks.
STAGE_ATTRS = frozenset({"monitor", "adjust", "approval"})


class _Ctx:
    def __init__(self):
        self.diagnostics: list[Diagnostic] = []
        self.stage_attrs: list = []  # (tree, node, attrs): the stages of the year beside an indicator
        self.department = False  # a 部门整体 file: its members' figures name indicators too

    # What the reader of the stages of the year (resolve_lifecycle.py) borrows from this one.
    def read_block(self, entries, spec: schema.BlockSpec) -> dict:
        return _read_block(self, entries, spec)

    def report_missing(self, fields: dict, entry: ast.Entry) -> None:
        _report_missing(self, fields, entry)

    @staticmethod
    def first(where: Span, here: Span) -> dict:
        return _first(where, here)

    def add(self, code: str, span: Span | None, **args) -> None:
        self.diagnostics.append(Diagnostic(code, span, args))


def resolve(
    items: list[ast.Item],
    root_file: str,
    *,
    texts: dict[str, str] | None = None,
    includes: list[str] | None = None,
    comments: list[ast.Token] | None = None,
) -> tuple[Evaluation, list[Diagnostic]]:
    """`items` are the top-level items of the root file with its includes already spliced in;
    `texts` (file → text), `includes` and `comments` are what the loader read, kept with the
    evaluation for messages, reports and the reviewer's rules. Nothing changes the Evaluation
    after this returns."""
    ctx = _Ctx()
    entries = [i for i in items if isinstance(i, ast.Entry)]
    trees = [i for i in items if isinstance(i, ast.Tree)]
    fields = _read_block(ctx, entries, schema.TOP)
    unknown = [e.name.text for e in entries if schema.TOP.find(e.name.text) is None]

    project = _project(ctx, fields.get("project"))
    department = _department(ctx, fields.get("department"))
    if project is None and department is not None:
        # A 部门整体 file speaks of its department: the project fields every output prints are its.
        project = Project(
            name=f"{department.name}部门整体支出",
            year=department.year,
            unit=department.name,
            department=department.name,
            ruleset=department.ruleset,
        )
        project.spans["name"] = department.span
    ctx.department = department is not None
    ruleset = _ruleset(ctx, project, root_file)
    ev = Evaluation(
        file=root_file,
        ruleset=ruleset,
        project=project,
        unknown_blocks=unknown,
        texts=texts if texts is not None else {},
        includes=includes or [],
        comments=comments or [],
        department=department,
    )
    ev.funds = _funds(ctx, fields.get("funds"))
    ev.goals = _simple(ctx, fields.get("goals"), schema.GOALS, Goals)
    ev.survey = _simple(ctx, fields.get("survey"), schema.SURVEY, Survey)
    ev.work = _work(ctx, fields.get("work"))
    ev.narrative = _narrative(ctx, fields.get("narrative", []))

    seen: dict[str, ast.Tree] = {}
    for t in trees:
        if t.kind in seen:
            ctx.add("P0206", t.keyword.span, block=t.keyword.text, **_first(seen[t.kind].span, t.keyword.span))
            continue
        seen[t.kind] = t
        setattr(ev, TreeKind(t.kind).attribute, _tree(ctx, t, ruleset))
    if fields.get("filing") is not None or fields.get("monitoring") or ctx.stage_attrs:  # the stages of the year
        from .resolve_lifecycle import resolve_lifecycle  # read only in a file that records them

        ev.lifecycle = resolve_lifecycle(ctx, fields, ev, ctx.stage_attrs)
    return ev, ctx.diagnostics


# ---------------------------------------------------------------- plain blocks
def _read_block(ctx: _Ctx, entries, spec: schema.BlockSpec) -> dict:
    """Validate entries against a block spec. Returns key → converted values (a list of them for
    repeating fields), each value list paired with its entry: (values, entry)."""
    out: dict = {}
    first: dict[str, ast.Entry] = {}
    entries, slip_diagnostics = slips.repair_entries(entries)  # `20 万元`: one P0107, then read as 20万元
    ctx.diagnostics.extend(slip_diagnostics)
    for e in entries:
        name = e.name.text
        f = spec.find(name)
        if f is None:
            code = "P0205" if spec is schema.TOP else "P0201"
            ctx.add(
                code, e.name.span, block=spec.title, field=name, name=name, suggestion=_suggest(name, spec.all_names())
            )
            continue
        if not f.repeat and f.key in first:
            ctx.add("P0202", e.name.span, field=name, **_first(first[f.key].span, e.name.span))
            continue
        first.setdefault(f.key, e)
        values = _values(ctx, e, f)
        if values is None:
            continue
        if e.children is not None and f.block is None:
            ctx.add("P0208", e.name.span, field=name)
        item = (values, e)
        if f.repeat:
            out.setdefault(f.key, []).append(item)
        else:
            out[f.key] = item
    if spec is not schema.TOP:
        for f in spec.fields:
            if f.required and f.key not in first:
                anchor = entries[0].span if entries else None
                out.setdefault("__missing__", []).append((f, anchor))
    return out


def _first(where: Span, here: Span) -> dict:
    """Where something was first given, naming the file when it is another one."""
    import os

    if where.file == here.file:
        return {"first": f"第{where.line}行", "first_en": f"line {where.line}"}
    name = os.path.basename(where.file)
    return {"first": f"{name} 第{where.line}行", "first_en": f"{name} line {where.line}"}


def _suggest(name: str, names: list[str]) -> str:
    cleaned = name.strip("“”‘’:：")
    import difflib  # only for a name that does not resolve

    close = difflib.get_close_matches(cleaned, names, n=3, cutoff=0.4)
    if cleaned != name and cleaned in names:
        return f"去掉多余的符号，写作「{cleaned}」"
    if "“" in name or "”" in name:
        return '文字请用英文双引号 " 括起'
    if close:
        return "是否想写：" + "、".join(f"「{c}」" for c in close)
    return "可用：" + "、".join(f"「{n}」" for n in names if _is_cjk(n))


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _values(ctx: _Ctx, e: ast.Entry, f: schema.FieldSpec):
    kinds = f.value_kinds
    if len(e.values) == len(kinds) and not f.has_optional_values:  # the usual case: one value each
        out = []
        for v, (kind, _) in zip(e.values, kinds):
            converted = _convert(ctx, v, kind, e.name.text)
            if converted is _BAD:
                return None
            out.append(converted)
        return out
    given = list(e.values)
    out = []
    for kind, optional in kinds:
        if not given:
            if optional:
                out.append(None)
                continue
            ctx.add("P0203", e.name.span, field=e.name.text, expected=_expected(f))
            return None
        if optional and not _matches(given[0], kind):
            out.append(None)
            continue
        v = given.pop(0)
        converted = _convert(ctx, v, kind, e.name.text)
        if converted is _BAD:
            return None
        out.append(converted)
    if given:
        ctx.add("P0203", given[0].span, field=e.name.text, expected=_expected(f))
        return None
    return out


def _expected(f: schema.FieldSpec) -> str:
    if not f.values:
        return "「{ … }」块"
    return " ".join(
        schema.VALUE_KIND_TEXT[k.rstrip("?")][0] + ("（可省略）" if k.endswith("?") else "") for k in f.values
    )


_BAD = object()

_TOKEN_KINDS = {
    "string": ("STRING",),
    "text": ("STRING", "TEXT"),
    "date": ("DATE",),
    "money": ("QUANTITY",),
    "percent": ("QUANTITY",),
    "number": ("QUANTITY",),
    "quantity": ("QUANTITY",),
}


def _matches(v: ast.Value, kind: str) -> bool:
    """Could this value be of that kind? (Used to skip an optional value that is absent.)"""
    if isinstance(v, ast.DateRange):
        return kind == "when"
    if kind == "when":
        return v.kind == "DATE"
    return v.kind in _TOKEN_KINDS[kind]


def _convert(ctx: _Ctx, v: ast.Value, kind: str, field: str):
    if kind in _NUMBER_KINDS:  # the most common: amounts, rates, counts
        if type(v) is ast.Token and v.kind == "QUANTITY":
            return _convert_quantity(ctx, v, kind, field)
    elif kind == "when":
        if isinstance(v, ast.DateRange):
            ok = _valid_date(ctx, v.start, field) & _valid_date(ctx, v.end, field)
            return (v.start.value, v.end.value) if ok else _BAD  # a date's value: half-width digits
        if v.kind == "DATE":
            return (v.value, None) if _valid_date(ctx, v, field) else _BAD
    elif isinstance(v, ast.DateRange):
        pass
    elif kind == "string" and v.kind == "STRING" or kind == "text" and v.kind in ("STRING", "TEXT"):
        return v.value
    elif kind == "date" and v.kind == "DATE":
        return v.value if _valid_date(ctx, v, field) else _BAD
    ctx.add("P0203", v.span, field=field, expected=schema.VALUE_KIND_TEXT[kind][0])
    return _BAD


_NUMBER_KINDS = frozenset({"money", "percent", "number", "quantity"})


def _convert_quantity(ctx: _Ctx, v: ast.Token, kind: str, field: str):
    q: Quantity = v.value
    if kind == "money":
        if not q.unit.is_money:
            ctx.add("U0103", v.span, field=field, unit=q.unit.text or "无单位")
            return _BAD
        if q.number < 0:
            ctx.add("F0106", v.span, value=q.text)
            return _BAD
    elif kind == "percent":
        if not q.unit.is_percent:
            ctx.add("U0104", v.span, field=field)
            return _BAD
    elif kind == "number":
        if q.unit.text:
            ctx.add("U0102", v.span, field=field, unit=q.unit.text)
            return _BAD
        return q.number
    return q


def _valid_date(ctx: _Ctx, v: ast.Token, field: str) -> bool:
    """2025-13-45 is no date: check the calendar (a month alone, 2023-01, is fine)."""
    import datetime
    import re as _re

    numbers = [int(x) for x in _re.findall(r"\d+", v.text)]
    year, month = numbers[0], numbers[1]
    day = numbers[2] if len(numbers) > 2 else 1
    try:
        datetime.date(year, month, day)
        return True
    except ValueError:
        ctx.add("P0211", v.span, field=field, value=v.text)
        return False


# Indicators of a 部门整体 自评表 scored from its members: 项目支出绩效 is the members' budget-weighted
# self-evaluation score as a rate of 100 (score/department.py).
DEPARTMENT_FORMULAS = ("项目支出绩效",)


def _department(ctx: _Ctx, item) -> DepartmentScope | None:
    if item is None:
        return None
    (name,), entry = item
    fields = _read_block(ctx, entry.children or (), schema.DEPARTMENT)
    _report_missing(ctx, fields, entry)
    year = None
    if "year" in fields:
        (v, *_), e = fields["year"]
        if v == v.to_integral_value():
            year = int(v)
        else:
            ctx.add("P0203", e.values[0].span, field=e.name.text, expected="整数年份（如 2024）")
    members = [(values[0], e.values[0].span) for values, e in fields.get("members", [])]
    span = entry.values[0].span if entry.values else entry.name.span
    scope = DepartmentScope(name or "", year, members, span)
    if "ruleset" in fields:
        scope.ruleset = fields["ruleset"][0][0]
    return scope


def _project(ctx: _Ctx, item) -> Project | None:
    if item is None:
        return None
    (name,), entry = item
    fields = _read_block(ctx, entry.children or (), schema.PROJECT)
    _report_missing(ctx, fields, entry)
    p = Project(name=name or "")
    p.spans["name"] = entry.values[0].span if entry.values else entry.name.span
    for key, value in fields.items():
        if key.startswith("__"):
            continue
        values, e = value
        v = values[0]
        if key == "year":
            if v != v.to_integral_value():
                ctx.add("P0203", e.values[0].span, field=e.name.text, expected="整数年份（如 2024）")
                continue
            v = int(v)
        setattr(p, key, v)
        p.spans[key] = e.span
    return p


def _report_missing(ctx: _Ctx, fields: dict, entry: ast.Entry) -> None:
    for f, _ in fields.get("__missing__", []):
        ctx.add("P0204", entry.name.span, block=entry.name.text, field=f.name)


def _ruleset(ctx: _Ctx, project: Project | None, root_file: str) -> Ruleset:
    """A shipped ruleset by its name, or a ruleset file of the project by its relative path
    (through the project's door); a name that is neither is an error, never a path."""
    name = (project.ruleset if project else "") or DEFAULT_RULESET
    span = project.spans.get("ruleset") if project else None
    shown = name if len(name) <= 80 else name[:80] + "…"
    try:
        if is_ruleset_file(name):
            return load_ruleset_file(name, root_file, project_root(root_file))
        if not is_ruleset_name(name):
            ctx.add("P0310", span, name=shown, available="、".join(available_rulesets()))
            return load_ruleset(DEFAULT_RULESET)
        return load_ruleset(name)
    except FileNotFoundError:
        ctx.add("P0304", span, name=shown, available="、".join(available_rulesets()))
    except RulesetRefused as e:
        if e.refusal.reason is Reason.MISSING:
            ctx.add("P0304", span, name=shown, available="、".join(available_rulesets()))
            return load_ruleset(DEFAULT_RULESET)
        diagnostic = refusal_diagnostic(e.refusal, span or Span.point(root_file, 1, 1), e.path)
        ctx.diagnostics.append(diagnostic)
    except RulesetError as e:
        ctx.add("P0305", span, name=shown, reason=str(e))
    return load_ruleset(DEFAULT_RULESET)


def _funds(ctx: _Ctx, item) -> Funds | None:
    if item is None:
        return None
    _, entry = item
    fields = _read_block(ctx, entry.children or (), schema.FUNDS)
    _report_missing(ctx, fields, entry)
    funds = Funds(span=entry.span)
    for key in ("initial_budget", "budget", "received", "spent", "stated_execution_rate", "stated_arrival_rate"):
        if key in fields:
            values, e = fields[key]
            setattr(funds, key, values[0])
            funds.spans[key] = e.values[0].span
    for values, e in fields.get("source", []):
        src = Source(name=values[0], span=e.span)
        sub = _read_block(ctx, e.children or (), schema.SOURCE)
        for key in ("initial_budget", "budget", "received", "spent"):
            if key in sub:
                setattr(src, key, sub[key][0][0])
                src.spans[key] = sub[key][1].span
        funds.sources.append(src)
    for values, e in fields.get("expense", []):
        funds.expenses.append(Expense(values[0], values[1], e.span))
    return funds


def _simple(ctx: _Ctx, item, spec: schema.BlockSpec, cls):
    if item is None:
        return None
    _, entry = item
    fields = _read_block(ctx, entry.children or (), spec)
    obj = cls()
    if hasattr(obj, "span"):
        obj.span = entry.span
    for key, value in fields.items():
        if key.startswith("__"):
            continue
        values, e = value
        setattr(obj, key, values[0])
        obj.spans[key] = e.span
    return obj


def _work(ctx: _Ctx, item) -> Work | None:
    if item is None:
        return None
    _, entry = item
    fields = _read_block(ctx, entry.children or (), schema.WORK)
    work = Work()
    for values, _e in fields.get("member", []):
        work.members.append(Member(values[0], values[1], values[2] or ""))
    for values, _e in fields.get("phase", []):
        start, end = values[1] or (None, None)
        work.phases.append(Phase(values[0], start, end, values[2] or ""))
    for values, _e in fields.get("basis_document", []):
        work.basis_documents.append(values[0])
    for key in ("method", "standard"):
        if key in fields:
            setattr(work, key, fields[key][0][0])
    return work


def _narrative(ctx: _Ctx, items) -> list[Narrative]:
    out = []
    for values, e in items:
        name, text = values
        if name not in schema.NARRATIVE_NAMES:
            ctx.add("P0209", e.values[0].span, name=name, suggestion=_suggest(name, list(schema.NARRATIVE_NAMES)))
        out.append(Narrative(name, text, e.span))
    return out


# ---------------------------------------------------------------- indicator trees
_DECIMAL_ATTRS = schema.attributes_taking("number")
_PERCENT_ATTRS = schema.attributes_taking("percent")
_TEXT_ATTRS = schema.attributes_taking("text", "string")


def _tree(ctx: _Ctx, t: ast.Tree, ruleset: Ruleset) -> IndicatorTree:
    tree = IndicatorTree(kind=TreeKind(t.kind), nodes=[], span=t.span)
    for a in t.attrs:
        key = schema.TREE_ATTRIBUTE_FIELDS[a.kind]
        if key in tree.spans:
            ctx.add("P0210", a.keyword.span, field=a.keyword.text, **_first(tree.spans[key], a.keyword.span))
            continue
        value = _attr_value(ctx, a)
        if value is not None:
            setattr(tree, key, value)
            tree.spans[key] = a.span
    tree.nodes = _nodes(ctx, t.nodes, (), 1, ruleset, tree)
    return tree


def _nodes(ctx, nodes, parent_path, level, ruleset, tree) -> list[Node]:
    out: list[Node] = []
    seen: dict[str, Node] = {}
    repaired, slip_diagnostics, dropped = slips.repair(nodes)
    ctx.diagnostics.extend(slip_diagnostics)
    if dropped:
        tree.broken = True
    for n in repaired:
        name = n.name.value
        node = Node(name, level, parent_path + (name,), n.span)
        node.spans["name"] = n.name.span
        if name in seen:
            ctx.add("I0109", n.name.span, indicator=name, **_first(seen[name].span, n.name.span))
            tree.broken = True
            continue
        seen[name] = node
        if level > MAX_LEVELS:
            ctx.add("I0108", n.name.span, indicator=name, level=level, tree=tree.title)
            tree.broken = True
            continue
        if n.children is not None:
            node.is_group = True
            if level == MAX_LEVELS:
                ctx.add("I0114", n.name.span, indicator=name)
                tree.broken = True
                continue
            misplaced = n.target or n.attr("actual")
            if misplaced is not None:
                ctx.add("I0115", misplaced.span, indicator=name)
        _node_attrs(ctx, n, node, ruleset, tree)
        if n.children is not None:
            node.children = _nodes(ctx, n.children, node.path, level + 1, ruleset, tree)
        out.append(node)
    return out


def _attr_value(ctx: _Ctx, a: ast.Attr):
    v = a.value
    if a.kind in _TEXT_ATTRS:
        return v.value
    if a.kind in _DECIMAL_ATTRS:
        q: Quantity = v.value
        if q.unit.text and q.unit.text != "分":
            ctx.add("U0102", v.span, field=a.keyword.text, unit=q.unit.text)
            return None
        return q.number
    if a.kind in _PERCENT_ATTRS:
        q = v.value
        if not q.unit.is_percent:
            ctx.add("U0104", v.span, field=a.keyword.text)
            return None
        return q
    return v.value


def _node_attrs(ctx: _Ctx, n: ast.Node, node: Node, ruleset: Ruleset, tree=None) -> None:
    if n.target is not None:
        node.spans["target"] = n.target.span
        if n.target.qualitative:
            node.qualitative_target = n.target.value.value
        else:
            node.comparator = ast.canonical_comparator(n.target.comparator.text)
            node.comparator_text = n.target.comparator.text
            node.target = n.target.value.value
    given: dict[str, ast.Attr] = {}
    stage: list[ast.Attr] = []
    for a in n.attrs:
        if a.kind in STAGE_ATTRS:  # 监控, 调整, 批复: read with the file's stages (resolve_lifecycle)
            stage.append(a)
            continue
        if a.kind in given:
            ctx.add("P0210", a.keyword.span, field=a.keyword.text, **_first(given[a.kind].span, a.keyword.span))
            continue
        given[a.kind] = a
        node.spans[a.kind] = a.span
        if a.kind == "actual":
            if a.value.kind == "QUANTITY":
                node.actual = a.value.value
            else:
                node.actual_text = a.value.value
            continue
        if a.kind == "formula":
            node.formula = a.value.text
            continue
        if a.kind == "achievement":
            node.achievement = a.value.text
            continue
        value = _attr_value(ctx, a)
        if value is not None:
            setattr(node, a.kind, value)
        elif a.kind in ("weight", "score") and tree is not None:
            tree.broken = True  # given but unreadable: the totals cannot be judged
    if stage and tree is not None:
        ctx.stage_attrs.append((tree, node, stage))
    # A leaf that is named after a formula and says nothing else is that formula (预算执行率 分值 10).
    if (
        n.children is None
        and node.formula is None
        and n.target is None
        and node.score is None
        and (
            node.name in ruleset.formulas
            or node.name == "预算执行率"
            or (ctx.department and node.name in DEPARTMENT_FORMULAS)
        )
    ):
        node.formula = node.name
