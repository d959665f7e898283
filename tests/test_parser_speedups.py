"""The parser's speed-ups (perfdsl/syntax/speedups.py: helper rules on Lark's own tree builder,
grammar rules compared by identity, whitespace skipped in one step) change nothing a user sees:
the same syntax trees, spans, comments and diagnostics as Lark as it comes — on every example,
every bad input, the benchmark corpus and random text."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfdsl.syntax import ast, fused, lark_parser, parser, speedups

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [*ROOT.glob("examples/*.perf"), *ROOT.glob("tests/bad_inputs/**/*.perf"), *ROOT.glob("tests/fmt/**/*.perf")]
)

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import corpus  # noqa: E402


@pytest.fixture(scope="module")
def plain():
    """perfdsl's tree builder on Lark as it comes: no speed-ups."""
    return lark_parser.inline_parser(speedups=False)


def dump(x):
    """Everything about a parse, positions included (the trees' == ignores positions)."""
    if isinstance(x, ast.Token):
        return ("token", x.kind, x.text, tuple(x.span))
    if isinstance(x, (tuple, list)):
        return tuple(dump(y) for y in x)
    if dataclasses.is_dataclass(x):
        return (type(x).__name__, *(dump(getattr(x, f.name)) for f in dataclasses.fields(x)))
    return x


def both(text: str, plain_lark) -> tuple:
    """The parse as a run makes it (the fused loop; Lark's sped-up loop after a syntax error),
    and as Lark as it comes makes it."""
    fast = parser.parse(text, "a.perf")
    fused_loop, lark = parser._fused_loop, lark_parser._lark
    parser._fused_loop = lambda: None  # parse() asks for the loop and Lark's parser by these names
    lark_parser._lark = lambda: plain_lark
    try:
        slow = parser.parse(text, "a.perf")
    finally:
        parser._fused_loop, lark_parser._lark = fused_loop, lark
    return dump(fast), dump(slow)


def test_the_speedups_are_in_place():
    """If a new Lark moved the structures they rely on, they would quietly switch themselves off
    (the parser stays correct, only slower): this says so."""
    lark = lark_parser._lark()
    contextual = lark.parser.lexer
    assert type(contextual.root_lexer) is speedups.WhitespaceSkippingLexer
    assert {type(x) for x in contextual.lexers.values()} == {speedups.WhitespaceSkippingLexer}
    rules = [k for k in lark.parser.parser.parser.callbacks if not isinstance(k, str)]
    assert rules and all(type(r) is speedups.IdentityRule for r in rules)
    assert lark_parser.loop_tables() is not None
    assert isinstance(parser._fused_loop(), fused.FusedLoop)


def test_the_fused_loop_reads_every_example_itself():
    """A text the grammar accepts is read by the fused loop, not handed back to Lark's: the
    examples parse there, and a slip makes it hand the text back."""
    loop = parser._fused_loop()
    for path in ROOT.glob("examples/*.perf"):
        assert loop.parse(path.read_text(encoding="utf-8")) is not loop.FAILED, path
    assert loop.parse('项目 "甲" {\n  年度 2023\n') is loop.FAILED  # a brace left open
    assert loop.parse('项目 "甲" {\n  年度 ¤\n}\n') is loop.FAILED  # a character no terminal takes


def test_the_tables_kept_are_the_tables_made():
    """What a run reads back from the cache folder is what Lark's parser gives, as data."""
    grammar = (ROOT / "grammar" / "perf.lark").read_text(encoding="utf-8")
    path = fused.cache_file("loop", grammar, fused.code_of_tables())
    parser._fused_loop()  # made and kept, if they were not
    made = json.loads(json.dumps(lark_parser.loop_tables()))
    assert fused.read_tables(path) == made


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data.replace(b'"call"', b'"pass"', 1),  # changed
        lambda data: b"not tables",
    ],
    ids=["cut short", "changed", "foreign"],
)
def test_damaged_tables_are_made_again(tmp_path, damage):
    """A tables file cut short, changed or foreign is not read: the loop is made from Lark's
    parser again and the file made whole; the parse is the same."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    script = (
        "import sys\n"
        "from perfdsl.syntax.parser import parse\n"
        f"tree, errors = parse(open({str(ROOT / 'examples' / 'starter.perf')!r}, encoding='utf-8').read())\n"
        "print(len(tree.items), errors, 'lark' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split()[-1] == "True" and second.stdout.split()[-1] == "False"  # kept, then read back
    kept = [p for p in (tmp_path / "perfdsl").iterdir() if p.name.startswith("grammar-loop-")]
    assert len(kept) == 1
    whole = kept[0].read_bytes()
    kept[0].write_bytes(damage(whole))
    again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert again.stdout.split()[:-1] == first.stdout.split()[:-1]
    assert again.stdout.split()[-1] == "True"  # made from Lark's parser again
    assert kept[0].read_bytes() == whole


def test_the_cache_folder_is_the_users_own(tmp_path, monkeypatch):
    """Lark's cache is a pickle, a compiled template code: a folder another user can write to is
    never used."""
    from perfdsl.project import user_cache_folder

    shared = tmp_path / "shared"
    (shared / "perfdsl").mkdir(parents=True)
    (shared / "perfdsl").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    folder = user_cache_folder()
    assert folder and not folder.startswith(str(shared))
    mine = tmp_path / "mine"
    monkeypatch.setenv("XDG_CACHE_HOME", str(mine))
    assert user_cache_folder() == str(mine / "perfdsl")
    assert (mine / "perfdsl").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_parse_on_every_example_and_bad_input(path, plain):
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    fast, slow = both(text, plain)
    assert fast == slow


def test_same_parse_on_the_benchmark_corpus(plain):
    for text in corpus(20):
        fast, slow = both(text, plain)
        assert fast == slow


# Whitespace of every kind the grammar ignores, comments, strings and text blocks, keywords.
PIECES = st.sampled_from(
    [
        "项目",
        "资金",
        "自评表",
        "产出",
        "数量",
        "指标",
        "实际",
        "分值",
        "得分",
        "依据",
        "定性",
        "≥",
        "≤",
        "=",
        "{",
        "}",
        '"',
        '"""',
        "#",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\f",
        "\r",
        "# 注释\n",
        "5",
        "95%",
        "285万条",
        "2024-01-01",
        "至",
        "名称",
        '"文字"',
        "\u3000",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES, max_size=60).map("".join))
def test_same_parse_on_random_text(text, plain):
    fast, slow = both(text, plain)
    assert fast == slow
