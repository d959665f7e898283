"""Reading a grid as people fill the forms: header rows found by their column names, not by
position (and skipped where a page break repeats them); 一级 and 二级 carried down over their
rows; the funds block by its column heads; fields by their labels, the value to the right or
below; titles, notes and sign-offs recognised; every cell either placed or listed."""

from __future__ import annotations

import re

from . import values
from .draft import Draft, FundsDraft, Row, TreeDraft
from .grid import EMPTY, Cell, Grid
from .layout import Layout, head_key

_INDICATOR_ROLES = {"level1", "level2", "level3", "target", "actual", "weight", "score"}
_FUNDS_AMOUNTS = {"initial_budget", "budget", "received", "spent"}
_TITLE_PROJECT = re.compile(r"^(?:附件\s*\d*[：:]?)?(?P<name>.+?)(?:支出)?绩效(?:评价指标体系|自评表|评价)")
_FROM_CRITERIA = re.compile(r"年度指标值[：:](?P<target>[^；;]*)[；;]\s*实际完成值[：:](?P<actual>.*)", re.S)


def _roles(layout: Layout, row: list[Cell], funds: bool = False) -> dict[int, str]:
    found: dict[int, str] = {}
    seen: set[str] = set()
    for c, cell in enumerate(row):
        if not cell.text:
            continue
        role = layout.funds_column(cell.text) if funds else layout.column(cell.text)
        if role and role not in seen:
            found[c] = role
            seen.add(role)
    return found


def _is_indicator_header(roles: dict[int, str]) -> bool:
    r = set(roles.values())
    return "level3" in r and bool(r & {"weight", "score", "target"}) or {"level1", "level2", "weight", "score"} <= r


def _is_summary_header(roles: dict[int, str]) -> bool:
    r = set(roles.values())
    return "level1" in r and "level3" not in r and "level2" not in r and bool(r & {"weight", "score"})


def _is_funds_header(roles: dict[int, str]) -> bool:
    return len(set(roles.values()) & _FUNDS_AMOUNTS) >= 2


class _Reader:
    def __init__(self, grid: Grid, layout: Layout, draft: Draft, kind: str):
        self.grid, self.layout, self.draft, self.kind = grid, layout, draft, kind
        self.placed: set[str] = set()

    # ------------------------------------------------------------ helpers
    def place(self, *cells: Cell) -> None:
        for cell in cells:
            if cell.ref:
                self.placed.add(cell.ref)

    def distinct(self, row: list[Cell]) -> list[tuple[int, Cell]]:
        out, seen = [], set()
        for c, cell in enumerate(row):
            if cell.text and cell.ref not in seen:
                seen.add(cell.ref)
                out.append((c, cell))
        return out

    # ------------------------------------------------------------ the grid
    def read(self) -> None:
        g = self.grid
        for cell in g.before + g.after:
            self.free_text(cell)
        r = 0
        while r < len(g.rows):
            row = g.rows[r]
            roles = _roles(self.layout, row)
            if _is_indicator_header(roles):
                self.place(*(row[c] for c in roles))
                r = self.indicators(r + 1, roles)
                continue
            if _is_summary_header(roles):
                self.place(*(row[c] for c in roles))
                r = self.summary(r + 1, roles, row)
                continue
            froles = _roles(self.layout, row, funds=True)
            if _is_funds_header(froles):
                self.place(*(row[c] for c in froles))
                r = self.funds(r, froles)
                continue
            self.fields(r)
            r += 1

    # ------------------------------------------------------------ labels, titles, notes
    def free_text(self, cell: Cell) -> None:
        """A cell or paragraph on its own: a title, the year, a note, or `label：value`."""
        text = cell.text
        key = head_key(text)
        m = re.match(r"^([^：:]{1,16})[：:](.*)$", values.flat_text(text), re.S)
        if m and self.layout.field_of(m.group(1)):
            self.set_field(self.layout.field_of(m.group(1)) or "", m.group(2).strip(), cell)
            return
        if self.layout.is_mark("notes", key) and (key.startswith(("注", "备注", "说明"))):
            self.draft.notes.append(values.flat_text(text))
            self.place(cell)
            return
        if (
            self.layout.is_mark("titles", key)
            or "绩效" in key
            and ("表" in key or "体系" in key)
            or key.endswith(("评分表", "自评表", "汇总表", "指标体系"))
        ):
            self.title(cell)
            return
        if re.fullmatch(r"[（(]?\s*(19|20)\d{2}\s*年度?\s*[）)]?", values.half_width(text).replace(" ", "")):
            self.draft.year = self.draft.year or values.year_in(text)
            self.draft.year_from = self.draft.year_from or cell.ref
            self.place(cell)
            return
        if self.layout.is_mark("labels", key) or key in self.layout.marks.get("labels", []):
            self.place(cell)
            if "元" in key and "万元" not in key:
                self.draft.funds = self.draft.funds or FundsDraft()
                self.draft.funds.unit = "元"
            return
        self.draft.unplaced.append((cell.ref, text))
        self.place(cell)

    def title(self, cell: Cell) -> None:
        text = values.flat_text(cell.text)
        self.draft.title = self.draft.title or text
        year = values.year_in(text)
        if year and not self.draft.year:
            self.draft.year, self.draft.year_from = year, cell.ref
        if "自评" in text:
            self.kind = "自评表"
        elif "评价指标体系" in text or "评分表" in text:
            self.kind = "评价指标体系"
        m = _TITLE_PROJECT.match(values.name_text(text))
        name = re.sub(r"^(19|20)\d{2}年度?", "", m.group("name")) if m else ""
        if name and name != "项目":
            self.draft.fields.setdefault("title_project", name)
        self.place(cell)

    def set_field(self, key: str, value: str, *cells: Cell) -> None:
        self.place(*cells)
        value = value.strip()
        if not value:
            return
        if key == "goals":
            return
        if key in ("overall", "achieved", "conclusion", "problems", "remedies"):
            self.draft.texts.setdefault(key, value)
        elif key == "evaluators":
            self.draft.notes.append(f"评价小组：{values.flat_text(value)}")
        else:
            self.draft.fields.setdefault(key, values.name_text(value) if key != "filing_unit" else value.strip())

    def fields(self, r: int) -> None:
        row = self.grid.rows[r]
        cells = self.distinct(row)
        i = 0
        while i < len(cells):
            c, cell = cells[i]
            key = self.layout.field_of(cell.text)
            if key is None:
                if cell.ref not in self.placed:
                    self.free_text(cell)
                i += 1
                continue
            self.place(cell)
            nxt = cells[i + 1][1] if i + 1 < len(cells) else None
            if (
                nxt is not None
                and self.layout.field_of(nxt.text) is None
                and not self.layout.is_mark("labels", nxt.text)
            ):
                self.set_field(key, nxt.text, nxt)
                i += 2
                continue
            below = self.grid.cell(r + 1, c)
            if below.text and below.ref != cell.ref and self.layout.field_of(below.text) is None:
                self.set_field(key, below.text, below)
            i += 1

    # ------------------------------------------------------------ the funds block
    def funds(self, r: int, roles: dict[int, str]) -> int:
        g = self.grid
        header = g.rows[r]
        funds = self.draft.funds = self.draft.funds or FundsDraft()
        block_label = {cell.ref for c, cell in self.distinct(header) if c not in roles}
        for ref_cell in (cell for c, cell in self.distinct(header) if c not in roles):
            self.place(ref_cell)
            if "（元）" in ref_cell.text.replace(" ", "") or "(元)" in ref_cell.text:
                funds.unit = "元"
        first = True
        r += 1
        while r < len(g.rows):
            row = g.rows[r]
            by_role = {role: row[c] for c, role in roles.items() if c < len(row)}
            numbers = [
                cell
                for role, cell in by_role.items()
                if role in _FUNDS_AMOUNTS and values.amount(cell.text) is not None
            ]
            if not numbers:
                break
            label_cells = [
                cell for c, cell in self.distinct(row) if c not in roles and cell.ref not in block_label and cell.text
            ]
            label = values.name_text(label_cells[0].text) if label_cells else ""
            self.place(*label_cells[:1])
            for word in self.layout.prefix_words:
                label = label.removeprefix(values.name_text(word))
            figures = {}
            for role, cell in by_role.items():
                self.place(cell)
                if values.not_applicable(cell.text):
                    continue
                if role in _FUNDS_AMOUNTS:
                    a = values.amount(cell.text)
                    if a is not None:
                        figures[role] = a.number
            is_total = (
                first
                and (not label or head_key(label) in self.layout.total_rows)
                or (head_key(label) in self.layout.total_rows)
            )
            if is_total:
                funds.totals.update(figures)
                self.funds_figures(funds, by_role)
            else:
                funds.sources.append((label or "其他资金", figures))
            first = False
            r += 1
        return r

    def funds_figures(self, funds: FundsDraft, by_role: dict[str, Cell]) -> None:
        for role, cell in by_role.items():
            if values.not_applicable(cell.text):
                continue
            if role == "execution_rate":
                funds.execution_rate = values.percent(cell.value, cell.text, cell.number_format)
            elif role == "arrival_rate":
                funds.arrival_rate = values.percent(cell.value, cell.text, cell.number_format)
            elif role == "weight":
                funds.weight = values.score(cell.text)
            elif role == "score":
                funds.score = values.score(cell.text)
            elif role == "reason":
                funds.reason = values.flat_text(cell.text)

    # ------------------------------------------------------------ indicator tables
    def indicators(self, r: int, roles: dict[int, str]) -> int:
        g = self.grid
        tree = self.draft.tree(self.kind_for(r, roles))
        col = {role: c for c, role in roles.items()}
        header_keys = [head_key(g.cell(r - 1, c).text) for c in range(g.width)]
        level1 = level2 = ""
        after_total = False
        while r < len(g.rows):
            row = g.rows[r]
            cells = self.distinct(row)
            if not cells:
                r += 1
                continue
            if [head_key(g.cell(r, c).text) for c in range(g.width)] == header_keys:
                self.place(*(cell for _, cell in cells))  # the header repeated at a page break
                r += 1
                continue
            first = cells[0][1]
            if self.layout.is_mark("totals", first.text) and len(cells) > 1:
                after_total = True
                self.place(first)
                for c, cell in cells[1:]:
                    self.place(cell)
                    if roles.get(c) == "score" or (c == col.get("score")):
                        tree.stated_total = values.score(cell.text)
                    elif roles.get(c) == "weight" or self.layout.is_mark("grades", cell.text):
                        pass
                    elif (
                        tree.stated_total is None and values.score(cell.text) is not None and c > col.get("weight", 99)
                    ):
                        tree.stated_total = values.score(cell.text)
                r += 1
                continue
            if self.layout.is_mark("grades", first.text):
                self.place(*(cell for _, cell in cells))
                if len(cells) > 1:
                    tree.stated_grade = values.name_text(cells[1][1].text)
                r += 1
                continue

            if after_total or len(cells) == 1 and len(row) > 2:
                break  # after the total, or a row merged across: the table has ended

            at = _getter(row, col)
            name_cell = at("level3")
            if not name_cell.text and not at("weight").text and not at("score").text:
                break  # a row that is not an indicator: the table has ended
            if "level1" in col and at("level1").text:
                if values.name_text(at("level1").text) != level1:
                    level2 = ""
                level1 = values.name_text(at("level1").text)
            if "level2" in col and at("level2").text:
                level2 = values.name_text(at("level2").text)
            row_data = Row(ref=name_cell.ref or first.ref, level1=level1, level2=level2)
            self.row(row_data, at, tree)
            self.place(*(cell for _, cell in cells))
            r += 1
        return r

    def kind_for(self, r: int, roles: dict[int, str]) -> str:
        g = self.grid
        if "level1" in roles.values():
            c = next(c for c, role in roles.items() if role == "level1")
            for k in range(r, min(r + 60, len(g.rows))):
                name = values.name_text(g.cell(k, c).text)
                if any(name.startswith(w) for w in self.layout.marks.get("framework_groups", [])):
                    return "评价指标体系"
        return self.kind

    def row(self, row: Row, at, tree: TreeDraft) -> None:
        name = at("level3").text
        row.name = values.name_text(name)
        if not name and row.level2 and (at("weight").text or at("score").text):
            # a 二级 scored on its own, with no 三级 under it: an indicator directly under its 一级
            row.name, row.level2, name = row.level2, "", row.level2
        if values.not_applicable(name) or not row.name:
            row.not_applicable = True
            row.basis = values.flat_text(at("basis").text)
            tree.rows.append(row)
            return
        target_text, actual_text = at("target").text, at("actual").text
        criteria = at("criteria").text
        m = _FROM_CRITERIA.search(criteria)
        if m and not target_text and not actual_text:  # a framework table that prints the values inside 评价要点
            target_text, actual_text, criteria = m.group("target").strip(), m.group("actual").strip(), ""
        if target_text and not values.not_applicable(target_text):
            row.target = values.target(target_text, at("comparator").text, at("unit").text)
        elif values.name_text(at("comparator").text) in ("定性", "定性指标") and target_text:
            row.target = values.target(target_text, "定性")
        like = row.target.value if row.target is not None else None
        row.actual = values.actual(actual_text, at("unit").text, like)
        weight_cell, score_cell = at("weight"), at("score")
        row.weight = values.score(weight_cell.text) if not values.not_applicable(weight_cell.text) else None
        row.score = values.score(score_cell.text) if not values.not_applicable(score_cell.text) else None
        row.weight_ref, row.score_ref = weight_cell.ref, score_cell.ref
        if not values.not_applicable(at("reason").text):
            row.reason = values.flat_text(at("reason").text)
        completion = at("completion")
        if completion.text and not values.not_applicable(completion.text):
            row.completion = values.percent(completion.value, completion.text, completion.number_format)
        row.definition = "" if values.not_applicable(at("definition").text) else at("definition").text.strip()
        row.criteria = "" if values.not_applicable(criteria) else criteria.strip()
        row.basis = "" if values.not_applicable(at("basis").text) else values.flat_text(at("basis").text)
        tree.rows.append(row)

    # ------------------------------------------------------------ a summary by 一级 (综合评分表)
    def summary(self, r: int, roles: dict[int, str], header: list[Cell]) -> int:
        g = self.grid
        col = {role: c for c, role in roles.items()}
        tree = self.draft.tree(
            self.kind if self.kind != "自评表" or not self.draft.trees else next(iter(self.draft.trees))
        )
        lines = ["｜".join(cell.text for _, cell in self.distinct(header))]
        self.place(*(cell for _, cell in self.distinct(header)))
        while r < len(g.rows):
            cells = self.distinct(g.rows[r])
            if not cells:
                r += 1
                continue
            first = cells[0][1]
            name = values.name_text(first.text)
            if self.layout.is_mark("grades", name):
                if len(cells) > 1:
                    tree.stated_grade = tree.stated_grade or values.name_text(cells[1][1].text)
            elif self.layout.is_mark("totals", name):
                s = values.score(g.cell(r, col["score"]).text) if "score" in col else None
                if s is not None:
                    tree.stated_total = tree.stated_total if tree.stated_total is not None else s
            elif "score" in col and values.score(g.cell(r, col["score"]).text) is not None:
                tree.group_scores[name] = values.score(g.cell(r, col["score"]).text)  # type: ignore[assignment]
            else:
                break
            lines.append("｜".join(cell.text for _, cell in cells))
            self.place(*(cell for _, cell in cells))
            r += 1
        self.draft.notes.append(f"{self.grid.name}（按一级指标汇总，核对用）：" + "；".join(lines))
        return r


def _getter(row: list[Cell], col: dict[str, int]):
    """The row's cell in a role's column (EMPTY when the table has no such column)."""

    def at(role: str) -> Cell:
        return row[col[role]] if role in col and col[role] < len(row) else EMPTY

    return at


def read_grid(grid: Grid, layout: Layout, draft: Draft, kind: str) -> str:
    """Read one grid into `draft`; the tree kind the grid's title implies, for the next grid."""
    reader = _Reader(grid, layout, draft, kind)
    reader.read()
    for cell in grid.refs():
        if cell.ref not in reader.placed:
            draft.unplaced.append((cell.ref, cell.text))
    return reader.kind
