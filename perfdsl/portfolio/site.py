"""The portfolio as a page for people who never open a terminal: a static, offline site (no
script, style or font from the internet — it must work on a government intranet) with the
portfolio table (sortable, filterable by a few lines of inline script), the aggregates by
主管部门, three charts drawn as inline SVG, and each evaluation's HTML report linked from it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

import jinja2

from ..resources import templates_dir
from .summary import GRADES, Summary

GRADE_COLOURS = {"优": "#2f7d32", "良": "#1f6fb2", "中": "#c77c02", "差": "#b3261e"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float  # in px
    text: str
    colour: str = "#1f6fb2"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


def _grade_bars(summary: Summary) -> list[Bar]:
    most = max([summary.totals.grades[g] for g in GRADES] + [1])
    return [
        Bar(
            g,
            summary.totals.grades[g],
            360 * summary.totals.grades[g] / most,
            str(summary.totals.grades[g]),
            GRADE_COLOURS[g],
        )
        for g in GRADES
    ]


def _department_bars(summary: Summary) -> list[Bar]:
    scored = [(g.name, g.weighted_mean_score) for g in summary.departments if g.weighted_mean_score is not None]
    return [Bar(name, float(v), 360 * float(v) / 100, f"{v:.2f}") for name, v in scored]


def _dots(summary: Summary) -> list[Dot]:
    """执行率 (x, 50–100 % across 400 px) against the self-evaluation total (y, 50–100 up 240 px)."""
    dots = []
    for r in summary.rows:
        if r.execution_rate is None or r.self_evaluation_total is None:
            continue
        rate, total = Decimal(r.execution_rate), Decimal(r.self_evaluation_total)
        x = 40 + 400 * float(min(max(rate, Decimal(50)), Decimal(100)) - 50) / 50
        y = 260 - 240 * float(min(max(total, Decimal(50)), Decimal(100)) - 50) / 50
        dots.append(Dot(round(x, 1), round(y, 1), f"{r.project}：执行率 {rate}%，自评 {total}"))
    return dots


def render_index(summary: Summary, pages: dict[str, str], out_dir: str | None, nonce: str = "") -> str:
    """index.html; `pages` maps each evaluation's file to its HTML report's path (relative to
    `out_dir`), or, with `out_dir` None, to the link itself (the live page of `perfdsl serve DIR`,
    whose scripts carry the page's `nonce`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    if out_dir is None:
        links = dict(pages)
    else:
        links = {f: os.path.relpath(p, out_dir).replace(os.sep, "/") for f, p in pages.items()}
    return env.get_template("portfolio.html.j2").render(
        summary=summary,
        departments=[g.data() for g in summary.departments],
        totals=summary.totals.data("scope"),
        links=links,
        grade_bars=_grade_bars(summary),
        department_bars=_department_bars(summary),
        dots=_dots(summary),
        grades=GRADES,
        nonce=nonce,
    )
