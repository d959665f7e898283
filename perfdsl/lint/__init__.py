"""Reviewer's rules: the defects finance reviewers find, as coded lint rules.

The checker (perfdsl.check) proves the arithmetic; these rules add the judgment a finance
bureau's reviewer applies when re-checking (复核) a unit's self-evaluation. Each rule is one module
of perfdsl/lint/rules/; `perfdsl rules` lists them and docs/rules.md describes them."""

from __future__ import annotations

from .config import LintConfig, SelectorError, config_for, config_in, load_config
from .registry import all_rules, get
from .runner import lint, run_lint

__all__ = [
    "LintConfig",
    "SelectorError",
    "all_rules",
    "config_for",
    "config_in",
    "get",
    "lint",
    "load_config",
    "run_lint",
]
