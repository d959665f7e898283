"""The corpus of bad inputs in tests/bad_inputs/: each case states the diagnostics it must yield.

A case is
  * a file `NN-name.perf`, or
  * a folder `NN-name/` of several files whose `main.perf` is checked (the folder's
    `perfdsl.toml` makes it the project root, to which includes are confined), or
  * an entry of `cases.toml`, for inputs that cannot carry comments (empty, binary, not UTF-8,
    too large, other line ends): those files are made at run time in a temporary folder.

A case file starts with comment lines (up to the first line that is not a comment):

  # expect: P0101 3:14            an error or warning that must appear, at line 3, column 14
  # expect: P0303 正文.perf:5:4    ... in another file of a folder case (path relative to it)
  # expect-info: P0207 1:1        an info diagnostic that must appear (other infos are ignored)
  # expect-text: P0201 实施单位    that diagnostic's message or help (中文) must contain the text
  # why: what is wrong with the input
  # known-bug: what the checker gets wrong (the case is then expected to fail)

The `expect:` lines are exactly the set of error and warning diagnostics the input must yield:
the right code at the right place, and nothing else. The reviewer's rules (R codes, perfdsl.lint)
are judgement, configured per project and tested on their own: they still run here (they must not
crash or flood on bad input) but are compared only in a case that lists an R code. A case whose checker output is wrong keeps
the right expectation and says so with `known-bug:`; it runs as a strict xfail, so fixing the
checker turns it into a failure until the `known-bug:` line is removed.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from perfdsl.diagnostics import Severity
from perfdsl.loader import load
from perfdsl.messages import CATALOGUE

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
GENERATED = CORPUS / "cases.toml"
MIN_CASES = 45
MAX_PER_LINE = 3  # more diagnostics than this on one line is a flood
REVIEW_RULES = "R"  # code prefix of the reviewer's rules (lint)

_DIRECTIVE = re.compile(r"#\s*(expect|expect-info|expect-text|why|known-bug)\s*:\s*(.*?)\s*$")
_WHERE = re.compile(r"^([A-Z]\d{4})\s+(?:(.+):)?(\d+):(\d+)$")


# ---------------------------------------------------------------- reading the corpus
@dataclass
class Case:
    name: str
    entry: Path | None = None  # the file to check; None when it is made at run time
    expect: set = field(default_factory=set)  # {(code, other file or None, line, column)}
    expect_info: set = field(default_factory=set)
    expect_text: list = field(default_factory=list)  # [(code, text)]
    why: str = ""
    known_bug: str = ""
    make: str = ""  # made at run time: the recipe in MAKERS ...
    source: str = ""  # ... and the corpus file it starts from, if any

    def add(self, kind: str, value: str) -> None:
        if kind in ("expect", "expect-info"):
            m = _WHERE.match(value)
            if not m:
                raise ValueError(f"{self.name}: cannot read '{kind}: {value}' (want CODE [FILE:]LINE:COL)")
            where = (m.group(1), m.group(2), int(m.group(3)), int(m.group(4)))
            (self.expect if kind == "expect" else self.expect_info).add(where)
        elif kind == "expect-text":
            code, _, text = value.partition(" ")
            self.expect_text.append((code, text.strip()))
        elif kind == "why":
            self.why = value
        elif kind == "known-bug":
            self.known_bug = value


def _file_cases() -> list[Case]:
    out = []
    for p in sorted(CORPUS.iterdir()):
        if not re.match(r"\d\d-", p.name):
            continue
        if p.is_dir():
            case = Case(p.name, p / "main.perf")
        elif p.suffix == ".perf":
            case = Case(p.stem, p)
        else:
            continue
        for line in case.entry.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            if m := _DIRECTIVE.match(line):
                case.add(m.group(1), m.group(2))
        out.append(case)
    return out


def _generated_cases() -> list[Case]:
    out = []
    for entry in tomllib.loads(GENERATED.read_text(encoding="utf-8"))["case"]:
        case = Case(entry["name"], make=entry["make"], source=entry.get("from", ""))
        for kind in ("expect", "expect-info", "expect-text"):
            for value in entry.get(kind, []):
                case.add(kind, value)
        for kind in ("why", "known-bug"):
            if entry.get(kind):
                case.add(kind, entry[kind])
        out.append(case)
    return out


# ---------------------------------------------------------------- inputs made at run time
_SMALL = '项目 "某某项目" {\n  年度 2024\n  实施单位 "某某单位"\n}\n'


def _xlsx_like() -> bytes:
    """A spreadsheet (a zip archive) handed to the checker by mistake."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _invalid_utf8() -> bytes:
    """_SMALL with a stray byte 0xFF between 某某 and 单位 (line 3)."""
    return _SMALL.encode("utf-8").replace("某某单位".encode(), "某某".encode() + b"\xff" + "单位".encode())


def _huge() -> bytes:
    """A valid file padded with comment lines to over 5 MB."""
    head = _SMALL.encode("utf-8")
    line = ("# " + "填充文字" * 20 + "\n").encode("utf-8")
    return head + line * ((5 * 1024 * 1024 - len(head)) // len(line) + 1)


def _corpus_text(case: Case) -> str:
    return (CORPUS / case.source).read_text(encoding="utf-8")


# Each recipe takes the case and returns the bytes of the file to check.
MAKERS = {
    "empty": lambda case: b"",
    "blank": lambda case: b"\n   \n\t\n",
    "xlsx": lambda case: _xlsx_like(),
    "invalid-utf8": lambda case: _invalid_utf8(),
    "gbk": lambda case: _SMALL.encode("gbk"),
    "utf16": lambda case: _SMALL.encode("utf-16"),
    "nul-byte": lambda case: _SMALL.replace("年度 2024", "年度 2024\x00").encode("utf-8"),
    # U+FFFD where a character was lost in a conversion, and an escape character pasted from a
    # terminal inside a string: valid UTF-8, refused all the same
    "replacement-character": lambda case: _SMALL.replace("某某单位", "某某\ufffd单位").encode("utf-8"),
    "escape-in-string": lambda case: _SMALL.replace('"某某项目"', '"某某\x1b项目"').encode("utf-8"),
    "huge": lambda case: _huge(),
    "crlf": lambda case: _corpus_text(case).replace("\n", "\r\n").encode("utf-8"),  # Windows line ends
    "cr": lambda case: _corpus_text(case).replace("\n", "\r").encode("utf-8"),  # classic Mac line ends
}

CASES = _file_cases() + _generated_cases()


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.known_bug)] if case.known_bug else []
    return pytest.param(case, id=case.name, marks=marks)


# ---------------------------------------------------------------- the corpus itself
def test_corpus_is_large_enough():
    assert len(CASES) >= MIN_CASES


def test_expectations_are_well_formed():
    problems = []
    names = Counter(c.name for c in CASES)
    problems += [f"{name}: two cases with this name" for name, n in names.items() if n > 1]
    for case in CASES:
        if not case.why:
            problems.append(f"{case.name}: no 'why'")
        if not case.expect and not case.expect_info:
            problems.append(f"{case.name}: expects nothing")
        if case.make and case.make not in MAKERS:
            problems.append(f"{case.name}: unknown recipe '{case.make}'")
        if case.source and not (CORPUS / case.source).is_file():
            problems.append(f"{case.name}: no corpus file '{case.source}'")
        for code, *_ in case.expect:
            if code not in CATALOGUE or CATALOGUE[code].severity == "info":
                problems.append(f"{case.name}: '{code}' is not an error or warning code")
        for code, *_ in case.expect_info:
            if code not in CATALOGUE or CATALOGUE[code].severity != "info":
                problems.append(f"{case.name}: '{code}' is not an info code")
        for code, text in case.expect_text:
            if code not in CATALOGUE or not text:
                problems.append(f"{case.name}: bad expect-text '{code} {text}'")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- each case
def _cli(*args: str) -> subprocess.Popen:
    """Start `python -m perfdsl.cli.main check ARGS` with the repository on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.Popen(
        [sys.executable, "-m", "perfdsl.cli.main", "check", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def _where(entry: Path, d) -> tuple:
    """(code, file relative to the entry's folder or None for the entry itself, line, column)."""
    file = Path(d.span.file).resolve()
    other = None if file == entry.resolve() else Path(os.path.relpath(file, entry.resolve().parent)).as_posix()
    return (d.code, other, d.span.line, d.span.column)


def _show(items) -> str:
    lines = [
        f"    {code} {(file + ':') if file else ''}{line}:{col}" for code, file, line, col in sorted(items, key=str)
    ]
    return "\n".join(lines) or "    (none)"


def _compared(case: Case, d) -> bool:
    """Is this diagnostic one the case's `expect:` lines must account for?"""
    if d.severity not in (Severity.ERROR, Severity.WARNING):
        return False
    return not d.code.startswith(REVIEW_RULES) or any(c.startswith(REVIEW_RULES) for c, *_ in case.expect)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(case: Case, tmp_path):
    entry = case.entry
    if case.make:
        entry = tmp_path / f"{case.name}.perf"
        entry.write_bytes(MAKERS[case.make](case))
    run = _cli(str(entry))  # the command runs while the library checks the same file
    problems: list[str] = []
    expected_exit = 1 if any(CATALOGUE[code].severity == "error" for code, *_ in case.expect) else 0
    try:
        loaded = load(str(entry))
    except Exception as e:
        problems.append(f"load() raised {type(e).__name__}: {e}")
    else:
        problems += _diagnostic_problems(case, entry, loaded.diagnostics)
        # the command fails on errors, and the reviewer's rules not compared here may add some
        if any(d.severity == Severity.ERROR and not _compared(case, d) for d in loaded.diagnostics):
            expected_exit = 1
    problems += _command_problems(run, expected_exit)
    assert not problems, f"{case.name} ({case.why}):\n" + "\n".join(problems)


def _diagnostic_problems(case: Case, entry: Path, diagnostics) -> list[str]:
    problems = []
    # every diagnostic is located and readable in both languages
    for d in diagnostics:
        s = d.span
        if s is None or not s.file or s.line < 1 or s.column < 1:
            problems.append(f"{d.code} has no proper location: {s}")
            continue
        for lang in ("zh", "en"):
            text, hint = d.message(lang), d.hint(lang) or ""
            if not text.strip():
                problems.append(f"{d.code} has an empty {lang} message")
            elif re.search(r"\{[a-z_]+\}", text + hint):
                problems.append(f"{d.code} leaves a placeholder unfilled ({lang}): {text} / {hint}")
    if problems:
        return problems

    # exactly the expected errors and warnings, and the listed infos
    got = {_where(entry, d) for d in diagnostics if _compared(case, d)}
    if got != case.expect:
        listing = "".join(f"\n      {d.code} {d.span.line}:{d.span.column} {d.message('zh')}" for d in diagnostics)
        problems.append(f"diagnostics differ\n  expected:\n{_show(case.expect)}\n  got:\n{_show(got)}{listing}")
    infos = {_where(entry, d) for d in diagnostics if d.severity == Severity.INFO}
    if not case.expect_info <= infos:
        problems.append(f"missing info diagnostics:\n{_show(case.expect_info - infos)}")
    for code, text in case.expect_text:
        said = [d.message("zh") + " " + (d.hint("zh") or "") for d in diagnostics if d.code == code]
        if not any(text in s for s in said):
            problems.append(f"no {code} says '{text}': {said}")

    # no floods: one slip gives a few diagnostics at most on a line
    per_line = Counter((d.span.file, d.span.line) for d in diagnostics)
    crowded = {f"{file}:{line}": n for (file, line), n in per_line.items() if n > MAX_PER_LINE}
    if crowded:
        problems.append(f"more than {MAX_PER_LINE} diagnostics on one line: {crowded}")
    return problems


def _command_problems(run: subprocess.Popen, expected: int) -> list[str]:
    """`perfdsl check`: exit status 1 when there are errors, 0 for warnings only; no traceback."""
    problems = []
    out, err = run.communicate(timeout=300)
    if "Traceback" in out + err:
        problems.append(f"`perfdsl check` printed a traceback:\n{err[-3000:]}")
    if run.returncode != expected:
        problems.append(f"`perfdsl check` exited with {run.returncode}, expected {expected}")
    return problems


def test_json_output_agrees_with_the_library():
    """`perfdsl check --format json` over the committed corpus (one run) lists what load() gives,
    file by file. Cases marked known-bug are left out: they may crash."""
    entries = [c.entry for c in CASES if c.entry is not None and not c.known_bug]
    run = _cli("--format", "json", *(str(e) for e in entries))
    out, err = run.communicate(timeout=600)
    assert "Traceback" not in out + err, err[-3000:]
    listed = Counter(
        (str((REPO_ROOT / x["file"]).resolve()), x["code"], x["line"], x["column"])
        for x in json.loads(out)["diagnostics"]
    )
    expected = Counter(
        (str(Path(d.span.file).resolve()), d.code, d.span.line, d.span.column)
        for e in entries
        for d in load(str(e)).diagnostics
    )
    assert listed == expected
