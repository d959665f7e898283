"""The glossary: every word of the language — 中文 keyword, English alias, the Python name that
holds it, the JSON key where there is one — generated from the schema, so that it cannot drift.

    python -m perfdsl.model.glossary > docs/glossary.md

A test regenerates it and compares, and checks that every Python name it prints exists."""

from __future__ import annotations

import sys

from ..core import comparators, schema
from .evaluation import TREE_TITLES, TreeKind

HEADER = "<!-- 由 perfdsl/model/glossary.py 生成，请勿手改：python -m perfdsl.model.glossary > docs/glossary.md -->"

# Which model class each block of the schema fills, and the attribute that holds the block.
BLOCKS: tuple[tuple[schema.BlockSpec, str, str], ...] = (
    (schema.PROJECT, "Project", "Evaluation.project"),
    (schema.FUNDS, "Funds", "Evaluation.funds"),
    (schema.SOURCE, "Source", "Funds.sources"),
    (schema.GOALS, "Goals", "Evaluation.goals"),
    (schema.SURVEY, "Survey", "Evaluation.survey"),
    (schema.WORK, "Work", "Evaluation.work"),
    (schema.FILING, "Filing", "Lifecycle.filing"),
    (schema.MONITORING, "MonitoringPoint", "Lifecycle.monitoring"),
    (schema.MONITORING_SOURCE, "MonitoringSource", "MonitoringPoint.sources"),
    (schema.PROGRESS, "Progress", "MonitoringPoint.items"),
)
# Fields stored under another name in the model (a repeated field collects into a list).
RENAMED = {
    ("Funds", "source"): "sources",
    ("Funds", "expense"): "expenses",
    ("Work", "member"): "members",
    ("Work", "phase"): "phases",
    ("Work", "basis_document"): "basis_documents",
    ("Filing", "source"): "sources",
    ("MonitoringPoint", "source"): "sources",
    ("MonitoringPoint", "progress"): "progress_text",
    ("Progress", "cause"): "causes",
}
# Where the stages of the year are kept (model/lifecycle.py): not on the Evaluation or the Node
# themselves but on the Evaluation's Lifecycle.
STAGE_HOLDERS = {
    "filing": "Lifecycle.filing",
    "monitoring": "Lifecycle.monitoring",
    "monitor": "MonitoringPoint.items",
    "adjust": "Lifecycle.adjustments",
    "approval": "Adjustment.approval",
}


def python_name(cls: str, key: str) -> str:
    return f"{cls}.{RENAMED.get((cls, key), key)}"


def rows() -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Sections of (中文, English, Python, what it takes) rows."""
    out = []
    top = [
        (
            f.names[0],
            " / ".join(f.names[1:]),
            "Evaluation.narrative" if f.key == "narrative" else STAGE_HOLDERS.get(f.key, f"Evaluation.{f.key}"),
            f.doc or _values(f),
        )
        for f in schema.TOP.fields
    ]
    top.append(("引用", "include", "Loaded.files", "项目内的 .perf 文件路径，其内容并入本文件"))
    for kind in TreeKind:
        names = {"self_evaluation": ("自评表", "self-evaluation"), "evaluation": ("评价指标体系", "evaluation")}[kind]
        top.append(
            (
                names[0],
                names[1],
                f"Evaluation.{kind.attribute}",
                f"指标树（JSON 键 `{kind.value}`：{TREE_TITLES[kind]}）",
            )
        )
    top.append(
        ("绩效指标", "indicators", "Evaluation.self_evaluation", "自评表的另一名称：年初申报的指标树，年末即自评表")
    )
    out.append(("顶层块", top))
    for block, cls, holder in BLOCKS:
        section = [
            (f.names[0], " / ".join(f.names[1:]), python_name(cls, f.key), f.doc or _values(f)) for f in block.fields
        ]
        out.append((f"{block.title}（{holder}）", section))
    out.append(
        (
            "指标的属性（Node）",
            [
                (f.names[0], " / ".join(f.names[1:]), STAGE_HOLDERS.get(f.key, f"Node.{f.key}"), f.doc or _values(f))
                for f in schema.ATTRIBUTES.fields
            ],
        )
    )
    out.append(
        (
            "指标树的属性（IndicatorTree）",
            [
                (
                    f.names[0],
                    " / ".join(f.names[1:]),
                    f"IndicatorTree.{schema.TREE_ATTRIBUTE_FIELDS[f.key]}",
                    _values(f),
                )
                for f in schema.TREE_ATTRIBUTES.fields
            ],
        )
    )
    words: dict[str, list[str]] = {}
    for text, meaning in comparators.COMPARATORS.items():
        words.setdefault(meaning, []).append(text)
    out.append(
        (
            "比较符（Node.comparator）",
            [
                (" ".join(w for w in spelled if not w.isascii()), " ".join(w for w in spelled if w.isascii()),
                 f'Node.comparator == "{meaning}"', f"表中写作 {comparators.SYMBOL[meaning]}，句中写作 {comparators.WORD[meaning]}")
                for meaning, spelled in words.items()
            ],
        )
    )  # fmt: skip
    return out


def _values(f: schema.FieldSpec) -> str:
    kinds = [schema.VALUE_KIND_TEXT[k][0] + ("（可省略）" if optional else "") for k, optional in f.value_kinds]
    text = "；".join(kinds) if kinds else "块"
    return text + ("，可重复" if f.repeat else "")


def markdown() -> str:
    out = [
        HEADER,
        "",
        "# 词汇表（glossary）",
        "",
        ".perf 语言的每个关键字：中文写法、英文别名（两者都可以用）、在 Python 代码中保存它的名字，以及它接受的值。"
        "`perfdsl score --format json` 的键与 Python 名字相同，只有指标树例外：`评价指标体系` 在代码中叫 "
        "`framework`，在 JSON 中仍是 `evaluation`（format_version 1 不变）。",
        "",
    ]
    for title, section in rows():
        out += [f"## {title}", "", "| 中文 | English | Python | 值 |", "|---|---|---|---|"]
        out += [f"| {zh} | {en} | `{py}` | {doc} |" for zh, en, py, doc in section]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown())
