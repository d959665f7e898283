"""docs/rules.md is generated from the registry and kept in step; `perfdsl rules` lists the rules
and prints one rule's doc; lint findings come out of `perfdsl check` as ordinary diagnostics."""

import json
import os
import re
import subprocess
import sys

from perfdsl.lint import all_rules
from perfdsl.lint.docs import markdown
from tests.conftest import ROOT, SEED_003

DOC = ROOT / "docs" / "rules.md"


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    return p


def test_docs_are_in_sync_with_the_registry():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md is stale: run  python -m perfdsl.lint.docs > docs/rules.md"
    )


def test_docs_cover_every_rule_and_the_non_mechanical_classes():
    doc = DOC.read_text(encoding="utf-8")
    for r in all_rules():
        assert f"## {r.code}" in doc and r.rationale in doc and r.triggers.rstrip() in doc
    assert "第 35 类" in doc and "第 37 类" in doc


def test_rules_lists_every_rule():
    p = run("rules")
    assert p.returncode == 0
    listed = re.findall(r"^(R\d{3})\s", p.stdout, re.M)
    assert listed == [r.code for r in all_rules()] and len(listed) >= 25
    doc = DOC.read_text(encoding="utf-8")
    assert all(c in doc for c in set(re.findall(r"\b([A-Z]{1,3}\d{2,4})\b", p.stdout)))


def test_rules_prints_one_rule():
    p = run("rules", "R010")
    assert p.returncode == 0
    out = p.stdout
    assert out.startswith("R010 超额无说明")
    assert "依据" in out and "广西" in out
    assert "threshold = 评价规则的 overshoot.explain_above（默认 130）" in out and 'severity = "warning"' in out
    assert "会报告的写法" in out and "不会报告的写法" in out and "培训人次 ≥ 100人次 实际 160人次" in out


def test_rules_family_prefix_and_unknown_code():
    p = run("rules", "R04")
    assert p.returncode == 0 and re.findall(r"^(R04\d)", p.stdout, re.M) == ["R040", "R041", "R042", "R043", "R044"]
    p = run("rules", "R999")
    assert p.returncode == 2 and "R999" in p.stderr
    assert run("rules", "--markdown").stdout == markdown()


def test_check_reports_lint_findings_as_located_diagnostics():
    p = run("check", SEED_003, "--format", "json")
    assert p.returncode == 0  # warnings only
    items = json.loads(p.stdout)["diagnostics"]
    lint = [d for d in items if d["code"].startswith("R")]
    assert len(lint) >= 10
    for d in lint:
        assert d["line"] and d["column"] and d["message"] and d["hint"]
    p = run("check", SEED_003, "--lang", "en")
    assert "warning[R021]" in p.stdout and "is a cost indicator" in p.stdout
