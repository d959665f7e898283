"""What the blocks of a .perf file may hold: field names (Chinese first, then aliases), the
values each takes, whether it repeats, and what nested block it opens — and so the label every
part of perfdsl prints for a field (`label`). It is the glossary: 中文 keyword = English alias =
Python field (docs/glossary.md is generated from it).

This table drives the resolver's checks ("did you mean"), the formatter's key order, editor
completion, the labels of diff, explain and the XLSX, and the language reference. The grammar only
knows the shape `name values {…}` of plain blocks; the attributes of indicators (ATTRIBUTES) are
keywords of the grammar, listed here with the same spellings (a test holds the two together)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class FieldSpec:
    """A field of a block: its key, its accepted spellings, the values it takes."""

    key: str  # canonical key used in the model
    names: tuple[str, ...]  # accepted spellings; the first is the canonical one
    values: tuple[str, ...] = ()  # value kinds in order; a trailing "?" marks an optional one
    block: BlockSpec | None = None
    repeat: bool = False
    required: bool = False
    doc: str = ""

    @property
    def name(self) -> str:
        return self.names[0]

    @cached_property
    def value_kinds(self) -> tuple[tuple[str, bool], ...]:
        """The value kinds as (kind, optional) pairs."""
        return tuple((k.rstrip("?"), k.endswith("?")) for k in self.values)

    @cached_property
    def has_optional_values(self) -> bool:
        return any(optional for _, optional in self.value_kinds)


@dataclass(frozen=True)
class BlockSpec:
    """A block of the language and its fields."""

    title: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def find(self, name: str) -> FieldSpec | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, FieldSpec]:
        return {n: f for f in reversed(self.fields) for n in f.names}  # the first field wins, as written

    def all_names(self) -> list[str]:
        return [n for f in self.fields for n in f.names]

    def field(self, key: str) -> FieldSpec:
        return self._by_key[key]

    def label(self, key: str) -> str:
        """The field's name as the language writes it (and every output prints it)."""
        return self._by_key[key].name

    @cached_property
    def _by_key(self) -> dict[str, FieldSpec]:
        return {f.key: f for f in self.fields}


# Value kinds: string (quoted), text (quoted or """block"""), money (元/万元), percent, number
# (no unit), quantity (any unit), date, when (a date or a date range).
VALUE_KIND_TEXT = {
    "string": ("带引号的文字", "a quoted string"),
    "text": ('文字或文本块 """…"""', "a string or a text block"),
    "money": ("金额（如 239万元）", "an amount (239万元)"),
    "percent": ("百分比（如 95%）", "a percentage (95%)"),
    "number": ("数字", "a number"),
    "quantity": ("数值", "a number with its unit"),
    "date": ("日期（如 2024-04-12）", "a date (2024-04-12)"),
    "when": ("日期或日期范围（如 2024-03-02 至 2024-03-10）", "a date or a date range"),
    "name": ("名称（不加引号）", "a name (unquoted)"),
}

SOURCE = BlockSpec(
    "资金来源",
    (
        FieldSpec("initial_budget", ("年初预算数", "initial-budget"), ("money",)),
        FieldSpec("budget", ("全年预算数", "budget"), ("money",)),
        FieldSpec("received", ("到位资金", "received"), ("money",)),
        FieldSpec("spent", ("全年执行数", "spent"), ("money",)),
    ),
)

PROJECT = BlockSpec(
    "项目",
    (
        FieldSpec("year", ("年度", "year"), ("number",), required=True, doc="评价年度"),
        FieldSpec("unit", ("实施单位", "unit"), ("string",), doc="实施单位（公章）"),
        FieldSpec("department", ("主管部门", "department"), ("string",)),
        FieldSpec("implementer", ("实施主体", "implementer"), ("string",)),
        FieldSpec("owner", ("项目负责人", "owner"), ("string",)),
        FieldSpec("code", ("项目代码", "code"), ("string",), doc="预算管理一体化系统的项目代码"),
        FieldSpec("filed", ("填报时间", "filed"), ("date",)),
        FieldSpec("filing_unit", ("填报单位", "filing-unit"), ("string",), doc="填报单位（盖章）"),
        FieldSpec("filer", ("填报人", "filer"), ("string",)),
        FieldSpec("phone", ("联系电话", "phone"), ("string",)),
        FieldSpec("period", ("实施周期", "period"), ("when",)),
        FieldSpec("ruleset", ("评价规则", "ruleset"), ("string",), doc="评分规则，默认 caiyu-2020-10"),
        FieldSpec("baseline", ("上年评价", "baseline"), ("string",), doc="上年度的 .perf 文件（历史标准）"),
        FieldSpec("templates", ("模板目录", "templates"), ("string",), doc="单位自己的报告模板目录"),
        FieldSpec("reference_docx", ("参考文档", "reference-docx"), ("string",), doc="单位自己的 Word 样式文档"),
    ),
)

FUNDS = BlockSpec(
    "资金",
    (
        FieldSpec("initial_budget", ("年初预算数", "initial-budget"), ("money",)),
        FieldSpec("budget", ("全年预算数", "budget"), ("money",), required=True),
        FieldSpec("received", ("到位资金", "received"), ("money",)),
        FieldSpec("spent", ("全年执行数", "spent"), ("money",), required=True),
        FieldSpec(
            "source",
            ("来源", "source"),
            ("string",),
            block=SOURCE,
            repeat=True,
            doc="资金来源：当年财政拨款、上年结转资金、其他资金",
        ),
        FieldSpec(
            "expense", ("支出", "expense"), ("string", "money"), repeat=True, doc="支出明细，合计应等于全年执行数"
        ),
        FieldSpec("stated_execution_rate", ("陈述执行率", "stated-execution-rate"), ("percent",)),
        FieldSpec("stated_arrival_rate", ("陈述到位率", "stated-arrival-rate"), ("percent",)),
    ),
)

GOALS = BlockSpec(
    "绩效目标",
    (
        FieldSpec("overall", ("总体目标", "overall"), ("text",)),
        FieldSpec("stage", ("阶段性目标", "stage"), ("text",)),
        FieldSpec("achieved", ("实际完成情况", "achieved"), ("text",)),
    ),
)

SURVEY = BlockSpec(
    "满意度调查",
    (
        FieldSpec("respondents", ("调查对象", "respondents"), ("string",)),
        FieldSpec("sample", ("样本", "sample"), ("quantity",)),
        FieldSpec("issued", ("发放", "issued"), ("quantity",)),
        FieldSpec("returned", ("回收", "returned"), ("quantity",)),
        FieldSpec("method", ("调查方式", "method"), ("string",)),
        FieldSpec("result", ("调查结果", "result"), ("percent",)),
    ),
)

WORK = BlockSpec(
    "评价工作",
    (
        FieldSpec("member", ("成员", "member"), ("string", "string", "text?"), repeat=True, doc="姓名 职务 分工"),
        FieldSpec(
            "phase", ("阶段", "phase"), ("string", "when?", "text?"), repeat=True, doc="阶段名 日期（可省略） 说明"
        ),
        FieldSpec("method", ("评价方法", "method"), ("string",)),
        FieldSpec("standard", ("评价标准", "standard"), ("string",), doc="计划标准、行业标准、历史标准"),
        FieldSpec("basis_document", ("评价依据", "basis-document"), ("string",), repeat=True),
    ),
)

# ---------------------------------------------------------------- stages of the year
# 申报 (the 绩效目标申报表, filed with the budget) and 监控 N月 (a monitoring point, 运行监控):
# see docs/lifecycle.md. The indicators' filed targets are the indicator tree's own; the values of
# each stage sit beside every indicator (ATTRIBUTES: 监控, 调整, 批复; PROGRESS).
FILING_SOURCE_NAMES = ("财政拨款", "其他资金")

FILING = BlockSpec(
    "申报",
    (
        FieldSpec("filed", ("填报日期", "filed"), ("date",)),
        FieldSpec("midterm_budget", ("中期资金总额", "midterm-budget"), ("money",), doc="跨年度项目的中期资金总额"),
        FieldSpec(
            "budget", ("年度资金总额", "budget"), ("money",), required=True, doc="申报的年度资金总额（年初预算数）"
        ),
        FieldSpec(
            "source", ("来源", "source"), ("string", "money"), repeat=True, doc="其中：财政拨款、其他资金（名称 金额）"
        ),
        FieldSpec("midterm", ("中期目标", "midterm-goal"), ("text",), doc="跨年度项目的中期目标"),
        FieldSpec("overall", ("年度总体目标", "overall"), ("text",), doc="年度总体目标（自评表的预期目标）"),
    ),
)

MONITORING_SOURCE = BlockSpec(
    "监控资金来源",
    (
        FieldSpec("budget", ("预算数", "budget"), ("money",)),
        FieldSpec("spent", ("执行数", "spent-to-date"), ("money",)),
        FieldSpec("forecast", ("全年预计执行数", "forecast-spent"), ("money",)),
    ),
)

MONITORING = BlockSpec(
    "监控",
    (
        FieldSpec("filed", ("填报日期", "filed"), ("date",)),
        FieldSpec("budget", ("预算数", "budget"), ("money",), doc="监控时的全年预算数（默认为申报的年度资金总额）"),
        FieldSpec("spent", ("执行数", "spent-to-date"), ("money",), required=True, doc="1至该月执行数"),
        FieldSpec("forecast", ("全年预计执行数", "forecast-spent"), ("money",), required=True),
        FieldSpec(
            "source",
            ("来源", "source"),
            ("string",),
            block=MONITORING_SOURCE,
            repeat=True,
            doc="资金来源：财政拨款、其他资金",
        ),
        FieldSpec("progress", ("完成情况", "progress"), ("text",), doc="1至该月年度总体目标的完成情况"),
    ),
)

# A monitoring point's values beside an indicator (grammar rule `progress`), and the causes of a
# deviation as the 监控表's five columns print them (the keyword names the column).
PROGRESS = BlockSpec(
    "监控值",
    (
        FieldSpec("to_date", ("已完成", "to-date"), ("quantity",), doc="1至该月实际完成值"),
        FieldSpec("forecast", ("预计完成", "forecast"), ("quantity",), doc="全年预计完成值"),
        FieldSpec(
            "possibility", ("可能性", "possibility"), ("string",), doc="完成目标可能性：确定能、有可能、完全不可能"
        ),
        FieldSpec(
            "cause",
            (
                "经费保障",
                "制度保障",
                "人员保障",
                "硬件条件保障",
                "其他原因",
                "funding-cause",
                "rules-cause",
                "staff-cause",
                "equipment-cause",
                "other-cause",
            ),
            ("text",),
            repeat=True,
            doc="偏差原因：关键字即监控表的栏目",
        ),
        FieldSpec("correction", ("纠偏措施", "correction"), ("text",)),
        FieldSpec("note", ("备注", "note"), ("text",)),
    ),
)
DEVIATION_CAUSES: tuple[tuple[str, str], ...] = (  # (the 监控表's column, the English keyword)
    ("经费保障", "funding-cause"),
    ("制度保障", "rules-cause"),
    ("人员保障", "staff-cause"),
    ("硬件条件保障", "equipment-cause"),
    ("其他", "other-cause"),
)
CAUSE_OF_KEYWORD = {kw: column for column, en in DEVIATION_CAUSES for kw in (column, en)} | {"其他原因": "其他"}

DEPARTMENT = BlockSpec(
    "部门整体",
    (
        FieldSpec("year", ("年度", "year"), ("number",), required=True, doc="评价年度"),
        FieldSpec(
            "members",
            ("成员", "member"),
            ("string",),
            repeat=True,
            doc='部门所属的项目评价：本文件所在目录起的相对路径或通配符（如 "项目/*.perf"），须在项目之内',
        ),
        FieldSpec("ruleset", ("评价规则", "ruleset"), ("string",), doc="评分规则，部门整体默认 bumen-zhengti"),
    ),
)

TOP = BlockSpec(
    "文件",
    (
        FieldSpec("project", ("项目", "project"), ("string",), block=PROJECT),
        FieldSpec(
            "department",
            ("部门整体", "department"),
            ("string",),
            block=DEPARTMENT,
            doc="部门整体支出绩效：部门名称，成员评价汇总（预算、执行、加权得分）",
        ),
        FieldSpec("funds", ("资金", "funds"), (), block=FUNDS),
        FieldSpec("goals", ("绩效目标", "goals"), (), block=GOALS),
        FieldSpec("survey", ("满意度调查", "survey"), (), block=SURVEY),
        FieldSpec("work", ("评价工作", "work"), (), block=WORK),
        FieldSpec("filing", ("申报", "filing"), (), block=FILING, doc="年初申报的绩效目标与资金"),
        FieldSpec(
            "monitoring",
            ("监控", "运行监控", "monitoring"),
            ("quantity",),
            block=MONITORING,
            repeat=True,
            doc="运行监控：截至某月（如 6月）的资金执行与预计",
        ),
        FieldSpec(
            "narrative",
            ("正文", "narrative"),
            ("string", "text"),
            repeat=True,
            doc="报告正文的一节：节名 + Markdown 文本",
        ),
    ),
)

# The attributes of an indicator-tree node (三级 indicators and their groups), keywords of the
# grammar (grammar/perf.lark, rule `attr`); the key is the grammar rule's name and the model's field.
# In the order `perfdsl fmt` writes them and the editor offers them.
ATTRIBUTES = BlockSpec(
    "指标",
    (
        FieldSpec("actual", ("实际", "实际完成值", "actual"), ("quantity",)),
        FieldSpec("weight", ("分值", "权重", "weight"), ("number",)),
        FieldSpec("score", ("得分", "score"), ("number",), doc="评价组判定的得分（须写依据）"),
        FieldSpec("achievement", ("达成度", "achievement"), ("name",), doc="定性指标：达成、部分达成、未达成"),
        FieldSpec("formula", ("公式", "formula"), ("name",), doc="资金到位率、预算执行率"),
        FieldSpec("category", ("分类", "category"), ("string",)),
        # the stages of the year beside an indicator, each on a line of its own (docs/lifecycle.md)
        FieldSpec(
            "monitor",
            ("监控", "运行监控", "monitor"),
            ("quantity",),
            repeat=True,
            doc="运行监控：监控 6月 已完成 … 预计完成 …",
        ),
        FieldSpec("adjust", ("调整", "adjust"), ("quantity",), doc="申报后调整：新的指标值、分值 N、取消或新增"),
        FieldSpec("approval", ("批复", "approval"), ("text",), doc="调整的批复（文号、日期）"),
        FieldSpec("definition", ("指标解释", "definition"), ("text",)),
        FieldSpec("criteria", ("评价要点", "指标说明", "criteria"), ("text",)),
        FieldSpec("basis", ("依据", "评分依据", "basis"), ("text",)),
        FieldSpec("reason", ("偏差原因", "reason"), ("text",)),
        FieldSpec("remedy", ("改进措施", "remedy"), ("text",)),
        FieldSpec("stated_completion", ("陈述完成率", "stated-completion"), ("percent",)),
        FieldSpec("stated_score", ("陈述得分", "stated-score"), ("number",)),
        FieldSpec("stated_deviation", ("陈述偏差率", "stated-deviation"), ("percent",)),
    ),
)

# The attributes of a whole tree (自评表, 评价指标体系): figures a submitted report printed.
TREE_ATTRIBUTES = BlockSpec(
    "指标树",
    (
        FieldSpec("stated_total", ("陈述总分", "stated-total"), ("number",)),
        FieldSpec("stated_overall", ("陈述总体完成率", "stated-overall-completion"), ("percent",)),
        FieldSpec("stated_quantified", ("陈述量化率", "stated-quantified-rate"), ("percent",)),
        FieldSpec("stated_full_marks", ("陈述满分指标数", "stated-full-marks"), ("number",)),
        FieldSpec("stated_grade", ("陈述等级", "stated-grade"), ("string",), doc="报告所列等级（优、良、中、差）"),
    ),
)


def attributes_taking(*kinds: str) -> frozenset[str]:
    """The keys of the indicator and tree attributes whose value is of one of `kinds`."""
    return frozenset(f.key for f in ATTRIBUTES.fields + TREE_ATTRIBUTES.fields if f.values[0] in kinds)


# The model's field for each tree attribute (IndicatorTree), where its name is longer.
TREE_ATTRIBUTE_FIELDS = {
    "stated_total": "stated_total",
    "stated_overall": "stated_overall_completion",
    "stated_quantified": "stated_quantified_rate",
    "stated_full_marks": "stated_full_marks",
    "stated_grade": "stated_grade",
}

# Labels of what the language writes without a keyword of its own.
PROJECT_NAME_LABEL = "项目名称"  # 项目 "…" {: the block's value
TARGET_LABEL = "目标"  # an indicator's comparator and target value (年度指标值)


# Narrative sections the report outline places; the key is what a file writes after 正文.
# (The templates put each in its place; an unknown section is reported, not silently dropped.)
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("项目背景", "一、基本情况（一）项目概况"),
    ("主要内容", "一、基本情况（一）项目概况"),
    ("实施情况", "一、基本情况（一）项目概况"),
    ("实施主体", "一、基本情况（一）项目概况"),
    ("资金投入", "一、基本情况（一）项目概况"),
    ("资金使用", "一、基本情况（一）项目概况"),
    ("评价目的", "二、绩效评价工作开展情况（一）"),
    ("评价对象", "二、绩效评价工作开展情况（一）"),
    ("评价范围", "二、绩效评价工作开展情况（一）"),
    ("评价原则", "二、绩效评价工作开展情况（二）"),
    ("评价指标体系", "二、绩效评价工作开展情况（二）"),
    ("评价方法", "二、绩效评价工作开展情况（二）"),
    ("评价标准", "二、绩效评价工作开展情况（二）"),
    ("评价工作过程", "二、绩效评价工作开展情况（三）"),
    ("综合评价情况", "三、综合评价情况及评价结论"),
    ("评价结论", "三、综合评价情况及评价结论"),
    ("决策情况", "四、绩效评价指标分析（一）"),
    ("过程情况", "四、绩效评价指标分析（二）"),
    ("产出情况", "四、绩效评价指标分析（三）"),
    ("效益情况", "四、绩效评价指标分析（四）"),
    ("预算执行与偏差", "五、预算执行进度与绩效指标偏差"),
    ("主要经验及做法", "六、主要经验及做法、存在的问题及原因分析"),
    ("存在的问题及原因", "六、主要经验及做法、存在的问题及原因分析"),
    ("有关建议", "七、有关建议"),
    ("其他需要说明的问题", "八、其他需要说明的问题"),
)
NARRATIVE_NAMES = tuple(name for name, _ in NARRATIVE_SECTIONS)
