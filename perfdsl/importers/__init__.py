"""Import: the 自评表 and 评分表 units already hold (XLSX, DOCX) as .perf files.

`import_file(path, options)` reads every table of a workbook or Word file, recognises each
evaluation (a sheet may hold one, a workbook several, a Word file several tables among prose),
and returns one `Imported` per evaluation: its canonical .perf text and the cells it could not
place. Layouts are data (layouts/*.toml); `--mapping` adds a user's own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import project
from ..project import Limits, Reason
from .draft import Draft
from .grid import Grid
from .interpret import read_grid
from .layout import Layout, LayoutError, head_key, load, load_mapping, shipped
from .write import Writer

__all__ = ["ImportOptions", "Imported", "ImportFailure", "import_file", "shipped", "LayoutError"]


@dataclass(frozen=True)
class ImportOptions:
    layout: str | None = None  # a shipped layout forced by name
    mapping: Path | None = None  # the user's own mapping file
    ruleset: str | None = None  # the 评价规则 the table was scored under


@dataclass
class Imported:
    draft: Draft
    text: str

    @property
    def unplaced(self) -> list[tuple[str, str]]:
        return self.draft.unplaced


@dataclass
class ImportFailure(Exception):
    """The file could not be read at all (exit 2): why, in Chinese and English."""

    zh: str
    en: str
    notes: list[str] = field(default_factory=list)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONVERT_ZH = "在 Excel 或 WPS 中打开，另存为 .xlsx（Word 文件另存为 .docx），不设密码，再导入"
_CONVERT_EN = "open it in Excel or WPS and save it as .xlsx (Word: .docx) without a password, then import that"


def _read(path: Path) -> tuple[str, bytes]:
    data, refusal = project.read_bytes(path, Limits().asset)
    if refusal is not None or data is None:
        if refusal is not None and refusal.reason == Reason.TOO_LARGE:
            raise ImportFailure(
                f"文件过大（上限 {Limits().asset // (1024 * 1024)} MiB）：一张自评表只有几十 KB，请只导出评价表所在的工作表",
                f"the file is too large (limit {Limits().asset // (1024 * 1024)} MiB): an evaluation table is a few dozen KB; export only its sheet",
            )
        why = refusal.reason.value if refusal is not None else "?"
        raise ImportFailure(f"无法读取文件（{why}）", f"cannot read the file ({why})")
    if data.startswith(_OLE):
        raise ImportFailure(
            f"这是旧版 .xls/.doc/.et 文件或设了密码的文件，无法直接读取：{_CONVERT_ZH}",
            f"an old .xls/.doc/.et file or a password-protected one cannot be read: {_CONVERT_EN}",
        )
    if not data.startswith(b"PK"):
        raise ImportFailure(
            f"不是 .xlsx 或 .docx 文件（CSV、PDF 或图片中的表格无法读取）：{_CONVERT_ZH}",
            f"not an .xlsx or .docx file (tables in CSV, PDF or pictures cannot be read): {_CONVERT_EN}",
        )
    for member, kind in (("xl/workbook.xml", "xlsx"), ("word/document.xml", "docx")):
        checked, refusal = project.read_ooxml(path, member)
        if checked is not None:
            return kind, checked
        if refusal is not None and refusal.detail == "inflated":
            raise ImportFailure(
                "文件解压后过大（疑似压缩炸弹），拒绝读取", "the file inflates beyond the limit (a zip bomb?); refused"
            )
    raise ImportFailure(
        f"文件已损坏，或不是 Excel/Word 文件：{_CONVERT_ZH}",
        f"the file is damaged or not an Excel/Word file: {_CONVERT_EN}",
    )


def _grids(path: Path) -> list[Grid]:
    kind, data = _read(path)
    try:
        if kind == "xlsx":
            from . import read_xlsx

            return read_xlsx.grids(data, path.name)
        from . import read_docx

        return read_docx.grids(data, path.name)
    except ImportFailure:
        raise
    except Exception as e:  # openpyxl and zipfile raise many kinds for a damaged file
        raise ImportFailure(
            f"文件已损坏，无法读取其中的表格（{type(e).__name__}）", f"the file is damaged ({type(e).__name__})"
        ) from None


def _layout(options: ImportOptions, grids: list[Grid]) -> Layout:
    if options.mapping is not None:
        data, refusal = project.read_bytes(options.mapping, 1024 * 1024)
        if data is None:
            raise ImportFailure(
                f"无法读取映射文件 {options.mapping}", f"cannot read the mapping file {options.mapping}"
            )
        return load_mapping(data.decode("utf-8", errors="replace"), options.mapping)
    if options.layout:
        return load(options.layout)
    words = {head_key(c.text) for g in grids for c in g.refs()[:400]}
    best, best_hits = "central", 0
    for name in shipped():
        layout = load(name)
        hits = sum(1 for w in layout.detect if any(w in x for x in words))
        if hits > best_hits:
            best, best_hits = name, hits
    return load(best)


def _merge(into: Draft, part: Draft) -> None:
    into.where += [w for w in part.where if w not in into.where]
    for k, v in part.fields.items():
        into.fields.setdefault(k, v)
    into.year = into.year or part.year
    into.year_from = into.year_from or part.year_from
    if part.funds is not None and into.funds is None:
        into.funds = part.funds
    for kind, tree in part.trees.items():
        mine = into.tree(kind)
        mine.rows += tree.rows
        mine.stated_total = mine.stated_total if mine.stated_total is not None else tree.stated_total
        mine.stated_grade = mine.stated_grade or tree.stated_grade
        for g, s in tree.group_scores.items():
            mine.group_scores.setdefault(g, s)
    for k, v in part.texts.items():
        into.texts.setdefault(k, v)
    into.notes += part.notes
    into.unplaced += part.unplaced


def _has_evaluation(d: Draft) -> bool:
    return any(t.rows for t in d.trees.values())


def import_file(path: str | Path, options: ImportOptions = ImportOptions()) -> list[Imported]:
    """Every evaluation in the file, as .perf text. Raises ImportFailure when the file cannot
    be read; returns [] when it holds no evaluation table."""
    path = Path(path)
    grids = _grids(path)
    layout = _layout(options, grids)
    drafts: list[Draft] = []
    kind = layout.tree
    for grid in grids:
        part = Draft(source=path.name, where=[grid.name])
        kind = read_grid(grid, layout, part, kind)
        name = part.fields.get("project") or part.fields.get("title_project")
        same = drafts and (
            not name or (drafts[-1].fields.get("project") or drafts[-1].fields.get("title_project")) == name
        )
        if same and not (
            _has_evaluation(part) and any(k in drafts[-1].trees and drafts[-1].trees[k].rows for k in part.trees)
        ):
            _merge(drafts[-1], part)
        elif _has_evaluation(part) or part.funds is not None or name:
            drafts.append(part)
        elif drafts:
            _merge(drafts[-1], part)
        elif part.unplaced or part.notes:
            drafts.append(part)
    out: list[Imported] = []
    for d in drafts:
        if not _has_evaluation(d):
            if out:
                _merge(out[-1].draft, d)
            continue
        _finish(d, path)
        out.append(Imported(d, _text(d, options.ruleset or layout.ruleset)))
    return out


def _finish(d: Draft, path: Path) -> None:
    d.fields["project"] = d.fields.get("project") or d.fields.get("title_project") or path.stem
    if not d.year:
        m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", path.stem)
        if m:
            d.year, d.year_from = int(m.group(0)), "文件名"
    if "filed" in d.fields and not d.year and re.search(r"(19|20)\d{2}", d.fields["filed"]):
        pass


def _text(d: Draft, ruleset: str | None) -> str:
    from ..core.numbers import agrees_as_written
    from ..loader import load as load_text
    from ..syntax.format import format_text

    writer = Writer(d, ruleset)
    text = writer.text()
    if writer.merged_groups:
        # A score printed once for several rows: the rows' own scores are not printed, so the
        # group's is either what its rows compute (kept as 陈述得分, and checked) or the
        # evaluator's judgement of the group as a whole (an override, its 评分说明 the basis).
        loaded = load_text(str(Path(d.source).with_suffix(".perf")), text, lint=False, follow_baseline=False)
        disagree = {
            ns.node.span.line - 1
            for ts in (loaded.scorecard.trees() if loaded.scorecard else [])
            for ns in ts.walk()
            if ns.children
            and ns.node.stated_score is not None
            and ns.score is not None
            and not agrees_as_written(ns.node.stated_score, ns.score)
        }
        judged = frozenset(line for line in writer.merged_groups if line in disagree)
        if judged:
            text = writer.text(judged)
    formatted, _ = format_text(text)
    return formatted or text
