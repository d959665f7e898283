"""The glossary (docs/glossary.md) is generated from the schema; the schema, the grammar and the
model agree on every word."""

from __future__ import annotations

import dataclasses
import re

import pytest

from perfdsl.core import comparators, schema
from perfdsl.loader import Loaded
from perfdsl.model import evaluation, lifecycle
from perfdsl.model.glossary import markdown, rows
from perfdsl.resources import grammar_path

from .conftest import ROOT

GRAMMAR = grammar_path().read_text(encoding="utf-8")


def test_docs_glossary_is_generated_from_the_schema():
    assert (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8") == markdown(), (
        "docs/glossary.md is stale: run  python -m perfdsl.model.glossary > docs/glossary.md"
    )


PYTHON_NAMES = [py for _, section in rows() for _, _, py, _ in section if not py.startswith("Node.comparator ==")]


@pytest.mark.parametrize("name", PYTHON_NAMES)
def test_every_python_name_exists(name):
    cls_name, attribute = name.split(".")
    cls = Loaded if cls_name == "Loaded" else getattr(evaluation, cls_name, None) or getattr(lifecycle, cls_name)
    assert attribute in {f.name for f in dataclasses.fields(cls)}


def _rule_keywords(rule: str) -> set[str]:
    body = re.search(rf"^{rule}: \(([^)]*)\)", GRAMMAR, re.M)
    assert body, rule
    return set(re.findall(r'"([^"]+)"', body.group(1)))


@pytest.mark.parametrize("spec", schema.ATTRIBUTES.fields + schema.TREE_ATTRIBUTES.fields, ids=lambda f: f.key)
def test_attribute_spellings_are_the_grammars(spec):
    assert _rule_keywords(spec.key) == set(spec.names)


def test_comparators_are_the_grammars():
    body = re.search(r"^comparator: (.*?)\n\n", GRAMMAR, re.M | re.S).group(1)
    assert set(re.findall(r'"([^"]+)"', body)) == set(comparators.COMPARATORS)


def test_every_attribute_of_the_grammar_is_in_the_schema():
    def alternatives(rule: str) -> set[str]:
        body = re.search(rf"^{rule}: ((?:.*\n)(?:    .*\n)*)", GRAMMAR, re.M).group(1)
        return {w.strip() for w in body.replace("\n", " ").split("|")}

    assert alternatives("attr") == {f.key for f in schema.ATTRIBUTES.fields}
    assert alternatives("tree_attr") == {f.key for f in schema.TREE_ATTRIBUTES.fields}
