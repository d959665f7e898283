"""The registry of reviewer's rules: every module of perfdsl/lint/rules/ that defines RULE and
check. Each rule's message joins the diagnostics catalogue when the registry is first read, so
that Diagnostic accepts its code like any other."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from ..messages import CATALOGUE, Message
from .rule import E, W, Rule

CODE = re.compile(r"^R\d{3}$")

# Problems with the lint set-up itself: a suppression comment or perfdsl.toml. Always on; they
# are not rules (no --select/--ignore, no suppression).
META: dict[str, Message] = {
    "R900": Message(E, "无法识别的 perfdsl 指令「{text}」", "unrecognised perfdsl directive '{text}'",
                    "写法：# perfdsl: ignore[R010] 原因", "write: # perfdsl: ignore[R010] reason"),
    "R901": Message(W, "忽略指令没有写原因，未生效", "the suppression gives no reason and has no effect",
                    "在方括号后写明为何忽略：# perfdsl: ignore[{codes}] 已在……中说明",
                    "say why after the brackets: # perfdsl: ignore[{codes}] explained in …"),
    "R902": Message(E, "忽略指令中的「{code}」不是审核规则代码", "'{code}' in the suppression is not a reviewer's rule",
                    "{suggestion}", "{suggestion}"),
    "R903": Message(W, "忽略指令 ignore[{code}] 没有忽略任何问题", "the suppression ignore[{code}] suppresses nothing",
                    "本行和下一行都没有 {code} 的问题，删除这条指令", "neither this line nor the next has a {code} finding; remove it"),
    "R904": Message(E, "perfdsl.toml：「{key}」不是审核规则代码或设置", "perfdsl.toml: '{key}' is not a rule code or a setting",
                    "{suggestion}", "{suggestion}"),
    "R905": Message(E, "perfdsl.toml：规则 {code} 没有参数「{key}」", "perfdsl.toml: rule {code} has no parameter '{key}'",
                    "{suggestion}", "{suggestion}"),
    "R906": Message(E, "perfdsl.toml：「{key}」的值应为{expected}", "perfdsl.toml: '{key}' takes {expected_en}"),
    "R907": Message(E, "perfdsl.toml 无法读取：{reason}", "perfdsl.toml cannot be read: {reason}"),
}


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, by code."""
    from . import rules as package

    found: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        check = getattr(module, "check", None)
        if not isinstance(rule, Rule) or check is None:
            continue
        if not CODE.match(rule.code):
            raise ValueError(f"{info.name}: rule code {rule.code!r} is not R + three digits")
        if rule.code in found:
            raise ValueError(f"{info.name}: rule code {rule.code} is already used by {found[rule.code].module}")
        rule.check, rule.module = check, module.__name__
        found[rule.code] = rule
    _register_messages(found.values())
    return tuple(found[c] for c in sorted(found))


@cache
def by_code() -> dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def get(code: str) -> Rule | None:
    return by_code().get(code.upper())


def _register_messages(rules) -> None:
    CATALOGUE.update(META)
    for r in rules:
        CATALOGUE[r.code] = Message(r.severity, r.message_zh, r.message_en, r.hint_zh or None, r.hint_en or None)


def matches(selector: str, code: str) -> bool:
    """A selector is a rule code or a prefix of codes (R, R0, R01, R010); ALL selects all."""
    selector = selector.upper()
    return selector == "ALL" or code.startswith(selector)


def selects_any(selector: str) -> bool:
    return any(matches(selector, r.code) for r in all_rules())


def suggest(word: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"是不是「{close[0]}」？" if close else ""


# The registry is read once at import, so that every code is in the catalogue before any
# Diagnostic with it is made (the loader imports this package before linting).
all_rules()
