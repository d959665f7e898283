"""部门整体: a department file rolls up its members — sums, rate and budget-weighted score recomputed
here from each member's own `score --format json` — and renders its report and 自评表."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from perfdsl.cli.main import main
from perfdsl.loader import load

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE = EXAMPLES / "部门整体" / "department-overall-2023.perf"


def _score(capsys, path: Path) -> dict:
    assert main(["score", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _wan(text: str) -> Decimal:
    number, unit = re.match(r"([\d.]+)(万元|元)", text).groups()
    return Decimal(number) / (10000 if unit == "元" else 1)


def test_the_example_rolls_up_its_members(capsys):
    data = _score(capsys, EXAMPLE)
    roll = data["department"]
    members = [_score(capsys, EXAMPLE.parent / m) for m in roll["members"]]
    assert len(members) == 2
    budget = sum(_wan(m["funds"]["budget"]) for m in members)
    spent = sum(_wan(m["funds"]["spent"]) for m in members)
    assert _wan(roll["budget"]) == budget and _wan(roll["spent"]) == spent
    assert Decimal(roll["execution_rate"]) == (spent / budget * 100).quantize(Decimal("0.01"))
    scored = [
        (Decimal(m["self_evaluation"]["total"]), _wan(m["funds"]["budget"])) for m in members if m["self_evaluation"]
    ]
    weighted = sum(s * b for s, b in scored) / sum(b for _, b in scored)
    assert Decimal(roll["weighted_mean_score"]) == weighted.quantize(Decimal("0.01"))
    assert data["funds"]["budget"] == roll["budget"]  # the file gives no funds: its members' sums
    items = {i["path"][-1]: i for i in data["self_evaluation"]["items"]}
    assert items["项目支出绩效"]["completion"] == roll["weighted_mean_score"]
    assert data["ruleset"] == "bumen-zhengti" and data["self_evaluation"]["total"]


def test_a_changed_member_changes_the_roll_up(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / "perfdsl.toml").write_text("", encoding="utf-8")
    dept = tmp_path / "examples" / "部门整体" / "department-overall-2023.perf"
    before = load(str(dept)).scorecard.department.budget
    member = tmp_path / "examples" / "xinfang-office-2023.perf"
    member.write_text(
        member.read_text(encoding="utf-8").replace("全年预算数 5万元", "全年预算数 6万元", 1), encoding="utf-8"
    )
    loaded = load(str(dept))
    assert loaded.scorecard.department.budget == before + 1
    assert str(member.resolve()) in loaded.dependencies()


def test_a_member_outside_the_project_is_not_read(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "perfdsl.toml").write_text("", encoding="utf-8")
    shutil.copy(EXAMPLES / "starter.perf", tmp_path / "outside.perf")
    (project / "d.perf").write_text('部门整体 "某局" {\n  年度 2024\n  成员 "../outside.perf"\n}\n', encoding="utf-8")
    loaded = load(str(project / "d.perf"))
    assert "D0101" in {d.code for d in loaded.diagnostics} and loaded.scorecard.department.members == []


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_report_and_the_form_say_what_they_are(tmp_path, fmt):
    assert main(["build", str(EXAMPLE), "--to", fmt, "-o", str(tmp_path)]) == 0
    [out] = list(tmp_path.glob(f"*.{fmt}"))
    with zipfile.ZipFile(out) as z:
        text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    wanted = "部门整体支出绩效自评报告" if fmt == "docx" else "部门整体支出绩效自评表"
    assert wanted in text
    if fmt == "docx":
        assert "机关办公业务项目：全年预算数5万元" in re.sub(r"<[^>]+>|\u2060", "", text)  # joiners are invisible
