"""The registry of reviewer's rules: every module of perfdsl/lint/rules/ that defines RULE and
check. The registry writes nothing global: a rule's diagnostics carry the rule's message
themselves (Diagnostic.text), so that codes are data both the checker and the rules read."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from .rule import Rule

CODE = re.compile(r"^R\d{3}$")
RULES_PACKAGE = __name__.rpartition(".")[0] + ".rules"  # one module per rule, found when first asked for


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, by code."""
    package = importlib.import_module(RULES_PACKAGE)

    found: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{RULES_PACKAGE}.{info.name}")
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
    return tuple(found[c] for c in sorted(found))


@cache
def by_code() -> dict[str, Rule]:
    return {r.code: r for r in all_rules()}


def get(code: str) -> Rule | None:
    return by_code().get(code.upper())


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
