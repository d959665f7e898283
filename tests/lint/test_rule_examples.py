"""Every rule's two examples, run as tests (data-driven over the registry): the first triggers the
rule, located inside the example; the second, a near neighbour, does not. Both are valid .perf."""

import re

import pytest

from perfdsl.diagnostics import Severity
from perfdsl.lint import all_rules
from perfdsl.lint.context import bare
from perfdsl.lint.docs import CLASSES
from perfdsl.lint.rule import PARAM_KINDS
from perfdsl.loader import load
from perfdsl.messages import CATALOGUE

RULES = all_rules()
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _load(rule, which):
    text = rule.triggers if which == "triggers" else rule.passes
    return load(f"{rule.code}-{which}.perf", text)


def test_enough_rules():
    assert len(RULES) >= 25


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_triggering_example(rule):
    loaded = _load(rule, "triggers")
    errors = [(d.code, d.message()) for d in loaded.diagnostics if d.severity == Severity.ERROR]
    assert not errors, errors
    found = [d for d in loaded.diagnostics if d.code == rule.code]
    assert found, f"{rule.code}'s triggering example does not trigger it"
    lines = rule.triggers.split("\n")
    for d in found:
        assert d.span is not None and d.span.file == f"{rule.code}-triggers.perf"
        assert 1 <= d.span.line <= len(lines) and d.span.column >= 1
        assert d.severity.value == rule.severity
        for lang in ("zh", "en"):
            text = d.message(lang) + " " + (d.hint(lang) or "")
            assert not PLACEHOLDER.search(text), f"unfilled placeholder ({lang}): {text}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_passing_example(rule):
    loaded = _load(rule, "passes")
    errors = [(d.code, d.message()) for d in loaded.diagnostics if d.severity == Severity.ERROR]
    assert not errors, errors
    assert rule.code not in {d.code for d in loaded.diagnostics}, [
        d.message() for d in loaded.diagnostics if d.code == rule.code
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    assert re.fullmatch(r"R\d{3}", rule.code)
    assert rule.name and rule.name_en and rule.summary and rule.message_zh and rule.message_en
    assert rule.hint_zh and rule.hint_en
    assert len(bare(rule.rationale)) >= 60, "the rationale is a paragraph"
    assert any(src in rule.rationale for src in ("财政部", "财预", "复核", "规则表", "期刊", "指引")), (
        "the rationale names its source practice"
    )
    assert rule.classes and all(c in CLASSES for c in rule.classes)
    assert rule.severity in ("error", "warning", "info")
    assert rule.code not in CATALOGUE  # its diagnostics carry the rule's message; nothing is registered
    assert rule.message.zh == rule.message_zh and rule.message.severity == rule.severity
    names = [p.name for p in rule.params]
    assert len(names) == len(set(names)) and "severity" not in names
    for p in rule.params:
        assert p.kind in PARAM_KINDS and p.doc
    assert rule.triggers.strip() != rule.passes.strip()


def test_codes_follow_the_catalogue_classes():
    """R0NN implements class NN where that class has one rule; supplements are R041 and above."""
    for r in RULES:
        number = int(r.code[1:])
        assert number in r.classes or number > 40, (r.code, r.classes)
