"""Checking and formatting a file leave no reference cycles behind: what a file's work makes is
freed by reference counting as soon as the file is done, not at the collector's next full pass —
which a run over thousands of files, with the collector tuned for speed (engine.tune_gc), or a
language server open all day, makes rarely, holding every file's leftovers until then."""

import gc

import pytest

from perfdsl.engine.check import CheckJob, check_file
from perfdsl.syntax.format import format_text
from tests.conftest import EXAMPLES

FILES = sorted(EXAMPLES.rglob("*.perf"))


def cyclic_garbage(work) -> list[str]:
    """The types of the objects that only the collector could free, made by `work()` (run once
    before, so that what a first run makes and keeps — the parser, the rules — is not counted)."""
    work()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        return [type(o).__qualname__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_check_leaves_no_cycles(path):
    # Text output: json.dumps with an indent makes cycles of its own (the standard library's
    # encoder is nested functions calling each other), short-lived ones the youngest pass frees.
    assert cyclic_garbage(lambda: check_file(CheckJob(str(path), None, None, "zh", False, False))) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_formatting_leaves_no_cycles(path):
    text = path.read_text(encoding="utf-8")
    assert cyclic_garbage(lambda: format_text(text, str(path))) == []
