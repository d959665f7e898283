"""The editor packages: the TextMate grammar knows every keyword of the language, the VS Code
extension's tests pass and it packages into a .vsix (with node and npm; required when CI=true)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perfdsl.core import schema
from perfdsl.lsp.vocabulary import keywords
from tests.conftest import IN_CI, ROOT

VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "perf.tmLanguage.json"


def _alternatives(grammar: dict) -> set[str]:
    """Every word listed in an alternation (?:a|b|c) of the grammar's patterns."""
    words: set[str] = set()

    def visit(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "match" and isinstance(v, str):
                    for group in re.findall(r"\(\?:([^()]*)\)", v):
                        words.update(w.replace("\\", "") for w in group.split("|"))
                else:
                    visit(v)
        elif isinstance(node, list):
            for x in node:
                visit(x)

    visit(grammar)
    return words


def test_the_textmate_grammar_has_every_keyword():
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.perf"
    listed = _alternatives(grammar)
    kw = keywords()
    expected = set(kw.rule_of)  # every literal of grammar/perf.lark
    for spec in (schema.TOP, schema.PROJECT, schema.FUNDS, schema.SOURCE, schema.GOALS, schema.SURVEY, schema.WORK):
        expected |= set(spec.all_names())
    missing = sorted(expected - listed)
    assert not missing, f"add these keywords to {GRAMMAR.relative_to(ROOT)}: {missing}"


def test_the_manifest():
    meta = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    assert any(lang["id"] == "perf" and ".perf" in lang["extensions"] for lang in meta["contributes"]["languages"])
    assert (VSCODE / meta["contributes"]["grammars"][0]["path"]).is_file()
    assert "node_modules/" in (VSCODE / ".gitignore").read_text()


def _npm() -> str:
    npm = shutil.which("npm")
    node = shutil.which("node")
    if not npm or not node:
        if IN_CI:
            pytest.fail("node and npm are required in CI (the VS Code extension is built there)")
        pytest.skip("node/npm not installed")
    return npm


@pytest.fixture(scope="module")
def node_modules():
    npm = _npm()
    if (
        not (VSCODE / "node_modules" / "vscode-textmate").is_dir()
        or not (VSCODE / "node_modules" / "@vscode" / "vsce").is_dir()
    ):
        command = [npm, "ci"] if (VSCODE / "package-lock.json").is_file() else [npm, "install"]
        r = subprocess.run(
            command + ["--no-audit", "--no-fund"], cwd=VSCODE, capture_output=True, text=True, timeout=900
        )
        assert r.returncode == 0, r.stderr[-3000:]
    return npm


def test_npm_test(node_modules):
    r = subprocess.run([node_modules, "test"], cwd=VSCODE, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert "# fail 0" in r.stdout


def test_vsix_builds(node_modules, tmp_path: Path):
    out = tmp_path / "perfdsl.vsix"
    npx = shutil.which("npx") or "npx"
    r = subprocess.run(
        [npx, "--no-install", "vsce", "package", "--allow-missing-repository", "--out", str(out)],
        cwd=VSCODE,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
    for f in (
        "extension/package.json",
        "extension/extension.js",
        "extension/syntaxes/perf.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/node_modules/vscode-languageclient/package.json",
    ):
        assert f in names, f
    assert not any(n.startswith("extension/test/") for n in names)


def test_the_lsp_command_is_registered():
    r = subprocess.run(
        [sys.executable, "-m", "perfdsl.cli.main", "lsp", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0 and "--stdio" in r.stdout
    r = subprocess.run(
        [sys.executable, "-m", "perfdsl.lsp", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ},
    )
    assert r.returncode == 0 and "--debounce" in r.stdout
