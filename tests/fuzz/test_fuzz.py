"""The fuzz harness in the test suite: a few thousand inputs, the same ones every run (a flaky
test is a defect); scripts/fuzz.py runs any number of new ones and files what it finds as cases
of tests/bad_inputs/."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from .harness import check, grammar_files, mutants

SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}


def _passes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "perfdsl.toml").write_text("")
        problems = check(text, Path(folder))
    assert not problems, "\n".join(problems) + f"\n--- input ---\n{text[:3000]}"


@settings(max_examples=1500, **SETTINGS)
@given(mutants())
def test_edited_examples_and_bad_inputs(text):
    _passes(text)


@settings(max_examples=500, **SETTINGS)
@given(grammar_files())
def test_files_from_the_grammar(text):
    _passes(text)
