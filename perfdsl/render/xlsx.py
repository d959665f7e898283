"""XLSX output: the 项目支出绩效自评表 and the 评价指标体系及综合评分表 as spreadsheets.

``write_xlsx(ev, card)`` lays out, with openpyxl:

- "自评表" (when the file has one, or has neither table yet): the published one-page layout — title and year, 项目名称,
  主管部门 | 实施单位, the funds block (万元) with the 预算执行率 row's 分值/执行率/得分, 年度总体目标
  (预期目标 | 实际完成情况), the indicator block (一级/二级 merged down their rows), 总分 and a
  footnote with the scoring rules;
- "评分表" (when the file has an evaluation framework, 附件1): 一级 | 二级 | 三级 | 指标解释 |
  评价要点 | 权重 | 得分 and 合计;
- "综合评分表": 一级指标 | 权重分 | 得分 | 得分率, 合计 and 评价等级 (表1 of the report).

Every figure comes from the ScoreCard or from the data as written; display rounding goes through
``fixed``/``trimmed``.  Figures are stored as numbers (a reader can compute with them) with a
number format; text stays text.  The output is deterministic: fixed document properties, and the
package rewritten by ``deterministic_zip`` with fixed entry order, timestamps and compression.
"""

from __future__ import annotations

import datetime
import io
import math
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..core.numbers import HUNDRED, decimals_written, fixed, trimmed
from ..core.text import display_width
from ..model.evaluation import Evaluation, Funds, Node
from ..rules.ruleset import Ruleset
from ..score.scorecard import NodeScore, Rate, ScoreBasis, ScoreCard, TreeScore
from ..score.scorer import FUND_LABELS
from . import ooxml
from .context import criteria_text
from .tablecontent import FRAMEWORK_COLUMNS, deviation_text, framework_columns, fund_rows, wan_amount
from .xlsx_cells import make_inert

__all__ = ["write_xlsx", "contents_name", "deterministic_zip", "SHEET_SELF", "SHEET_FRAMEWORK", "SHEET_SUMMARY"]

SHEET_SELF = "自评表"
SHEET_FRAMEWORK = "评分表"
SHEET_SUMMARY = "综合评分表"

# Document properties and zip entry times: the ZIP epoch, as for the DOCX output.
FIXED_TIME = datetime.datetime(1980, 1, 1, 0, 0, 0)
AUTHOR = "perfdsl"

# Number formats: scores to two places; money in 万元 at one precision for the whole funds block,
# two places or more (render/tablecontent.py); rates as percentages; weights as written (General shows 5,
# 2.5, 100).
FMT_SCORE = "0.00"
FMT_MONEY = "0.00##"  # money in 万元 outside the 自评表's funds block (the 申报表, the 监控表)
FMT_PERCENT = "0.00%"
FMT_WEIGHT = "General"

# Fonts: the names Chinese government forms use; the reader's Excel resolves them.
BODY_SIZE = 10.5  # 五号
F_TITLE = Font(name="宋体", size=18, bold=True)
F_TITLE_SMALL = Font(name="宋体", size=14, bold=True)
F_SUBTITLE = Font(name="仿宋_GB2312", size=12)
F_HEAD = Font(name="宋体", size=BODY_SIZE, bold=True)
F_BODY = Font(name="宋体", size=BODY_SIZE)
F_NOTE = Font(name="仿宋_GB2312", size=10)

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Margins in inches (openpyxl's unit): about 15 mm at the sides, 20 mm top and bottom.
MARGINS = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8, header=0.3, footer=0.4)

# Estimating row heights as Excel lays text out: a column of width w is about 7w pixels (w is
# counted in widths of "0" of the default 11 pt font) less a few pixels of cell margin; a wide
# (CJK) character is one em (size × 96/72 pixels), a narrow one about half; a line takes about
# 1.36 times the font size in points (Excel's row for 10.5 pt 宋体 is 14.25 pt).
_PX_PER_UNIT = 7.0
_CELL_MARGIN_PX = 6.0
_LINE_FACTOR = 1.36
_WRAP_SLACK = 0.95  # line-breaking rules (no "，" at the start of a line, whole Latin words) waste some width
_ROW_PADDING = 6.0
_MAX_ROW_HEIGHT = 409.0  # Excel's limit

_FUND_NAMES = FUND_LABELS


# ----------------------------------------------------------------------------- package


def deterministic_zip(data: bytes) -> bytes:
    """An XLSX that depends only on its content: entries by name, fixed dates (render/ooxml.py)."""
    return ooxml.normalise(data, sort_entries=True)


# ----------------------------------------------------------------------------- figures


def _score(value: Decimal | None) -> float | None:
    """A score as a number, rounded for display as everywhere else (93.91)."""
    return None if value is None else float(fixed(value, 2))


def _weight(value: Decimal | None) -> int | float | None:
    """A weight as written: 5, 2.5, 100 (30.0 → 30)."""
    if value is None:
        return None
    text = trimmed(value)
    return float(text) if "." in text else int(text)


def _percent(rate: Rate | None) -> float | None:
    """A displayed percentage (94.79) as the fraction Excel formats as 94.79%."""
    if rate is None or rate.percent is None:
        return None
    return float(Decimal(fixed(rate.percent, 2)).scaleb(-2))


def _rate_of(percent: Decimal | None) -> float | None:
    return None if percent is None else float(Decimal(fixed(percent, 2)).scaleb(-2))


def _actual_text(n: Node) -> str:
    if n.actual is not None:
        return n.actual.text
    return n.actual_text or ""


def _self_label(name: str) -> str:
    """一级/二级 names as the 自评表 prints them: 产出 → 产出指标, 数量 → 数量指标."""
    return name if name.endswith("指标") else name + "指标"


def _group_label(ns: NodeScore, label: str) -> str:
    """A group's cell; a group the evaluators scored themselves says so, since its rows then do
    not add up to its score."""
    if ns.basis == ScoreBasis.OVERRIDE and ns.score is not None:
        return f"{label}\n（评定{fixed(ns.score, 2)}分）"
    return label


# ----------------------------------------------------------------------------- layout helpers


@dataclass
class _Block:
    row: int
    col: int
    rows: int
    cols: int
    text: str
    size: float


@dataclass
class _Unit:
    """Rows to keep on one page where they fit (a 一级 group), with the parts (二级 groups) to
    break between when they do not."""

    start: int
    end: int
    children: list[_Unit] = field(default_factory=list)
    keep_with_next: bool = False  # a header row: never the last row of a page


@dataclass(frozen=True)
class _Page:
    width_in: float
    height_in: float
    landscape: bool


A4_PORTRAIT = _Page(8.27, 11.69, False)
A4_LANDSCAPE = _Page(11.69, 8.27, True)
_PAGE_SAFETY = 0.94  # renderers differ a little; a break a bit early beats a near-empty page
_MOVE_WHOLE = 0.5  # a group moves whole to the next page when less than half the page is left


class _Grid:
    """Cells written with one style vocabulary.  ``finish`` estimates row heights from what the
    cells hold, chooses page breaks between groups, merges the cells (a group cell that a page
    break crosses is merged on each page, with its label repeated) and sets up printing."""

    def __init__(self, ws: Worksheet, widths: list[float]):
        self.ws = ws
        self.widths = widths
        self.blocks: list[_Block] = []
        self.min_heights: dict[int, float] = {}
        self.down: list[_Block] = []  # merges down several rows, made once the breaks are known
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w

    def put(
        self,
        row: int,
        col: int,
        value=None,
        *,
        rows: int = 1,
        cols: int = 1,
        font: Font = F_BODY,
        fmt: str | None = None,
        align: str = "center",
        border: bool = True,
    ) -> None:
        ws = self.ws
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
        if value is not None and value != "":
            cell.value = value  # text that looks like a formula is made inert before saving (xlsx_cells)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if fmt:
            cell.number_format = fmt
        if border:
            for r in range(row, row + rows):
                for c in range(col, col + cols):
                    ws.cell(row=r, column=c).border = BORDER
        text = "" if value is None else str(value)
        block = _Block(row, col, rows, cols, text, font.size or BODY_SIZE)
        self.blocks.append(block)
        if rows > 1:
            self.down.append(block)
        elif cols > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + cols - 1)

    def at_least(self, row: int, points: float) -> None:
        self.min_heights[row] = points

    # -- row heights

    @staticmethod
    def _lines(text: str, units: float, size: float) -> int:
        usable = max((units * _PX_PER_UNIT - _CELL_MARGIN_PX) * _WRAP_SLACK, 1.0)
        half_em = size * 96 / 72 / 2
        return sum(max(1, math.ceil(display_width(para) * half_em / usable)) for para in text.split("\n"))

    def _needed(self, b: _Block) -> float:
        units = sum(self.widths[b.col - 1 : b.col - 1 + b.cols])
        lines = self._lines(b.text, units, b.size) if b.text else 1
        return lines * b.size * _LINE_FACTOR + _ROW_PADDING

    def _heights(self) -> dict[int, float]:
        base = BODY_SIZE * _LINE_FACTOR + _ROW_PADDING
        heights: dict[int, float] = {}
        for b in self.blocks:
            for r in range(b.row, b.row + b.rows):
                heights.setdefault(r, base)
        for b in self.blocks:
            if b.rows == 1:
                heights[b.row] = max(heights[b.row], self._needed(b))
        for b in self.blocks:  # a cell merged down: grow its rows evenly if together too short
            if b.rows > 1:
                span = range(b.row, b.row + b.rows)
                missing = self._needed(b) - sum(heights[r] for r in span)
                if missing > 0:
                    for r in span:
                        heights[r] += missing / b.rows
        for r, h in self.min_heights.items():
            heights[r] = max(heights.get(r, 0.0), h)
        return {r: round(min(h, _MAX_ROW_HEIGHT), 1) for r, h in heights.items()}

    # -- pages

    def _page_height(self, page: _Page) -> float:
        """Points of rows that fit on one page at the scale that fits the columns to its width."""
        width_px = (page.width_in - MARGINS.left - MARGINS.right) * 96
        sheet_px = sum(self.widths) * _PX_PER_UNIT
        scale = min(1.0, math.floor(width_px / sheet_px * 100) / 100)
        return (page.height_in - MARGINS.top - MARGINS.bottom) * 72 / scale * _PAGE_SAFETY

    @staticmethod
    def _breaks(heights: dict[int, float], units: list[_Unit], page_h: float, header: int | None) -> list[int]:
        """Rows after which a page ends.  A unit that does not fit in what is left of a page goes
        whole to the next one when it fits there and this page is mostly full; otherwise it
        breaks between its parts, and a row that does not fit starts the next page.  A header
        row never ends a page: it moves with what follows it."""
        breaks: list[int] = []
        used = 0.0
        held: _Unit | None = None  # the keep-with-next unit just placed, if any
        header_h = heights.get(header, 0.0) if header else 0.0

        def rows_h(a: int, b: int) -> float:
            return sum(heights.get(r, 0.0) for r in range(a, b + 1))

        def top(row: int) -> float:  # what a page starting at this row already holds
            return header_h if header and row > header else 0.0

        def new_page(row: int) -> None:
            nonlocal used
            if held is not None and held.end == row - 1 and held.start > 1:
                row = held.start  # take the header along
            if row > 1 and row - 1 not in breaks:
                breaks.append(row - 1)
            used = top(row) + rows_h(row, held.end) if held is not None and row == held.start else top(row)

        def fits_alone(u: _Unit) -> bool:
            extra = rows_h(held.start, held.end) if held is not None and held.end == u.start - 1 else 0.0
            return top(u.start) + extra + rows_h(u.start, u.end) <= page_h

        # Each unit placed in order; one that must break is placed part by part, and is "held"
        # (kept with the next) once its parts are. A stack rather than a nested function that
        # calls itself: that would be a reference cycle, keeping the sheet's layout until the
        # collector's next full pass.
        pending: list[tuple[_Unit, bool]] = [(u, False) for u in reversed(units)]
        while pending:
            u, parts_placed = pending.pop()
            if not parts_placed:
                h = rows_h(u.start, u.end)
                if used + h <= page_h:
                    used += h
                elif used > top(u.start) and fits_alone(u) and page_h - used < _MOVE_WHOLE * page_h:
                    new_page(u.start)
                    used += h
                elif u.children:
                    pending.append((u, True))
                    pending.extend((c, False) for c in reversed(u.children))
                    continue
                else:
                    for r in range(u.start, u.end + 1):
                        rh = heights.get(r, 0.0)
                        if used + rh > page_h and used > top(r):
                            new_page(r)
                        used += rh
                        held = None
            held = u if u.keep_with_next else None
        return sorted(breaks)

    def _merge_down(self, breaks: list[int]) -> None:
        ws = self.ws
        for b in self.down:
            first, last = b.row, b.row + b.rows - 1
            cuts = [r for r in breaks if first <= r < last]
            starts = [first] + [r + 1 for r in cuts]
            ends = cuts + [last]
            source = ws.cell(row=first, column=b.col)
            for a, z in zip(starts, ends):
                cell = ws.cell(row=a, column=b.col)
                if a != first:  # the part on a later page repeats the label
                    cell.value = source.value
                    cell.font = copy(source.font)
                    cell.alignment = copy(source.alignment)
                    cell.border = copy(source.border)
                if z > a or b.cols > 1:
                    ws.merge_cells(start_row=a, start_column=b.col, end_row=z, end_column=b.col + b.cols - 1)

    def finish(self, units: list[_Unit], page: _Page, header: int | None) -> None:
        heights = self._heights()
        for r, h in heights.items():
            self.ws.row_dimensions[r].height = h
        breaks = self._breaks(heights, units, self._page_height(page), header)
        self._merge_down(breaks)
        for r in breaks:
            self.ws.row_breaks.append(Break(id=r))
        last_row = max(heights)
        _page_setup(self.ws, landscape=page.landscape, header=header, last_col=len(self.widths), last_row=last_row)


def _page_setup(ws: Worksheet, *, landscape: bool, header: int | None, last_col: int, last_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = copy(MARGINS)
    if header:
        ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
    ws.sheet_view.showGridLines = False


def _scoring_note(rules: Ruleset) -> str:
    """The scoring rules of the 自评表, in one sentence, from the ruleset."""
    ratio = rules.execution_rate
    execution = (
        f"预算执行率得分＝分值×执行率（{_FUND_NAMES.get(ratio.numerator, ratio.numerator)}÷"
        f"{_FUND_NAMES.get(ratio.denominator, ratio.denominator)}，超过100%的按100%计）"
    )
    if rules.formula_full_at < 1:
        execution += f"，执行率达到{trimmed(rules.formula_full_at * HUNDRED)}%即得满分"
    if rules.completion_less == "linear":
        reverse = "超过的为1－（实际完成值－年度指标值）÷年度指标值（不低于0）"
    else:
        reverse = "超过的为年度指标值÷实际完成值"
    quantitative = (
        "定量指标得分＝分值×完成率，正向指标完成率＝实际完成值÷年度指标值，"
        f"反向指标实际完成值未超过年度指标值的为100%、{reverse}，"
        "“=”指标为两者中较小值÷较大值"
    )
    if rules.cap_at_weight:
        quantitative += "，得分不超过分值"
    parts = [execution, quantitative]
    if rules.satisfaction_scoring == "rate":
        parts.append("满意度指标得分＝分值×满意度")
    if rules.qualitative_bands:
        bands = "、".join(f"{b.name}（{trimmed(b.low)}%～{trimmed(b.high)}%）" for b in rules.qualitative_bands)
        parts.append(f"定性指标按{bands}{_count(len(rules.qualitative_bands))}档在档内评分")
    parts.append("总分" + _grades_text(rules))
    return "注：" + "；".join(parts) + "。"


def _count(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def _grades_text(rules: Ruleset) -> str:
    bands = list(rules.grades)  # highest first
    out = []
    for i, b in enumerate(bands):
        low = trimmed(b.min)
        if i == 0:
            out.append(f"{low}分（含）以上为{b.grade}" if len(bands) > 1 else f"为{b.grade}")
        elif b.min == 0 or i == len(bands) - 1:
            out.append(f"{trimmed(bands[i - 1].min)}分以下为{b.grade}")
        else:
            out.append(f"{low}分（含）至{trimmed(bands[i - 1].min)}分为{b.grade}")
    return "、".join(out)


# ----------------------------------------------------------------------------- tree rows


@dataclass
class _Row:
    first: NodeScore | None  # the 一级 group, None for an indicator at the top
    second: NodeScore | None  # the 二级 group, None for an indicator right under 一级
    leaf: NodeScore


def _leaves(ns: NodeScore):
    if not ns.children:
        yield ns
    for c in ns.children:
        yield from _leaves(c)


def _tree_rows(nodes: list[NodeScore], skip: NodeScore | None = None) -> list[_Row]:
    rows: list[_Row] = []
    for top in nodes:
        if top is skip:
            continue
        if not top.children:
            if not top.node.is_group:
                rows.append(_Row(None, None, top))
            continue
        for mid in top.children:
            if mid.children:
                rows.extend(_Row(top, mid, leaf) for leaf in _leaves(mid))
            elif not mid.node.is_group:
                rows.append(_Row(top, None, mid))
    return rows


def _runs(rows: list[_Row], key) -> list[tuple[int, int]]:
    """(start, length) of consecutive rows with the same (non-None) group."""
    runs, i = [], 0
    while i < len(rows):
        g = key(rows[i])
        j = i + 1
        while g is not None and j < len(rows) and key(rows[j]) is g:
            j += 1
        runs.append((i, j - i))
        i = j
    return runs


def _execution_row(ts: TreeScore) -> NodeScore | None:
    """The 自评表's 预算执行率 row (it goes in the funds block, not the indicator block)."""
    for ns in ts.walk():
        if not ns.children and ns.node.formula == "预算执行率":
            return ns
    return None


def _indicator_block(g: _Grid, start: int, rows: list[_Row], label, cells) -> tuple[int, list[_Unit]]:
    """The rows of an indicator tree from row ``start``: 一级 and 二级 merged down their rows
    (``label(group)`` gives their text), the 三级 name, then ``cells(row, leaf)`` writes the
    other columns.  Returns the next row and the 一级 groups as page units."""
    units: list[_Unit] = []
    for i, n in _runs(rows, lambda r: r.first):
        row = rows[i]
        if row.first is not None:
            g.put(start + i, 1, label(row.first), rows=n)
        group = _Unit(start + i, start + i + n - 1)
        for j, m in _runs(rows[i : i + n], lambda r: r.second if r.first is not None else None):
            sub = rows[i + j]
            if sub.first is not None and sub.second is not None:
                g.put(start + i + j, 2, label(sub.second), rows=m)
            group.children.append(_Unit(start + i + j, start + i + j + m - 1))
        units.append(group)
    for i, row in enumerate(rows):
        r = start + i
        name = row.leaf.node.name
        if row.first is None:  # an indicator at the top: its name spans 一级 to 三级
            g.put(r, 1, name, cols=3)
        elif row.second is None:  # an indicator right under 一级
            g.put(r, 2, name, cols=2)
        else:
            g.put(r, 3, name)
        cells(r, row.leaf)
    return start + len(rows), units


def _keep_with_last(units: list[_Unit], end: int) -> None:
    """Rows after the groups (总分, the note) stay on the page of the last group's last part."""
    if not units:
        return
    u = units[-1]
    while True:
        u.end = end
        if not u.children:
            return
        u = u.children[-1]


def _put_weight(g: _Grid, row: int, col: int, value: Decimal | None, font: Font = F_BODY) -> None:
    g.put(row, col, _weight(value), fmt=FMT_WEIGHT, font=font)


def _put_score(g: _Grid, row: int, col: int, value: Decimal | None, font: Font = F_BODY) -> None:
    g.put(row, col, _score(value), fmt=FMT_SCORE, font=font)


# ----------------------------------------------------------------------------- 自评表

# A 一级 | B 二级 | C 三级 | D 年度指标值 | E 实际完成值 | F 分值 | G 得分 | H 偏差原因分析及改进措施
_SELF_WIDTHS = [9.0, 13.0, 17.0, 12.0, 12.0, 6.0, 9.5, 20.0]
_SELF_COLS = len(_SELF_WIDTHS)
_FUND_COLUMNS = (*(FUND_LABELS[k] for k in ("initial_budget", "budget", "spent")), "分值", "执行率", "得分")
_SELF_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def _self_sheet(wb: Workbook, ev: Evaluation, card: ScoreCard) -> None:
    ts = card.self_evaluation  # None: the form with the project, funds and goals only
    ws = wb.create_sheet(SHEET_SELF)
    g = _Grid(ws, _SELF_WIDTHS)
    p = ev.project
    last = _SELF_COLS
    units: list[_Unit] = []

    title = "部门整体支出绩效自评表" if ev.department is not None else "项目支出绩效自评表"
    g.put(1, 1, title, cols=last, font=F_TITLE, border=False)
    g.at_least(1, 32)
    year = p.year if p is not None else None
    g.put(2, 1, f"（{year}年度）" if year else "", cols=last, font=F_SUBTITLE, border=False)
    g.at_least(2, 22)
    g.put(3, 1, "项目名称", font=F_HEAD)
    g.put(3, 2, p.name if p else "", cols=last - 1)
    g.put(4, 1, "主管部门", font=F_HEAD)
    g.put(4, 2, p.department if p else "", cols=3)
    g.put(4, 5, "实施单位", font=F_HEAD)
    g.put(4, 6, (p.unit or p.implementer) if p else "", cols=3)
    units.append(_Unit(1, 4))

    # funds block (万元); 分值, 执行率 and 得分 are those of the 预算执行率 row
    head = 5
    funds = ev.funds or Funds()
    execution = _execution_row(ts) if ts is not None else None
    rate = (
        execution.completion
        if execution is not None and execution.completion is not None
        else card.funds.execution_rate
    )
    form = fund_rows(funds)
    g.put(head, 1, "项目资金\n（万元）", rows=1 + len(form.rows), font=F_HEAD)
    g.put(head, 2, "")
    for c, text in enumerate(_FUND_COLUMNS, start=3):
        g.put(head, c, text, font=F_HEAD)
    for i, (label, amounts) in enumerate(form.rows):
        row = head + 1 + i
        g.put(row, 2, label, font=F_HEAD if i == 0 else F_BODY)
        for c, a in enumerate(amounts, start=3):
            if isinstance(a, Decimal):  # a number Excel computes with, at the block's one precision
                g.put(row, c, float(a), fmt=form.number_format)
            else:
                g.put(row, c, form.text(a))
        if i == 0:
            _put_weight(g, row, 6, execution.weight if execution is not None else None)
            g.put(row, 7, _percent(rate), fmt=FMT_PERCENT)
            _put_score(g, row, 8, execution.score if execution is not None else None)
        else:
            for c in (6, 7, 8):
                g.put(row, c, "—")
    r = head + 1 + len(form.rows)
    units.append(_Unit(head, r - 1))

    # 年度总体目标
    goals = ev.goals
    g.put(r, 1, "年度总体\n目标", rows=2, font=F_HEAD)
    g.put(r, 2, "预期目标", cols=3, font=F_HEAD)
    g.put(r, 5, "实际完成情况", cols=4, font=F_HEAD)
    g.put(r + 1, 2, goals.overall.strip() if goals else "", cols=3, align="left")
    g.put(r + 1, 5, goals.achieved.strip() if goals else "", cols=4, align="left")
    units.append(_Unit(r, r + 1))
    r += 2

    # indicator block
    header = r
    for c, text in enumerate(_SELF_COLUMNS, start=1):
        g.put(header, c, text, font=F_HEAD)
    units.append(_Unit(header, header, keep_with_next=True))

    def cells(row: int, leaf: NodeScore) -> None:
        n = leaf.node
        g.put(row, 4, n.target_text())
        g.put(row, 5, _actual_text(n))
        _put_weight(g, row, 6, leaf.weight)
        _put_score(g, row, 7, leaf.score)
        g.put(row, 8, deviation_text(n.reason, n.remedy), align="left")

    rows = _tree_rows(ts.nodes, skip=execution) if ts is not None else []
    r, groups = _indicator_block(g, header + 1, rows, lambda ns: _group_label(ns, _self_label(ns.name)), cells)
    g.put(r, 1, "总分", cols=5, font=F_HEAD)
    _put_weight(g, r, 6, ts.weight_total if ts is not None else None, F_HEAD)
    _put_score(g, r, 7, ts.total if ts is not None else None, F_HEAD)
    g.put(r, 8, "")
    g.put(r + 1, 1, _scoring_note(card.ruleset), cols=last, font=F_NOTE, align="left", border=False)
    if groups:
        _keep_with_last(groups, r + 1)
    else:
        groups = [_Unit(r, r + 1)]
    units.extend(groups)
    g.finish(units, A4_PORTRAIT, header)


# ----------------------------------------------------------------------------- 评分表

# A 一级 | B 二级 | C 三级 | D 指标解释 | E 评价要点 | F 权重 | G 得分 (D only when some row has one)
_FRAME_WIDTHS = dict(zip(FRAMEWORK_COLUMNS, [8.5, 12.0, 16.0, 36.0, 56.0, 6.5, 8.0]))
_FRAME_TEXT_WIDTH = 92.0  # 指标解释 and 评价要点 together; 评价要点 alone takes it all


def _framework_sheet(wb: Workbook, ev: Evaluation, card: ScoreCard) -> None:
    ts = card.framework
    assert ts is not None  # the sheet is written for a file with a 评价指标体系
    columns = framework_columns(ts)
    widths = [_FRAME_WIDTHS[c] for c in columns]
    if "指标解释" not in columns:
        widths[columns.index("评价要点")] = _FRAME_TEXT_WIDTH
    col = {c: i for i, c in enumerate(columns, start=1)}
    ws = wb.create_sheet(SHEET_FRAMEWORK)
    g = _Grid(ws, widths)
    last = len(columns)
    name = ev.project.name if ev.project else ""
    g.put(1, 1, f"{name}绩效评价指标体系及综合评分表", cols=last, font=F_TITLE, border=False)
    g.at_least(1, 32)
    header = 2
    for c, text in enumerate(columns, start=1):
        g.put(header, c, text, font=F_HEAD)
    units = [_Unit(1, 1), _Unit(header, header, keep_with_next=True)]

    def cells(row: int, leaf: NodeScore) -> None:
        if "指标解释" in col:
            g.put(row, col["指标解释"], leaf.node.definition.strip(), align="left")
        g.put(row, col["评价要点"], criteria_text(leaf), align="left")
        _put_weight(g, row, col["权重"], leaf.weight)
        _put_score(g, row, col["得分"], leaf.score)

    rows = _tree_rows(ts.nodes)
    r, groups = _indicator_block(g, header + 1, rows, lambda ns: _group_label(ns, ns.name), cells)
    g.put(r, 1, "合计", cols=last - 2, font=F_HEAD)
    _put_weight(g, r, col["权重"], ts.weight_total, F_HEAD)
    _put_score(g, r, col["得分"], ts.total, F_HEAD)
    note = f"注：综合得分{fixed(ts.total, 2)}分，评价等级为“{ts.grade}”（{_grades_text(card.ruleset)}）。"
    g.put(r + 1, 1, note, cols=last, font=F_NOTE, align="left", border=False)
    if groups:
        _keep_with_last(groups, r + 1)
    else:
        groups = [_Unit(r, r + 1)]
    units.extend(groups)
    g.finish(units, A4_LANDSCAPE, header)


# ----------------------------------------------------------------------------- 综合评分表

_SUMMARY_WIDTHS = [16.0, 12.0, 12.0, 12.0]
_SUMMARY_COLUMNS = ("一级指标", "权重分", "得分", "得分率")


def _summary_sheet(wb: Workbook, ev: Evaluation, card: ScoreCard) -> None:
    ts = card.framework
    assert ts is not None  # the sheet is written for a file with a 评价指标体系
    ws = wb.create_sheet(SHEET_SUMMARY)
    g = _Grid(ws, _SUMMARY_WIDTHS)
    name = ev.project.name if ev.project else ""
    g.put(1, 1, f"{name}综合评分表", cols=4, font=F_TITLE_SMALL, border=False)
    g.at_least(1, 32)
    for c, text in enumerate(_SUMMARY_COLUMNS, start=1):
        g.put(2, c, text, font=F_HEAD)
    r = 3
    for ns in ts.nodes:
        g.put(r, 1, ns.name)
        _put_weight(g, r, 2, ns.weight)
        _put_score(g, r, 3, ns.score)
        g.put(r, 4, _rate_of(ns.score_rate), fmt=FMT_PERCENT)
        r += 1
    g.put(r, 1, "合计", font=F_HEAD)
    _put_weight(g, r, 2, ts.weight_total, F_HEAD)
    _put_score(g, r, 3, ts.total, F_HEAD)
    g.put(r, 4, "")
    g.put(r + 1, 1, "评价等级", font=F_HEAD)
    g.put(r + 1, 2, ts.grade, cols=3, font=F_HEAD)
    units = [_Unit(1, r + 1)]
    if not _has_self_sheet(card) and ev.funds is not None:
        # A workbook without a 自评表 still carries the funds the scores rest on (项目基本情况).
        end = _summary_funds(g, ev.funds, r + 3)
        units.append(_Unit(r + 3, end))
    g.finish(units, A4_PORTRAIT, 2)


_SUMMARY_FUND_KEYS = ("initial_budget", "budget", "received", "spent")


def _summary_funds(g: _Grid, funds: Funds, top: int) -> int:
    """项目资金（万元）: 年初预算数 | 全年预算数 | 到位资金 | 全年执行数, one row; its last row."""
    g.put(top, 1, "项目资金（万元）", cols=4, font=F_HEAD)
    amounts = [getattr(funds, key) for key in _SUMMARY_FUND_KEYS]
    wan = [wan_amount(a) for a in amounts]
    places = max([2, *(decimals_written(w.normalize()) for w in wan if isinstance(w, Decimal))])
    for c, key in enumerate(_SUMMARY_FUND_KEYS, start=1):
        g.put(top + 1, c, FUND_LABELS[key], font=F_HEAD)
        value = wan[c - 1]
        if isinstance(value, Decimal):
            g.put(top + 2, c, float(value), fmt="0." + "0" * places)
        else:
            g.put(top + 2, c, value or "—")
    return top + 2


# ----------------------------------------------------------------------------- entry point


def _has_self_sheet(card: ScoreCard) -> bool:
    """The 自评表 sheet: when the file has one, or has neither table yet (the form with what it has)."""
    return card.self_evaluation is not None or card.framework is None


def contents_name(card: ScoreCard) -> str:
    """What the workbook holds, for its file name: 自评表, 评分表 (附件1 and 综合评分表) or both."""
    parts = [
        name for name, present in (("自评表", _has_self_sheet(card)), ("评分表", card.framework is not None)) if present
    ]
    return "及".join(parts)


def write_xlsx(ev: Evaluation, card: ScoreCard) -> bytes:
    """The 自评表 and the 评分表 of an evaluation as a deterministic XLSX (same input, same
    bytes).  A file with neither table yet gets the 自评表 form with what it has (project,
    funds, goals), so that a build of a file being written still succeeds."""
    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    project = ev.project.name if ev.project else ""
    props.title = f"{project}绩效评价表" if project else "绩效评价表"
    props.language = "zh-CN"
    if _has_self_sheet(card):
        _self_sheet(wb, ev, card)
    if card.framework is not None:
        _framework_sheet(wb, ev, card)
        _summary_sheet(wb, ev, card)
    wb.active = 0
    make_inert(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())
