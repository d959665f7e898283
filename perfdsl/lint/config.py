"""Lint configuration: which rules run, their parameters and severities.

It comes from one file, `perfdsl.toml`, found by walking up from the evaluation's folder (to the
repository root at the latest), section `[lint]`:

    [lint]
    select = ["R"]            # codes or prefixes; default: every rule
    ignore = ["R040"]

    [lint.R010]
    threshold = 150           # a rule's parameter
    severity = "error"        # any rule may change its severity

Command-line options (`--select`, `--ignore`) come as a LintConfig with `discover=True`: the
file's perfdsl.toml is read and the options are laid over it (select replaces, ignore adds).
Mistakes in the file are located diagnostics (R904–R907) at perfdsl.toml's line and column."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity, Span
from .registry import all_rules, matches, selects_any, suggest
from .registry import get as rule_of
from .rule import PARAM_KINDS

CONFIG_NAME = "perfdsl.toml"
SETTINGS = ("select", "ignore")


class SelectorError(ValueError):
    """A --select/--ignore value names no rule."""

    def __init__(self, selector: str):
        super().__init__(selector)
        self.selector = selector

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"「{self.selector}」不是审核规则代码或前缀（perfdsl rules 列出全部规则）"
        return f"'{self.selector}' is not a rule code or prefix (perfdsl rules lists them)"

    def __str__(self) -> str:
        return self.message("zh")


@dataclass(frozen=True)
class LintConfig:
    """Which rules run, with what parameters and severities ([lint] of perfdsl.toml, the options)."""

    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)  # code → {name: value}
    severity: dict = field(default_factory=dict)  # code → Severity
    path: str | None = None  # the perfdsl.toml it was read from
    problems: tuple[Diagnostic, ...] = ()
    discover: bool = False  # lay these settings over the file's perfdsl.toml
    text: str | None = field(default=None, repr=False)  # the file's text, to show the lines of its problems

    @classmethod
    def from_cli(cls, select: str | None = None, ignore: str | None = None) -> LintConfig | None:
        """The config for `perfdsl check --select … --ignore …` (comma-separated codes or
        prefixes); None when neither is given. Raises SelectorError for one that names no rule."""
        if not select and not ignore:
            return None
        sel = _split(select) if select else None
        ign = _split(ignore) if ignore else ()
        for s in (sel or ()) + ign:
            if not selects_any(s):
                raise SelectorError(s)
        return cls(select=sel, ignore=ign, discover=True)

    def enabled(self, code: str) -> bool:
        if self.select is not None and not any(matches(s, code) for s in self.select):
            return False
        return not any(matches(s, code) for s in self.ignore)

    def params_for(self, rule) -> dict[str, Any]:
        values = rule.defaults()
        values.update(self.params.get(rule.code, {}))
        return values

    def over(self, base: LintConfig) -> LintConfig:
        """These (command-line) settings laid over a file's configuration."""
        return replace(
            base,
            select=self.select if self.select is not None else base.select,
            ignore=base.ignore + self.ignore,
            discover=False,
            params={**base.params, **self.params},
            severity={**base.severity, **self.severity},
        )


DEFAULT = LintConfig()


def _split(text: str) -> tuple[str, ...]:
    return tuple(s.strip().upper() for s in re.split(r"[,，\s]+", text) if s.strip())


# ---------------------------------------------------------------- finding and reading the file
def find_config(start: str | os.PathLike) -> Path | None:
    """perfdsl.toml in the evaluation's folder or the nearest one above it; the search stops
    at the repository root (a folder holding .git). (os.path, not pathlib: this runs for every
    file checked.)"""
    folder = os.path.abspath(os.fspath(start) or ".")
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        candidate = os.path.join(folder, CONFIG_NAME)
        if os.path.lexists(candidate):  # a FIFO or a link is found here, and refused by load_config
            return Path(candidate)
        if os.path.exists(os.path.join(folder, ".git")):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


_CACHE: dict[str, tuple[tuple[int, int], LintConfig]] = {}


def config_for(file: str) -> LintConfig:
    """The configuration that applies to an evaluation file (the defaults when there is none).
    A file's settings are read once and again only when it changes."""
    return config_in(os.path.dirname(file) if file else ".")


def config_in(folder: str) -> LintConfig:
    """The configuration that applies to the evaluation files of `folder` (see config_for)."""
    path = find_config(folder)
    if path is None:
        return DEFAULT
    try:
        st = path.stat()
    except OSError:
        return DEFAULT
    key, stamp = str(path), (st.st_mtime_ns, st.st_size)
    hit = _CACHE.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    config = load_config(path)
    if len(_CACHE) >= 256:  # a tree of many perfdsl.toml, read by a long-running server: bounded
        _CACHE.clear()
    _CACHE[key] = (stamp, config)
    return config


def load_config(path: str | os.PathLike, text: str | None = None) -> LintConfig:
    """Read the [lint] section of a perfdsl.toml. Never raises: problems are diagnostics."""
    shown = str(path)
    if os.path.isabs(shown):
        rel = os.path.relpath(shown)
        shown = rel if not rel.startswith("..") else shown
    if text is None:  # through the project's door: a regular file, a size cap of its own
        from ..project import MAX_CONFIG_BYTES, read_bytes

        raw, refusal = read_bytes(path, MAX_CONFIG_BYTES)
        try:
            if refusal is not None or raw is None:
                raise OSError(refusal.detail or refusal.reason if refusal else "unreadable")
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            return LintConfig(path=shown, problems=(Diagnostic("R907", Span.point(shown, 1, 1), {"reason": str(e)}),))
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
        else:  # "(at end of document)"
            lines = text.rstrip("\n").split("\n")
            line, col = len(lines), len(lines[-1]) + 1
        return LintConfig(
            path=shown, text=text, problems=(Diagnostic("R907", Span.point(shown, line, col), {"reason": str(e)}),)
        )
    section = data.get("lint", {})
    locate = _Locator(text, shown)
    problems: list[Diagnostic] = []
    if not isinstance(section, dict):
        problems.append(
            Diagnostic(
                "R906", locate.table(), {"key": "lint", "expected": "表 [lint]", "expected_en": "a table [lint]"}
            )
        )
        return LintConfig(path=shown, text=text, problems=tuple(problems))
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    params: dict[str, dict] = {}
    severity: dict[str, str] = {}
    codes = [r.code for r in all_rules()]
    for key, value in section.items():
        if key in SETTINGS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(
                    Diagnostic(
                        "R906",
                        locate.key(None, key),
                        {
                            "key": f"lint.{key}",
                            "expected": '规则代码列表，如 ["R010", "R02"]',
                            "expected_en": "a list of rule codes",
                        },
                    )
                )
                continue
            chosen = []
            for v in value:
                if selects_any(v.strip()):
                    chosen.append(v.strip().upper())
                else:
                    problems.append(
                        Diagnostic(
                            "R904",
                            locate.value(None, key, v),
                            {"key": v, "suggestion": suggest(v.upper(), codes) or "perfdsl rules 列出全部规则"},
                        )
                    )
            if key == "select":
                select = tuple(chosen)
            else:
                ignore = tuple(chosen)
            continue
        rule = rule_of(key) if isinstance(key, str) else None
        if rule is None or key != rule.code:
            problems.append(
                Diagnostic(
                    "R904",
                    locate.key(None, key),
                    {
                        "key": key,
                        "suggestion": suggest(str(key).upper(), codes + list(SETTINGS))
                        or "[lint] 中只能写 select、ignore 和 [lint.R…] 规则表；perfdsl rules 列出全部规则",
                    },
                )
            )
            continue
        if not isinstance(value, dict):
            problems.append(
                Diagnostic(
                    "R906",
                    locate.key(None, key),
                    {"key": f"lint.{key}", "expected": f"表 [lint.{key}]", "expected_en": f"a table [lint.{key}]"},
                )
            )
            continue
        for pname, pvalue in value.items():
            if pname == "severity":
                if pvalue in ("error", "warning", "info"):
                    severity[rule.code] = Severity(pvalue)
                else:
                    problems.append(
                        Diagnostic(
                            "R906",
                            locate.key(key, pname),
                            {
                                "key": f"lint.{key}.severity",
                                "expected": '"error"、"warning" 或 "info"',
                                "expected_en": '"error", "warning" or "info"',
                            },
                        )
                    )
                continue
            param = rule.param(pname)
            if param is None:
                problems.append(
                    Diagnostic(
                        "R905",
                        locate.key(key, pname),
                        {"code": rule.code, "key": pname, "suggestion": _param_help(rule, pname)},
                    )
                )
                continue
            try:
                params.setdefault(rule.code, {})[pname] = param.convert(pvalue)
            except (ValueError, ArithmeticError):
                zh, en = PARAM_KINDS[param.kind]
                problems.append(
                    Diagnostic(
                        "R906",
                        locate.key(key, pname),
                        {"key": f"lint.{key}.{pname}", "expected": zh, "expected_en": en},
                    )
                )
    return LintConfig(
        select=select, ignore=ignore, params=params, severity=severity, path=shown, problems=tuple(problems), text=text
    )


def _param_help(rule, name: str) -> str:
    available = [p.name for p in rule.params] + ["severity"]
    close = suggest(name, available)
    return (close + " " if close else "") + "可用：" + "、".join(available)


class _Locator:
    """Where a key of [lint] is written in perfdsl.toml. tomllib gives no positions, so the text
    is scanned: first the right table header, then the key inside it (dotted and inline forms too)."""

    def __init__(self, text: str, file: str):
        self.lines = text.split("\n")
        self.file = file

    def _span(self, line: int, col: int, length: int) -> Span:
        return Span(self.file, line, col, line, col + max(1, length))

    def _header(self, table: str) -> int | None:
        pattern = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(_key_re(p) for p in table.split(".")) + r"\s*\]")
        for i, line in enumerate(self.lines, 1):
            if pattern.match(line):
                return i
        return None

    def _section_end(self, start: int) -> int:
        for i in range(start + 1, len(self.lines) + 1):
            if re.match(r"^\s*\[", self.lines[i - 1]):
                return i - 1
        return len(self.lines)

    def table(self) -> Span:
        line = self._header("lint") or 1
        return self._span(line, 1, len(self.lines[line - 1]) if self.lines else 1)

    def key(self, code: str | None, key: str) -> Span:
        """The line of `key` in [lint] (code None) or in [lint.<code>]."""
        key_re = _key_re(key)
        searches = []
        if code is None:
            h = self._header("lint")
            if h:
                searches.append((h + 1, self._section_end(h), rf"^\s*({key_re})\s*[.=]"))
            h = self._header(f"lint.{key}")
            if h:
                col = self.lines[h - 1].find(key)
                return self._span(h, col + 1 if col >= 0 else 1, len(key))
        else:
            h = self._header(f"lint.{code}")
            if h:
                searches.append((h + 1, self._section_end(h), rf"^\s*({key_re})\s*="))
            h = self._header("lint")
            if h:  # R010.threshold = … or R010 = { threshold = … } inside [lint]
                searches.append((h + 1, self._section_end(h), rf"^\s*{_key_re(code)}\s*\.\s*({key_re})\s*="))
                searches.append((h + 1, self._section_end(h), rf"^\s*{_key_re(code)}\s*=.*?[{{,]\s*({key_re})\s*="))
        searches.append((1, len(self.lines), rf"(?:^|[\s.{{,])({key_re})\s*[.=]"))
        for start, end, pattern in searches:
            rx = re.compile(pattern)
            for i in range(start, end + 1):
                m = rx.search(self.lines[i - 1])
                if m:
                    return self._span(i, m.start(1) + 1, len(m.group(1)))
        return self._span(1, 1, 1)

    def value(self, code: str | None, key: str, value: str) -> Span:
        """The position of a string inside a list value (select = ["R010", "X1"])."""
        where = self.key(code, key)
        for i in range(where.line, len(self.lines) + 1):
            line = self.lines[i - 1]
            for quote in ('"', "'"):
                col = line.find(quote + value + quote)
                if col >= 0:
                    return self._span(i, col + 1, len(value) + 2)
            if i > where.line and re.match(r"^\s*(\[|\w+\s*=)", line):
                break
        return where


def _key_re(key: str) -> str:
    k = re.escape(key)
    return rf'(?:{k}|"{k}"|\'{k}\')'
