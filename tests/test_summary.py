"""perfdsl summary: a row per evaluation, a row per 主管部门 recomputed here from each file's own
`score --format json`, a broken file kept with its error count, and the workbook."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfdsl.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DEPARTMENTS = ("甲局", "乙局")


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "dept"
    # the project evaluations (a 部门整体 file rolls up members it names by path)
    examples = sorted(p for p in EXAMPLES.glob("*.perf") if "部门整体 " not in p.read_text(encoding="utf-8"))
    for i in range(8):
        text = examples[i % len(examples)].read_text(encoding="utf-8")
        text = re.sub(r'项目 "[^"]*"', f'项目 "项目{i}"', text, count=1)
        text = re.sub(r'\n  主管部门 "[^"]*"', "", text)
        text = text.replace("  年度", f'  主管部门 "{DEPARTMENTS[i % 2]}"\n  年度', 1)
        path = root / DEPARTMENTS[i % 2] / f"{i}" / "2023.perf"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    (root / "坏.perf").write_text('项目 "坏" {\n  年度 二〇二三\n', encoding="utf-8")
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    return root


def _wan(text: str) -> Decimal:
    number, unit = re.match(r"([\d.]+)(万元|元)", text).groups()
    return Decimal(number) / (10000 if unit == "元" else 1)


def test_the_summary_adds_up_each_files_own_figures(tmp_path, capsys):
    root = _tree(tmp_path)
    assert main(["summary", str(root), "--format", "json", "-j", "2"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = {Path(r["file"]).relative_to(root).as_posix(): r for r in summary["evaluations"]}
    assert rows["坏.perf"]["errors"] > 0 and len(rows) == 9
    for dept in DEPARTMENTS:
        mine = [p for p in rows if p.startswith(dept)]
        scores = []
        for p in mine:
            assert main(["score", str(root / p), "--format", "json"]) == 0
            scores.append(json.loads(capsys.readouterr().out))
        got = next(d for d in summary["departments"] if d["department"] == dept)
        budget = sum(_wan(s["funds"]["budget"]) for s in scores)
        spent = sum(_wan(s["funds"]["spent"]) for s in scores)
        scored = [
            (Decimal(s["self_evaluation"]["total"]), _wan(s["funds"]["budget"])) for s in scores if s["self_evaluation"]
        ]
        weighted = sum(a * b for a, b in scored) / sum(b for _, b in scored)
        assert got["count"] == len(mine)
        assert _wan(got["budget"]) == budget and _wan(got["spent"]) == spent
        assert Decimal(got["execution_rate"]) == (spent / budget * 100).quantize(Decimal("0.01"))
        assert Decimal(got["weighted_mean_score"]) == weighted.quantize(Decimal("0.01"))
        for p, s in zip(mine, scores, strict=True):
            assert rows[p]["self_evaluation_total"] == (s["self_evaluation"] or {}).get("total")
    assert summary["totals"]["count"] == 9


def test_the_workbook_has_numbers_filters_and_native_charts(tmp_path):
    root = _tree(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert main(["summary", str(root), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert len([n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]) == 3
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["明细", "按主管部门", "问题清单", "图表"]
    details = wb["明细"]
    assert details.freeze_panes == "A2" and details.auto_filter.ref
    budgets = [row[5].value for row in details.iter_rows(min_row=2) if not row[13].value]  # files without errors
    assert len(budgets) == 8 and all(isinstance(b, int | float) for b in budgets)  # numbers, not text
    issues = wb["问题清单"]
    assert any(row[2].value and row[2].value.startswith("P") for row in issues.iter_rows(min_row=2))


def test_a_run_gives_each_folder_its_own_rule_settings(tmp_path):
    """summary DIR, as a run: each file's row counts the reviewer's findings its own folder's
    perfdsl.toml allows, the folder's file found once for the run."""
    from perfdsl.engine import new_run
    from perfdsl.portfolio.summary import SummaryJob, summarize
    from tests.lint.conftest import OVERSHOOT

    (tmp_path / ".git").mkdir()
    (tmp_path / "下级").mkdir()
    (tmp_path / "评价.perf").write_text(OVERSHOOT, encoding="utf-8")
    (tmp_path / "下级" / "评价.perf").write_text(OVERSHOOT, encoding="utf-8")
    (tmp_path / "下级" / "perfdsl.toml").write_text('[lint]\nignore = ["R010"]\n', encoding="utf-8")
    run = new_run()
    rows = [summarize(SummaryJob(str(tmp_path / name), None, run)) for name in ("评价.perf", "下级/评价.perf")]
    found = [sorted(code for _, code, _, _ in row.diagnostics if code.startswith("R0")) for row in rows]
    assert found == [["R010", "R022"], ["R022"]]
    alone = summarize(SummaryJob(str(tmp_path / "下级" / "评价.perf")))
    assert sorted(code for _, code, _, _ in alone.diagnostics if code.startswith("R0")) == ["R022"]
