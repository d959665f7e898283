"""What an author may write where: keywords (read from the grammar, so that they follow it),
the standard indicator names of the evaluation framework, and common units.

The 二级/三级 names are those of 财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）附件
(the common framework of 决策/过程/产出/效益) and of the 绩效自评表 (产出/效益/满意度); the
ruleset adds its own cost and satisfaction kinds and its formula names."""

from __future__ import annotations

import re
from functools import cache

from ..core import schema
from ..syntax.lark_parser import raw_parser

# ---------------------------------------------------------------- keywords, from the grammar
ATTR_RULES = tuple(f.key for f in schema.ATTRIBUTES.fields)
TREE_ATTR_RULES = tuple(f.key for f in schema.TREE_ATTRIBUTES.fields)
# A monitoring point's own attributes beside an indicator, and all the stages of the year
# (monitor, adjust, approval are indicator attributes too: docs/lifecycle.md).
PROGRESS_RULES = tuple(f.key for f in schema.PROGRESS.fields)
STAGE_RULES = ("monitor", "adjust", "approval", *PROGRESS_RULES)

# What each keyword group means, for completion details and hover (zh, en).
KEYWORD_DOCS: dict[str, tuple[str, str]] = {
    "include": ("引用另一个 .perf 文件（项目目录之内）", "include another .perf file (inside the project)"),
    "tree_kind": (
        "指标树：自评表 / 评价指标体系（附件1）",
        "an indicator tree: self-evaluation / evaluation framework",
    ),
    "date_range": ("日期范围", "a date range"),
    "comparator": ("比较符：年度指标值", "comparator: the annual target"),
    "qualitative": ('定性指标：定性 "目标"', 'a qualitative target: qualitative "…"'),
    "weight": ("分值（权重）：数字", "weight: a number"),
    "actual": ("实际完成值：数值或文字", "actual value: a number or a text"),
    "score": ("评定得分（须写依据）", "a judged score (needs a basis)"),
    "basis": ("评分依据", "why the judged score is what it is"),
    "reason": ("偏差原因分析", "why the indicator deviates"),
    "remedy": ("改进措施", "remedy"),
    "definition": ("指标解释（附件1）", "definition (附件1)"),
    "criteria": ("评价要点（附件1）", "criteria (附件1)"),
    "formula": ("公式指标：资金到位率、预算执行率", "a formula indicator: 资金到位率, 预算执行率"),
    "achievement": ("达成度：达成 / 部分达成 / 未达成", "achievement band of a qualitative indicator"),
    "category": ('分类，如 "经济成本指标"', 'a sub-heading such as "经济成本指标"'),
    "stated_completion": ("报告所列完成率（只作核对）", "the completion rate the report printed (audit only)"),
    "stated_score": ("报告所列得分（只作核对）", "the score the report printed (audit only)"),
    "stated_deviation": ("报告所列偏差率（只作核对）", "the deviation the report printed (audit only)"),
    "stated_total": ("报告所列总分（只作核对）", "the total the report printed (audit only)"),
    "stated_overall": ("报告所列总体完成率（只作核对）", "the overall completion the report printed"),
    "stated_quantified": ("报告所列指标量化率（只作核对）", "the quantified rate the report printed"),
    "stated_full_marks": ("报告所列满分指标数（只作核对）", "the number of full-mark indicators the report printed"),
    "monitor": ("运行监控：监控 6月 已完成 … 预计完成 … 可能性 …", "a monitoring point: 监控 6月 to-date … forecast …"),
    "to_date": ("1至该月实际完成值", "the value achieved to the end of the month"),
    "forecast": ("全年预计完成值", "the value forecast for the whole year"),
    "possibility": ("完成目标可能性：确定能 / 有可能 / 完全不可能", "possibility of meeting the target"),
    "cause": (
        "偏差原因（监控表的栏目）：经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他原因",
        "a deviation's cause, by the 监控表's column",
    ),
    "correction": ("纠偏措施", "what will be done to meet the target"),
    "note": ("备注（监控表）", "a remark in the 监控表"),
    "adjust": ("申报后调整：新的指标值、分值 N、取消或新增（须写批复）", "a change of what was filed (needs 批复)"),
    "approval": ("调整的批复：文号、日期", "the approval of a 调整"),
}


class Keywords:
    """The grammar's keywords by rule: rule name → spellings (Chinese first, as the grammar lists
    them), terminal name → spelling, spelling → rule."""

    def __init__(self):
        lark = raw_parser()
        self.terminal_text: dict[str, str] = {
            t.name: t.pattern.value for t in lark.terminals if t.pattern.type == "str"
        }
        self.terminals: frozenset[str] = frozenset(t.name for t in lark.terminals)
        self.by_rule: dict[str, list[str]] = {}
        for r in lark.rules:
            origin = r.origin.name
            for sym in r.expansion:
                if sym.is_term and sym.name in self.terminal_text and sym.name not in ("LBRACE", "RBRACE"):
                    words = self.by_rule.setdefault(str(origin), [])
                    text = self.terminal_text[sym.name]
                    if text not in words:
                        words.append(text)
        self.rule_of: dict[str, str] = {w: rule for rule, words in self.by_rule.items() for w in words}

    def words(self, *rules: str) -> list[str]:
        return [w for r in rules for w in self.by_rule.get(r, ())]

    @property
    def comparators(self) -> list[str]:
        return self.by_rule.get("comparator", [])

    @property
    def value_keywords(self) -> frozenset[str]:
        """Keywords of an indicator tree after which a value follows."""
        return frozenset(self.words("comparator", "qualitative", *ATTR_RULES, *TREE_ATTR_RULES, *STAGE_RULES))


@cache
def keywords() -> Keywords:
    return Keywords()


def is_chinese(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff\uf900-\ufaff]", text))


# ---------------------------------------------------------------- plain blocks (schema)
TOP_DOCS: dict[str, tuple[str, str]] = {
    "project": ("项目基本信息：年度、实施单位、评价规则……", "the project: year, unit, ruleset …"),
    "funds": ("资金：预算数、到位资金、执行数、来源、支出明细", "funds: budget, received, spent, sources, expenses"),
    "goals": ("绩效目标：总体目标、阶段性目标、实际完成情况", "goals: overall, stage, achieved"),
    "survey": ("满意度调查：对象、样本、结果", "the satisfaction survey"),
    "work": ("评价工作：成员、阶段、方法、标准、依据", "the evaluation work: members, phases, method"),
    "narrative": ("报告正文的一节：节名 + Markdown 文本", "a section of the report: name + Markdown"),
    "filing": ("申报：年初申报的年度资金、中期与年度目标", "the filing: the year's budget and goals as filed"),
    "monitoring": ("运行监控：截至某月的执行数、全年预计执行数", "a monitoring point: money spent to date, forecast"),
}

BLOCK_BY_TITLE = {
    b.title: b
    for b in (
        schema.TOP,
        schema.PROJECT,
        schema.FUNDS,
        schema.SOURCE,
        schema.GOALS,
        schema.SURVEY,
        schema.WORK,
        schema.FILING,
        schema.MONITORING,
        schema.MONITORING_SOURCE,
    )
}


def block_spec(entry_path: list[str]) -> schema.BlockSpec | None:
    """The BlockSpec of the block that `entry_path` (the heads of the open entries, outermost
    first) leads into; TOP for the file level; None where the schema has no block."""
    spec = schema.TOP
    for name in entry_path:
        f = spec.find(name)
        if f is None or f.block is None:
            return None
        spec = f.block
    return spec


def field_spec(entry_path: list[str], name: str) -> schema.FieldSpec | None:
    spec = block_spec(entry_path)
    return spec.find(name) if spec else None


# ---------------------------------------------------------------- standard indicator names
# 评价指标体系 (附件1 共性指标框架): 一级 → 二级 → 三级.
FRAMEWORK: dict[str, dict[str, list[str]]] = {
    "决策": {
        "项目立项": ["立项依据充分性", "立项程序规范性"],
        "绩效目标": ["绩效目标合理性", "绩效指标明确性"],
        "资金投入": ["预算编制科学性", "资金分配合理性"],
    },
    "过程": {
        "资金管理": ["资金到位率", "预算执行率", "资金使用合规性"],
        "组织实施": ["管理制度健全性", "制度执行有效性"],
    },
    "产出": {
        "产出数量": ["实际完成率"],
        "产出质量": ["质量达标率"],
        "产出时效": ["完成及时性"],
        "产出成本": ["成本节约率"],
        "数量": [],
        "质量": [],
        "时效": [],
        "成本": [],
    },
    "效益": {
        "项目效益": ["实施效益", "社会效益", "经济效益", "生态效益", "可持续影响", "服务对象满意度"],
        "社会效益": [],
        "经济效益": [],
        "生态效益": [],
        "可持续影响": [],
        "满意度": ["服务对象满意度"],
    },
}

# 绩效自评表: 一级 → 二级 (the 三级 are the project's own indicators).
SELF_EVALUATION: dict[str, list[str]] = {
    "产出": ["数量", "质量", "时效", "成本"],
    "效益": ["社会效益", "经济效益", "生态效益", "可持续影响"],
    "满意度": ["服务对象满意度"],
}
SELF_EVALUATION_TOP = ["预算执行率", "产出", "效益", "满意度"]

# Second-level names written with 指标 (数量指标 …): also accepted.
SECOND_LEVEL_LONG = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "社会效益": "社会效益指标",
    "经济效益": "经济效益指标",
    "生态效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
}

COST_CATEGORIES = ["经济成本指标", "社会成本指标", "生态环境成本指标"]
SOURCE_NAMES = ["当年财政拨款", "上年结转资金", "其他资金"]
STANDARDS = ["计划标准", "行业标准", "历史标准"]
METHODS = ["比较法", "因素分析法", "最低成本法", "公众评判法", "标杆管理法", "文献法"]


def standard_names(tree_kind: str, parent_path: tuple[str, ...], ruleset=None) -> list[str]:
    """The standard names for a node under `parent_path` (() for 一级) of a tree."""
    level = len(parent_path) + 1
    out: list[str] = []
    if tree_kind == "self_evaluation":
        if level == 1:
            out = list(SELF_EVALUATION_TOP)
        elif level == 2:
            out = list(SELF_EVALUATION.get(parent_path[0], []))
            if ruleset is not None and parent_path[0] == "产出":
                out += [k for k in sorted(ruleset.cost_kinds) if k not in out]
            if ruleset is not None and parent_path[0] == "满意度":
                out += [k for k in sorted(ruleset.satisfaction_kinds) if k not in out and k != "满意度"]
            out += [SECOND_LEVEL_LONG[n] for n in list(out) if n in SECOND_LEVEL_LONG]
    else:
        if level == 1:
            out = list(FRAMEWORK)
        elif level == 2:
            out = list(FRAMEWORK.get(parent_path[0], {}))
        elif level == 3:
            out = list(FRAMEWORK.get(parent_path[0], {}).get(parent_path[1], []))
            if parent_path[1] == "资金管理" and ruleset is not None:
                out += [f for f in ruleset.formulas if f not in out]
    return list(dict.fromkeys(out))  # each once, in order


# ---------------------------------------------------------------- units
UNITS_COMMON = [
    "万元",
    "元",
    "%",
    "元/人",
    "万条",
    "条",
    "人",
    "人次",
    "万人次",
    "次",
    "个",
    "户",
    "家",
    "天",
    "个工作日",
    "小时",
    "月",
    "年",
    "套",
    "台",
    "件",
    "项",
    "份",
    "场",
    "期",
    "批",
    "辆",
    "册",
    "篇",
    "所",
    "公里",
    "平方米",
    "亩",
    "吨",
    "分钟",
]
UNITS_MONEY = ["万元", "元", "亿元"]
UNITS_PERCENT = ["%"]
UNITS_COUNT = ["人", "份", "户", "家"]

NUMBER_PREFIX = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def split_quantity(word: str) -> tuple[str, str] | None:
    """'285万' → ('285', '万'); None when `word` does not start with a number."""
    m = NUMBER_PREFIX.match(word)
    if not m:
        return None
    return word[: m.end()], word[m.end() :]


def is_value_word(word: str) -> bool:
    """A number, date or the 至/to of a date range: a value, never a name."""
    return bool(NUMBER_PREFIX.match(word)) or word in ("至", "to")
