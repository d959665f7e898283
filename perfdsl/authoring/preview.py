"""The report as HTML for the live preview: render_markdown's Markdown through markdown-it-py,
no pandoc round-trip.

markdown-it-py knows no pandoc grid tables, and the report's tables (综合评分表, 附件1, the 自评表
with its merged cells) are grid tables: they are cut out of the Markdown, read back into cells
with their row and column spans, and written as HTML tables. Every figure therefore comes from
the same Markdown, made from the ScoreCard, that the DOCX is made from.

Author Markdown never becomes live HTML: raw HTML is off (it shows as text), links are limited to
http, https and mailto (anything else was already made plain text by markdown_safety.neutralise
when the report was rendered, and validate_link refuses it again here), images only as embedded
data: URIs of the project's own pictures."""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from ..core.text import char_width

_WIDE_FILL = "\0"  # the second display column of a wide character

_SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.I)
_SAFE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=]+$")


def validate_link(url: str) -> bool:
    url = url.strip()
    return bool(_SAFE_LINK.match(url) or _SAFE_IMAGE.match(url))


def _wide(c: str) -> bool:
    return bool(c) and char_width(c) == 2


def _softbreak(self, tokens, idx, options, env) -> str:
    """A line break inside a paragraph: nothing between two Chinese characters (as pandoc's
    east_asian_line_breaks), a space otherwise."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    return "" if _wide(before) and _wide(after) else "\n"


def _link_open(self, tokens, idx, options, env) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = validate_link  # type: ignore[method-assign]  # markdown-it-py's documented hook
    md.add_render_rule("softbreak", _softbreak)
    md.add_render_rule("link_open", _link_open)
    return md


_MD = markdown_renderer()


# ---------------------------------------------------------------- grid tables

_BORDER = re.compile(r"^\+(?:[-=:]*\+)+\s*$")


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str  # the cell's Markdown
    header: bool = False


_width = char_width


def _columns(line: str) -> list[str]:
    """A line as display columns: a wide character takes its column and a filler."""
    if line.isascii():
        return list(line)
    out: list[str] = []
    for ch in line:
        w = _width(ch)
        if w == 2:
            out.extend((ch, _WIDE_FILL))
        elif w == 1:
            out.append(ch)
        elif out:
            out[-1] += ch  # a combining mark stays with its character
        else:
            out.append(ch)
    return out


def parse_grid_table(lines: list[str]) -> tuple[list[GridCell], list[int]] | None:
    """The cells of a pandoc grid table (with spans), and the widths of its columns in display
    columns; None when the lines are not a well-formed grid table."""
    g = [_columns(line.rstrip()) for line in lines]
    height = len(g)
    width = max(len(row) for row in g)
    for row in g:
        row.extend(" " * (width - len(row)))
    horizontal = frozenset("-=:+")

    def at(r: int, c: int) -> str:
        return g[r][c]

    def scan_up(top, left, bottom) -> bool:
        return all(g[r][left] in "|+" for r in range(bottom - 1, top, -1))

    def scan_left(top, left, bottom, right) -> bool:
        row = g[bottom]
        if row[left] != "+" or not horizontal.issuperset(row[left + 1 : right]):
            return False
        return scan_up(top, left, bottom)

    def scan_down(top, left, right) -> int | None:
        for r in range(top + 1, height):
            ch = g[r][right]
            if ch == "+":
                if scan_left(top, left, r, right):
                    return r
            elif ch != "|":
                return None
        return None

    def scan_cell(top, left) -> tuple[int, int] | None:
        row = g[top]
        for c in range(left + 1, width):
            ch = row[c]
            if ch == "+":
                bottom = scan_down(top, left, c)
                if bottom is not None:
                    return bottom, c
            elif ch not in "-=:":
                return None
        return None

    if at(0, 0) != "+":
        return None
    found: list[tuple[int, int, int, int]] = []
    corners = [(0, 0)]
    done = set()
    while corners:
        top, left = corners.pop(0)
        if (top, left) in done or top >= height - 1 or left >= width - 1:
            continue
        done.add((top, left))
        cell = scan_cell(top, left)
        if cell is None:
            continue
        bottom, right = cell
        found.append((top, left, bottom, right))
        corners.extend(((top, right), (bottom, left)))
    if not found:
        return None
    rows = sorted({t for t, _, _, _ in found} | {b for _, _, b, _ in found})
    cols = sorted({l for _, l, _, _ in found} | {r for _, _, _, r in found})
    if rows[-1] != height - 1 or cols[-1] != width - 1:
        return None  # cells do not reach the table's right or bottom border
    # Every slot must be covered exactly once, or this is not a table pandoc would read either.
    covered = set()
    header_line = next((i for i, line in enumerate(lines) if i and "=" in line and _BORDER.match(line)), None)
    cells = []
    for top, left, bottom, right in sorted(found):
        r0, r1 = rows.index(top), rows.index(bottom)
        c0, c1 = cols.index(left), cols.index(right)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) in covered:
                    return None
                covered.add((r, c))
        text_lines = ["".join(ch for ch in g[r][left + 1 : right] if ch != _WIDE_FILL) for r in range(top + 1, bottom)]
        cells.append(
            GridCell(
                r0,
                c0,
                r1 - r0,
                c1 - c0,
                _cell_markdown(text_lines),
                header=header_line is not None and bottom <= header_line,
            )
        )
    if len(covered) != (len(rows) - 1) * (len(cols) - 1):
        return None
    return cells, [b - a for a, b in zip(cols, cols[1:])]


def _cell_markdown(lines: list[str]) -> str:
    """A cell's lines as Markdown: the layout breaks pandoc would not show are undone (a break
    between two Chinese characters is nothing, any other is a space); a trailing backslash (a
    hard break) and blank lines (paragraphs) are kept."""
    lines = [line.rstrip() for line in lines]
    indent = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
    lines = [l[indent:] for l in lines]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    out = []
    for para in paragraphs:
        text = para[0]
        for line in para[1:]:
            if text.endswith("\\"):
                text += "\n" + line
            elif _wide(text[-1:]) and _wide(line[:1]):
                text += line
            else:
                text += " " + line
        out.append(text)
    return "\n\n".join(out)


def table_html(cells: list[GridCell], widths: list[int]) -> str:
    total = sum(widths) or 1
    out = ['<table class="grid">', "<colgroup>"]
    out += [f'<col style="width:{w * 100 / total:.1f}%">' for w in widths]
    out.append("</colgroup>")
    by_row: dict[int, list[GridCell]] = {}
    for c in cells:
        by_row.setdefault(c.row, []).append(c)
    header_rows = [r for r, cs in sorted(by_row.items()) if all(c.header for c in cs)]
    for section, rows in (("thead", header_rows), ("tbody", [r for r in sorted(by_row) if r not in header_rows])):
        if not rows:
            continue
        out.append(f"<{section}>")
        for r in rows:
            out.append("<tr>")
            for c in sorted(by_row[r], key=lambda c: c.col):
                tag = "th" if c.header else "td"
                span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                    f' colspan="{c.colspan}"' if c.colspan > 1 else ""
                )
                out.append(f"<{tag}{span}>{_cell_html(c.text)}</{tag}>")
            out.append("</tr>")
        out.append(f"</{section}>")
    out.append("</table>")
    return "\n".join(out)


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_MARKUP = re.compile(r"[\\`*_\[\]<>&!|~\n]|^\s*(?:\d{1,9}[.)](?:\s|$)|[-+*>#=]|\s{4})")


def _cell_html(text: str) -> str:
    if not text.strip():
        return ""
    # Most cells are literal text with backslash escapes (gridtable escapes them so): no need
    # to run the Markdown parser over them.
    literal = _ESCAPED.sub("", text)
    if not _MARKUP.search(literal):
        return html.escape(_ESCAPED.sub(r"\1", text), quote=False)
    rendered = _MD.render(text).strip()
    m = re.fullmatch(r"<p>(.*)</p>", rendered, re.S)
    return m.group(1) if m and "<p>" not in m.group(1) else rendered


def _split_tables(md: str) -> list[tuple[str, object]]:
    """The Markdown as ("markdown", text) and ("table", lines) pieces."""
    lines = md.split("\n")
    pieces: list[tuple[str, object]] = []
    buf: list[str] = []
    i = 0
    while i < len(lines):
        if _BORDER.match(lines[i]):
            j = i + 1
            while j < len(lines) and lines[j][:1] in ("+", "|"):
                j += 1
            block = lines[i:j]
            if len(block) >= 3 and _BORDER.match(block[-1]):
                if buf:
                    pieces.append(("markdown", "\n".join(buf)))
                    buf = []
                pieces.append(("table", block))
                i = j
                continue
        buf.append(lines[i])
        i += 1
    if buf:
        pieces.append(("markdown", "\n".join(buf)))
    return pieces


@lru_cache(maxsize=64)
def _table(lines: tuple[str, ...]) -> str | None:
    """One grid table as HTML (cached: a save usually changes one table of a report, or none)."""
    parsed = parse_grid_table(list(lines))
    return None if parsed is None else table_html(*parsed)


def markdown_to_html(md: str) -> str:
    """The report's Markdown as an HTML fragment, grid tables included."""
    # Tables are replaced by placeholders no author text can contain, so that the Markdown around
    # them is rendered as one document (reference links, lists across a table stay intact).
    token = "perfdsltable" + secrets.token_hex(8)
    tables: list[str] = []
    parts = []
    for kind, piece in _split_tables(md):
        if kind == "table":
            rendered_table = _table(tuple(piece))  # type: ignore[arg-type]
            if rendered_table is None:  # not a table after all: shown as the text it is
                parts.append("\n```\n" + "\n".join(piece).replace("```", "` ` `") + "\n```\n")  # type: ignore[arg-type]
                continue
            tables.append(rendered_table)
            parts.append(f"\n\n{token}x{len(tables) - 1}\n\n")
        else:
            parts.append(piece)  # type: ignore[arg-type]
    rendered = _MD.render("\n".join(parts))
    return re.sub(rf"<p>{token}x(\d+)</p>", lambda m: tables[int(m.group(1))], rendered)


# ---------------------------------------------------------------- the boxes above the report


def diagnostics_html(
    diagnostics,
    sources: dict[str, str],
    lang: str = "zh",
    *,
    stale_since: str | None = None,
    never_rendered: bool = False,
    base: str | None = None,
) -> str:
    """A box listing the file's errors and warnings, one line each with its place (file:line:col);
    an error also shows its source line. Notes (提示) are folded away."""
    from ..diagnostics import Severity, format_text, source_lines

    if not diagnostics:
        return ""
    esc = html.escape
    lines = {k: source_lines(v) for k, v in sources.items()}
    words = {
        "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
        "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"},
    }.get(lang)
    words = words or {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    head = f"{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，{counts[Severity.INFO]} 个提示"
    out = [f'<section class="diagnostics" id="diagnostics"><p class="summary"><strong>{esc(head)}</strong></p>']
    if counts[Severity.ERROR]:
        if never_rendered:
            out.append('<p class="stale">文件有错误，还没有可显示的报告：改正后保存，页面会自动刷新。</p>')
        else:
            out.append(f'<p class="stale">文件有错误：下面是最近一次没有错误时（{esc(stale_since or "")}）的报告。</p>')

    def item(d) -> str:
        where = f"{_shown(d.span.file, base)}:{d.span.line}:{d.span.column}" if d.span else ""
        text = f'<code class="where">{esc(where)}</code> <span class="{d.severity.value}">{esc(words[d.severity])}[{esc(d.code)}]</span> {esc(d.message(lang))}'
        if d.severity == Severity.ERROR:
            excerpt = format_text(d, lines, lang).split("\n")[1:]
            excerpt = [x for x in excerpt if not x.lstrip().startswith(("帮助:", "help:"))]
            if excerpt:
                text += f"<pre>{esc(chr(10).join(excerpt))}</pre>"
        hint = d.hint(lang)
        if hint:
            text += f'<div class="hint">{"帮助" if lang == "zh" else "help"}：{esc(hint)}</div>'
        return f'<li class="{d.severity.value}">{text}</li>'

    shown = [d for d in diagnostics if d.severity == Severity.ERROR] + [
        d for d in diagnostics if d.severity == Severity.WARNING
    ]
    notes = [d for d in diagnostics if d.severity == Severity.INFO]
    if shown:
        out.append("<ul>" + "".join(item(d) for d in shown) + "</ul>")
    if notes:
        out.append(
            f"<details><summary>{len(notes)} 个提示</summary><ul>" + "".join(item(d) for d in notes) + "</ul></details>"
        )
    out.append("</section>")
    return "\n".join(out)


def _shown(file: str, base: str | None) -> str:
    """A file as the reader knows it: relative to the served folder when it is inside."""
    import os

    if not base:
        return file
    rel = os.path.relpath(os.path.abspath(file), base)
    return file if rel.startswith("..") else rel


def year_over_year_html(yoy) -> str:
    """同比 figures as a small table (a score.compare.YearOverYear)."""
    if yoy is None:
        return ""
    esc = html.escape
    rows = []
    for c in yoy.funds + yoy.totals:
        rows.append(
            (
                c.label,
                c.last,
                c.this,
                f"{c.change}{c.unit}" if c.change is not None else "",
                f"{c.rate}%" if c.rate else "",
            )
        )
    for i in yoy.indicators:
        name = "/".join(i.path)
        if i.status == "new":
            rows.append((name, "（上年无）", "", "", ""))
        elif i.status == "dropped":
            rows.append((name, "", "（本年无）", "", ""))
        elif i.actual is not None:
            a = i.actual
            rows.append(
                (
                    name + " 实际",
                    a.last,
                    a.this,
                    f"{a.change}{a.unit}" if a.change is not None else "",
                    f"{a.rate}%" if a.rate else "",
                )
            )
    body = "\n".join("<tr>" + "".join(f"<td>{esc(str(v or ''))}</td>" for v in r) + "</tr>" for r in rows)
    return (
        f'<details class="yoy" id="year-over-year"><summary>同比：{esc(str(yoy.this_year or ""))}年度 对 '
        f"{esc(str(yoy.last_year or ''))}年度（上年评价 {esc(yoy.baseline_file)}）</summary>\n"
        '<table class="grid"><thead><tr><th>项目</th><th>上年</th><th>本年</th><th>增减</th><th>增减率</th></tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></details>"
    )


def lifecycle_html(ev, card) -> str:
    """The stages a file records (申报 → 监控 N月 … → 自评), the one it has reached marked, with
    the latest monitoring point's money against time. Nothing for a file without stages."""
    lc = ev.lifecycle
    if lc is None:
        return ""
    from ..core.numbers import fixed
    from ..model.evaluation import at_self_evaluation
    from ..render.context import date_text

    esc = html.escape
    steps: list[str] = []
    if lc.filing is not None:
        steps.append("申报" + (f" {date_text(lc.filing.filed)}" if lc.filing.filed else ""))
    for m in card.monitoring:
        text = f"监控 {m.month}月"
        if m is card.monitor and m.execution_rate is not None and m.execution_rate.percent is not None:
            time = m.time_progress.percent
            text += f"：执行率 {fixed(m.execution_rate.percent, 2)}%" + (
                f"，时间进度 {fixed(time, 2)}%" if time is not None else ""
            )
        steps.append(text)
    evaluated = at_self_evaluation(ev)
    steps.append("自评")
    current = len(steps) - 1 if evaluated else len(steps) - 2
    spans = [
        f'<span class="{"current" if i == current else ("done" if i < current else "todo")}">{esc(s)}</span>'
        for i, s in enumerate(steps)
    ]
    return f'<nav class="stages" id="stages">全年：{" → ".join(spans)}</nav>'


PREVIEW_CSS = """
.diagnostics pre { white-space: pre; overflow-x: auto; margin: .2em 0 .2em 1em; font-size: 12px;
                   font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; color: #333; }
.diagnostics ul { list-style: none; padding: 0; margin: .3em 0; }
.diagnostics li { margin: .25em 0; line-height: 1.45; }
.diagnostics code.where { color: #555; }
.diagnostics .hint { color: #555; margin-left: 1em; font-size: 12px; }
.diagnostics .info { color: #246; }
.diagnostics summary { cursor: pointer; color: #555; }
.diagnostics p { text-indent: 0; }
.diagnostics .stale { color: #b00; font-weight: bold; }
.yoy { font-family: sans-serif; font-size: 13px; margin-bottom: 1.5em; }
.stages { font-family: sans-serif; font-size: 13px; margin-bottom: 1em; color: #555; }
.stages .current { font-weight: bold; color: #000; }
.stages .todo { color: #999; }
.preview-status { position: fixed; right: .8em; bottom: .6em; font: 12px sans-serif; color: #666;
                  background: rgba(255,255,255,.85); padding: .2em .5em; border-radius: 3px; }
.preview-status.offline { color: #b00; }
ul.files { font-family: sans-serif; }
ul.files li { margin: .3em 0; }
"""
